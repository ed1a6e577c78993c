// Runs typedoc, without colour codes when the output is not a terminal (typedoc colours its
// [info]/[warning] prefixes unless NO_COLOR is set, and reads it when it loads).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('typedoc/package.json')), 'bin/typedoc');
const env = process.stdout.isTTY ? process.env : { ...process.env, NO_COLOR: '1' };
const r = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exitCode = r.status ?? 1;
