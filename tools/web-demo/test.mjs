// The demo page's Chromium test: it loads with no console error, trains one (short) epoch, the
// latent manifold and scatter change as it learns, a model it saves reloads (in the page and with
// `vae train`'s loadModel in Node), and a model saved by Node's saveModel loads in the page.
// Usage: node tools/web-demo/test.mjs [--backend wasm] [--screenshot file.png]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, bundleForNode } from '../browser/bundle.mjs';
import { launchChromium, serve } from '../browser/chromium.mjs';
import { buildDemo } from './build.mjs';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, screenshot: { type: 'string' }, limit: { type: 'string', default: '2048' } },
});
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} demo: ${what}`);
};

// Mean absolute difference of two canvases' RGBA bytes (0..255).
function pixelChange(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

const work = mkdtempSync(join(tmpdir(), 'vae-web-demo-'));
const started = performance.now();
try {
  await buildDemo(join(work, 'www'));
  const cache = join(ROOT, 'node_modules/.cache/vae-web-demo');
  mkdirSync(cache, { recursive: true });
  await bundleForNode(join(ROOT, 'tools/web-demo/model-io-export.ts'), join(cache, 'model-io.mjs'));
  const io = await import(pathToFileURL(join(cache, 'model-io.mjs')).href);

  const server = await serve(join(work, 'www'));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1120, height: 480 });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}?backend=${args.backend}&epochs=1&batch=64&limit=${args.limit}`);
    await page.waitForFunction(() => globalThis.vaeDemo?.ready || globalThis.vaeDemo?.errors.length, null, { timeout: 120_000 });
    check(await page.evaluate(() => globalThis.vaeDemo.ready), 'the digits load');
    await page.click('#train');
    await page.waitForFunction(() => !globalThis.vaeDemo.training, null, { timeout: 600_000, polling: 500 });
    const state = await page.evaluate(() => ({ ...globalThis.vaeDemo }));
    check(
      state.epochsDone === 1 && state.errors.length === 0,
      `trains one epoch of ${args.limit} digits on ${state.backend} (test ELBO ${state.lastTestElbo?.toFixed(2)} nats)${
        state.errors.length ? ': ' + state.errors.join('; ') : ''
      }`,
    );
    check(state.backend === args.backend, `runs on the backend asked for (${args.backend}): ${state.backend}`);
    const progress = await page.textContent('#progress-text');
    check(/examples\/s/.test(progress) && /s left/.test(progress), `the progress bar shows examples/s and time left: "${progress}"`);
    const pictures = await page.evaluate(() => ({ first: globalThis.vaeDemo.firstPictures, latest: globalThis.vaeDemo.latestPictures }));
    const manifoldChange = pixelChange(pictures.first.manifold, pictures.latest.manifold);
    const scatterChange = pixelChange(pictures.first.scatter, pictures.latest.scatter);
    const span = `between step ${pictures.first.step} and step ${pictures.latest.step}`;
    check(pictures.first.step === 0 && pictures.latest.step > 0, `the pictures are drawn before training and again as it learns (${span})`);
    check(manifoldChange > 2, `the manifold changes as it learns (mean |pixel change| ${manifoldChange.toFixed(1)} of 255, ${span})`);
    check(scatterChange > 0.5, `the latent scatter changes as it learns (mean |pixel change| ${scatterChange.toFixed(1)} of 255, ${span})`);
    if (args.screenshot) {
      await page.screenshot({ path: args.screenshot });
      console.log(`screenshot: ${args.screenshot}`);
    }

    // Save in the page, reload in the page: same configuration and the same test ELBO.
    const files = await page.evaluate(() => globalThis.vaeDemo.modelFiles());
    const elboBefore = await page.evaluate(() => globalThis.vaeDemo.testElbo());
    const reloaded = await page.evaluate(
      ([json, weights]) => globalThis.vaeDemo.loadModelFiles(json, weights),
      [files.json, files.weights],
    );
    check(
      Math.abs(reloaded.testElbo - elboBefore) < 1e-3 * Math.abs(elboBefore),
      `a saved model reloads in the page (test ELBO ${elboBefore.toFixed(3)} before, ${reloaded.testElbo.toFixed(3)} after)`,
    );

    // The same files are a `vae train` model directory: Node's loadModel reads them.
    const dir = join(work, 'browser-model');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), files.json);
    writeFileSync(join(dir, 'weights.bin'), Uint8Array.from(files.weights));
    const inNode = await io.loadModel(dir);
    const name = inNode.namedWeights()[0].name;
    const nodeFirst = Array.from(inNode.namedWeights()[0].tensor.dataSync().slice(0, 8));
    inNode.dispose();
    const saved = JSON.parse(files.json);
    check(
      name === 'encoder/0/kernel' && saved.weightsManifest[0].weights[0].name === name && nodeFirst.every(Number.isFinite),
      `Node's loadModel reads the page's saved model (${saved.weightsManifest[0].weights.length} weights)`,
    );

    // And a model saved by Node's saveModel (as `vae train` writes model/) loads in the page.
    const nodeDir = join(work, 'node-model');
    const nodeModel = new io.MnistVae({ posterior: 'vmf', latentDim: 3, seed: 11 });
    await io.saveModel(nodeModel, nodeDir, { epochs: 0 });
    nodeModel.dispose();
    const fromNode = await page.evaluate(
      ([json, weights]) => globalThis.vaeDemo.loadModelFiles(json, weights),
      [readFileSync(join(nodeDir, 'model.json'), 'utf8'), Array.from(readFileSync(join(nodeDir, 'weights.bin')))],
    );
    check(
      fromNode.config.posterior === 'vmf' && fromNode.config.seed === 11 && Number.isFinite(fromNode.testElbo),
      `a model saved by Node's saveModel loads in the page (vmf, test ELBO ${fromNode.testElbo.toFixed(2)})`,
    );

    check(errors.length === 0, `no console error${errors.length ? ': ' + errors.join(' | ') : ''}`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`demo test finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
