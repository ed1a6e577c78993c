import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * Writes `data` to `file` atomically: a temporary file in the same directory is written, flushed
 * to disk (fsync) and renamed over the target, so a crash mid-write leaves the previous file
 * intact.
 *
 * @param file - the target path
 * @param data - the bytes or text to write
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(tmp, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  try {
    // Persist the rename itself (best effort: not every platform lets a directory be fsynced).
    const dirFd = openSync(dirname(file), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    /* ignore */
  }
}

function toUint8(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) return new Uint8Array(tf.io.concatenateArrayBuffers(data));
  return new Uint8Array(data);
}

/**
 * A `tf.io.IOHandler` that saves and loads `model.json` + `weights.bin` in a directory with
 * node:fs (tfjs's own `file://` handler needs tfjs-node, which is not always installable).
 *
 * @remarks
 * `model.json` follows the tfjs layout (`modelTopology`, `format`, `weightsManifest` with one
 * group whose path is `weights.bin`, `userDefinedMetadata`); both files are written atomically
 * (temporary file, fsync, rename), weights first. `load()` checks that `weights.bin` holds exactly
 * the bytes the manifest describes and names the file and the problem otherwise.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { FileIOHandler } from '@vae/mnist-vae';
 * const dir = mkdtempSync(join(tmpdir(), 'vae-'));
 * const w = tf.tensor([1, 2, 3]);
 * const { data, specs } = await tf.io.encodeWeights({ w });
 * w.dispose();
 * await new FileIOHandler(dir).save({ modelTopology: { kind: 'demo' }, weightSpecs: specs, weightData: data });
 * const loaded = await new FileIOHandler(dir).load();
 * console.log(loaded.weightSpecs?.[0].name, loaded.weightSpecs?.[0].shape); // w [3]
 * ```
 */
export class FileIOHandler implements tf.io.IOHandler {
  /** The directory holding `model.json` and `weights.bin`. */
  readonly dir: string;

  /** @param dir - the directory (created on save) */
  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Saves the artifacts.
   * @param artifacts - topology, weight specs and data, metadata
   * @returns the save result (JSON and weights byte counts)
   */
  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const weights = toUint8(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
    const manifest = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      userDefinedMetadata: artifacts.userDefinedMetadata,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    const json = JSON.stringify(manifest, null, 1);
    writeFileAtomic(join(this.dir, 'weights.bin'), weights);
    writeFileAtomic(join(this.dir, 'model.json'), json);
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
        weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
        weightDataBytes: weights.length,
      },
    };
  }

  /**
   * Loads the artifacts.
   * @returns topology, weight specs, weight data and metadata
   */
  async load(): Promise<tf.io.ModelArtifacts> {
    const jsonFile = join(this.dir, 'model.json');
    const binFile = join(this.dir, 'weights.bin');
    if (!existsSync(jsonFile)) throw new Error(`${jsonFile}: not found (is ${this.dir} a model directory written by 'vae train'?)`);
    let manifest: {
      modelTopology?: unknown;
      format?: string;
      generatedBy?: string;
      convertedBy?: string | null;
      userDefinedMetadata?: Record<string, unknown>;
      weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    try {
      manifest = JSON.parse(readFileSync(jsonFile, 'utf8'));
    } catch (e) {
      throw new Error(`${jsonFile}: not valid JSON (${(e as Error).message})`);
    }
    const groups = manifest.weightsManifest;
    if (!Array.isArray(groups) || groups.length !== 1 || !Array.isArray(groups[0].weights)) {
      throw new Error(`${jsonFile}: weightsManifest must hold exactly one group of weights`);
    }
    const weightSpecs = groups[0].weights;
    if (!existsSync(binFile)) throw new Error(`${binFile}: not found`);
    const bytes = readFileSync(binFile);
    const expected = weightSpecs.reduce(
      (n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'float32' || s.dtype === 'int32' ? 4 : 1),
      0,
    );
    if (bytes.length !== expected) {
      throw new Error(`${binFile}: holds ${bytes.length} bytes but model.json describes ${expected} (truncated or mismatched weights)`);
    }
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    return {
      modelTopology: manifest.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      format: manifest.format,
      generatedBy: manifest.generatedBy,
      convertedBy: manifest.convertedBy ?? undefined,
      userDefinedMetadata: manifest.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
      weightSpecs,
      weightData,
    };
  }
}
