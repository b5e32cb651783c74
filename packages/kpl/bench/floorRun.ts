/**
 * The floor of the hot-path benchmark: a producer stripped to the steps nothing that keeps
 * `KinesisProducer`'s contract can skip — validate each record, hash its partition key to find its
 * shard, aggregate it with that shard's records (`AggregateBuilder`, the MD5 trailer included),
 * collect aggregates into PutRecords of ≤ 500 entries and ≤ 5 MiB, and answer each user record
 * with its own result (`put()`: a promise per record; `putMany()`: one promise and a result
 * object per record). It has no expiry, no retries, no rate limiting, no backpressure, no
 * ordering, no shard-map refresh and no metrics, and it fails on any failed entry: it is a lower
 * bound on the CPU a record costs, not a producer.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ListShardsCommand, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { AggregateBuilder, ShardMap, hashKeyToWords, hashKeyWordsOf, validateUserRecord, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import { PRODUCER_DEFAULTS } from '@kinesis-toolkit/kpl';
import { check, gc, MiB } from './benchSupport';
import type { CpuRun } from './cpuRun';
import { InstantKinesisClient } from './InstantKinesisClient';

/** What a user record is answered with: where it landed. */
interface FloorResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
}
/** Who is answered for a record: a put()'s promise, or a slot of a putMany() call. */
interface Waiter {
  settle(slot: number, result: FloorResult): void;
}

/** One put(): its promise's resolve. */
class PutCall implements Waiter {
  constructor(readonly resolve: (result: FloorResult) => void) {}
  settle(_slot: number, result: FloorResult): void {
    this.resolve(result);
  }
}

/** One putMany() call: a settled-result object per record, resolved when the last one is in. */
class ManyCall implements Waiter {
  readonly results: { status: 'fulfilled'; value: FloorResult }[];
  #left: number;
  constructor(
    count: number,
    readonly resolve: (results: readonly { status: 'fulfilled'; value: FloorResult }[]) => void,
  ) {
    this.results = new Array(count);
    this.#left = count;
  }
  settle(slot: number, value: FloorResult): void {
    this.results[slot] = { status: 'fulfilled', value };
    if (--this.#left === 0) this.resolve(this.results);
  }
}

/** The waiters of one aggregate, with each one's slot. */
interface Waiting {
  waiters: Waiter[];
  slots: number[];
}
const noWaiting = (): Waiting => ({ waiters: [], slots: [] });

const MAX_ENTRIES = 500;
const MAX_REQUEST_BYTES = 5 * MiB;
/** Puts between two turns of the event loop, as the other contenders are fed. */
const PUTS_PER_TURN = 1000;

/** The floor's pipeline over one instant client. */
class FloorPipeline {
  readonly #builders: AggregateBuilder[];
  /** Per shard: who to answer for the records in its open aggregate. */
  readonly #waiting: Waiting[];
  readonly #shardIndex = new Map<string, number>();
  readonly #words = new Uint32Array(4);
  #entries: PutRecordsRequestEntry[] = [];
  #settles: Waiting[] = [];
  #bytes = 0;
  readonly #sends: Promise<void>[] = [];

  constructor(
    private readonly client: InstantKinesisClient,
    private readonly map: ShardMap,
  ) {
    map.shards.forEach((shard, i) => this.#shardIndex.set(shard.shardId, i));
    this.#builders = map.shards.map(() => new AggregateBuilder({ maxBytes: PRODUCER_DEFAULTS.aggregationMaxBytes }));
    this.#waiting = map.shards.map(noWaiting);
  }

  add(record: UserRecordInput, waiter: Waiter, slot: number): void {
    validateUserRecord(record);
    const words = this.#words;
    if (record.explicitHashKey === undefined) hashKeyWordsOf(record.partitionKey, words);
    else words.set(hashKeyToWords(BigInt(record.explicitHashKey)));
    const shard = this.map.shardForHashKeyWords(words[0]!, words[1]!, words[2]!, words[3]!)!;
    const index = this.#shardIndex.get(shard.shardId)!;
    const builder = this.#builders[index]!;
    if (!builder.tryAddValidated(record)) {
      this.#closeAggregate(index);
      builder.tryAddValidated(record);
    }
    const waiting = this.#waiting[index]!;
    waiting.waiters.push(waiter);
    waiting.slots.push(slot);
  }

  /** Sends everything still open; resolves once every request has been answered. */
  async flush(): Promise<void> {
    for (let i = 0; i < this.#builders.length; i++) if (this.#builders[i]!.count > 0) this.#closeAggregate(i);
    if (this.#entries.length > 0) this.#send();
    await Promise.all(this.#sends);
  }

  #closeAggregate(index: number): void {
    const output = this.#builders[index]!.build();
    const entry: PutRecordsRequestEntry = { PartitionKey: output.partitionKey, ExplicitHashKey: output.explicitHashKey, Data: output.data };
    const bytes = output.data.length + output.partitionKey.length;
    if (this.#entries.length >= MAX_ENTRIES || this.#bytes + bytes > MAX_REQUEST_BYTES) this.#send();
    this.#entries.push(entry);
    this.#settles.push(this.#waiting[index]!);
    this.#waiting[index] = noWaiting();
    this.#bytes += bytes;
  }

  #send(): void {
    const entries = this.#entries;
    const settles = this.#settles;
    this.#entries = [];
    this.#settles = [];
    this.#bytes = 0;
    const sent = this.client.send(new PutRecordsCommand({ StreamName: 'bench', Records: entries })) as Promise<{
      Records: { ShardId?: string; SequenceNumber?: string }[];
    }>;
    this.#sends.push(
      sent.then((output) => {
        for (let i = 0; i < settles.length; i++) {
          const answer = output.Records[i]!;
          check(answer.SequenceNumber !== undefined, 'floor: an entry failed (the instant client never fails one)');
          const result: FloorResult = { shardId: answer.ShardId!, sequenceNumber: answer.SequenceNumber! };
          const { waiters, slots } = settles[i]!;
          for (let k = 0; k < waiters.length; k++) waiters[k]!.settle(slots[k]!, result);
        }
      }),
    );
  }
}

/** `records` through the floor, answered per record (`put`) or per call of 1,000 (`putMany`). */
export async function runFloor(records: readonly UserRecordInput[], shards: number, feed: 'put' | 'putMany'): Promise<CpuRun> {
  const client = new InstantKinesisClient(shards);
  const listed = (await client.send(new ListShardsCommand({ StreamName: 'bench' }))) as { Shards: [] };
  const pipeline = new FloorPipeline(client, ShardMap.fromShards(listed.Shards));
  let succeeded = 0;
  const onResult = (_result: FloorResult): void => {
    succeeded++;
  };
  gc?.();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const calls: Promise<void>[] = [];
  for (let from = 0; from < records.length; from += PUTS_PER_TURN) {
    if (from > 0) await nextTurn();
    const to = Math.min(records.length, from + PUTS_PER_TURN);
    if (feed === 'put') {
      for (let i = from; i < to; i++) {
        const record = records[i]!;
        new Promise<FloorResult>((resolve) => pipeline.add(record, new PutCall(resolve), 0)).then(onResult);
      }
    } else {
      calls.push(
        new Promise<readonly { status: 'fulfilled'; value: FloorResult }[]>((resolve) => {
          const call = new ManyCall(to - from, resolve);
          for (let i = from; i < to; i++) pipeline.add(records[i]!, call, i - from);
        }).then((results) => {
          for (const outcome of results) onResult(outcome.value);
        }),
      );
    }
  }
  await pipeline.flush();
  await Promise.all(calls);
  // The per-record promises' reactions run after the sends' own.
  await nextTurn();
  const cpu = process.cpuUsage(cpuBefore);
  check(succeeded === records.length, `floor: ${succeeded} of ${records.length} records answered`);
  return { cpuUsPerRecord: (cpu.user + cpu.system) / records.length, wallMs: performance.now() - startedAt };
}
