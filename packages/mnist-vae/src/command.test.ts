import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { runCli } from './command.js';

const quiet = () => {
  const lines: string[] = [];
  return { lines, io: { log: (s: string) => lines.push(s), progress: null } };
};

function nativeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

let previous: string;
beforeAll(() => {
  previous = tf.getBackend();
});
afterAll(async () => {
  await tf.setBackend(previous);
});

describe('the vae command', () => {
  it('prints help for every command', async () => {
    for (const command of ['train', 'eval', 'sample', 'plot', 'demo']) {
      const { lines, io } = quiet();
      expect(await runCli([command, '--help'], io)).toBe(0);
      expect(lines[0]).toMatch(new RegExp(`^Usage: vae ${command} \\[options\\]`));
    }
    const { lines, io } = quiet();
    await runCli([], io);
    expect(lines[0]).toMatch(/train .*\n.*eval/s);
  });

  it('names bad commands, options and data directories', async () => {
    const { io } = quiet();
    await expect(runCli(['fly'], io)).rejects.toThrow(/unknown command 'fly'/);
    await expect(runCli(['train', '--posterior', 'cauchy', '--backend', 'wasm'], io)).rejects.toThrow(/--posterior must be one of normal, vmf, power-spherical; got 'cauchy'/);
    await expect(runCli(['train', '--epochs', 'many', '--backend', 'wasm'], io)).rejects.toThrow(/--epochs must be an integer; got 'many'/);
    await expect(runCli(['train', '--data-dir', '/nonexistent-dir', '--backend', 'wasm'], io)).rejects.toThrow(/--data-dir \/nonexistent-dir: no such directory/);
    await expect(runCli(['train', '--nope'], io)).rejects.toThrow(/Unknown option '--nope'/);
  });

  // Only where tfjs-node is absent: after npm run setup:tfjs-node this command would train on it.
  (nativeInstalled() ? it.skip : it)('--backend tensorflow without tfjs-node says what to install (skipped where it is installed)', async () => {
    const { io } = quiet();
    await expect(runCli(['train', '--backend', 'tensorflow'], io)).rejects.toThrow(/needs @tensorflow\/tfjs-node/);
  });

  it('trains, evaluates and samples end to end, then plots in a child process', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vae-cli-'));
    const { lines, io } = quiet();
    await runCli(['train', '--epochs', '1', '--limit', '128', '--batch-size', '64', '--out', out, '--backend', 'wasm'], io);
    expect(existsSync(join(out, 'model/model.json'))).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    await runCli(['eval', '--k', '20', '--limit', '10', '--grid', '40', '--out', out, '--backend', 'wasm'], io);
    const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    expect(report.examples).toBe(10);
    expect(report.logLikelihood.k).toBe(20);
    expect(report.exact.geometry).toBe('plane');
    await runCli(['sample', '--rows', '2', '--cols', '3', '--out', out, '--backend', 'wasm'], io);
    const samples = PNG.sync.read(readFileSync(join(out, 'samples.png')));
    expect([samples.width, samples.height]).toEqual([(3 * 30 + 2) * 2, (2 * 30 + 2) * 2]);
    expect(lines.join('\n')).toMatch(/log p\(x\) ~ -\d+\.\d+ \(k = 20; ESS/);
    // vega and vega-lite are ESM-only: the plot command runs in a real Node process (tsx).
    const tsx = require.resolve('tsx/cli');
    execFileSync(process.execPath, [tsx, join(__dirname, 'cli.ts'), 'plot', '--grid', '8', '--out', out, '--backend', 'wasm'], { stdio: 'pipe', timeout: 180000 });
    const sizes: Record<string, [number, number]> = {};
    for (const name of ['manifold', 'reconstructions', 'samples', 'latent', 'curves']) {
      const png = PNG.sync.read(readFileSync(join(out, `${name}.png`)));
      sizes[name] = [png.width, png.height];
    }
    expect(sizes.manifold).toEqual([224, 224]);
    expect(sizes.reconstructions).toEqual([604, 244]);
    expect(sizes.latent[0]).toBeGreaterThan(800);
    expect(sizes.curves[0]).toBeGreaterThan(sizes.curves[1]);
    writeFileSync(join(out, 'done'), '');
  });
});
