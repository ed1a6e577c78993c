import * as tf from '@tensorflow/tfjs-core';
import { expectMemoryNeutral } from '@vae/testing';
import { gammaSample, uniform } from '@vae/samplers';
import { Distribution, FamilyDistribution, Gamma, OnFirstRead, Weibull, constraints, family, familyName } from './index.js';
import type { ParamsOf, PoissonParams, WeibullParams } from './index.js';
import { named } from './family.js';

class Scaled extends family(
  'Scaled',
  {
    scale: { constraint: constraints.positive },
    shift: { constraint: constraints.real, optional: true },
  },
  { support: (p) => constraints.greaterThan(p.scale, 'scale'), reparameterized: false },
) {
  protected override _sampleN(n: number): tf.Tensor {
    return tf.mul(tf.ones([n, ...this.batchShape]), this.scale);
  }
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.div(x, this.scale));
  }
}

/** A table of bare constraints; a simplex parameter keeps its event axis out of `batchShape`. */
class Weighted extends family(
  'Weighted',
  { rate: constraints.positive, weights: constraints.simplex() },
  { support: constraints.nonNegative, reparameterized: true },
) {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.mul(x, this.rate));
  }
}

/** A derived parameter computed on first read; `computed` counts the computations. */
let computed = 0;
class LogRated extends family(
  'LogRated',
  { logRate: constraints.real },
  {
    support: constraints.nonNegative,
    reparameterized: true,
    derive: (p) => ({ rate: new OnFirstRead(() => (computed++, tf.exp(p.logRate))) }),
  },
) {
  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.sub(this.logRate, tf.mul(x, this.rate));
  }
}

describe('family', () => {
  it('takes a bare constraint for a parameter, with the constraint’s event rank, and names it in errors', () => {
    const params: ParamsOf<typeof Weighted> = { rate: [1, 2], weights: [[0.5, 0.5]] };
    // @ts-expect-error weights is a required parameter
    const missing: ParamsOf<typeof Weighted> = { rate: 1 };
    expect(Object.keys(missing)).toEqual(['rate']);
    const d = new Weighted(params);
    expect(d).toBeInstanceOf(FamilyDistribution);
    expect(d.batchShape).toEqual([2]);
    expect(d.weights.shape).toEqual([1, 2]);
    d.dispose();
    expect(() => new Weighted({ rate: 0, weights: [1] })).toThrow(/Weighted.*rate/s);
    expect(() => new Weighted({ rate: 1, weights: [0.2, 0.2] })).toThrow(/Weighted.*weights/s);
  });

  it('draws with the sampler given as data (the table’s parameters in order), or by the inverse CDF without one', () => {
    tf.tidy(() => {
      const g = new Gamma({ concentration: [0.5, 3], rate: 2 });
      expect(g.sample([4], 11).arraySync()).toEqual(gammaSample(g.concentration, g.rate, [4, 2], 11).arraySync());
      const w = new Weibull({ scale: [1, 2], concentration: 1.5 });
      expect(w.sample([3], 5).arraySync()).toEqual(w.icdf(uniform([3, 2], 5)).arraySync());
      // Neither a sampler nor an inverse CDF: the error names the missing method.
      const none = new Weighted({ rate: 1, weights: [1] });
      expect(() => none.sample(2)).toThrow(/icdf/);
      for (const d of [g, w, none]) d.dispose();
    });
  });

  it('derives a family’s Params type from its table: required, optional and option fields (checked by typecheck)', () => {
    const weibull: WeibullParams = { scale: 1, concentration: 2, validateArgs: false };
    // @ts-expect-error concentration is a required parameter of Weibull
    const missing: WeibullParams = { scale: 1 };
    // @ts-expect-error a name the table does not declare
    const unknown: WeibullParams = { scale: 1, concentration: 2, rate: 3 };
    const poisson: PoissonParams = { logRate: [0, 1] };
    expect([weibull, missing, unknown, poisson].map((p) => Object.keys(p).length)).toEqual([3, 1, 3, 1]);
    const d = new Weibull(weibull);
    expect(d.batchShape).toEqual([]);
    d.dispose();
  });
  it('converts, validates and broadcasts the declared parameters into typed readonly properties', () => {
    const d = new Scaled({ scale: [[1], [2]], shift: [0, 1, 2] });
    expect(d).toBeInstanceOf(Distribution);
    expect(d.batchShape).toEqual([2, 3]);
    expect(d.scale.arraySync()).toEqual([[1], [2]]);
    expect(d.shift?.arraySync()).toEqual([0, 1, 2]);
    expect(d.reparameterized).toBe(false);
    tf.tidy(() => expect(d.support.check(tf.tensor([1.5])).arraySync()).toEqual([[1], [0]]));
    d.dispose();
  });

  it('leaves an optional parameter out and names the family and argument in errors', () => {
    const d = new Scaled({ scale: 1 });
    expect(d.shift).toBeUndefined();
    d.dispose();
    expect(() => new Scaled({ scale: -1 })).toThrow(/Scaled.*scale/s);
    expect(() => new Scaled({ scale: -1, validateArgs: false }).dispose()).not.toThrow();
  });

  it('keeps what its given check returned as the protected given, for the math to branch on', () => {
    class EitherRate extends family(
      'EitherRate',
      { rate: { constraint: constraints.positive, optional: true }, logRate: { constraint: constraints.real, optional: true } },
      {
        support: constraints.nonNegative,
        reparameterized: false,
        given: (params, name) => {
          if ((params.rate === undefined) === (params.logRate === undefined)) throw new Error(`${name}: rate or logRate`);
          return params.rate === undefined ? 'logRate' : 'rate';
        },
      },
    ) {
      get which(): 'rate' | 'logRate' {
        return this.given;
      }
      protected _logProb(x: tf.Tensor): tf.Tensor {
        return this.given === 'rate' ? tf.sub(tf.log(this.rate as tf.Tensor), tf.mul(x, this.rate as tf.Tensor)) : tf.neg(x);
      }
    }
    const [byRate, byLog] = [new EitherRate({ rate: 2 }), new EitherRate({ logRate: 0 })];
    expect([byRate.which, byLog.which]).toEqual(['rate', 'logRate']);
    expect(() => new EitherRate({})).toThrow(/EitherRate: rate or logRate/);
    byRate.dispose();
    byLog.dispose();
    const none = new Scaled({ scale: 1 });
    expect((none as unknown as { given: unknown }).given).toBeUndefined();
    none.dispose();
  });

  it('gives its name to the class that extends it, not to a subclass of that class', () => {
    expect(familyName(Scaled)).toBe('Scaled');
    expect(familyName(Weibull)).toBe('Weibull');
    class MyWeibull extends Weibull {}
    expect(familyName(MyWeibull)).toBe('MyWeibull');
  });

  it('named(Base, name) names the family that extends it, in messages too, even after a minifier renames the class', () => {
    class Stretched extends named(Weibull, 'Stretched') {}
    Object.defineProperty(Stretched, 'name', { value: 't' });
    expect(familyName(Stretched)).toBe('Stretched');
    expect(() => new Stretched({ scale: -1, concentration: 2 })).toThrow(/Stretched.*scale/s);
    const d = new Stretched({ scale: 1, concentration: 2 });
    expect(d).toBeInstanceOf(Weibull);
    expect(d.name).toBe('Stretched');
    d.dispose();
    class MyStretched extends Stretched {}
    expect(familyName(MyStretched)).toBe('MyStretched');
  });

  it('computes a derived OnFirstRead parameter on its first read, keeps it in one slot per scope, and frees it on dispose', async () => {
    computed = 0;
    const before = tf.memory().numTensors;
    const d = new LogRated({ logRate: [0, Math.log(2)] });
    expect([computed, tf.memory().numTensors - before]).toEqual([0, 1]);
    expect(Object.keys(d)).toContain('rate');
    const inScope = tf.tidy(() => Array.from(d.rate.dataSync()));
    expect(inScope[0]).toBe(1);
    expect(inScope[1]).toBeCloseTo(2, 6);
    expect([computed, tf.memory().numTensors - before]).toEqual([1, 1]); // freed with its scope
    const kept = d.rate;
    expect(d.rate).toBe(kept);
    expect(d.rate.isDisposed).toBe(false);
    expect(tf.memory().numTensors - before).toBe(2);
    await expectMemoryNeutral(() => {
      for (let i = 0; i < 5; i++) tf.tidy(() => void tf.sum(d.rate));
      return [d.logProb(1)];
    });
    expect(computed).toBe(2); // once in the scope above, once outside it: the kept one served the rest
    d.dispose();
    expect(kept.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is memory-neutral: the tensors it created are freed by dispose, the caller’s are not', async () => {
    const scale = tf.tensor([1, 2]);
    await expectMemoryNeutral(() => new Scaled({ scale: [1, 2], shift: 0 }).dispose());
    await expectMemoryNeutral(() => new Scaled({ scale }).dispose());
    expect(scale.isDisposed).toBe(false);
    scale.dispose();
  });
});
