import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend.js';

const nativeInstalled = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('selectBackend (the --backend flag)', () => {
  let start: string;
  beforeAll(() => {
    start = tf.getBackend();
  });
  afterAll(async () => {
    await tf.setBackend(start);
  });

  it('activates the backend asked for and returns its name', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('silences the cpu backend advice to install tfjs-node', async () => {
    await selectBackend('cpu');
    expect((tf.backend() as unknown as { firstUse?: boolean }).firstUse).toBe(false);
  });

  it('rejects an unknown choice, naming the flag and the choices', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toThrow('--backend must be auto, wasm, cpu or tensorflow; got gpu');
  });

  (nativeInstalled ? it.skip : it)('says how to install tfjs-node when --backend tensorflow cannot start', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/--backend tensorflow needs @tensorflow\/tfjs-node .*use --backend wasm or cpu/);
  });
});
