import digamma from '@stdlib/math-base-special-digamma';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digamma64, gammaLogSampleDerivative } from './gamma-grad.js';

interface Row {
  a: number;
  q: number;
  logX: number;
  dLogXdA: number;
}

// mpmath reference values (test/fixtures/gamma-grad.py): quantiles 1e-6 .. 1 - 1e-6 of shapes 1e-3 .. 1e4.
const rows = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/gamma-grad.json'), 'utf8')) as Row[];

describe('digamma64', () => {
  it.each([1e-3, 0.1, 0.5, 1, 3.7, 6, 25, 1e4])('matches @stdlib at %p', (x) => {
    expect(Math.abs(digamma64(x) - digamma(x))).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(digamma(x))));
  });
});

describe('gammaLogSampleDerivative (implicit reparameterization in float64)', () => {
  it(`matches mpmath over ${rows.length} (shape, quantile) pairs to 1e-11 relative`, () => {
    let worst = 0;
    for (const r of rows) {
      const g = gammaLogSampleDerivative(r.a, r.logX);
      const rel = Math.abs(g - r.dLogXdA) / Math.abs(r.dLogXdA);
      worst = Math.max(worst, rel);
      if (!(rel < 1e-11)) throw new Error(`a=${r.a} q=${r.q}: ${g} vs ${r.dLogXdA} (rel ${rel})`);
    }
    console.log(`gamma implicit gradient vs mpmath: worst relative error ${worst.toExponential(2)} over ${rows.length} points`);
  });
  it('uses both the series and the continued fraction (both sides of the switch)', () => {
    expect(rows.some((r) => Math.exp(r.logX) < r.a + 1 + 3 * Math.sqrt(r.a))).toBe(true);
    expect(rows.some((r) => Math.exp(r.logX) >= r.a + 1 + 3 * Math.sqrt(r.a))).toBe(true);
  });
});
