import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import { Affine, Chain, Exp, Identity, Invert, Reshape, Scale, Shift, Sigmoid, SoftmaxCentered, Softplus } from '../index.js';
import { bijectorBattery, bijectorFixture, invertedFixture } from '../../test/bijector-battery.js';

describe('Chain and Invert', () => {
  // y = 1 - 2 softplus(x): applied right to left.
  bijectorBattery('Chain of Shift, Scale, Softplus', () => new Chain([new Shift({ shift: 1 }), new Scale({ scale: -2 }), new Softplus()]), {
    xs: [-3, -0.5, 0, 2],
    fixture: bijectorFixture('Chain'),
    rtol: 1e-5,
  });
  bijectorBattery('Invert(Sigmoid) (the logit)', () => new Invert(new Sigmoid()), {
    xs: [0.05, 0.3, 0.5, 0.9],
    fixture: invertedFixture(bijectorFixture('Sigmoid')),
    rtol: 1e-5,
  });
  // Event ranks change along the chain: Exp acts on scalars, Affine on vectors, Reshape on [3] -> [3, 1].
  const L = [
    [1.5, 0, 0],
    [0.5, -2, 0],
    [1, 1, 0.25],
  ];
  bijectorBattery(
    'Chain with Reshape, Affine and Exp (event-rank bookkeeping)',
    () => new Chain([new Reshape({ eventShapeIn: [3], eventShapeOut: [3, 1] }), new Affine({ scaleTril: L }), new Exp()]),
    {
      xs: [
        [0.5, -1, 2],
        [0, 0.25, -0.5],
      ],
      fixture: null,
      extremeXs: [[-80, 0, 80]],
      extremeYs: [[[1], [-3], [1e10]]],
    },
  );

  it('tracks event ranks and shapes through the chain', () => {
    const chain = new Chain([
      new Reshape({ eventShapeIn: [3], eventShapeOut: [3, 1] }),
      new Affine({
        scaleTril: [
          [2, 0, 0],
          [0, 2, 0],
          [0, 0, 2],
        ],
      }),
      new Exp(),
    ]);
    expect([chain.forwardMinEventNdims, chain.inverseMinEventNdims]).toEqual([1, 2]);
    expect(chain.forwardEventShape([3])).toEqual([3, 1]);
    expect(chain.inverseEventShape([3, 1])).toEqual([3]);
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0, 1, 2],
        [-1, 0, 1],
      ]);
      // sum(x) from Exp (over the chain's vector event) + 3 log 2 from Affine.
      expectClose(chain.forwardLogDetJacobian(x), [3 + 3 * Math.log(2), 3 * Math.log(2)], { rtol: 1e-6 });
      expectClose(chain.forwardLogDetJacobian(x, 2), 3 + 6 * Math.log(2), { rtol: 1e-6 });
      expectClose(chain.inverseLogDetJacobian(chain.forward(x)), [-3 - 3 * Math.log(2), -3 * Math.log(2)], { rtol: 1e-6 });
    });
    const simplex = new Chain([new SoftmaxCentered(), new Identity()]);
    expect([simplex.forwardMinEventNdims, simplex.forwardEventShape([4])]).toEqual([1, [5]]);
    expect(new Invert(new SoftmaxCentered()).inverseEventShape([2])).toEqual([3]);
    expect(new Chain([]).forward([1, 2]).arraySync()).toEqual([1, 2]);
  });

  it('rejects parts that are not bijectors, naming them', () => {
    expect(() => new Chain([new Exp(), 3 as never])).toThrow(/Chain: bijectors\[1\] must be a Bijector/);
    expect(() => new Invert({} as never)).toThrow(/Invert: bijector must be a Bijector/);
  });
});
