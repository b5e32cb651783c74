import { invocationDirectory } from './invocationDirectory';

describe('invocationDirectory', () => {
  it("is npm's INIT_CWD under `npm run cli` / `npm run demo` of this repository (npm runs them from the root)", () => {
    const env = { npm_package_name: 'kinesis-toolkit', npm_lifecycle_event: 'cli', INIT_CWD: '/home/me/logs' };
    expect(invocationDirectory(env, '/repo')).toBe('/home/me/logs');
    expect(invocationDirectory({ ...env, npm_lifecycle_event: 'demo' }, '/repo')).toBe('/home/me/logs');
  });

  it("is the process's directory otherwise — even inside another npm script that set INIT_CWD", () => {
    expect(invocationDirectory({}, '/here')).toBe('/here');
    expect(invocationDirectory({ npm_package_name: 'kinesis-toolkit', npm_lifecycle_event: 'test', INIT_CWD: '/repo' }, '/tmp/x')).toBe('/tmp/x');
    expect(invocationDirectory({ npm_package_name: 'my-app', npm_lifecycle_event: 'cli', INIT_CWD: '/repo' }, '/tmp/x')).toBe('/tmp/x');
  });
});
