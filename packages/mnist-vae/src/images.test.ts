import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import normalDist from '@stdlib/stats-base-dists-normal';
import { imageGridPng, manifoldPng, posteriorManifoldAxes, priorManifoldAxes, reconstructionsPng, samplesPng } from './images.js';
import { MnistVae } from './model.js';

const decode = (png: Buffer) => PNG.sync.read(png);

describe('pictures', () => {
  it('are valid PNGs of the expected sizes', () => {
    const grid = decode(imageGridPng(new Float32Array(6 * 784).fill(1), 2, 3, { gap: 2, scale: 2 }));
    expect([grid.width, grid.height]).toEqual([(3 * 30 + 2) * 2, (2 * 30 + 2) * 2]);
    // Ink (pixel 1) is drawn black on white: the first image's top-left pixel is black, the gap white.
    const at = (x: number, y: number) => grid.data[(y * grid.width + x) * 4];
    expect(at(0, 0)).toBe(255);
    expect(at(4, 4)).toBe(0);
    const vae = new MnistVae({ seed: 1 });
    const manifold = manifoldPng(vae, 20);
    expect([decode(manifold.png).width, decode(manifold.png).height]).toEqual([560, 560]);
    const recon = reconstructionsPng(vae, new Float32Array(20 * 784).fill(0.5), 20, 10);
    expect(recon.rows).toBe(4);
    expect(decode(recon.png).width).toBe((10 * 30 + 2) * 2);
    expect(decode(samplesPng(vae, 10, 10)).height).toBe((10 * 30 + 2) * 2);
    vae.dispose();
    const sphere = new MnistVae({ seed: 1, posterior: 'vmf', latentDim: 3 });
    const s = manifoldPng(sphere, 10);
    expect([s.rows, s.cols, decode(s.png).width, decode(s.png).height]).toEqual([10, 20, 560, 280]);
    expect([s.x[0], s.x[19], s.y[0], s.y[9]]).toEqual([9, 351, 81, -81]);
    sphere.dispose();
  });

  it("lay the manifold over the codes' range or through the prior's quantiles", () => {
    // Codes uniform on [-6, 2] x [-1, 6] (the Fashion-MNIST cloud of the report): the grid follows them.
    const n = 4000;
    const codes = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      codes[2 * i] = -6 + 8 * ((i * 0.618034) % 1);
      codes[2 * i + 1] = -1 + 7 * ((i * 0.414214) % 1);
    }
    const a = posteriorManifoldAxes(codes, 2, 5);
    expect(a.x[0]).toBeCloseTo(-6 + 8 * 0.005, 1);
    expect(a.x[4]).toBeCloseTo(2 - 8 * 0.005, 1);
    expect(a.y[0]).toBeCloseTo(6 - 7 * 0.005, 1); // top row: the largest z2
    expect(a.y[4]).toBeCloseTo(-1 + 7 * 0.005, 1);
    const vae = new MnistVae({ seed: 1 });
    const before = tf.memory().numTensors;
    const p = priorManifoldAxes(vae, 4);
    expect(tf.memory().numTensors).toBe(before);
    // Standard normal prior: the quantiles at 1/8, 3/8, 5/8, 7/8 (Monte Carlo error of 20,000 draws ~0.01).
    [0.125, 0.375, 0.625, 0.875].forEach((u, i) => {
      expect(Math.abs(p.x[i] - normalDist.quantile(u, 0, 1))).toBeLessThan(0.04);
      expect(Math.abs(p.y[i] - normalDist.quantile(1 - u, 0, 1))).toBeLessThan(0.04);
    });
    const m = manifoldPng(vae, 4, p);
    expect([m.rows, m.cols, m.x, m.y]).toEqual([4, 4, p.x, p.y]);
    vae.dispose();
  });
});
