import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { runCli, startCli, type CliProcess } from './runCli';

let stack: TestStack;
let streamName: string;
/** What the stream holds, in order: an aggregate of three user records, then one plain record. */
let aggregateSequenceNumber: string;
let plainSequenceNumber: string;

beforeAll(async () => {
  stack = getTestStack();
  streamName = uniqueName('cli-consume');
  // One shard: every sub-record of the aggregate is in that shard's hash range.
  await createStream(stack.kinesis.client, streamName, 1);
  const [packed] = aggregate([
    { partitionKey: 'user-1', data: Buffer.from('{"n":1}') },
    { partitionKey: 'user-2', data: Buffer.from([0xff, 0x00, 0xfe]) },
    { partitionKey: 'user-3', data: Buffer.from('tab\there\nnewline') },
  ]);
  expect(packed?.aggregated).toBe(true);
  const { Records = [] } = await stack.kinesis.client.send(
    new PutRecordsCommand({ StreamName: streamName, Records: [{ PartitionKey: packed!.partitionKey, ExplicitHashKey: packed!.explicitHashKey, Data: packed!.data }] }),
  );
  aggregateSequenceNumber = Records[0]?.SequenceNumber as string;
  const plain = await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'plain-key', Data: Buffer.from('plain text') }));
  plainSequenceNumber = plain.SequenceNumber as string;
});
afterAll(() => stack.destroy());

const shardId = 'shardId-000000000000';

/** Parses JSON lines, checking each arrival timestamp is an ISO date and leaving it out of the comparison. */
function parseLines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const { approximateArrivalTimestamp, ...rest } = JSON.parse(line) as Record<string, unknown>;
      expect(new Date(approximateArrivalTimestamp as string).toISOString()).toBe(approximateArrivalTimestamp);
      return rest;
    });
}

describe('kinesis-toolkit consume', () => {
  it('prints the de-aggregated records as JSON lines from TRIM_HORIZON and exits 0 when caught up (--until-idle)', async () => {
    const result = await runCli(['consume', '--stream', streamName, '--position', 'TRIM_HORIZON', '--until-idle', '--poll-interval-ms', '50']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual([
      { shardId, sequenceNumber: aggregateSequenceNumber, subSequenceNumber: 0, partitionKey: 'user-1', aggregated: true, data: '{"n":1}', encoding: 'utf8' },
      { shardId, sequenceNumber: aggregateSequenceNumber, subSequenceNumber: 1, partitionKey: 'user-2', aggregated: true, data: '/wD+', encoding: 'base64' },
      { shardId, sequenceNumber: aggregateSequenceNumber, subSequenceNumber: 2, partitionKey: 'user-3', aggregated: true, data: 'tab\there\nnewline', encoding: 'utf8' },
      { shardId, sequenceNumber: plainSequenceNumber, subSequenceNumber: 0, partitionKey: 'plain-key', aggregated: false, data: 'plain text', encoding: 'utf8' },
    ]);
  });

  it('stops after --limit records (without --until-idle) and exits 0', async () => {
    const result = await runCli(['consume', '--stream', streamName, '--position', 'TRIM_HORIZON', '--limit', '2']);
    expect(result.code).toBe(0);
    expect(parseLines(result.stdout).map((line) => line.partitionKey)).toEqual(['user-1', 'user-2']);
  });

  it('--format text prints one line per record; --format raw the data bytes and a newline', async () => {
    const text = await runCli(['consume', '--stream', streamName, '--position', 'TRIM_HORIZON', '--format', 'text', '--no-follow']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        `${shardId}  ${aggregateSequenceNumber}:0  user-1  {"n":1}`,
        `${shardId}  ${aggregateSequenceNumber}:1  user-2  base64:/wD+`,
        `${shardId}  ${aggregateSequenceNumber}:2  user-3  tab\\there\\nnewline`,
        `${shardId}  ${plainSequenceNumber}:0  plain-key  plain text`,
        '',
      ].join('\n'),
    );
    const raw = await runCli(['consume', '--stream', streamName, '--position', 'TRIM_HORIZON', '--format', 'raw', '--limit', '1']);
    expect(raw).toMatchObject({ code: 0, stdout: '{"n":1}\n' });
  });

  describe('following the stream', () => {
    let following: CliProcess | undefined;
    afterEach(() => following?.kill('SIGKILL'));

    it('from LATEST prints records written after it started, and exits 0 on Ctrl-C', async () => {
      following = startCli(['consume', '--stream', streamName, '--format', 'raw', '--poll-interval-ms', '50']);
      // Its iterators exist at some moment after start: write until it prints one.
      let written = 0;
      await waitFor(
        async () => {
          await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'live', Data: Buffer.from(`live-${written++}`) }));
          return /live-\d+\n/.test(following?.stdout ?? '');
        },
        { timeoutMs: 15_000, intervalMs: 100, description: "consume to print a record written after it started" },
      );
      following.kill('SIGINT');
      const result = await following.exited;
      expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
      // Only records written after it started, in order; none of what was there before.
      const lines = result.stdout.slice(0, -1).split('\n');
      const first = Number(lines[0]?.slice('live-'.length));
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => `live-${first + i}`));
    });
  });

  it('says in one line that the stream does not exist, where it looked, and exits 1', async () => {
    const missing = uniqueName('cli-consume-missing');
    const result = await runCli(['consume', '--stream', missing, '--no-follow']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `kinesis-toolkit consume: stream "${missing}" not found in us-east-1 at ${stack.kinesis.endpoint} — create it or check --region/--kinesis-endpoint.\n`,
    );
  });

  it('says which shards the stream has when --shard names another', async () => {
    const result = await runCli(['consume', '--stream', streamName, '--shard', 'shardId-000000000007', '--no-follow']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`kinesis-toolkit consume: stream "${streamName}" has no shard shardId-000000000007 — its shards: ${shardId}.\n`);
  });
});
