// `npm run bench:browser`: milliseconds per training step of the reference model (784-256-64-32,
// batch 128 as `vae train`) in headless Chromium, per backend, for the Gaussian and the vMF VAE.
// Usage: node tools/browser/bench.mjs [--steps N] [--batch N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, bundleForBrowser, copyWasmBinaries } from './bundle.mjs';
import { launchChromium, serve } from './chromium.mjs';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '10' }, batch: { type: 'string', default: '128' } } });
const steps = Number(values.steps);
const batch = Number(values.batch);
for (const [flag, v] of [
  ['--steps', steps],
  ['--batch', batch],
])
  if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} must be a positive integer; got ${v}`);

const CONFIGS = [
  { label: 'cpu', backend: 'cpu' },
  { label: 'wasm', backend: 'wasm', fast: false },
  { label: 'wasm + fast kernels', backend: 'wasm', fast: true },
  { label: 'webgl', backend: 'webgl' },
  { label: 'webgpu', backend: 'webgpu' },
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'vae-browser-bench-'));
try {
  await bundleForBrowser(join(ROOT, 'tools/browser/entry-browser.ts'), work, 'suite', { minify: true });
  copyWasmBinaries(work);
  writeFileSync(join(work, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="suite.js"></script>');
  const server = await serve(work);
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const c of CONFIGS) {
      const row = { label: c.label };
      for (const posterior of ['normal', 'vmf']) {
        const page = await browser.context.newPage();
        await page.goto(server.url);
        await page.waitForFunction(() => 'vaeSuite' in globalThis);
        const chosen = await page.evaluate(([b, f]) => globalThis.vaeSuite.select(b, f), [c.backend, c.fast ?? true]);
        if (chosen.error) row[posterior] = `cannot start: ${chosen.error.replace(/^selectBackend: the \w+ backend could not start: /, '')}`;
        else {
          try {
            row[posterior] = median(
              await page.evaluate(([p, b, s]) => globalThis.vaeSuite.timeSteps(p, b, s), [posterior, batch, steps]),
            ).toFixed(1);
          } catch (e) {
            row[posterior] = `failed: ${e.message.split('\n')[0]}`;
          }
        }
        await page.close();
      }
      rows.push(row);
      console.log(`${c.label}: Gaussian ${row.normal} ms/step, vMF ${row.vmf} ms/step`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`\nms per training step in headless Chromium (batch ${batch}, median of ${steps} after 3 warm-up steps)\n`);
  console.log('| backend | Gaussian VAE | vMF VAE |\n| --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.label} | ${r.normal} | ${r.vmf} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
