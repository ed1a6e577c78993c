import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileIOHandler, writeFileAtomic } from './io-handler.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vae-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the bytes (or text), creating the directory, and leaves no temporary file', () => {
    const file = join(dir, 'nested', 'out.bin');
    writeFileAtomic(file, new Uint8Array([1, 2, 3, 255]));
    expect(Array.from(readFileSync(file))).toEqual([1, 2, 3, 255]);
    writeFileAtomic(file, 'héllo');
    expect(readFileSync(file, 'utf8')).toBe('héllo');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['out.bin']);
  });
});

describe('FileIOHandler', () => {
  async function saveModel(handler: FileIOHandler) {
    const w = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tf.tensor1d([-0.5, 0.25]);
    const { data, specs } = await tf.io.encodeWeights({ w, b });
    tf.dispose([w, b]);
    return handler.save({ modelTopology: { kind: 'test' }, weightSpecs: specs, weightData: data, userDefinedMetadata: { epoch: 3 } });
  }

  it('round-trips topology, weights and metadata through model.json and weights.bin', async () => {
    const result = await saveModel(new FileIOHandler(dir));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(24);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await new FileIOHandler(dir).load();
    expect(loaded.modelTopology).toEqual({ kind: 'test' });
    expect(loaded.userDefinedMetadata).toEqual({ epoch: 3 });
    const tensors = tf.io.decodeWeights(loaded.weightData!, loaded.weightSpecs!);
    expect(tensors.w.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensors.b.arraySync()).toEqual([-0.5, 0.25]);
    tf.dispose(Object.values(tensors));
  });

  it('names the missing or broken file when loading fails', async () => {
    await expect(new FileIOHandler(join(dir, 'absent')).load()).rejects.toThrow(/model\.json: not found \(is .*absent a model directory/);
    await saveModel(new FileIOHandler(dir));
    truncateSync(join(dir, 'weights.bin'), 10);
    await expect(new FileIOHandler(dir).load()).rejects.toThrow(/weights\.bin: holds 10 bytes but model\.json describes 24/);
    rmSync(join(dir, 'weights.bin'));
    await expect(new FileIOHandler(dir).load()).rejects.toThrow(/weights\.bin: not found/);
    writeFileSync(join(dir, 'model.json'), '{ not json');
    await expect(new FileIOHandler(dir).load()).rejects.toThrow(/model\.json: not valid JSON/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
    await expect(new FileIOHandler(dir).load()).rejects.toThrow(/weightsManifest must hold exactly one group/);
  });
});
