import { testingInstalled, testingMissing } from './testingPackage';

describe('the optional @kinesis-toolkit/testing package', () => {
  it('is found when it resolves and missing when Node says MODULE_NOT_FOUND', () => {
    expect(testingInstalled(() => '/x/index.js')).toBe(true);
    const notFound = () => {
      throw Object.assign(new Error("Cannot find module '@kinesis-toolkit/testing'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(testingInstalled(notFound)).toBe(false);
  });

  it('says in one line how to get it (exit code 1)', () => {
    const error = testingMissing('demo');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^demo needs @kinesis-toolkit\/testing .* — run `npm install @kinesis-toolkit\/testing` where @kinesis-toolkit\/cli is installed/);
    expect(error.message).not.toContain('\n');
  });
});
