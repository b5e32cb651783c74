import { runCli } from './runCli';

// The real binary, end to end: its own local stack and PostgreSQL, 2 worker processes, a split,
// a merge, a kill -9 and a restart, then verification from both sinks. ~20 s on 2 cores.
describe('kinesis-toolkit demo', () => {
  it('runs the whole toolkit end to end and passes its own verification (exit 0)', async () => {
    const result = await runCli(['demo', '--records', '20000'], { timeoutMs: 120_000 });
    const output = `${result.stdout}\n--- stderr ---\n${result.stderr}`;
    expect({ code: result.code, output }).toEqual({ code: 0, output: expect.stringContaining('PASS: every acknowledged record reached every sink') });

    // Not a terminal: plain progress lines, no ANSI control sequences.
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/^\[[0-9.]+ s\] [a-z ]+: produced [0-9,]+\/20,000 \([0-9]+%\), delivered [0-9,]+/m);
    // The chaos happened while it ran.
    expect(result.stdout).toMatch(/^reshard: split shard 0 into shard \d+ and shard \d+$/m);
    expect(result.stdout).toMatch(/^reshard: merged shard \d+ and shard \d+ into shard \d+$/m);
    expect(result.stdout).toMatch(/^kill -9 worker-\d \(pid \d+\), holding shard/m);
    expect(result.stdout).toMatch(/^restarted worker-\d as worker-\db \(pid \d+\)$/m);

    // The summary: every figure the issue asks for, and both sinks verified.
    expect(result.stdout).toMatch(/^ {2}produced +20,000 acknowledged of 20,000 put, in [0-9.]+ s \([0-9,]+ records\/s\)$/m);
    expect(result.stdout).toMatch(/^ {2}aggregation +[0-9,]+ Kinesis records, [0-9.]+ user records per Kinesis record$/m);
    expect(result.stdout).toMatch(/^ {2}latency +p50 [0-9.]+ m?s, p99 [0-9.]+ m?s/m);
    expect(result.stdout).toMatch(/^ {2}takeover +[0-9.]+ m?s \(worker-\d's \d+ leases → worker-\d/m);
    const sinkRow = (sink: string) => new RegExp(`^ {2}${sink} +[0-9,]+ +20,000 +0 +0 +[0-9,]+ +0 +PASS$`, 'm');
    expect(result.stdout).toMatch(sinkRow('s3'));
    // PostgreSQL holds each stream position once: exactly 20,000 rows, no duplicates.
    expect(result.stdout).toMatch(/^ {2}postgresql +20,000 +20,000 +0 +0 +0 +0 +PASS$/m);
  }, 150_000);

  it('rejects a bad flag with one line and exit code 2, before starting anything', async () => {
    const result = await runCli(['demo', '--records', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['kinesis-toolkit demo: --records must be an integer ≥ 1, got "lots". Run `kinesis-toolkit demo --help` for the flags.']);
    const chaos = await runCli(['demo', '--chaos', 'split,explode']);
    expect(chaos.code).toBe(2);
    expect(chaos.stderr).toMatch(/--chaos: expected a list of split, merge, kill \(or none\), got \["split","explode"\]/);
  });
});
