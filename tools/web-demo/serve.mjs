// `npm run demo:web [-- --port N]`: builds the demo page and serves it on 127.0.0.1.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../browser/bundle.mjs';
import { serve } from '../browser/chromium.mjs';
import { buildDemo } from './build.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535; got ${values.port}`);
const out = join(ROOT, 'node_modules/.cache/vae-web-demo/www');
const bytes = await buildDemo(out);
const server = await serve(out, { port });
console.log(`app.js: ${(bytes / 1024).toFixed(0)} KiB minified`);
console.log(`The demo is at ${server.url} (Ctrl-C stops it)`);
