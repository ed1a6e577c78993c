// The same divergences on the cpu and wasm backends (the two the packages are tested on).
import { expectClose, runOnBackends } from '@vae/testing';
import { fixtureDivergences } from './pair-suite.js';

const PAIRS = [
  'Normal||Laplace',
  'Bernoulli||Bernoulli',
  'Categorical||Categorical',
  'ContinuousBernoulli||ContinuousBernoulli',
  'Beta||Beta',
  'Gamma||Gamma',
  'Dirichlet||Dirichlet',
  'MultivariateNormal||MultivariateNormal',
  'Uniform||Beta',
  'Kumaraswamy||Beta',
  'VonMisesFisher||HypersphericalUniform',
  'PowerSpherical||VonMisesFisher',
];

it.each(PAIRS)('KL(%s) agrees between the cpu and wasm backends', async (name) => {
  const results = await runOnBackends(() => fixtureDivergences(name));
  results.cpu.forEach((values, i) => expectClose(results.wasm[i], values, { rtol: 2e-5, atol: 1e-7, label: `${name} group ${i}` }));
});
