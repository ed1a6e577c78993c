// Worst relative error against the mpmath/scipy/torch fixtures of the von Mises-Fisher and Power
// Spherical log normalizer, entropy, mean norm, KL to the uniform and its gradient: the tfjs formulas
// (cpu backend, no SphericalTerms kernel) beside the kernel's values (sphericalTermsHost rounded to
// float32, exactly what the wasm kernel returns).
//   node tools/bench/spherical-accuracy.mjs      (after a build)
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { sphericalTermsHost } from '@vae/math';
import { VonMisesFisher, PowerSpherical, HypersphericalUniform } from '@vae/distributions';
import { klDivergence } from '@vae/kl';
await tf.setBackend('cpu');
const root = new URL('../../packages', import.meta.url).pathname;
const vmf = JSON.parse(readFileSync(root + '/distributions/test/fixtures/von_mises_fisher.json')).cases;
const ps = JSON.parse(readFileSync(root + '/distributions/test/fixtures/power_spherical.json')).cases;
const kl = JSON.parse(readFileSync(root + '/kl/test/fixtures/kl.json')).pairs;
const rel = (a, e) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
const host = (f, q, d, k) => {
  const v = new Float32Array(1),
    g = new Float32Array(1);
  sphericalTermsHost(f, q, d, [k], v, g);
  return [v[0], g[0]];
};
const worst = {};
const upd = (key, a, e) => {
  const r = rel(a, e);
  if (!(worst[key]?.r >= r)) worst[key] = { r, a, e };
};
for (const c of vmf) {
  const mu = Array.from({ length: c.d }, (_, i) => (i === 0 ? 1 : 0));
  const dist = new VonMisesFisher({ meanDirection: mu, concentration: c.kappa });
  upd('vmf logC tfjs', dist.logNormalizer().dataSync()[0], c.logC);
  upd('vmf entropy tfjs', dist.entropy().dataSync()[0], c.entropy);
  upd('vmf meanNorm tfjs', dist.mean().dataSync()[0], c.meanNorm);
  upd('vmf logC kernel', Math.fround(host('von-mises-fisher', 'shifted-log-normalizer', c.d, c.kappa)[0] - c.kappa), c.logC);
  upd('vmf entropy kernel', host('von-mises-fisher', 'entropy', c.d, c.kappa)[0], c.entropy);
  upd('vmf meanNorm kernel', host('von-mises-fisher', 'mean-norm', c.d, c.kappa)[0], c.meanNorm);
}
for (const c of ps) {
  const mu = Array.from({ length: c.d }, (_, i) => (i === 0 ? 1 : 0));
  const dist = new PowerSpherical({ meanDirection: mu, concentration: c.kappa });
  upd('ps entropy tfjs', dist.entropy().dataSync()[0], c.entropy);
  upd('ps entropy kernel', host('power-spherical', 'entropy', c.d, c.kappa)[0], c.entropy);
}
for (const [pair, fam, Cls] of [
  ['VonMisesFisher||HypersphericalUniform', 'von-mises-fisher', VonMisesFisher],
  ['PowerSpherical||HypersphericalUniform', 'power-spherical', PowerSpherical],
]) {
  for (const c of kl[pair].cases) {
    const p = new Cls(c.p);
    const q = new HypersphericalUniform({ dim: c.q.dim });
    const k = tf.scalar(c.p.concentration);
    const g = tf.grad((kk) => klDivergence(new Cls({ meanDirection: c.p.meanDirection, concentration: kk }), q))(k);
    upd(`${fam} KL tfjs`, klDivergence(p, q).dataSync()[0], c.kl);
    if (c.grad) upd(`${fam} dKL tfjs`, g.dataSync()[0], c.grad['p.concentration']);
    const [v, s] = host(fam, 'kl-uniform', c.q.dim, c.p.concentration);
    upd(`${fam} KL kernel`, v, c.kl);
    if (c.grad) upd(`${fam} dKL kernel`, s, c.grad['p.concentration']);
  }
}
for (const [k, w] of Object.entries(worst)) console.log(k.padEnd(28), w.r.toExponential(2));
