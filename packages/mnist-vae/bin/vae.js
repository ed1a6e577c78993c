#!/usr/bin/env node
/* global process, URL */
// The `vae` command's launcher: the build when there is one (an installed package, or a clone after
// `npm run build`), else the TypeScript sources through tsx, so `npx vae` works in a fresh clone
// right after `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/esm/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  // The package's tsconfig maps @vae/* to their sources, whatever the working directory.
  process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
