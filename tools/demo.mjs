// The main job until the reference model lands: the packages are built (ESM + CJS) and the API
// site is generated; this prints where everything is and one line from each package in action.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');
// The cpu backend's advice to install tfjs-node is noise here.
tf.backend().firstUse = false;

console.log('Built packages:');
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = require(join(root, 'packages', dir, 'package.json'));
  const built = existsSync(join(root, 'packages', dir, 'dist/esm/index.js')) && existsSync(join(root, 'packages', dir, 'dist/cjs/index.js'));
  console.log(`  ${manifest.name}@${manifest.version}  ${built ? `packages/${dir}/dist/{esm,cjs}` : 'NOT BUILT'}`);
}

const { lgamma, logBesselI } = await import('@vae/math');
const { Normal } = await import('@vae/distributions');
const show = (label, t) => console.log(`  ${label} = ${Array.from(t.dataSync(), (v) => v.toPrecision(6)).join(', ')}`);
console.log('A taste of the API:');
show('lgamma([0.5, 10, 1e6])', lgamma(tf.tensor([0.5, 10, 1e6])));
show('logBesselI(500, [1, 1e3, 1e5])', logBesselI(500, tf.tensor([1, 1e3, 1e5])));
const q = new Normal({ loc: [0, 2], scale: [1, 0.5] });
show('Normal({loc: [0, 2], scale: [1, 0.5]}).entropy()', q.entropy());
show('... .logProb(rsample(seed 1))', q.logProb(q.rsample([], 1)));

const site = join(root, 'docs/api/index.html');
console.log(`API site: ${existsSync(site) ? site : 'missing (run npx typedoc)'}`);
