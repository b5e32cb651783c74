import type { Config } from 'jest';
import { join } from 'node:path';

// Two jest projects, by suffix:
// - `unit`: every `*.test.ts` that is not `*.integ.test.ts` — pure logic with fakes and an injected
//   clock; starts no server (`npm run test:unit`, no build needed);
// - `integ`: every `*.integ.test.ts` — real protocol servers through the real AWS SDK clients; the
//   local AWS stack (kinesalite, dynalite, s3rver) starts once for the project, in its global setup,
//   and every test uses its own stream, table and bucket names (`npm run test:integ`).
// Tests import sibling packages from their sources (moduleNameMapper), so a run exercises what is
// in the tree, not a stale dist/.
// The SDK's notice that versions after January 2027 need Node 22 (the project pins Node 20, and
// the CLI silences it too) would otherwise be printed by every test worker: set before jest forks them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const swc: Config['transform'] = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

const common = {
  rootDir: __dirname,
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  testEnvironment: 'node',
  transform: swc,
  moduleNameMapper: { '^@kinesis-toolkit/([a-z-]+)$': join(__dirname, 'packages/$1/src') },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // hyparquet and hyparquet-writer (the connector's Parquet writer) are ES modules only: swc turns
  // them into CommonJS like our sources (Node runs them as they are through require(esm)).
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
} satisfies Config['projects'] extends (infer P)[] | undefined ? Exclude<P, string> : never;

const config: Config = {
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.integ\\.test\\.ts$'] },
    {
      ...common,
      displayName: 'integ',
      testMatch: ['**/*.integ.test.ts'],
      globalSetup: '<rootDir>/packages/testing/src/jest/globalSetup.ts',
      globalTeardown: '<rootDir>/packages/testing/src/jest/globalTeardown.ts',
    },
  ],
};

export default config;
