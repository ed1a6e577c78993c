// Counts each package's public exports: the names `packages/*/src/index.ts` exports (values and
// types), the surface a user of the published package sees. `node tools/count-exports.mjs [--names]`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const listNames = process.argv.includes('--names');
let total = { values: 0, types: 0 };
const rows = [];
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const index = join(root, 'packages', dir, 'src', 'index.ts');
  if (!existsSync(index)) continue;
  const source = readFileSync(index, 'utf8').replace(/\/\/.*$/gm, '');
  const values = [];
  const types = [];
  for (const m of source.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of m[2].split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const inlineType = item.startsWith('type ');
      const name = item
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        .trim();
      (m[1] || inlineType ? types : values).push(name);
    }
  }
  if (/export\s+\*/.test(source)) throw new Error(`${index}: export * hides the surface; name each export`);
  rows.push({ name: `@vae/${dir}`, values, types });
  total.values += values.length;
  total.types += types.length;
}
const width = Math.max(...rows.map((r) => r.name.length));
for (const r of rows) {
  console.log(
    `${r.name.padEnd(width)}  ${String(r.values.length + r.types.length).padStart(4)}  (${r.values.length} values, ${
      r.types.length
    } types)`,
  );
  if (listNames) console.log(`  ${[...r.values, ...r.types.map((t) => `type ${t}`)].join(', ')}`);
}
console.log(`${'total'.padEnd(width)}  ${String(total.values + total.types).padStart(4)}  (${total.values} values, ${total.types} types)`);
