// esbuild helpers shared by the browser test suite and the demo page: the @vae packages resolve
// to their TypeScript sources (no build step needed), and in a browser bundle the few Node
// built-ins that @vae/mnist-vae's file helpers import become stubs that throw if ever called
// (the browser code paths never call them).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

const workspaceSources = {
  name: 'vae-workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@vae\/[a-z-]+$/ }, (args) => ({
      path: join(ROOT, 'packages', args.path.slice('@vae/'.length), 'src/index.ts'),
    }));
  },
};

const NODE_STUB_EXPORTS = {
  fs: [
    'appendFileSync',
    'closeSync',
    'existsSync',
    'fsyncSync',
    'mkdirSync',
    'openSync',
    'readFileSync',
    'renameSync',
    'unlinkSync',
    'writeFileSync',
    'writeSync',
  ],
  path: ['basename', 'dirname', 'join'],
  zlib: ['gunzipSync'],
};

const nodeBuiltinStubs = {
  name: 'node-builtin-stubs',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path.slice('node:'.length), namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => {
      const names = NODE_STUB_EXPORTS[args.path];
      if (!names) return { errors: [{ text: `node:${args.path} is imported by browser code; add a stub or keep it out of the bundle` }] };
      const body = names.map(
        (n) => `export const ${n} = () => { throw new Error('node:${args.path} ${n}() is not available in a browser'); };`,
      );
      return { contents: body.join('\n'), loader: 'js' };
    });
  },
};

/** Bundles `entry` for a browser (minified, ESM) into `outDir/name.js`; returns the metafile. */
export async function bundleForBrowser(entry, outDir, name, { minify = true, define = {} } = {}) {
  const result = await esbuild.build({
    entryPoints: { [name]: entry },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    define,
    plugins: [workspaceSources, nodeBuiltinStubs],
  });
  return result.metafile;
}

/** Bundles `entry` for Node (ESM) into `outFile`: the same sources, for reference runs. */
export async function bundleForNode(entry, outFile) {
  await esbuild.build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // tfjs's CommonJS modules call require(); an ESM bundle needs one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [workspaceSources],
  });
}

/** Copies tfjs-backend-wasm's binaries next to a bundle (the backend fetches them at start). */
export function copyWasmBinaries(outDir) {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(dist)) if (f.endsWith('.wasm')) copyFileSync(join(dist, f), join(outDir, f));
}
