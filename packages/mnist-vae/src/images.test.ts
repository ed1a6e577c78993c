import { PNG } from 'pngjs';
import { imageGridPng, manifoldPng, reconstructionsPng, samplesPng } from './images.js';
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
    sphere.dispose();
  });
});
