import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { InvalidArgumentError } from '@vae/math';
import { StandardNormalPrior } from '@vae/priors';
import { checkTerms, describeValue } from './model-terms.js';
import type { ModelTerms } from './model-terms.js';

const posterior = () => new Independent({ distribution: new Normal({ loc: tf.zeros([3, 2]), scale: 1 }), reinterpretedBatchNdims: 1 });
const likelihood = (z: tf.Tensor) => new Normal({ loc: z, scale: 1 });

describe('checkTerms', () => {
  it('returns the data as a float32 tensor when every piece fits', () => {
    const x = tf.tidy(() =>
      checkTerms(
        {
          x: [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          posterior: posterior(),
          prior: new StandardNormalPrior({ latentDim: 2 }),
          likelihood,
        },
        'f',
      ),
    );
    expect(x.shape).toEqual([3, 2]);
    expect(x.dtype).toBe('float32');
    x.dispose();
  });

  it('names the piece that is wrong and what it must be', () => {
    const good: ModelTerms = { x: tf.zeros([3, 2]), posterior: posterior(), prior: new StandardNormalPrior({ latentDim: 2 }), likelihood };
    const cases: [Partial<ModelTerms>, RegExp][] = [
      [{ posterior: 'q' as never }, /f: posterior must be a Distribution \(q\(z \| x\)\); got string/],
      [{ prior: {} as never }, /f: prior must be a Prior \(from @vae\/priors\) or a Distribution; got an object/],
      [{ likelihood: 3 as never }, /f: likelihood must be a function from latents z to a Distribution p\(x \| z\); got number/],
      [{ posterior: new Normal({ loc: 0, scale: 1 }) }, /f: posterior must be batched over examples: batch shape \[B\]/],
      [{ x: tf.zeros([4, 2]) }, /f: x must be batched like the posterior: shape \[B, \.\.\.\] with B = 3/],
    ];
    for (const [change, message] of cases) {
      expect(() => checkTerms({ ...good, ...change }, 'f')).toThrow(InvalidArgumentError);
      expect(() => checkTerms({ ...good, ...change }, 'f')).toThrow(message);
    }
    expect(() => checkTerms(null as never, 'f')).toThrow(/f: terms must be an object/);
  });
});

describe('describeValue', () => {
  it('says what kind of value an argument was, without printing it', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(new Normal({ loc: 0, scale: 1 }))).toBe('Normal');
    expect(tf.tidy(() => describeValue(tf.zeros([2, 3])))).toBe('a tensor of shape [2,3]');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
