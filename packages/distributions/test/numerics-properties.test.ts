// Property-based numerics suite for the families (issue 15): entropies over wide random parameters
// — scales and concentrations log-uniform on [1e-6, 1e6], logits on [-100, 100], sizes up to 1000,
// sphere dimensions 3..1000, MultivariateNormal in 2..8 dimensions with per-row scales 1e-6..1e6 —
// against mpmath (fixtures/numerics.json, made by fixtures/generate_numerics.py), with torch
// float32's entropy on the same cases for comparison. Properties: finite wherever the reference is;
// gradients finite wherever the value is; relative (or, for entropies near 0, absolute) error within
// the family's bound; the distribution's own samples have a finite logProb (never a support error);
// memory neutral. One batched call per family over its first VAE_NUMERICS_CASES cases (default 96).
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectMemoryNeutral, fixtureNumber } from '@vae/testing';
import type { FixtureNumber, FixtureParams } from '@vae/testing';
import * as families from '../src/index.js';
import type { Distribution } from '../src/index.js';

interface EntropyCase {
  params: FixtureParams;
  entropy: FixtureNumber;
  torch32: FixtureNumber;
}
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'numerics.json'), 'utf8')) as {
  entropy: Record<string, EntropyCase[]>;
};
const CASES = Number(process.env.VAE_NUMERICS_CASES ?? 96);

/**
 * The exported family of that name, from its fixture parameters without validation: `dim`
 * (HypersphericalUniform's ambient dimension) stays a number, every other parameter is a tensor.
 */
function build(family: string, t: Record<string, tf.Tensor>, dim: number | undefined): Distribution {
  const Family = (families as Record<string, unknown>)[family];
  if (typeof Family !== 'function' || !(Family.prototype instanceof families.Distribution))
    throw new Error(`unknown fixture family ${family}`);
  return new (Family as new (params: object) => Distribution)({ ...t, ...(dim === undefined ? {} : { dim }), validateArgs: false });
}

/**
 * Worst error allowed: relative to max(|entropy|, 1) (an entropy crosses 0, where a relative error
 * means nothing; below 1 the bound is absolute).
 */
const BOUNDS: Record<string, number> = {
  Normal: 1e-6,
  LogNormal: 1e-6,
  Laplace: 1e-6,
  Exponential: 1e-6,
  Gamma: 1e-5,
  Beta: 1e-5,
  Bernoulli: 1e-6,
  ContinuousBernoulli: 1e-5,
  Categorical: 1e-5,
  Dirichlet: 1e-5,
  Uniform: 1e-6,
  Kumaraswamy: 1e-5,
  Logistic: 1e-6,
  MultivariateNormal: 1e-6,
  VonMisesFisher: 1e-5,
  PowerSpherical: 1e-5,
  HypersphericalUniform: 1e-6,
};

const scaledError = (got: number, want: number) =>
  got === want ? 0 : Number.isFinite(got) ? Math.abs(got - want) / Math.max(Math.abs(want), 1) : Infinity;

const rows: string[] = [];

describe('entropies over wide random parameters against mpmath', () => {
  afterAll(() => {
    console.log(
      `[numerics] entropy over wide random parameters (VAE_NUMERICS_CASES=${CASES}); error relative to max(|H|, 1)\n` +
        `| family | cases | worst error | torch float32 worst | torch float32 non-finite |\n|---|---|---|---|---|\n${rows.join('\n')}`,
    );
  });

  it.each(Object.keys(fixture.entropy))('%s', async (family) => {
    const cases = fixture.entropy[family].slice(0, CASES);
    const groups = new Map<string, number[]>();
    cases.forEach((c, i) => {
      const key = Object.entries(c.params)
        .map(([k, v]) => (k === 'dim' ? `dim=${v}` : Array.isArray(v) ? v.length : 0))
        .join(',');
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const values = new Array<number>(cases.length);
    const gradsFinite = new Array<boolean>(cases.length);
    const samplesOk = new Array<boolean>(cases.length);
    for (const indices of groups.values()) {
      const names = Object.keys(cases[indices[0]].params).filter((n) => n !== 'dim');
      const dim = cases[indices[0]].params.dim as number;
      const tensors = names.map((n) => tf.tensor(indices.map((i) => cases[i].params[n]) as number[] | number[][] | number[][][]));
      const make = (...t: tf.Tensor[]) => build(family, Object.fromEntries(names.map((n, k) => [n, t[k]])), dim);
      const d = make(...tensors);
      // A parameterless family (HypersphericalUniform) has one entropy for the whole group.
      const entropy = tf.tidy(() => tf.broadcastTo(d.entropy(), [indices.length]));
      Array.from(entropy.dataSync()).forEach((v, k) => (values[indices[k]] = v));
      // (A zero multiple of every parameter: a location does not enter the entropy at all.)
      const grads =
        tensors.length === 0
          ? []
          : tf.grads((...t: tf.Tensor[]) => tf.add(tf.sum(make(...t).entropy()), tf.mul(0, tf.addN(t.map((x) => tf.sum(x))))))(tensors);
      indices.forEach((i, k) => {
        gradsFinite[i] = grads.every((g) => {
          const per = g.size / indices.length;
          return Array.from(g.dataSync().subarray(k * per, (k + 1) * per)).every(Number.isFinite);
        });
      });
      // The distribution's own samples: logProb finite (no support error, no +-Infinity).
      const x = d.sample([4], 15);
      const lp = tf.tidy(() => tf.reshape(d.logProb(x), [-1])); // [4 * batch], or [4] for a parameterless family
      const lpData = lp.dataSync();
      const perDraw = lp.size / 4;
      indices.forEach((i, k) => {
        samplesOk[i] = [0, 1, 2, 3].every((s) => Number.isFinite(lpData[s * perDraw + (perDraw === 1 ? 0 : k)]));
      });
      await expectMemoryNeutral(() => d.entropy(), `${family} entropy`);
      tf.dispose([entropy, x, lp, ...grads, ...tensors]);
      d.dispose();
    }
    let worst = 0;
    let torchWorst = 0;
    let torchNonFinite = 0;
    const torchMissing = cases.every((c) => c.torch32 === null);
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const want = fixtureNumber(c.entropy);
      const err = scaledError(values[i], want);
      worst = Math.max(worst, err);
      const torch = fixtureNumber(c.torch32);
      if (Number.isFinite(torch)) torchWorst = Math.max(torchWorst, scaledError(torch, want));
      else torchNonFinite++;
      const label = `case ${i} ${JSON.stringify(c.params).slice(0, 160)}`;
      if (Number.isFinite(want) && !Number.isFinite(values[i]))
        failures.push(`${label}: entropy ${values[i]} where the reference is ${want}`);
      else if (err > BOUNDS[family])
        failures.push(`${label}: entropy ${values[i]} vs ${want} (error ${err.toExponential(2)} > ${BOUNDS[family]})`);
      if (Number.isFinite(values[i]) && !gradsFinite[i]) failures.push(`${label}: an entropy gradient is not finite`);
      if (!samplesOk[i]) failures.push(`${label}: logProb of the distribution's own sample is not finite`);
    });
    rows.push(
      torchMissing
        ? `| ${family} | ${cases.length} | ${worst.toExponential(2)} | n/a (no such torch family) | n/a |`
        : `| ${family} | ${cases.length} | ${worst.toExponential(2)} | ${torchWorst.toExponential(2)} | ${torchNonFinite} |`,
    );
    expect(failures.slice(0, 8)).toEqual([]);
  });
});
