import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { WaitTimeoutError } from '../errors/WaitTimeoutError';
import { ManualClock } from '@kinesis-toolkit/core';
import { createStream } from './createStream';

/** A client whose stream stays CREATING for `creatingLooks` DescribeStreamSummary calls. */
function fakeKinesis(creatingLooks: number): { client: KinesisClient; commands: string[] } {
  const commands: string[] = [];
  let looks = 0;
  const send = async (command: unknown): Promise<unknown> => {
    commands.push((command as object).constructor.name);
    if (command instanceof CreateStreamCommand) return {};
    if (command instanceof DescribeStreamSummaryCommand) {
      looks += 1;
      const status = looks > creatingLooks ? 'ACTIVE' : 'CREATING';
      return { StreamDescriptionSummary: { StreamName: command.input.StreamName, StreamStatus: status } };
    }
    throw new Error('unexpected command');
  };
  return { client: { send } as unknown as KinesisClient, commands };
}

describe('createStream', () => {
  it('polls until the stream is ACTIVE and returns its summary', async () => {
    const clock = new ManualClock();
    const { client, commands } = fakeKinesis(2);
    const created = createStream(client, 'orders', 2, { clock, intervalMs: 100 });
    await clock.advance(200);
    await expect(created).resolves.toEqual({ StreamName: 'orders', StreamStatus: 'ACTIVE' });
    expect(commands).toEqual(['CreateStreamCommand', 'DescribeStreamSummaryCommand', 'DescribeStreamSummaryCommand', 'DescribeStreamSummaryCommand']);
  });

  it('gives up with a WaitTimeoutError naming the stream', async () => {
    const clock = new ManualClock();
    const { client } = fakeKinesis(Number.POSITIVE_INFINITY);
    const created = createStream(client, 'stuck', 1, { clock, timeoutMs: 1_000 });
    const assertion = expect(created).rejects.toThrow(new WaitTimeoutError('stream stuck to become ACTIVE', 1_000, 51));
    await clock.advance(1_000);
    await assertion;
  });

  it('rejects a bad name or shard count before calling AWS', async () => {
    const { client, commands } = fakeKinesis(0);
    await expect(createStream(client, '', 1)).rejects.toThrow(new TypeError('streamName: expected a non-empty string, got ""'));
    await expect(createStream(client, 'x', 1.5)).rejects.toThrow(new TypeError('shardCount: expected an integer >= 1, got 1.5'));
    expect(commands).toEqual([]);
  });
});
