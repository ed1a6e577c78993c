// Adds up the test counts every package's jest run left in .test-counts.json (see
// tools/testing/src/count-reporter.cjs) and prints them per project, then one closing line
// "N passed, M failed" for people and CI to read.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const rows = [];
for (const group of ['packages', 'tools']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const file = join(root, group, name, '.test-counts.json');
    if (existsSync(file)) rows.push({ project: `${group}/${name}`, ...JSON.parse(readFileSync(file, 'utf8')) });
  }
}
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of rows) {
  for (const k of Object.keys(total)) total[k] += r[k];
  console.log(
    `${r.project.padEnd(24)} ${String(r.passed).padStart(5)} passed  ${String(r.failed).padStart(3)} failed${
      r.skipped ? `  ${r.skipped} skipped` : ''
    }  (${r.seconds.toFixed(0)} s of jest)`,
  );
}
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 || rows.length === 0 ? 1 : 0;
