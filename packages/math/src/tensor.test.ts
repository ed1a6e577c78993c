import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { broadcastShapes, InvalidArgumentError, stopGradient, toFloat32, withoutGradient } from './index.js';
import { publicUnaryOp } from './tensor.js';

describe('broadcastShapes', () => {
  it.each([
    [
      [[2, 1], [3]],
      [2, 3],
    ],
    [[[], [4]], [4]],
    [
      [
        [5, 1, 3],
        [4, 1],
      ],
      [5, 4, 3],
    ],
  ])('%j -> %j', (shapes, expected) => {
    expect(broadcastShapes(shapes as number[][])).toEqual(expected);
  });
  it('names both arguments when shapes do not broadcast', () => {
    expect(() => broadcastShapes([[2], [3]], ['loc', 'scale'], 'Normal')).toThrow(
      /Normal: loc and scale must be broadcast-compatible; shapes \[2\] and \[3\]/,
    );
  });
});

describe('toFloat32', () => {
  it('casts int tensors and converts arrays', () => {
    const out = toFloat32(tf.tensor([1, 2], undefined, 'int32'), 'x');
    expect(out.dtype).toBe('float32');
    expectClose(out, [1, 2]);
    expect(() => toFloat32('a' as unknown as number, 'x', 'f')).toThrow(InvalidArgumentError);
  });
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', async () => {
    const g = tf.grad((x: tf.Tensor) => tf.add(tf.square(x), stopGradient(tf.square(x))))(tf.scalar(3));
    expectClose(g, 6);
    const x = tf.scalar(1);
    await expectMemoryNeutral(() => tf.grad((v: tf.Tensor) => stopGradient(v))(x));
    x.dispose();
  });
});

describe('withoutGradient', () => {
  it('masks without breaking the gradient', () => {
    const g = tf.grad((x: tf.Tensor) => {
      const positive = withoutGradient((t) => tf.greater(t, 0), x);
      return tf.sum(tf.where(positive, tf.square(x), tf.zerosLike(x)));
    })(tf.tensor([3, -2]));
    expectClose(g, [6, 0]);
  });

  // By the time a gradient runs, the forward pass has disposed its intermediates. The cpu kernels
  // of ZerosLike & co. read only the shape of such a tensor, so this wraps every kernel the
  // gradient could call with a check that its inputs still hold data: on TensorFlow the read fails.
  it('its gradient reads no forward input that the forward pass disposed', () => {
    const backendName = tf.getBackend();
    const backend = tf.backend() as unknown as { data?: { has(id: object): boolean } };
    // Backends without a JS data store (tensorflow) are not wrapped: there the kernels fail themselves.
    const wrapped = backend.data === undefined ? [] : ['ZerosLike', 'OnesLike', 'Fill', 'Identity'];
    const originals = wrapped.map((name) => tf.getKernel(name, backendName));
    const readDisposed: string[] = [];
    try {
      for (const kernel of originals) {
        if (kernel === undefined) continue;
        tf.unregisterKernel(kernel.kernelName, backendName);
        tf.registerKernel({
          ...kernel,
          kernelFunc: (args) => {
            for (const input of Object.values(args.inputs)) {
              if (input !== undefined && !backend.data!.has(input.dataId)) readDisposed.push(kernel.kernelName);
            }
            return kernel.kernelFunc(args);
          },
        });
      }
      const g = tf.grad((x: tf.Tensor) => {
        const intermediate = tf.mul(x, 2); // disposed after the forward pass
        const mask = withoutGradient((t) => tf.greater(t, 0), intermediate);
        return tf.sum(tf.where(mask, tf.square(x), tf.zerosLike(x)));
      })(tf.tensor([3, -2]));
      expectClose(g, [6, 0]);
    } finally {
      for (const kernel of originals) {
        if (kernel === undefined) continue;
        tf.unregisterKernel(kernel.kernelName, backendName);
        tf.registerKernel(kernel);
      }
    }
    expect(readDisposed).toEqual([]);
  });

  it('is memory-neutral, gradient included', async () => {
    const x = tf.tensor([3, -2]);
    await expectMemoryNeutral(() =>
      tf.grad((v: tf.Tensor) =>
        tf.sum(
          tf.where(
            withoutGradient((t) => tf.greater(t, 0), tf.mul(v, 2)),
            v,
            tf.zerosLike(v),
          ),
        ),
      )(x),
    );
  });
});

describe('publicUnaryOp', () => {
  const square = publicUnaryOp('square', (x) => tf.mul(x, x));

  it('converts the input to float32, applies the op and names itself in messages', () => {
    const y = square(tf.tensor([1, -3], undefined, 'int32'));
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([1, 9]);
    y.dispose();
    expect(() => square('a' as unknown as number)).toThrow(/square/);
  });

  it('is memory-neutral', async () => {
    await expectMemoryNeutral(() => square([1, 2]), 'publicUnaryOp');
  });
});
