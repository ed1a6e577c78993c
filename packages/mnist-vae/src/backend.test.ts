import * as tf from '@tensorflow/tfjs';
import { CLI_BACKENDS, startCliBackend } from './backend.js';

describe('startCliBackend (--backend)', () => {
  let before: string;
  beforeAll(() => {
    before = tf.getBackend();
  });
  afterAll(async () => {
    await tf.setBackend(before);
  });

  it('starts the backend named by the flag and returns its name', async () => {
    expect(await startCliBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await startCliBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('silences the cpu backend advice to install tfjs-node', async () => {
    await startCliBackend('cpu');
    expect((tf.backend() as unknown as { firstUse?: boolean }).firstUse).toBe(false);
  });

  it('rejects a value outside the flag’s list before starting anything, naming the flag and the choices', async () => {
    expect(CLI_BACKENDS).toEqual(['auto', 'wasm', 'cpu', 'tensorflow']);
    await expect(startCliBackend('webgl')).rejects.toThrow('--backend must be auto, wasm, cpu or tensorflow; got webgl');
  });

  it('says how to install the native backend when tensorflow is asked for and absent', async () => {
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    if (!installed)
      await expect(startCliBackend('tensorflow')).rejects.toThrow(
        /--backend tensorflow needs @tensorflow\/tfjs-node.*npm install @tensorflow\/tfjs-node/,
      );
  });
});
