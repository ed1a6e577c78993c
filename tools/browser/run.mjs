// `npm run test:browser`: the cross-backend checks of checks.ts, bundled MINIFIED with esbuild,
// served on 127.0.0.1 and run in headless Chromium on cpu, wasm, webgl and webgpu, each compared
// with the same checks run here in Node on cpu within that backend's float32 tolerance.
// Usage: node tools/browser/run.mjs [backend ...]   (default: all four)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, bundleForBrowser, bundleForNode, copyWasmBinaries } from './bundle.mjs';
import { launchChromium, serve } from './chromium.mjs';

const ALL = ['cpu', 'wasm', 'webgl', 'webgpu'];
// |browser - node| <= atol + rtol * |node|, per backend: cpu runs the very same kernels as Node;
// wasm (SIMD sums, fused kernels) and the GPU backends (float32 shaders on SwiftShader,
// different reduction orders and transcendental approximations) round differently.
const TOLERANCE = {
  cpu: { rtol: 1e-6, atol: 1e-7 },
  wasm: { rtol: 2e-5, atol: 2e-6 },
  webgl: { rtol: 5e-4, atol: 5e-5 },
  webgpu: { rtol: 5e-4, atol: 5e-5 },
};
// A backend that cannot start in this headless Chromium is reported with the browser's message;
// only these may be blocked without failing the suite.
const MAY_BE_BLOCKED = new Set(['webgpu']);

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const b of backends) if (!ALL.includes(b)) throw new Error(`test:browser: backend must be one of ${ALL.join(', ')}; got ${b}`);

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'vae-browser-suite-'));
let passed = 0;
let failed = 0;
const report = (ok, line) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
};

function compare(node, browser, tol) {
  // Returns [ok, description] for one output.
  if ('text' in node)
    return [
      browser.text === node.text,
      browser.text === node.text ? `"${node.text.slice(0, 90)}..."` : `got "${browser.text}", Node "${node.text}"`,
    ];
  if (!browser.values || JSON.stringify(browser.shape) !== JSON.stringify(node.shape))
    return [false, `shape [${browser.shape}] vs Node [${node.shape}]`];
  let worst = 0;
  let worstAbs = 0;
  for (let i = 0; i < node.values.length; i++) {
    const a = browser.values[i];
    const b = node.values[i];
    if (typeof a !== 'number' || typeof b !== 'number') return [false, `element ${i} is ${a} (Node ${b})`];
    const err = Math.abs(a - b);
    const ratio = err / (tol.atol + tol.rtol * Math.abs(b));
    if (ratio > worst) [worst, worstAbs] = [ratio, err];
  }
  return [worst <= 1, `max |diff| ${worstAbs.toExponential(1)} (${(worst * 100).toFixed(0)}% of tolerance)`];
}

try {
  const out = join(work, 'www');
  const meta = await bundleForBrowser(join(ROOT, 'tools/browser/entry-browser.ts'), out, 'suite', { minify: true });
  copyWasmBinaries(out);
  writeFileSync(
    join(out, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>@vae browser suite</title><script type="module" src="suite.js"></script>',
  );
  const bytes = Object.values(meta.outputs).reduce((s, o) => s + o.bytes, 0);
  console.log(`bundle: suite.js ${(bytes / 1024).toFixed(0)} KiB minified`);

  await bundleForNode(join(ROOT, 'tools/browser/entry-node.ts'), join(work, 'node.mjs'));
  const { runReference } = await import(pathToFileURL(join(work, 'node.mjs')).href);
  const reference = await runReference();
  const byName = new Map(reference.map((r) => [r.name, r]));
  for (const r of reference) {
    if (r.error) report(false, `node/cpu ${r.name}: ${r.error}`);
  }

  const server = await serve(out);
  const browser = await launchChromium();
  try {
    for (const backend of backends) {
      const page = await browser.context.newPage();
      const consoleErrors = [];
      const warnings = [];
      page.on('console', (m) => (m.type() === 'error' ? consoleErrors : m.type() === 'warning' ? warnings : []).push(m.text()));
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() => 'vaeSuite' in globalThis);
      const chosen = await page.evaluate((b) => globalThis.vaeSuite.select(b), backend);
      if (chosen.error) {
        const blocked = MAY_BE_BLOCKED.has(backend);
        if (blocked)
          console.log(
            `BLOCKED ${backend}: ${chosen.error}; the browser's messages: ${consoleErrors.concat(warnings).join(' | ') || 'none'}`,
          );
        report(blocked, `${backend}: backend starts${blocked ? ' (blocked; quoted above)' : `: ${chosen.error}`}`);
        await page.close();
        continue;
      }
      const reads = await page.evaluate(() => globalThis.vaeSuite.probeReads());
      if (reads.sync !== reads.async) {
        const blocked = MAY_BE_BLOCKED.has(backend);
        const what = `synchronous read-back of log1p([0.5, 3, 7]) gave [${reads.sync}], asynchronous [${reads.async}]`;
        if (blocked)
          console.log(`BLOCKED ${backend}: ${what}; the browser's warnings: ${consoleErrors.concat(warnings).join(' | ') || 'none'}`);
        report(blocked, `${backend}: tensors read back${blocked ? ' (blocked; quoted above)' : `: ${what}`}`);
        await page.close();
        continue;
      }
      const t0 = performance.now();
      const results = await page.evaluate(() => globalThis.vaeSuite.run());
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`-- ${backend} (${chosen.selected.reason}): ${results.length} checks in ${seconds} s`);
      for (const r of results) {
        const ref = byName.get(r.name);
        const label = `${backend} ${r.name}`;
        if (r.error) {
          report(false, `${label}: ${r.error}`);
          continue;
        }
        const scale = r.toleranceScale;
        const tol = { rtol: TOLERANCE[backend].rtol * scale, atol: TOLERANCE[backend].atol * scale };
        const details = [];
        let ok = true;
        for (const [key, value] of Object.entries(ref.outputs)) {
          const [good, text] = compare(value, r.outputs[key] ?? {}, tol);
          ok &&= good;
          details.push(`${key}: ${text}`);
        }
        if (r.leakedTensors !== 0) {
          ok = false;
          details.push(`leaked ${r.leakedTensors} tensors`);
        }
        if (r.notReproducible.length) {
          ok = false;
          details.push(`same seed, different numbers: ${r.notReproducible.join(', ')}`);
        }
        report(ok, `${label} (${r.ms.toFixed(0)} ms)${ok ? '' : '\n       ' + details.join('\n       ')}`);
        if (process.env.VERBOSE) console.log('       ' + details.join('\n       '));
      }
      report(consoleErrors.length === 0, `${backend}: no console error${consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''}`);
      await page.close();
    }
    // auto in a browser takes the fastest backend that starts.
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'vaeSuite' in globalThis);
    const auto = await page.evaluate(() => globalThis.vaeSuite.select('auto'));
    const expected = [];
    for (const b of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      const p = await browser.context.newPage();
      await p.goto(server.url);
      await p.waitForFunction(() => 'vaeSuite' in globalThis);
      if (!(await p.evaluate((x) => globalThis.vaeSuite.select(x), b)).error) expected.push(b);
      await p.close();
      if (expected.length) break;
    }
    report(
      auto.selected?.name === expected[0],
      `auto picks the fastest backend that starts (${expected[0]}): got ${auto.selected?.name ?? auto.error}; "${auto.selected?.reason}"`,
    );
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`test:browser finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
