import { MAX_HASH_KEY } from '@kinesis-toolkit/core';

/**
 * A stand-in for a KinesisClient in unit cases, where the bad input must be refused before any
 * call matters: a one-shard stream that accepts every record. It claims nothing about AWS's
 * behaviour — cases that need the service's answers run against the local stack instead.
 */
export function fakeKinesisClient(): { send(command: object): Promise<unknown>; destroy(): void } {
  let sequence = 0n;
  const shard = { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: MAX_HASH_KEY.toString() }, SequenceNumberRange: { StartingSequenceNumber: '1' } };
  return {
    destroy: () => undefined,
    send: async (command: object) => {
      const input = (command as { input?: Record<string, unknown> }).input ?? {};
      switch (command.constructor.name) {
        case 'ListShardsCommand':
          return { Shards: [shard] };
        case 'DescribeStreamSummaryCommand':
          return { StreamDescriptionSummary: { StreamName: input.StreamName, StreamStatus: 'ACTIVE', OpenShardCount: 1, StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${String(input.StreamName)}` } };
        case 'PutRecordsCommand': {
          const records = (input.Records as unknown[] | undefined) ?? [];
          return { FailedRecordCount: 0, Records: records.map(() => ({ ShardId: shard.ShardId, SequenceNumber: String((sequence += 1n)) })) };
        }
        case 'PutRecordCommand':
          return { ShardId: shard.ShardId, SequenceNumber: String((sequence += 1n)) };
        default:
          return {};
      }
    },
  };
}
