import * as nodeFs from 'node:fs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, loadModel, saveCheckpoint, saveModel } from './checkpoint.js';
import { writeFileAtomic } from './io-handler.js';
import { MnistVae } from './model.js';

/** The bytes of a tensor's values: equal bytes are bit-exact equality (and far quicker for jest than toEqual on 200,000 numbers). */
const bits = (t: tf.Tensor) => Buffer.from(new Float32Array(t.dataSync()).buffer).toString('base64');

const state = { epoch: 2, step: 7, seed: 5, options: { beta: 1 }, dataSource: 'embedded' };

async function trainedPair(): Promise<{ vae: MnistVae; optimizer: tf.Optimizer }> {
  const vae = new MnistVae({ seed: 4, prior: 'learned' });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([8, 784], 0, 1, 'float32', 1), 0.8), 'float32'));
  for (let i = 0; i < 2; i++) {
    const { value, grads } = tf.variableGrads(() => vae.loss(x, { seed: i }).loss, vae.trainableVariables);
    optimizer.applyGradients(vae.trainableVariables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    tf.dispose([value, ...Object.values(grads)]);
  }
  x.dispose();
  return { vae, optimizer };
}

describe('checkpoints', () => {
  it('round-trip weights, Adam moments, state and config bit-exactly', async () => {
    const { vae, optimizer } = await trainedPair();
    const file = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'checkpoint.ckpt');
    await saveCheckpoint(file, vae, optimizer, state);
    const loaded = await loadCheckpoint(file);
    expect(loaded.state).toEqual(state);
    expect(loaded.model.config).toEqual(vae.config);
    const a = vae.namedWeights();
    const b = loaded.model.namedWeights();
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    for (let i = 0; i < a.length; i++) expect(bits(b[i].tensor) === bits(a[i].tensor)).toBe(true);
    const original = await optimizer.getWeights();
    expect(loaded.optimizerWeights.length).toBe(original.length);
    for (let i = 0; i < original.length; i++) expect(bits(loaded.optimizerWeights[i].tensor) === bits(original[i].tensor)).toBe(true);
    expect(loaded.optimizerWeights[0].tensor.dataSync()[0]).toBe(2); // two Adam steps
    tf.dispose(loaded.optimizerWeights.map((w) => w.tensor));
    tf.dispose(original[0].tensor);
    loaded.model.dispose();
    vae.dispose();
    optimizer.dispose();
  });

  it('give a clear error when corrupt or incompatible', async () => {
    const { vae, optimizer } = await trainedPair();
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const file = join(dir, 'checkpoint.ckpt');
    await saveCheckpoint(file, vae, optimizer, state);
    const good = readFileSync(file);
    const broken = join(dir, 'broken.ckpt');
    await expect(loadCheckpoint(join(dir, 'missing.ckpt'))).rejects.toThrow(/missing\.ckpt: not found/);
    writeFileSync(broken, 'hello, world');
    await expect(loadCheckpoint(broken)).rejects.toThrow(/not a mnist-vae checkpoint \(bad magic bytes\)/);
    writeFileSync(broken, good.subarray(0, good.length - 1000));
    await expect(loadCheckpoint(broken)).rejects.toThrow(/truncated or overlong data/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 0xff;
    writeFileSync(broken, flipped);
    await expect(loadCheckpoint(broken)).rejects.toThrow(/checksum mismatch/);
    const headerLength = good.readUInt32LE(8);
    const badJson = Buffer.from(good);
    badJson[12] = 'x'.charCodeAt(0);
    writeFileSync(broken, badJson);
    await expect(loadCheckpoint(broken)).rejects.toThrow(/corrupt header, not valid JSON/);
    // Same bytes, but the header claims a 5-d latent: the shapes no longer fit.
    const header = JSON.parse(good.subarray(12, 12 + headerLength).toString('utf8'));
    header.config.latentDim = 5;
    const text = Buffer.from(JSON.stringify(header));
    const lengthBytes = Buffer.alloc(4);
    lengthBytes.writeUInt32LE(text.length);
    writeFileSync(broken, Buffer.concat([good.subarray(0, 8), lengthBytes, text, good.subarray(12 + headerLength)]));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(broken)).rejects.toThrow(
      /incompatible with its configuration: weights: 'encoder\/3\/kernel' has shape \[32,4\], the model expects \[32,10\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
    optimizer.dispose();
  });

  it('are written atomically: a failed write leaves the last good file and no temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'checkpoint.ckpt');
    writeFileAtomic(file, 'good');
    const spy = jest.spyOn(createRequire(__filename)('node:fs') as typeof nodeFs, 'writeSync').mockImplementation(() => {
      throw new Error('disk full');
    });
    try {
      expect(() => writeFileAtomic(file, 'new contents')).toThrow(/disk full/);
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(file, 'utf8')).toBe('good');
    expect(readdirSync(dir)).toEqual(['checkpoint.ckpt']);
  });
});

describe('saved models', () => {
  it('round-trip through model.json + weights.bin, and report damage', async () => {
    const vae = new MnistVae({ seed: 8, latentDim: 3, posterior: 'power-spherical' });
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    await saveModel(vae, dir, { epochs: 1 });
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(manifest.weightsManifest[0].weights[0]).toEqual({ name: 'encoder/0/kernel', shape: [784, 256], dtype: 'float32' });
    const again = await loadModel(dir);
    expect(again.config).toEqual(vae.config);
    const a = vae.namedWeights();
    again.namedWeights().forEach((w, i) => expect(bits(w.tensor) === bits(a[i].tensor)).toBe(true));
    again.dispose();
    const bin = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, 1000));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin: holds 1000 bytes but model\.json describes \d+/);
    writeFileSync(join(dir, 'model.json'), '{ not json');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    vae.dispose();
  });
});
