import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { FileIOHandler, writeFileAtomic } from './io-handler.js';
import { MnistVae, resolveVaeConfig } from './model.js';
import type { VaeConfig } from './model.js';

const MAGIC = 'VAECKPT1';
const FORMAT_VERSION = 1;

/** A tensor with a name, as optimizers' `getWeights()` return them. */
export interface NamedTensor {
  /** The name. */
  name: string;
  /** The value. */
  tensor: tf.Tensor;
}

/** A named float32 tensor as stored in a checkpoint. */
interface StoredTensor {
  name: string;
  shape: number[];
}

/** Where training stands: enough, with the weights and optimizer, to resume exactly. */
export interface TrainingState {
  /** Completed epochs. */
  epoch: number;
  /** Completed optimizer steps. */
  step: number;
  /**
   * The run's seed. Every random draw of the trainer is a pure function of (seed, epoch, step),
   * so this and the two counters are the random generator's whole state.
   */
  seed: number;
  /** The training options (JSON), checked against a resumed run's. */
  options: Record<string, unknown>;
  /** Where the data came from. */
  dataSource: string;
}

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  /** The model, with the saved weights. */
  model: MnistVae;
  /** The Adam state in `optimizer.getWeights()` order (`iter`, then first and second moments). */
  optimizerWeights: NamedTensor[];
  /** The training state. */
  state: TrainingState;
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Writes a training checkpoint atomically: weights, Adam moments, epoch and step, seed and
 * configuration in one file.
 *
 * @remarks
 * Layout: the 8 bytes `VAECKPT1`, a little-endian uint32 header length, a JSON header (format
 * version, model config, training state, tensor names and shapes, byte count and an FNV-1a
 * checksum of the data), then the float32 data. The file is written to a temporary name in the
 * same directory, fsynced and renamed, so a crash mid-write never destroys the last good
 * checkpoint.
 *
 * @param file - the checkpoint path
 * @param model - the model
 * @param optimizer - the optimizer (its `getWeights()` are stored)
 * @param state - epoch, step, seed, options and data source
 * @returns a promise that resolves once the file is in place
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { MnistVae, loadCheckpoint, saveCheckpoint } from '@vae/mnist-vae';
 * const file = join(mkdtempSync(join(tmpdir(), 'vae-')), 'checkpoint.ckpt');
 * const vae = new MnistVae({ seed: 1 });
 * const optimizer = tf.train.adam(3e-4);
 * await saveCheckpoint(file, vae, optimizer, { epoch: 0, step: 0, seed: 1, options: {}, dataSource: 'embedded' });
 * const restored = await loadCheckpoint(file);
 * console.log(restored.state.epoch, restored.model.config.latentDim); // 0 2
 * restored.model.dispose();
 * tf.dispose(restored.optimizerWeights.map((w) => w.tensor));
 * vae.dispose();
 * optimizer.dispose();
 * ```
 */
export async function saveCheckpoint(file: string, model: MnistVae, optimizer: tf.Optimizer, state: TrainingState): Promise<void> {
  const weights = model.namedWeights();
  const optWeights = await optimizer.getWeights();
  const prefixLength = (name: string) => name.indexOf('/') + 1;
  const stored: { name: string; tensor: tf.Tensor }[] = [
    ...weights.map((w) => ({ name: `weights/${w.name}`, tensor: w.tensor as tf.Tensor })),
    // Adam names its moments after the variables' engine-wide names; store them without the instance prefix.
    ...optWeights.map((w, i) => ({ name: `optimizer/${i === 0 ? w.name : w.name.slice(prefixLength(w.name))}`, tensor: w.tensor })),
  ];
  const arrays = await Promise.all(
    stored.map(async (s) =>
      s.tensor.dtype === 'float32' ? (s.tensor.data() as Promise<Float32Array>) : Float32Array.from(await s.tensor.data()),
    ),
  );
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    data.set(a, offset);
    offset += a.length;
  }
  const dataBytes = new Uint8Array(data.buffer);
  const header = JSON.stringify({
    format: 'mnist-vae-checkpoint',
    version: FORMAT_VERSION,
    config: model.config,
    state,
    tensors: stored.map((s): StoredTensor => ({ name: s.name, shape: s.tensor.shape })),
    optimizerClass: optimizer.getClassName(),
    dataBytes: dataBytes.length,
    checksum: fnv1a(dataBytes),
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const out = new Uint8Array(12 + headerBytes.length + dataBytes.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(dataBytes, 12 + headerBytes.length);
  tf.dispose(optWeights.filter((w) => w.name === 'iter').map((w) => w.tensor));
  writeFileAtomic(file, out);
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}: rebuilds the model from the stored
 * configuration, restores its weights and returns the optimizer state to pass to
 * `optimizer.setWeights`.
 *
 * @remarks
 * A missing file, bad magic, unreadable header, unknown version, truncated or corrupted data
 * (length and checksum), or tensors whose names or shapes do not fit the configuration each get an
 * error naming the file and the problem; nothing is half-restored.
 *
 * @param file - the checkpoint path
 * @returns the model, the optimizer weights and the training state
 *
 * @example
 * ```ts
 * import { loadCheckpoint } from '@vae/mnist-vae';
 * await loadCheckpoint('/nonexistent.ckpt').catch((e) => console.log(e.message)); // '...not found...'
 * ```
 */
interface CheckpointHeader {
  version?: number;
  config?: Partial<VaeConfig>;
  state?: TrainingState;
  tensors?: StoredTensor[];
  dataBytes?: number;
  checksum?: number;
}

function readHeader(
  file: string,
  bytes: Uint8Array,
): {
  header: CheckpointHeader & { config: Partial<VaeConfig>; state: TrainingState; tensors: StoredTensor[]; dataBytes: number };
  headerLength: number;
} {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) {
    throw new Error(`checkpoint ${file}: not a mnist-vae checkpoint (bad magic bytes)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length)
    throw new Error(`checkpoint ${file}: truncated header (${bytes.length} bytes, header needs ${12 + headerLength})`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLength)).toString('utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${file}: corrupt header, not valid JSON (${(e as Error).message})`);
  }
  if (header.version !== FORMAT_VERSION)
    throw new Error(`checkpoint ${file}: format version ${header.version} is not supported (expected ${FORMAT_VERSION})`);
  if (!header.config || !header.state || !Array.isArray(header.tensors) || typeof header.dataBytes !== 'number') {
    throw new Error(`checkpoint ${file}: header lacks config, state, tensors or dataBytes`);
  }
  return { header: header as never, headerLength };
}

/**
 * Reads only the header of a checkpoint: the model's configuration and the training state,
 * without building the model (so a command can check its options before any work starts).
 *
 * @param file - the checkpoint path
 * @returns the full model configuration and the training state
 */
export function readCheckpointHeader(file: string): { config: VaeConfig; state: TrainingState } {
  if (!existsSync(file)) throw new Error(`checkpoint ${file}: not found`);
  const { header } = readHeader(file, new Uint8Array(readFileSync(file)));
  return { config: resolveVaeConfig(header.config), state: header.state };
}

export async function loadCheckpoint(file: string): Promise<LoadedCheckpoint> {
  if (!existsSync(file)) throw new Error(`checkpoint ${file}: not found`);
  const bytes = new Uint8Array(readFileSync(file));
  const { header, headerLength } = readHeader(file, bytes);
  const data = bytes.slice(12 + headerLength);
  if (data.length !== header.dataBytes) {
    throw new Error(`checkpoint ${file}: truncated or overlong data (${data.length} bytes, header says ${header.dataBytes})`);
  }
  if (fnv1a(data) !== header.checksum) throw new Error(`checkpoint ${file}: data checksum mismatch (the file is corrupted)`);
  const floats = new Float32Array(data.buffer, data.byteOffset, data.length / 4);
  let offset = 0;
  const weights: Record<string, tf.Tensor> = {};
  const optimizerWeights: NamedTensor[] = [];
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (offset + size > floats.length) throw new Error(`checkpoint ${file}: tensor '${t.name}' runs past the end of the data`);
    const values = floats.slice(offset, offset + size);
    offset += size;
    if (t.name.startsWith('weights/')) weights[t.name.slice(8)] = tf.tensor(values, t.shape);
    else optimizerWeights.push({ name: t.name.slice('optimizer/'.length), tensor: tf.tensor(values, t.shape) });
  }
  let model: MnistVae | undefined;
  try {
    model = new MnistVae(resolveVaeConfig(header.config));
    model.assignWeights(weights);
    const vars = model.trainableVariables;
    if (optimizerWeights.length > 1 && optimizerWeights.length !== 1 + 2 * vars.length) {
      throw new Error(`the optimizer state holds ${optimizerWeights.length} tensors, expected ${1 + 2 * vars.length}`);
    }
    optimizerWeights.slice(1).forEach((w, i) => {
      const v = vars[i % vars.length];
      if (w.tensor.shape.join() !== v.shape.join())
        throw new Error(`optimizer moment '${w.name}' has shape [${w.tensor.shape}], expected [${v.shape}]`);
    });
  } catch (e) {
    model?.dispose();
    tf.dispose(optimizerWeights.map((w) => w.tensor));
    throw new Error(`checkpoint ${file}: incompatible with its configuration: ${(e as Error).message}`);
  } finally {
    tf.dispose(Object.values(weights));
  }
  return { model, optimizerWeights, state: header.state };
}

/**
 * Saves a trained model as `model.json` + `weights.bin` through {@link FileIOHandler}.
 *
 * @remarks
 * The configuration goes in `modelTopology` (`{ "mnistVae": config }`) and the weights under
 * their logical names (`encoder/0/kernel`, ...), so the files are plain named tensors any tfjs
 * program can read with `tf.io.decodeWeights`.
 *
 * @param model - the model
 * @param dir - the directory
 * @param metadata - extra JSON for `userDefinedMetadata` (e.g. epochs trained)
 * @returns a promise that resolves once both files are written
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { MnistVae, loadModel, saveModel } from '@vae/mnist-vae';
 * const dir = mkdtempSync(join(tmpdir(), 'vae-'));
 * const vae = new MnistVae({ seed: 3 });
 * await saveModel(vae, dir);
 * const again = await loadModel(dir);
 * console.log(again.config.seed); // 3
 * again.dispose();
 * vae.dispose();
 * ```
 */
export async function saveModel(model: MnistVae, dir: string, metadata: Record<string, unknown> = {}): Promise<void> {
  const map: tf.NamedTensorMap = {};
  for (const w of model.namedWeights()) map[w.name] = w.tensor;
  const { data, specs } = await tf.io.encodeWeights(map);
  await new FileIOHandler(dir).save({
    modelTopology: { mnistVae: model.config } as unknown as tf.io.ModelArtifacts['modelTopology'],
    format: 'mnist-vae',
    generatedBy: '@vae/mnist-vae',
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: metadata as tf.io.ModelArtifacts['userDefinedMetadata'],
  });
}

/**
 * Loads a model saved by {@link saveModel} (or written at the end of `vae train`).
 *
 * @param dir - the directory holding `model.json` and `weights.bin`
 * @returns the model with its weights
 *
 * @example
 * ```ts
 * import { loadModel } from '@vae/mnist-vae';
 * await loadModel('/nonexistent').catch((e) => console.log(e.message)); // '.../model.json: not found...'
 * ```
 */
export async function loadModel(dir: string): Promise<MnistVae> {
  const artifacts = await new FileIOHandler(dir).load();
  const topology = artifacts.modelTopology as { mnistVae?: Partial<VaeConfig> } | undefined;
  if (artifacts.format !== 'mnist-vae' || !topology?.mnistVae)
    throw new Error(`${dir}/model.json: not a mnist-vae model (format ${artifacts.format})`);
  const weights = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
  const model = new MnistVae(resolveVaeConfig(topology.mnistVae));
  try {
    model.assignWeights(weights);
  } catch (e) {
    model.dispose();
    throw new Error(`${dir}/model.json: ${(e as Error).message}`);
  } finally {
    tf.dispose(Object.values(weights));
  }
  return model;
}
