// Local eslint rules that keep docs/architecture.md true: kebab-case file names, no import cycles
// inside a package, and imports between @vae packages only along the direction each package's
// package.json declares (its dependencies are the one list of what it may import).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const fileNameCase = {
  meta: {
    type: 'suggestion',
    docs: { description: 'File names are kebab-case (lower-case words joined by hyphens), before any extension.' },
    schema: [],
    messages: { name: "File name '{{name}}' is not kebab-case: rename it to '{{suggestion}}'." },
  },
  create(context) {
    return {
      Program(node) {
        const name = basename(context.filename);
        const stem = name.split('.')[0];
        if (KEBAB.test(stem)) return;
        const suggestion = stem
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .replace(/[_\s]+/g, '-')
          .toLowerCase();
        context.report({ node, messageId: 'name', data: { name, suggestion: name.replace(stem, suggestion) } });
      },
    };
  },
};

// ---- relative-import graph, read from disk once per lint run ----

const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)(?!\s+type\b)(?:[^'";]*?\bfrom)?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const edgesCache = new Map();

/** Resolves a relative specifier (`./x.js` meaning `./x.ts`) to a file on disk, or undefined. */
export function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The files a file imports at run time through relative specifiers (type-only imports excluded). */
export function relativeImports(file) {
  let edges = edgesCache.get(file);
  if (edges === undefined) {
    edges = [];
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = resolveRelative(file, m[1]);
      if (target !== undefined) edges.push(target);
    }
    edgesCache.set(file, edges);
  }
  return edges;
}

/** A path of files from `start` back to `goal` through relative imports, or undefined. */
export function findPath(start, goal) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    if (file === goal) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of relativeImports(file)) stack.push([next, [...path, next]]);
  }
  return undefined;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  return node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'No import cycles through relative imports (type-only imports do not count).' },
    schema: [],
    messages: {
      cycle:
        'Import cycle: {{path}}. Break it (the importer can take what it needs as an argument, or move the shared part to its own file).',
    },
  },
  create(context) {
    const self = resolve(context.filename);
    const root = process.cwd();
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string' || !node.source.value.startsWith('.') || isTypeOnly(node)) return;
      const target = resolveRelative(self, node.source.value);
      if (target === undefined) return;
      const path = findPath(target, self);
      if (path === undefined) return;
      const shown = [self, ...path].map((f) => f.replace(`${root}/`, '')).join(' -> ');
      context.report({ node: node.source, messageId: 'cycle', data: { path: shown } });
    };
    return { ImportDeclaration: check, ExportAllDeclaration: check, ExportNamedDeclaration: check };
  },
};

// ---- import direction between packages ----

const manifestCache = new Map();

/** The nearest package.json above a file: its name and the @vae packages it declares. */
export function manifestOf(file) {
  let dir = dirname(resolve(file));
  for (;;) {
    if (manifestCache.has(dir)) return manifestCache.get(dir);
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const json = JSON.parse(readFileSync(path, 'utf8'));
      const names = (field) => Object.keys(json[field] ?? {}).filter((n) => n.startsWith('@vae/'));
      const manifest = {
        path,
        name: json.name,
        workspaceRoot: json.workspaces !== undefined,
        runtime: [...names('dependencies'), ...names('peerDependencies')],
        dev: names('devDependencies'),
      };
      manifestCache.set(dir, manifest);
      return manifest;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const TEST_FILE = /(?:\.test\.[cm]?[jt]s$|\/test\/|\/bench\/)/;

const importDirection = {
  meta: {
    type: 'problem',
    docs: {
      description:
        "Imports of @vae packages go through their entry point and only to packages the importer's package.json depends on (tests and benchmarks may also use @vae/testing and devDependencies).",
    },
    schema: [],
    messages: {
      deep: "Import '{{pkg}}' through its entry point, not '{{source}}'.",
      undeclared:
        "'{{source}}' is not a dependency of {{owner}} ({{manifest}}): add it there if the direction in docs/architecture.md allows it, or move the code.",
      self: '{{owner}} imports itself by name; use a relative import.',
    },
  },
  create(context) {
    const file = resolve(context.filename);
    const manifest = manifestOf(file);
    const isTest = TEST_FILE.test(file);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('@vae/')) return;
      const pkg = source.split('/').slice(0, 2).join('/');
      if (source !== pkg) {
        context.report({ node, messageId: 'deep', data: { pkg, source } });
        return;
      }
      // Workspace tools (benchmarks, browser checks) sit above every package and may use any of them.
      if (manifest === undefined || manifest.workspaceRoot) return;
      const owner = manifest.name ?? manifest.path;
      if (pkg === manifest.name) {
        if (!isTest) context.report({ node, messageId: 'self', data: { owner } });
        return;
      }
      const allowed = isTest ? [...manifest.runtime, ...manifest.dev, '@vae/testing'] : manifest.runtime;
      if (!allowed.includes(pkg)) {
        context.report({
          node,
          messageId: 'undeclared',
          data: { source, owner, manifest: manifest.path.replace(`${process.cwd()}/`, '') },
        });
      }
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal')
          check(node.arguments[0], node.arguments[0].value);
      },
    };
  },
};

export default {
  meta: { name: 'eslint-plugin-vae' },
  rules: { 'file-name-case': fileNameCase, 'no-cycle': noCycle, 'import-direction': importDirection },
};
