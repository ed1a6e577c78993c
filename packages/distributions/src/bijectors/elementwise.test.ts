import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { expectClose } from '@vae/testing';
import { Exp, Power, Sigmoid, Softplus, Tanh } from '../index.js';
import { bijectorBattery, bijectorFixture } from '../../test/bijector-battery.js';

describe('elementwise bijectors', () => {
  const middle = [
    [-3, -1, -0.25],
    [0, 0.5, 2],
  ];
  bijectorBattery('Exp', () => new Exp(), { xs: middle });
  bijectorBattery('Softplus', () => new Softplus(), { xs: middle });
  bijectorBattery('Sigmoid', () => new Sigmoid(), { xs: middle });
  bijectorBattery('Tanh', () => new Tanh(), { xs: middle });
  bijectorBattery('Power', () => new Power({ power: 2.5 }), { xs: [0.01, 0.5, 1, 3] });
  bijectorBattery('Power with a negative exponent', () => new Power({ power: -0.5 }), {
    xs: [0.01, 0.5, 1, 3],
    fixture: bijectorFixture('PowerNegative'),
  });

  it('keeps the stable log-Jacobians exact where the naive formulas round to 0 or overflow', () => {
    tf.tidy(() => {
      // log(sigmoid'(x)) = log(s (1 - s)) is log 0 at x = 80 in float32; the softplus form is -80.
      expectClose(new Sigmoid().forwardLogDetJacobian([-80, 80]), [-80, -80], { rtol: 1e-7 });
      // log(1 - tanh(x)^2) at x = 20 is log 0 in float32; the true value is 2 log 2 - 40.
      expectClose(new Tanh().forwardLogDetJacobian([20, -20]), [2 * Math.log(2) - 40, 2 * Math.log(2) - 40], { rtol: 1e-6 });
      // Softplus's inverse log-Jacobian near 0 is -log y, and exp(-y) for large y (not 0).
      expectClose(new Softplus().inverseLogDetJacobian([1e-30, 80]), [69.07755, Math.exp(-80)], { rtol: 1e-6 });
    });
  });

  it('rejects values outside the codomain and bad parameters, naming them', () => {
    expect(() => new Exp().inverse([1, 0])).toThrow(/Exp: y must be in the codomain: positive/);
    expect(() => new Sigmoid().inverse([1.5])).toThrow(/Sigmoid: y must be in the codomain: in \[0, 1\]/);
    expect(() => new Tanh().inverseLogDetJacobian([-2])).toThrow(/Tanh: y must be in the codomain: in \[-1, 1\]/);
    expect(() => new Power({ power: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Power({ power: [1, 0] })).toThrow(/Power: power must be non-zero and finite/);
    expect(() => new Power({ power: 2 }).forward([-1])).toThrow(/Power: x must be in the domain: positive/);
  });

  it('names the bijector that extends the elementwise base, and a subclass of it by its own name', () => {
    class LogNormalMap extends Exp {}
    expect([new Exp().name, new Softplus().name, new LogNormalMap().name]).toEqual(['Exp', 'Softplus', 'LogNormalMap']);
    expect(new Tanh({ validateArgs: false }).validateArgs).toBe(false);
    expect([new Exp().forwardMinEventNdims, new Exp().isConstantJacobian]).toEqual([0, false]);
  });
});
