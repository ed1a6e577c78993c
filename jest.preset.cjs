// Shared jest settings: every package's jest.config.cjs spreads this object.
// Workspace packages resolve to their TypeScript sources so tests never need a build first.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@vae/testing$': path.join(root, 'tools/testing/src/index.ts'),
    '^@vae/([a-z0-9-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  setupFilesAfterEnv: [path.join(root, 'tools/testing/src/jest-setup.ts')],
  // The counts go to .test-counts.json too, for the closing 'N passed, M failed' of npm test.
  reporters: ['default', path.join(root, 'tools/testing/src/count-reporter.cjs')],
  testTimeout: 120000,
};
