import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vae from './tools/lint/vae-plugin.mjs';

export default tseslint.config(
  { ignores: ['**/dist/**', 'docs/api/**', '**/node_modules/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { vae },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // docs/architecture.md: file names, no cycles, and the import direction between packages (read from each package.json).
      'vae/file-name-case': 'error',
      'vae/no-cycle': 'error',
      'vae/import-direction': 'error',
    },
  },
  {
    // The one known import cycle (issue 18, point 3), broken on branch issue-18b: delete this block
    // when that branch is merged, and the rule holds everywhere.
    files: ['packages/kl/src/kl-divergence.ts', 'packages/kl/src/pairs/index.ts', 'packages/kl/src/pairs/independent.ts'],
    rules: { 'vae/no-cycle': 'warn' },
  },
  {
    // Workspace scripts (tools/**/*.mjs) run on Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
