// Packaging test: packs every public workspace package, installs the tarballs into a throwaway
// consumer project outside the repository, and from there imports each package through plain
// Node ESM and CommonJS (calling one real function), type-checks both flavours with TypeScript,
// and checks that deep imports are closed by the exports map.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const tfVersion = require('@tensorflow/tfjs-core/package.json').version;

// One real call per package, run from both module systems. `tf` is @tensorflow/tfjs-core.
const smokeCalls = {
  '@vae/math': {
    names: ['lgamma'],
    call: 'lgamma(tf.tensor([0.5])).dataSync()[0]',
    expect: 0.5723649429247001, // log Gamma(1/2) = log sqrt(pi)
  },
  '@vae/backends': {
    names: ['isFastWasmMatMulEnabled'],
    call: 'Number(isFastWasmMatMulEnabled())',
    expect: 0,
  },
  '@vae/samplers': {
    names: ['normalSample'],
    call: 'normalSample(tf.scalar(3), tf.scalar(1e-3), [4], 7).mean().dataSync()[0]',
    expect: 3,
    tolerance: 0.01,
  },
  '@vae/distributions': {
    names: ['Normal'],
    call: 'new Normal({ loc: 0, scale: 1 }).logProb(0).dataSync()[0]',
    expect: -0.9189385332046727, // -log(2 pi) / 2
  },
  '@vae/kl': {
    names: ['klDivergence'],
    also: { '@vae/distributions': ['Normal'] },
    call: 'klDivergence(new Normal({ loc: 0, scale: 1 }), new Normal({ loc: 1, scale: 1 })).dataSync()[0]',
    expect: 0.5,
  },
  '@vae/priors': {
    names: ['StandardNormalPrior'],
    call: 'new StandardNormalPrior({ latentDim: 3 }).distribution().logProb([0, 0, 0]).dataSync()[0]',
    expect: -2.756815599614018, // 3 * -log(2 pi) / 2
  },
  '@vae/mnist-vae': {
    names: ['parseIdx'],
    call: "parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]), 'labels.idx', 1).data[1]",
    expect: 9,
  },
  '@vae/elbo': {
    names: ['bernoulliLikelihood'],
    call: 'bernoulliLikelihood(tf.zeros([4])).logProb(tf.ones([4])).dataSync()[0]',
    expect: -2.772588722239781, // 4 log(1/2)
  },
};

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter((p) => !p.manifest.private);

const missing = packages.filter((p) => !smokeCalls[p.manifest.name]);
if (missing.length) {
  console.error(`pack-test: no smoke call for ${missing.map((p) => p.manifest.name).join(', ')}; add one to tools/packaging/pack-test.mjs`);
  process.exit(1);
}

console.log('pack-test: building packages');
execFileSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'run-many', '-t', 'build', '--output-style=static'], {
  cwd: root,
  stdio: 'inherit',
});

const work = mkdtempSync(join(tmpdir(), 'vae-pack-test-'));
let failures = 0;
try {
  const tarballs = {};
  for (const p of packages) {
    const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], p.dir));
    tarballs[p.manifest.name] = join(work, out[0].filename);
    const files = out[0].files.map((f) => f.path);
    const leaked = files.filter((f) => /\.test\.|^src\/|fixtures/.test(f));
    if (leaked.length) {
      console.error(`FAIL ${p.manifest.name}: tarball contains ${leaked.slice(0, 5).join(', ')}`);
      failures++;
    }
    console.log(`packed ${p.manifest.name}: ${out[0].filename} (${files.length} files, ${out[0].size} bytes)`);
  }

  const consumer = join(work, 'consumer');
  const fileSpec = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'vae-consumer',
        private: true,
        dependencies: { ...fileSpec, '@tensorflow/tfjs-core': tfVersion, '@tensorflow/tfjs-backend-cpu': tfVersion },
        overrides: fileSpec,
      },
      null,
      2,
    ),
  );
  console.log('pack-test: installing the tarballs into a consumer project');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], consumer);

  const esmLines = ["import * as tf from '@tensorflow/tfjs-core';", "import '@tensorflow/tfjs-backend-cpu';"];
  const cjsLines = ["const tf = require('@tensorflow/tfjs-core');", "require('@tensorflow/tfjs-backend-cpu');"];
  const checks = [];
  const imports = new Map();
  for (const [name, smoke] of Object.entries(smokeCalls)) {
    for (const [mod, names] of Object.entries({ [name]: smoke.names, ...(smoke.also ?? {}) })) {
      imports.set(mod, new Set([...(imports.get(mod) ?? []), ...names]));
    }
  }
  for (const [mod, names] of imports) {
    esmLines.push(`import { ${[...names].join(', ')} } from '${mod}';`);
    cjsLines.push(`const { ${[...names].join(', ')} } = require('${mod}');`);
  }
  for (const [name, smoke] of Object.entries(smokeCalls)) {
    checks.push(
      `{ const v = ${smoke.call}; const ok = Math.abs(v - ${smoke.expect}) <= ${smoke.tolerance ?? 1e-5} * Math.max(1, Math.abs(${
        smoke.expect
      }));` +
        ` console.log((ok ? 'ok  ' : 'FAIL') + ' ' + FLAVOUR + ' ${name}: ${smoke.call.replace(
          /'/g,
          "\\'",
        )} = ' + v); if (!ok) process.exitCode = 1; }`,
      `{ let closed = false; try { require_('${name}/dist/esm/index.js'); } catch (e) { closed = e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'; }` +
        ` console.log((closed ? 'ok  ' : 'FAIL') + ' ' + FLAVOUR + ' ${name}: deep import is closed'); if (!closed) process.exitCode = 1; }`,
    );
  }
  writeFileSync(
    join(consumer, 'smoke.mjs'),
    [
      ...esmLines,
      "import { createRequire } from 'node:module';",
      'const require_ = createRequire(import.meta.url);',
      "const FLAVOUR = 'esm';",
      'await tf.setBackend("cpu");',
      ...checks,
    ].join('\n'),
  );
  // A registered wasm backend (the app package loads one) cannot start synchronously, so pick cpu first.
  writeFileSync(
    join(consumer, 'smoke.cjs'),
    [...cjsLines, 'const require_ = require;', "const FLAVOUR = 'cjs';", 'tf.setBackend("cpu").then(() => {', ...checks, '});'].join('\n'),
  );
  for (const file of ['smoke.mjs', 'smoke.cjs']) {
    try {
      process.stdout.write(run(process.execPath, [file], consumer));
    } catch (e) {
      console.error(`FAIL ${file}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
      failures++;
    }
  }

  // Types: both flavours resolve through the exports map under TypeScript's node16 resolution.
  const names = Object.keys(tarballs);
  writeFileSync(join(consumer, 'types.mts'), names.map((n, i) => `import * as m${i} from '${n}';\nvoid m${i};`).join('\n') + '\n');
  writeFileSync(join(consumer, 'types.cts'), names.map((n, i) => `import m${i} = require('${n}');\nvoid m${i};`).join('\n') + '\n');
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    // skipLibCheck: tfjs's own declarations do not check under TypeScript 6; an unresolved or untyped
    // module is still an error in the consumer's files (strict mode forbids implicit any modules).
    JSON.stringify({
      compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['types.mts', 'types.cts'],
    }),
  );
  try {
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    console.log('ok   types: every package type-checks from .mts (import) and .cts (require)');
  } catch (e) {
    console.error(`FAIL types:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    failures++;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures || process.exitCode) {
  console.error('pack-test: FAILED');
  process.exit(1);
}
console.log(`pack-test: ${packages.length} packages passed`);
