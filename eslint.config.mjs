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
      // A family's `XParams` is an interface extending `FamilyParams<typeof TABLE>`: a named, documented type with no members of its own.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // docs/architecture.md: file names, no cycles, and the import direction between packages (read from each package.json).
      'vae/file-name-case': 'error',
      'vae/no-cycle': 'error',
      'vae/import-direction': 'error',
    },
  },
  {
    // Workspace scripts (tools/**/*.mjs) run on Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
