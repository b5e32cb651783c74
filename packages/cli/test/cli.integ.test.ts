import { runCli } from './runCli';

// The binary's plumbing: what every command shares (help, usage errors, exit codes).
describe('kinesis-toolkit (binary)', () => {
  it('lists the commands for --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    for (const name of ['local', 'consume', 'leases', 'bench']) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('rejects an unknown command with one line on stderr and exit code 2', async () => {
    const result = await runCli(['consmue']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^kinesis-toolkit: unknown command "consmue"\. Commands: [a-z, ]+; run `kinesis-toolkit --help`\.\n$/);
  });

  it.each([
    ['local', ['--port', '1'], '--port'],
    ['consume', ['--stream', 's', '--from', 'x'], '--from'],
    ['leases', ['--application', 'a'], '--application'],
    ['bench', ['--fast'], '--fast'],
  ])('%s: rejects an unknown flag with one line on stderr and exit code 2', async (command, argv, unknown) => {
    const result = await runCli([command, ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`kinesis-toolkit ${command}: Unknown option '${unknown}'. Run \`kinesis-toolkit ${command} --help\` for the flags.\n`);
  });

  it.each(['local', 'consume', 'leases', 'bench'])('%s --help prints its usage and exits 0', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: kinesis-toolkit ${command}`));
    expect(result.stderr).toBe('');
  });

  it('bench outside a checkout (--repo elsewhere) says so in one line', async () => {
    const result = await runCli(['bench', '--repo', '/']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('kinesis-toolkit bench: --repo / is not a kinesis-toolkit checkout (no scripts/bench.js next to a package.json named "kinesis-toolkit").\n');
  });

  it("bench runs the repository's scripts/bench.js and passes its output and exit code through", async () => {
    // A filter that matches no bench file: bench.js says so and exits 1, without benchmarking.
    const result = await runCli(['bench', '--no-build', 'no-such-benchmark']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bench: nothing matches no-such-benchmark \(have: packages\/.*\.bench\.ts/);
  });
});
