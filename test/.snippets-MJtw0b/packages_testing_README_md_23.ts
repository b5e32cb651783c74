// jest.config.ts
export default {
  globalSetup: '@kinesis-toolkit/testing/jest/globalSetup',
  globalTeardown: '@kinesis-toolkit/testing/jest/globalTeardown',
};
export {};
