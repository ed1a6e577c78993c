import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { itSlow } from '@vae/testing';
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
    await expect(runCli(['train', '--posterior', 'cauchy', '--backend', 'wasm'], io)).rejects.toThrow(
      /--posterior must be one of normal, vmf, power-spherical, iaf, planar, radial, householder; got 'cauchy'/,
    );
    await expect(runCli(['train', '--epochs', 'many', '--backend', 'wasm'], io)).rejects.toThrow(
      /--epochs must be an integer >= 1; got 'many'/,
    );
    await expect(runCli(['train', '--data-dir', '/nonexistent-dir', '--backend', 'wasm'], io)).rejects.toThrow(
      /--data-dir \/nonexistent-dir: no such directory/,
    );
    await expect(runCli(['train', '--nope'], io)).rejects.toThrow(/Unknown option '--nope'/);
  });

  // Only where tfjs-node is absent: after npm run setup:tfjs-node this command would train on it.
  (nativeInstalled() ? it.skip : it)(
    '--backend tensorflow without tfjs-node says what to install (skipped where it is installed)',
    async () => {
      const { io } = quiet();
      await expect(runCli(['train', '--backend', 'tensorflow'], io)).rejects.toThrow(/needs @tensorflow\/tfjs-node/);
    },
  );

  it('checks every option before any work starts, naming the flag and the constraint', async () => {
    const { io } = quiet();
    // A missing data directory would fail later: each option's error comes first.
    const early = (args: string[]) => runCli(['train', ...args, '--data-dir', '/nonexistent-dir', '--backend', 'wasm'], io);
    await expect(early(['--limit', '0'])).rejects.toThrow("--limit must be an integer >= 1; got '0'");
    await expect(early(['--epochs', '0'])).rejects.toThrow("--epochs must be an integer >= 1; got '0'");
    await expect(early(['--latent-dim', '0'])).rejects.toThrow("--latent-dim must be an integer >= 1; got '0'");
    await expect(early(['--posterior', 'vmf', '--latent-dim', '1'])).rejects.toThrow(/^--latent-dim must be an integer >= 2/);
    await expect(early(['--prior', 'spherical'])).rejects.toThrow(
      /^--prior must be one of standard, learned, mog, vamp, flow for a Euclidean posterior/,
    );
    await expect(early(['--posterior', 'iaf', '--flow-steps', '0'])).rejects.toThrow("--flow-steps must be an integer >= 1; got '0'");
    await expect(early(['--posterior', 'iaf', '--flow-steps', 'two'])).rejects.toThrow("--flow-steps must be an integer >= 1; got 'two'");
    await expect(early(['--posterior', 'iaf', '--flow-hidden-units', '-1'])).rejects.toThrow(
      "--flow-hidden-units must be an integer >= 0; got '-1'",
    );
    await expect(early(['--posterior', 'vmf', '--latent-dim', '3', '--prior', 'flow'])).rejects.toThrow(/^--prior must be 'spherical'/);
    await expect(early(['--posterior', 'householder', '--latent-dim', '1'])).rejects.toThrow(
      /^--latent-dim must be an integer >= 2 for a householder/,
    );
    await expect(early(['--posterior', 'sylvester'])).rejects.toThrow(/--posterior must be one of .*householder; got 'sylvester'/);
    // Negative numbers are values, with or without '='.
    await expect(early(['--lr', '-1'])).rejects.toThrow("--lr must be a number > 0; got '-1'");
    await expect(early(['--lr=-1'])).rejects.toThrow("--lr must be a number > 0; got '-1'");
    await expect(early(['--beta', '-0.5'])).rejects.toThrow("--beta must be a number >= 0; got '-0.5'");
    await expect(early(['--lr', ''])).rejects.toThrow("--lr must be a number > 0; got ''");
    await expect(runCli(['eval', '--grid', '1267', '--k', '-3', '--backend', 'wasm'], io)).rejects.toThrow(
      "--k must be an integer >= 1; got '-3'",
    );
    await expect(runCli(['eval', '--grid', '5000', '--backend', 'wasm'], io)).rejects.toThrow(
      "--grid must be an integer >= 2 and <= 2000; got '5000'",
    );
    const file = join(mkdtempSync(join(tmpdir(), 'vae-out-')), 'a-file');
    writeFileSync(file, '');
    await expect(early(['--out', file])).rejects.toThrow(`--out ${file}: is a file, not a directory`);
    await expect(runCli(['sample', '--out', file, '--backend', 'wasm'], io)).rejects.toThrow(`--out ${file}: is a file, not a directory`);
    await expect(runCli(['eval', '--out', join(file, '..'), '--backend', 'wasm'], io)).rejects.toThrow(
      /--out: no model at .*model \(train one with 'vae train --out/,
    );
    await expect(early(['--resume', '--out', join(file, '..')])).rejects.toThrow(
      /--resume: there is no checkpoint at .*checkpoint\.ckpt; leave out --resume to start a new run/,
    );
  });

  it('prints its version', async () => {
    const { lines, io } = quiet();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(lines).toEqual([JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version]);
  });

  it('reports divergence with the epoch, the step and what to try', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vae-diverge-'));
    const { io } = quiet();
    await expect(
      runCli(['train', '--lr', '1e9', '--epochs', '1', '--limit', '256', '--batch-size', '32', '--out', out, '--backend', 'wasm'], io),
    ).rejects.toThrow(
      /^training diverged at epoch 1, step [2-8] \(.*\) with learning rate 1000000000: try a smaller --lr \(e\.g\. 1\.0e\+8\)/,
    );
  });

  // A training run: under VAE_SLOW_TESTS (CI) only, to keep the quick suite's time.
  itSlow('trains, resumes and evaluates an IAF posterior with the flow prior; a resume with other --flow-steps is refused', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vae-flow-'));
    const { lines, io } = quiet();
    const common = ['--limit', '64', '--batch-size', '32', '--out', out, '--backend', 'wasm'];
    await runCli(
      ['train', '--posterior', 'iaf', '--flow-steps', '2', '--prior', 'flow', '--latent-dim', '3', '--epochs', '1', ...common],
      io,
    );
    await expect(
      runCli(['train', '--resume', '--flow-steps', '3', '--epochs', '2', '--out', out, '--backend', 'wasm'], io),
    ).rejects.toThrow(/^--resume: --flow-steps 3 differs from the checkpoint's 2 /);
    await runCli(['train', '--resume', '--epochs', '2', '--out', out, '--backend', 'wasm'], io);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    await runCli(['eval', '--k', '8', '--limit', '4', '--no-exact', '--out', out, '--backend', 'wasm'], io);
    const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    expect(Number.isFinite(report.logLikelihood.mean)).toBe(true);
    expect(lines.join('\n')).toMatch(/log p\(x\) ~ -\d+\.\d+ \(k = 8; ESS/);
  });

  it('trains, evaluates and samples end to end, then plots in a child process', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vae-cli-'));
    const { lines, io } = quiet();
    await runCli(['train', '--epochs', '1', '--limit', '128', '--batch-size', '64', '--lr', '1e-3', '--out', out, '--backend', 'wasm'], io);
    expect(existsSync(join(out, 'model/model.json'))).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(/^Training on the embedded MNIST digits \(128 of 8995 train \/ 1005 test images\), backend wasm$/);
    // Resuming: options that disagree with the checkpoint are refused by name with both values;
    // those not given are the checkpoint's (here --lr 1e-3, --limit 128, --batch-size 64).
    await expect(
      runCli(['train', '--resume', '--latent-dim', '4', '--epochs', '2', '--out', out, '--backend', 'wasm'], io),
    ).rejects.toThrow(/^--resume: --latent-dim 4 differs from the checkpoint's 2 /);
    await expect(
      runCli(['train', '--resume', '--posterior', 'vmf', '--epochs', '2', '--out', out, '--backend', 'wasm'], io),
    ).rejects.toThrow(/^--resume: --posterior vmf differs from the checkpoint's normal /);
    await expect(runCli(['train', '--resume', '--prior', 'mog', '--epochs', '2', '--out', out, '--backend', 'wasm'], io)).rejects.toThrow(
      /^--resume: --prior mog differs from the checkpoint's standard /,
    );
    await expect(runCli(['train', '--resume', '--lr', '3e-4', '--epochs', '2', '--out', out, '--backend', 'wasm'], io)).rejects.toThrow(
      /^--resume: --lr 3e-4 differs from the checkpoint's 0\.001 /,
    );
    await expect(runCli(['train', '--resume', '--out', out, '--epochs', '1', '--backend', 'wasm'], io)).rejects.toThrow(
      /^--epochs 1: the checkpoint .* has already trained 1 epochs; give --epochs above 1/,
    );
    lines.length = 0;
    await runCli(['train', '--resume', '--latent-dim', '2', '--epochs', '2', '--out', out, '--backend', 'wasm'], io);
    expect(lines[1]).toBe(`Resuming from epoch 1 (${join(out, 'checkpoint.ckpt')})`);
    expect(lines[2]).toBe('Each step minimizes -elbo = kl - rec.');
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    await runCli(['eval', '--k', '20', '--limit', '10', '--grid', '40', '--out', out, '--backend', 'wasm'], io);
    const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    expect(report.examples).toBe(10);
    expect(report.logLikelihood.k).toBe(20);
    expect(report.exact.geometry).toBe('plane');
    await runCli(['sample', '--rows', '2', '--cols', '3', '--out', out, '--backend', 'wasm'], io);
    const samples = PNG.sync.read(readFileSync(join(out, 'samples.png')));
    expect([samples.width, samples.height]).toEqual([(3 * 30 + 2) * 2, (2 * 30 + 2) * 2]);
    expect(lines.join('\n')).toMatch(/log p\(x\) ~ -\d+\.\d+ \(k = 20; ESS/);
    expect(lines.join('\n')).toMatch(
      /posterior: [12] of 2 latent dimensions active; spread of the means per dimension \[\d\.\d\d, \d\.\d\d\]/,
    );
    expect(report.exact.grid).toEqual([40, 40]);
    // vega and vega-lite are ESM-only: the plot command runs in a real Node process (tsx).
    const tsx = require.resolve('tsx/cli');
    execFileSync(process.execPath, [tsx, join(__dirname, 'cli.ts'), 'plot', '--grid', '8', '--out', out, '--backend', 'wasm'], {
      stdio: 'pipe',
      timeout: 180000,
    });
    const sizes: Record<string, [number, number]> = {};
    for (const name of ['manifold', 'manifold-prior', 'reconstructions', 'samples', 'latent', 'curves']) {
      const png = PNG.sync.read(readFileSync(join(out, `${name}.png`)));
      sizes[name] = [png.width, png.height];
    }
    // Charts: the picture (8 x 28 pixels a side, drawn at 0.75 and zoom 2) plus axes and title.
    expect(sizes.manifold[1]).toBeGreaterThan(8 * 28 * 1.5);
    expect(sizes['manifold-prior'][1]).toBe(sizes.manifold[1]);
    expect(sizes.reconstructions[0]).toBeGreaterThan(604);
    expect(sizes.latent[0]).toBeGreaterThan(800);
    expect(sizes.curves[0]).toBeGreaterThan(sizes.curves[1]);
    writeFileSync(join(out, 'done'), '');
  });
});
