import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { normalSample } from './index.js';
import { validates } from './sampler-options.js';

describe('SamplerOptions', () => {
  it('validates unless validateArgs is exactly false', () => {
    expect(validates({})).toBe(true);
    expect(validates({ validateArgs: true })).toBe(true);
    expect(validates({ validateArgs: undefined })).toBe(true);
    expect(validates({ validateArgs: false })).toBe(false);
  });

  it('decides whether a sampler checks its parameters', () => {
    expect(() => normalSample(0, -1, [2], 1)).toThrow(InvalidArgumentError);
    const unchecked = normalSample(0, -1, [2], 1, { validateArgs: false });
    expect(unchecked.shape).toEqual([2]);
    tf.dispose(unchecked);
  });
});
