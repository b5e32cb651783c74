import type { Config } from 'jest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// One jest project per package. Tests import sibling packages from their sources
// (moduleNameMapper), so `npm test` exercises what is in the tree, not a stale dist/.
const packages = readdirSync(join(__dirname, 'packages')).filter((name) =>
  existsSync(join(__dirname, 'packages', name, 'package.json')),
);

const swc: Config['transform'] = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

const config: Config = {
  // The local AWS stack (kinesalite, dynalite, s3rver) starts once per run and is shared;
  // every test uses its own stream, table and bucket names.
  globalSetup: '<rootDir>/packages/testing/src/jest/globalSetup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/jest/globalTeardown.ts',
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    ...packages.map((name) => ({
      displayName: name,
      rootDir: join(__dirname, 'packages', name),
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      testEnvironment: 'node',
      transform: swc,
      moduleNameMapper: { '^@kinesis-toolkit/([a-z-]+)$': join(__dirname, 'packages/$1/src') },
    })),
    // Cross-package checks (packaging of the built dist/, README examples).
    {
      displayName: 'repo',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testEnvironment: 'node',
      transform: swc,
      moduleNameMapper: { '^@kinesis-toolkit/([a-z-]+)$': join(__dirname, 'packages/$1/src') },
    },
  ],
};

export default config;
