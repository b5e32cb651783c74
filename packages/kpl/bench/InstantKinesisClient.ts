/**
 * A Kinesis client that answers in-process, at once: ListShards with `shardCount` shards splitting
 * the hash-key space evenly, PutRecords with every entry stored on the shard that owns its hash
 * key (its explicit hash key, else MD5 of its partition key) — no network, no serialisation, so a
 * benchmark measures the caller's own CPU. It counts what it was sent, for the checks.
 */
import { ListShardsCommand, PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';

export class InstantKinesisClient {
  /** PutRecords entries stored, and requests answered. */
  entries = 0;
  requests = 0;
  /** Data bytes of every stored entry. */
  dataBytes = 0;
  readonly #starts: bigint[] = [];
  readonly #shardIds: string[] = [];
  #sequence = 0;

  constructor(shardCount: number) {
    const span = (MAX_HASH_KEY + 1n) / BigInt(shardCount);
    for (let i = 0; i < shardCount; i++) {
      this.#starts.push(span * BigInt(i));
      this.#shardIds.push(`shardId-${String(i).padStart(12, '0')}`);
    }
  }

  /** This client, typed as what the producer and the SDK loop take. */
  asClient(): KinesisClient {
    return this as unknown as KinesisClient;
  }

  send(command: unknown): Promise<unknown> {
    if (command instanceof PutRecordsCommand) {
      this.requests++;
      const records = command.input.Records ?? [];
      const answers: PutRecordsResultEntry[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const hashKey = record.ExplicitHashKey !== undefined ? BigInt(record.ExplicitHashKey) : hashKeyOf(record.PartitionKey!);
        let shard = this.#starts.length - 1;
        while (this.#starts[shard]! > hashKey) shard--;
        this.dataBytes += record.Data!.length;
        answers[i] = { ShardId: this.#shardIds[shard]!, SequenceNumber: String(++this.#sequence) };
      }
      this.entries += records.length;
      return Promise.resolve({ FailedRecordCount: 0, Records: answers, $metadata: {} });
    }
    if (command instanceof ListShardsCommand) {
      const last = this.#starts.length - 1;
      return Promise.resolve({
        Shards: this.#starts.map((start, i) => ({
          ShardId: this.#shardIds[i],
          HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: (i === last ? MAX_HASH_KEY : this.#starts[i + 1]! - 1n).toString() },
          SequenceNumberRange: { StartingSequenceNumber: '0' },
        })),
        $metadata: {},
      });
    }
    return Promise.reject(new Error(`InstantKinesisClient: unsupported command ${(command as object)?.constructor?.name}`));
  }

  destroy(): void {}
}
