import poisson from '@stdlib/stats-base-dists-poisson';
import { expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { poissonSample } from './index.js';
import { take } from '../test/oracles.js';

const n = 2000;

/** Chi-square goodness of fit of integer draws against the Poisson mass, cells with >= 20 expected. */
function chiSquare(x: Float64Array, rate: number): { statistic: number; dof: number } {
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  const lo = Math.max(0, Math.floor(rate - 6 * Math.sqrt(rate) - 2));
  const hi = Math.ceil(rate + 6 * Math.sqrt(rate) + 2);
  let statistic = 0;
  let dof = -1;
  let pending = [0, 0];
  for (let k = lo; k <= hi; k++) {
    const expected = k === lo ? poisson.cdf(k, rate) * x.length : poisson.pmf(k, rate) * x.length;
    const upper = k === hi ? (1 - poisson.cdf(k - 1, rate)) * x.length : expected;
    pending = [
      pending[0] +
        (counts.get(k) ?? 0) +
        (k === lo ? [...counts].filter(([c]) => c < lo).reduce((s, [, m]) => s + m, 0) : 0) +
        (k === hi ? [...counts].filter(([c]) => c > hi).reduce((s, [, m]) => s + m, 0) : 0),
      pending[1] + (k === hi ? upper : expected),
    ];
    if (pending[1] >= 20 || k === hi) {
      statistic += (pending[0] - pending[1]) ** 2 / pending[1];
      dof++;
      pending = [0, 0];
    }
  }
  return { statistic, dof };
}

describe('poissonSample', () => {
  it.each([0.01, 0.7, 9.9, 10, 37, 1e3, 1e6])('draws integers with the Poisson(%p) mean and passes chi-square', (rate) => {
    const x = take(poissonSample(rate, [n], 7));
    expect(x.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    const s = summarize(x);
    expectWithinStandardErrors(s.mean, rate, s.standardError, { z: 4.5 });
    const { statistic, dof } = chiSquare(x, rate);
    // chi-square with dof degrees: mean dof, sd sqrt(2 dof); 5 sd is far in the tail.
    expect(statistic).toBeLessThan(dof + 5 * Math.sqrt(2 * Math.max(dof, 1)) + 5);
  });

  it('rate 0 gives 0; the same seed gives the same counts; seed 0 works', () => {
    expect(Array.from(poissonSample(0, [5], 1).dataSync())).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(poissonSample([2, 50], [3, 2], 0).dataSync())).toEqual(Array.from(poissonSample([2, 50], [3, 2], 0).dataSync()));
  });

  it('rejects a negative rate, naming it', () => {
    expect(() => poissonSample([1, -1], [2], 1)).toThrow(/poissonSample: rate must be non-negative/);
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => poissonSample([0.5, 20, 1e5], [4, 3], 1));
  });
});
