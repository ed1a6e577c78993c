import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { Bijector, constraints } from '../index.js';

/** y = 2x + 1 on positive x, defining only the forward log-Jacobian: the inverse one must default from it. */
class TwiceOnPositive extends Bijector {
  constructor() {
    super({ forwardMinEventNdims: 0, domain: constraints.positive });
  }
  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(x, 2), 1);
  }
  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.div(tf.sub(y, 1), 2);
  }
  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    return tf.fill(x.shape, Math.log(2));
  }
}

/** Defines neither log-Jacobian hook. */
class NoJacobian extends Bijector {
  constructor() {
    super({ forwardMinEventNdims: 1 });
  }
  protected _forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
  protected _inverse(y: tf.Tensor): tf.Tensor {
    return y;
  }
}

describe('Bijector base class', () => {
  it('defaults the inverse log-Jacobian from the forward one and sums extra event axes', () => {
    const b = new TwiceOnPositive();
    const y = [
      [3, 5, 7],
      [9, 11, 13],
    ];
    expectClose(b.inverse(y), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectClose(b.inverseLogDetJacobian(y), tf.fill([2, 3], -Math.log(2)));
    expectClose(b.inverseLogDetJacobian(y, 1), [-3 * Math.log(2), -3 * Math.log(2)], { rtol: 1e-6 });
    expectClose(b.forwardLogDetJacobian([[1, 2]], 2), [2 * Math.log(2)], { rtol: 1e-6 });
    expect(b.forwardEventShape([4])).toEqual([4]);
    expect(b.trainableVariables()).toEqual([]);
  });

  it('names the argument and the constraint for bad input', () => {
    const b = new TwiceOnPositive();
    expect(() => b.forward([1, -1])).toThrow(InvalidArgumentError);
    expect(() => b.forward([1, -1])).toThrow(/TwiceOnPositive: x must be in the domain: positive/);
    expect(() => b.forwardLogDetJacobian([1, 2], 2)).toThrow(/eventNdims must be an integer in \[0, 1\]/);
    expect(() => new NoJacobian().forward(3)).toThrow(/x must be at least 1-dimensional/);
    expect(() => new NoJacobian().forwardLogDetJacobian([3])).toThrow(/NoJacobian does not define forwardLogDetJacobian/);
  });

  it('hands every input to _checkInput, named as the public call names it, before the domain check and the hooks', () => {
    const seen: string[] = [];
    class Recording extends TwiceOnPositive {
      protected override _checkInput(t: tf.Tensor, argument: 'x' | 'y'): void {
        seen.push(`${argument}[${t.shape}]`);
        if (t.rank > 1) throw new InvalidArgumentError(argument, 'of rank <= 1', `got shape [${t.shape}]`, this.name);
      }
    }
    const b = new Recording();
    tf.tidy(() => {
      b.forward([1]);
      b.inverse([3, 5]);
      b.forwardLogDetJacobian(1);
      b.inverseLogDetJacobian([3]);
      b.forwardAndLogDetJacobian([1, 2]);
    });
    expect(seen).toEqual(['x[1]', 'y[2]', 'x[]', 'y[1]', 'x[2]']);
    // Before the domain check: the shape error wins over the negative entry.
    expect(() => b.forward([[-1]])).toThrow(/x must be of rank <= 1/);
  });

  it('is memory-neutral', async () => {
    const b = new TwiceOnPositive();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expectMemoryNeutral(() => b.forward(x), 'forward');
    await expectMemoryNeutral(() => b.inverseLogDetJacobian(x, 1), 'inverseLogDetJacobian');
    await expectMemoryNeutral(() => b.forwardLogDetJacobian([1, 2]), 'forwardLogDetJacobian from an array');
    x.dispose();
  });
});
