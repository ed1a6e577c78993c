import { Normal } from '@vae/distributions';
import type { KLEntry } from '../registry.js';
import { klNormalNormal } from './normal.js';

/** Every built-in analytic pair, as plain data: the default registry is built from this list. */
export const builtinKLEntries: readonly KLEntry[] = [{ p: Normal, q: Normal, kl: klNormalNormal }];
