#!/usr/bin/env node
// Makes @tensorflow/tfjs-node usable in this workspace without making it a dependency of anything.
//
// Route 1, an ordinary `npm install --no-save`: works wherever tfjs-node's install script can download
// libtensorflow and its prebuilt addon. Route 2, where it cannot (these machines, users behind firewalls):
// install the package without scripts, take TensorFlow's C library and headers from the tensorflow-cpu
// wheel pip finds, and compile the addon against Node's own headers. Both routes end by loading the
// package in a child process; that check also makes a second run a fast no-op.
//
// Environment: VAE_TFJS_NODE_CACHE (wheel cache, default ~/.cache/vae-tfjs-node),
// VAE_PYTHON (python with pip, default python3), VAE_TFJS_NODE_ROUTE (auto | npm | wheel).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TFJS_NODE_VERSION = '4.22.0';
export const TENSORFLOW_WHEEL = 'tensorflow-cpu==2.21.0';
// tfjs-node's install.js skips its download when this file exists (LIBTENSORFLOW_VERSION in deps-constants.js).
const LIBTENSORFLOW_MARKER = 'libtensorflow.so.2.9.1';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = path.join(root, 'node_modules/@tensorflow/tfjs-node');
const cacheDir = process.env.VAE_TFJS_NODE_CACHE ?? path.join(os.homedir(), '.cache/vae-tfjs-node');
const python = process.env.VAE_PYTHON ?? 'python3';
const route = process.env.VAE_TFJS_NODE_ROUTE ?? 'auto';

class SetupError extends Error {}

function log(message) {
  console.log(`setup:tfjs-node: ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) return { ok: false, why: `${command}: ${result.error.message}` };
  return { ok: result.status === 0, why: `${command} ${args.join(' ')} exited with ${result.status}` };
}

/** Loads tfjs-node in a fresh process and runs one kernel; returns undefined when it works, else why not. */
export function loadProblem() {
  const probe =
    "const tf = require('@tensorflow/tfjs-node');" +
    "if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());" +
    'const v = tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0];' +
    "if (v !== 3) throw new Error('1 + 2 = ' + v);" +
    "console.log(tf.version['tfjs-node'], tf.backend().binding.TF_Version);";
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) {
    log(`loads: tfjs-node ${result.stdout.trim().split(' ').join(', TensorFlow ')}`);
    return undefined;
  }
  const lines = `${result.stderr}`.split('\n').filter((l) => /Error|error:|cannot|Cannot/.test(l));
  return lines.slice(0, 3).join(' | ') || `exit ${result.status}`;
}

function installedVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function npmInstall(extra) {
  // --no-save: tfjs-node stays out of package.json and the lockfile (optional for users and for the repo).
  return run('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...extra, `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`]);
}

/** The tools route 2 needs, each with the Debian package that provides it when missing. */
function missingTools() {
  const needed = [
    [python, ['--version'], 'python3'],
    [python, ['-m', 'pip', '--version'], 'python3-pip'],
    ['make', ['--version'], 'make'],
    ['g++', ['--version'], 'g++'],
  ];
  const missing = [];
  for (const [command, args, aptPackage] of needed) {
    const result = spawnSync(command, args, { stdio: 'ignore' });
    if (result.error || result.status !== 0) missing.push(`${command} ${args.join(' ')} (apt-get install ${aptPackage})`);
  }
  return missing;
}

/** Node's own headers, so node-gyp compiles without downloading them: <prefix>/include/node beside the running node. */
function nodeHeadersPrefix() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include/node/node_api.h'))) return prefix;
  return undefined;
}

function findWheel() {
  if (!fs.existsSync(cacheDir)) return undefined;
  const version = TENSORFLOW_WHEEL.split('==')[1];
  return fs.readdirSync(cacheDir).find((f) => f.startsWith(`tensorflow_cpu-${version}-`) && f.endsWith('.whl'));
}

function linkOrCopy(from, to) {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

function wheelRoute() {
  const missing = missingTools();
  if (missing.length > 0) throw new SetupError(`to compile tfjs-node's addon, install: ${missing.join('; ')}`);
  const nodedir = process.env.npm_config_nodedir ?? nodeHeadersPrefix();
  if (nodedir === undefined) {
    throw new SetupError(
      `no Node headers beside ${process.execPath} (want <prefix>/include/node/node_api.h): ` +
        'install the Debian package libnode-dev, or set npm_config_nodedir to a Node source/headers directory',
    );
  }
  if (installedVersion() !== TFJS_NODE_VERSION) {
    log(`installing @tensorflow/tfjs-node@${TFJS_NODE_VERSION} without its install script`);
    const r = npmInstall(['--ignore-scripts']);
    if (!r.ok) throw new SetupError(`could not install the package from the npm registry: ${r.why}`);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  let wheel = findWheel();
  if (wheel === undefined) {
    log(`downloading the ${TENSORFLOW_WHEEL} wheel into ${cacheDir} (about 270 MB)`);
    const r = run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', cacheDir, TENSORFLOW_WHEEL]);
    wheel = findWheel();
    if (!r.ok || wheel === undefined) {
      throw new SetupError(`pip found no ${TENSORFLOW_WHEEL} wheel for ${python} (${r.why}); set VAE_PYTHON to a python whose pip can`);
    }
  }
  const extracted = path.join(cacheDir, wheel.replace(/\.whl$/, ''));
  const libs = path.join(extracted, 'lib');
  if (!fs.existsSync(path.join(extracted, 'done'))) {
    log(`extracting the C library and headers from ${wheel}`);
    fs.rmSync(extracted, { recursive: true, force: true });
    const r = run(python, [
      path.join(root, 'tools/tfjs-node/extract-wheel.py'),
      path.join(cacheDir, wheel),
      libs,
      path.join(extracted, 'include'),
    ]);
    if (!r.ok) throw new SetupError(`could not extract ${wheel}: ${r.why}`);
    fs.writeFileSync(path.join(extracted, 'done'), '');
  }
  const depsLib = path.join(pkgDir, 'deps/lib');
  fs.mkdirSync(depsLib, { recursive: true });
  // binding.gyp links -ltensorflow -ltensorflow_framework from deps/lib (rpath $ORIGIN/../../deps/lib);
  // the wheel's libtensorflow_cc exports the whole C API the addon calls (TF_*, TFE_*).
  linkOrCopy(path.join(libs, 'libtensorflow_cc.so.2'), path.join(depsLib, 'libtensorflow_cc.so.2'));
  linkOrCopy(path.join(libs, 'libtensorflow_framework.so.2'), path.join(depsLib, 'libtensorflow_framework.so.2'));
  for (const [name, target] of [
    ['libtensorflow.so', 'libtensorflow_cc.so.2'],
    [LIBTENSORFLOW_MARKER, 'libtensorflow_cc.so.2'],
    ['libtensorflow_framework.so', 'libtensorflow_framework.so.2'],
  ]) {
    fs.rmSync(path.join(depsLib, name), { force: true });
    fs.symlinkSync(target, path.join(depsLib, name));
  }
  fs.cpSync(path.join(extracted, 'include'), path.join(pkgDir, 'deps/include'), { recursive: true });
  // A tf-lib entry without an addon entry makes node-pre-gyp build from source instead of fetching a binary.
  fs.writeFileSync(path.join(pkgDir, 'scripts/custom-binary.json'), `${JSON.stringify({ 'tf-lib': `file://${libs}` }, null, 2)}\n`);
  log(`compiling the addon against the Node headers in ${nodedir}/include/node`);
  const r = run('npm', ['rebuild', '@tensorflow/tfjs-node'], {
    env: { ...process.env, npm_config_nodedir: nodedir },
  });
  if (!r.ok) throw new SetupError(`compiling tfjs-node's addon failed: ${r.why}`);
}

function main() {
  const started = Date.now();
  if (!['auto', 'npm', 'wheel'].includes(route)) {
    throw new SetupError(`VAE_TFJS_NODE_ROUTE must be auto, npm or wheel, got '${route}'`);
  }
  if (installedVersion() === TFJS_NODE_VERSION && loadProblem() === undefined) {
    log('already working, nothing to do');
    return;
  }
  const problems = [];
  if (route !== 'wheel' && installedVersion() !== TFJS_NODE_VERSION) {
    log(`trying an ordinary install of @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`);
    const r = npmInstall([]);
    const problem = r.ok ? loadProblem() : r.why;
    if (problem === undefined) {
      log(`done by an ordinary install in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    problems.push(`ordinary install: ${problem}`);
  }
  if (route !== 'npm') {
    try {
      wheelRoute();
      const problem = loadProblem();
      if (problem === undefined) {
        log(`done from the ${TENSORFLOW_WHEEL} wheel in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return;
      }
      problems.push(`built from the wheel, but it does not load: ${problem}`);
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      problems.push(`wheel route: ${error.message}`);
    }
  }
  throw new SetupError(`@tensorflow/tfjs-node is not usable:\n  - ${problems.join('\n  - ')}`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`setup:tfjs-node: ${error.message}`);
  process.exit(1);
}
