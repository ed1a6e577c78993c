// The `vae` binary's entry point as a process: the exit code and stderr are its whole contract.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(__dirname, 'cli.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', cwd: join(__dirname, '..'), timeout: 120000 });

describe('vae (cli.ts)', () => {
  it('prints the usage and exits 0 for --help', () => {
    const result = run('--help');
    expect(result.stderr).not.toMatch(/^vae: /m);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: vae/);
  });

  it('exits non-zero with a message for an unknown command', () => {
    const result = run('no-such-command');
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/no-such-command/);
  });
});
