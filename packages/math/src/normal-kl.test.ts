import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareClose, expectClose, expectMemoryNeutral, gradient64, runOnBackends } from '@vae/testing';
import { NORMAL_KL_GRAD_KERNEL, NORMAL_KL_KERNEL, normalKL } from '@vae/math';

interface Case {
  tag: string;
  params: [number, number, number, number];
  kl: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/normal_kl.json'), 'utf8')) as { cases: Case[] };
const column = (i: number) => tf.tensor1d(fixture.cases.map((c) => c.params[i]));

// float64 closed form at the float32 parameters (log1p / expm1 keep nearly equal scales accurate
// down to the smallest d a float32 ratio can have, 6e-8: relative error below 1e-8 there).
function kl64([mp, sp, mq, sq]: number[]): number {
  const logR = 2 * Math.log1p((sp - sq) / sq);
  return 0.5 * (Math.expm1(logR) - logR + ((mp - mq) / sq) ** 2);
}

describe('normalKL', () => {
  it('matches mpmath at 40 digits: nearly equal normals, both sides of the branch switch, a VAE prior, extremes', () => {
    const kl = normalKL(column(0), column(1), column(2), column(3));
    const truth = fixture.cases.map((c) => Number(c.kl));
    const report = compareClose(kl, truth, { rtol: 5e-7, atol: 0 });
    console.log(
      `[normalKL] worst rel err vs mpmath: ${report.maxRelativeError.toExponential(2)} (${fixture.cases[report.worstIndex].tag})`,
    );
    expectClose(kl, truth, { rtol: 5e-7, atol: 0 });
  });

  it('gradients in all four inputs match float64 finite differences, summed over broadcast axes', () => {
    // p over [2, 3], q's parameters over [3] (as a diagonal posterior against a shared prior).
    const mp = [0.3, -1.2, 2, 0.1, 0.5, -0.4];
    const sp = [0.8, 1.0001, 3.5, 0.05, 1.9, 0.55];
    const mq = [0.2, -1, 0.7];
    const sq = [1, 1, 1.7];
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(normalKL(a, b, c, d), tf.tensor2d([1, -2, 3, 0.5, 1, 2], [2, 3])));
    const g = tf.grads(f)([tf.tensor2d(mp, [2, 3]), tf.tensor2d(sp, [2, 3]), tf.tensor1d(mq), tf.tensor1d(sq)]);
    const weights = [1, -2, 3, 0.5, 1, 2];
    const total = (v: number[]) => weights.reduce((acc, w, i) => acc + w * kl64([v[i], v[6 + i], v[12 + (i % 3)], v[15 + (i % 3)]]), 0);
    const fd = gradient64(total, [...mp, ...sp, ...mq, ...sq]);
    expectClose(tf.concat(g.map((t) => t.flatten())), fd, { rtol: 1e-4, atol: 1e-5 });
  });

  it('computes only the gradients the tape needs: none for a fixed prior', async () => {
    const loc = tf.tensor2d([0.1, -0.3, 0.5, 2], [2, 2]);
    const scale = tf.tensor2d([0.9, 1.3, 0.2, 1], [2, 2]);
    const [zero, one] = [tf.zeros([2]), tf.ones([2])];
    const countGradKernels = async (f: () => tf.TensorContainer) =>
      (await tf.profile(f)).kernels.filter((k) => k.name === NORMAL_KL_GRAD_KERNEL).length;
    const posteriorOnly = () => tf.grads((m: tf.Tensor, s: tf.Tensor) => tf.sum(normalKL(m, s, zero, one)))([loc, scale]);
    const all = () =>
      tf.grads((m: tf.Tensor, s: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.sum(normalKL(m, s, a, b)))([loc, scale, zero, one]);
    // One at a time: tf.profile keeps its kernel list in the engine.
    expect(await countGradKernels(posteriorOnly)).toBe(2);
    expect(await countGradKernels(all)).toBe(4);
    expect(tf.getKernel(NORMAL_KL_KERNEL, tf.getBackend())).toBeDefined();
    tf.dispose([loc, scale, zero, one]);
  });

  it('gives the same numbers on cpu and wasm', async () => {
    const out = await runOnBackends(() => {
      const [mp, sp] = [tf.tensor1d([0, 0.3, -2, 1e3]), tf.tensor1d([1.0001, 0.51, 4, 1])];
      const [mq, sq] = [tf.tensor1d([0, 0, 0.5, -1e3]), tf.tensor1d([1, 1, 2, 1e-3])];
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(normalKL(a, b, mq, sq)))([mp, sp]);
      return [normalKL(mp, sp, mq, sq), ...g];
    });
    out.cpu.forEach((values, i) => expectClose(out.wasm[i], values, { rtol: 1e-6, atol: 0 }));
  });

  it('is memory-neutral, value and gradients', async () => {
    const [m, s] = [tf.tensor1d([0.5, -1]), tf.tensor1d([0.7, 1.2])];
    await expectMemoryNeutral(() => normalKL(m, s, 0, 1), 'normalKL');
    await expectMemoryNeutral(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(normalKL(a, b, 0, 1)))([m, s]), 'grads of normalKL');
    tf.dispose([m, s]);
  });

  it('rejects parameters whose shapes do not broadcast, naming them', () => {
    expect(() => normalKL([0, 1], [1, 1, 1], 0, 1)).toThrow(/locP.*scaleP|scaleP.*locP/);
    expect(() => normalKL(0, 1, 0, tf.tensor1d(['a'] as unknown as number[]))).toThrow(/scaleQ/);
  });
});
