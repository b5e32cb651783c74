import {
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
  type ListShardsCommandInput,
  type ListShardsCommandOutput,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
  type PutRecordsResultEntry,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { deaggregate, hashKeyOf } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY, ShardLineage, type Clock } from '@kinesis-toolkit/core';
import {
  shardIdOf,
  type EntryBehaviour,
  type FakeEntry,
  type FakeKinesisClientOptions,
  type FakePutRequest,
  type FakeShard,
  type HeldRequest,
  type RequestBehaviour,
  type StoredKinesisRecord,
  type StoredUserRecord,
} from './fakeKinesisShapes';

export * from './fakeKinesisShapes';

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/**
 * A scriptable stand-in for the SDK's `KinesisClient`, enough for the producer: `ListShards`
 * (open shards, paged) and `PutRecords` (routes each entry by its explicit hash key, or MD5 of its
 * partition key, to the open shard that owns it, as Kinesis does). Tests script the shard list
 * (including splits), whole-request behaviour (errors, hangs until aborted, held answers) and
 * per-entry outcomes; every request and every accepted record is recorded.
 */
export class FakeKinesisClient {
  readonly shards: FakeShard[] = [];
  readonly putRequests: FakePutRequest[] = [];
  readonly listShardsRequests: ListShardsCommandInput[] = [];
  /** Accepted Kinesis records per shard, in acceptance order. */
  readonly stored = new Map<string, StoredKinesisRecord[]>();
  readonly held: HeldRequest[] = [];
  /** Per-request script, consulted for each PutRecords request in turn (then `onPutRecords`). */
  readonly putRecordsScript: RequestBehaviour[] = [];
  /** Per-call script for ListShards: an error, 'hang' (until aborted) or undefined (answer). */
  readonly listShardsScript: RequestBehaviour[] = [];
  /** Decides what a request does when the script is empty. */
  onPutRecords: (request: FakePutRequest) => RequestBehaviour = () => undefined;
  /** Decides each entry's outcome. */
  onEntry: (entry: FakeEntry) => EntryBehaviour = () => undefined;
  latencyMs: number;
  #inFlight = 0;
  #maxInFlight = 0;
  readonly #inFlightPerShard = new Map<string, number>();
  #maxInFlightPerShard = 0;
  readonly #inFlightPerKey = new Map<string, number>();
  #maxInFlightPerKey = 0;
  #nextShardNumber = 0;
  #nextSequence = 1;
  readonly #clock: Clock | undefined;
  readonly #pageSize: number;

  constructor(options: FakeKinesisClientOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.#clock = options.clock;
    this.#pageSize = options.listShardsPageSize ?? Infinity;
    const count = options.shardCount ?? 1;
    const span = (MAX_HASH_KEY + 1n) / BigInt(count);
    for (let i = 0; i < count; i++) {
      const start = span * BigInt(i);
      this.#addShard(start, i === count - 1 ? MAX_HASH_KEY : start + span - 1n);
    }
  }

  /** This fake, typed as the client the producer takes. */
  asClient(): KinesisClient {
    return this as unknown as KinesisClient;
  }

  /** PutRecords requests in flight now, and the most ever at once. */
  get inFlight(): number {
    return this.#inFlight;
  }
  get maxInFlight(): number {
    return this.#maxInFlight;
  }
  /** The most entries routed to one shard that were in flight at once. */
  get maxInFlightPerShard(): number {
    return this.#maxInFlightPerShard;
  }
  /** The most entries carrying user records of one partition key that were in flight at once. */
  get maxInFlightPerKey(): number {
    return this.#maxInFlightPerKey;
  }

  openShards(): FakeShard[] {
    return this.shards.filter((shard) => !shard.closed);
  }

  shard(shardId: string): FakeShard {
    const found = this.shards.find((shard) => shard.shardId === shardId);
    if (found === undefined) throw new Error(`no shard ${shardId}`);
    return found;
  }

  /** Splits an open shard at the middle of its range: it closes, two children open. */
  split(shardId: string): [FakeShard, FakeShard] {
    const parent = this.shard(shardId);
    parent.closed = true;
    const middle = (parent.startingHashKey + parent.endingHashKey) / 2n;
    return [this.#addShard(parent.startingHashKey, middle, shardId), this.#addShard(middle + 1n, parent.endingHashKey, shardId)];
  }

  /** Merges two adjacent open shards, as MergeShards does: both close, one child owning both ranges opens. */
  merge(shardId: string, adjacentShardId: string): FakeShard {
    const [low, high] = [this.shard(shardId), this.shard(adjacentShardId)].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    if (low!.closed || high!.closed || low!.endingHashKey + 1n !== high!.startingHashKey) throw new Error(`cannot merge ${shardId} and ${adjacentShardId}`);
    low!.closed = true;
    high!.closed = true;
    return this.#addShard(low!.startingHashKey, high!.endingHashKey, shardId, adjacentShardId);
  }

  /**
   * User records as a consumer that follows the shard lineage reads them: every shard, parents
   * before children (core's ShardLineage), each in stream order, only those inside the range of
   * the shard that holds them (a KCL consumer drops the others).
   */
  readAlongLineage(): StoredUserRecord[] {
    const lineage = new ShardLineage(this.shards.map((shard) => ({ shardId: shard.shardId, parentShardId: shard.parentShardId, adjacentParentShardId: shard.adjacentParentShardId })));
    return lineage.parentsFirst().flatMap((shardId) => this.userRecords(shardId).filter((record) => record.inRange));
  }

  /** The open shard that owns a hash key. */
  shardFor(hashKey: bigint): FakeShard | undefined {
    return this.openShards().find((shard) => hashKey >= shard.startingHashKey && hashKey <= shard.endingHashKey);
  }

  /** Every Kinesis record accepted, over all shards. */
  allStored(): StoredKinesisRecord[] {
    return [...this.stored.values()].flat();
  }

  /** User records as a consumer would read them, per shard in stream order. */
  userRecords(shardId?: string): StoredUserRecord[] {
    const out: StoredUserRecord[] = [];
    for (const stored of shardId === undefined ? this.allStored() : (this.stored.get(shardId) ?? [])) {
      const shard = this.shard(stored.shardId);
      for (const user of stored.entry.userRecords) {
        // A plain record routes by the entry's own hash key; a sub-record by its own EHK or key.
        const hashKey = !user.aggregated
          ? stored.entry.hashKey
          : user.explicitHashKey !== undefined
            ? BigInt(user.explicitHashKey)
            : hashKeyOf(user.partitionKey);
        out.push({
          shardId: stored.shardId,
          partitionKey: user.partitionKey,
          data: user.data.toString(),
          sequenceNumber: stored.sequenceNumber,
          subSequenceNumber: user.subSequenceNumber,
          inRange: hashKey >= shard.startingHashKey && hashKey <= shard.endingHashKey,
        });
      }
    }
    return out;
  }

  /** Entries per PutRecords request, in arrival order. */
  batchSizes(): number[] {
    return this.putRequests.map((request) => request.entries.length);
  }

  async send(command: unknown, options: { abortSignal?: AbortSignal } = {}): Promise<unknown> {
    if (command instanceof ListShardsCommand) return this.#listShards(command.input, options.abortSignal);
    if (command instanceof PutRecordsCommand) return this.#putRecords(command.input, options.abortSignal);
    throw new Error(`FakeKinesisClient: unsupported command ${(command as object)?.constructor?.name}`);
  }

  destroy(): void {}

  #addShard(startingHashKey: bigint, endingHashKey: bigint, parentShardId?: string, adjacentParentShardId?: string): FakeShard {
    const shard: FakeShard = { shardId: shardIdOf(this.#nextShardNumber++), startingHashKey, endingHashKey, parentShardId, adjacentParentShardId, closed: false };
    this.shards.push(shard);
    return shard;
  }

  async #listShards(input: ListShardsCommandInput, abortSignal: AbortSignal | undefined): Promise<ListShardsCommandOutput> {
    this.listShardsRequests.push(input);
    const behaviour = this.listShardsScript.shift();
    if (behaviour instanceof Error) throw behaviour;
    if (behaviour === 'hang' || behaviour === 'hold') await this.#untilAborted(abortSignal);
    if (behaviour instanceof Promise) await behaviour;
    await this.#latency(abortSignal);
    const all = input.ShardFilter?.Type === 'AT_LATEST' ? this.openShards() : this.shards;
    const from = input.NextToken !== undefined ? Number(input.NextToken) : 0;
    const page = all.slice(from, from + this.#pageSize);
    const next = from + page.length < all.length ? String(from + page.length) : undefined;
    const shards: Shard[] = page.map((shard) => ({
      ShardId: shard.shardId,
      ParentShardId: shard.parentShardId,
      AdjacentParentShardId: shard.adjacentParentShardId,
      HashKeyRange: { StartingHashKey: shard.startingHashKey.toString(), EndingHashKey: shard.endingHashKey.toString() },
      SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: shard.closed ? '99999999' : undefined },
    }));
    return { Shards: shards, NextToken: next, $metadata: {} };
  }

  async #putRecords(input: PutRecordsCommandInput, abortSignal: AbortSignal | undefined): Promise<PutRecordsCommandOutput> {
    const index = this.putRequests.length;
    const entries = (input.Records ?? []).map((record): FakeEntry => {
      const data = Buffer.from(record.Data ?? new Uint8Array());
      const partitionKey = record.PartitionKey ?? '';
      const hashKey = record.ExplicitHashKey !== undefined ? BigInt(record.ExplicitHashKey) : hashKeyOf(partitionKey);
      const userRecords = deaggregate({ Data: data, PartitionKey: partitionKey, SequenceNumber: 'unknown' }).records;
      return { partitionKey, explicitHashKey: record.ExplicitHashKey, data, hashKey, shardId: this.shardFor(hashKey)?.shardId, userRecords, requestIndex: index };
    });
    const request: FakePutRequest = { index, receivedAt: this.#now(), input, entries, abortSignal };
    this.putRequests.push(request);
    this.#enter(request);
    try {
      const behaviour = this.putRecordsScript.length > 0 ? this.putRecordsScript.shift() : this.onPutRecords(request);
      if (behaviour instanceof Error) {
        await this.#latency(abortSignal);
        throw behaviour;
      }
      if (behaviour === 'hang') await this.#untilAborted(abortSignal);
      if (behaviour === 'hold') {
        const outcome = await new Promise<Error | undefined>((resolve, reject) => {
          // Leaving `held` happens synchronously, so `while (fake.held.length) fake.held[0].answer()` ends.
          const release = () => {
            const at = this.held.indexOf(held);
            if (at >= 0) this.held.splice(at, 1);
          };
          const held: HeldRequest = {
            request,
            answer: () => {
              release();
              resolve(undefined);
            },
            fail: (error) => {
              release();
              resolve(error);
            },
          };
          this.held.push(held);
          abortSignal?.addEventListener('abort', () => {
            release();
            reject(abortError());
          });
        });
        if (outcome !== undefined) throw outcome;
      } else {
        await this.#latency(abortSignal);
      }
      return this.#answer(request);
    } catch (error) {
      if (abortSignal?.aborted) request.aborted = true;
      throw error;
    } finally {
      request.answeredAt = this.#now();
      this.#leave(request);
    }
  }

  #answer(request: FakePutRequest): PutRecordsCommandOutput {
    let failed = 0;
    const results = request.entries.map((entry): PutRecordsResultEntry => {
      // Route again at answer time: the shard list may have changed while it was in flight.
      const shardId = this.shardFor(entry.hashKey)?.shardId;
      const behaviour = shardId === undefined ? { errorCode: 'InternalFailure', errorMessage: 'no open shard' } : this.onEntry({ ...entry, shardId });
      if (behaviour !== undefined) {
        failed++;
        return { ErrorCode: behaviour.errorCode, ErrorMessage: behaviour.errorMessage ?? behaviour.errorCode };
      }
      const sequenceNumber = String(this.#nextSequence++).padStart(20, '0');
      const list = this.stored.get(shardId!) ?? [];
      list.push({ shardId: shardId!, sequenceNumber, entry, acceptedAt: this.#now() });
      this.stored.set(shardId!, list);
      return { ShardId: shardId, SequenceNumber: sequenceNumber };
    });
    return { FailedRecordCount: failed, Records: results, $metadata: {} };
  }

  #enter(request: FakePutRequest): void {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    for (const entry of request.entries) {
      const key = entry.shardId ?? 'none';
      const count = (this.#inFlightPerShard.get(key) ?? 0) + 1;
      this.#inFlightPerShard.set(key, count);
      this.#maxInFlightPerShard = Math.max(this.#maxInFlightPerShard, count);
      for (const key of new Set(entry.userRecords.map((user) => user.partitionKey))) {
        const keyCount = (this.#inFlightPerKey.get(key) ?? 0) + 1;
        this.#inFlightPerKey.set(key, keyCount);
        this.#maxInFlightPerKey = Math.max(this.#maxInFlightPerKey, keyCount);
      }
    }
  }

  #leave(request: FakePutRequest): void {
    this.#inFlight--;
    for (const entry of request.entries) {
      const key = entry.shardId ?? 'none';
      this.#inFlightPerShard.set(key, (this.#inFlightPerShard.get(key) ?? 1) - 1);
      for (const partitionKey of new Set(entry.userRecords.map((user) => user.partitionKey))) {
        this.#inFlightPerKey.set(partitionKey, (this.#inFlightPerKey.get(partitionKey) ?? 1) - 1);
      }
    }
  }

  #now(): number {
    return this.#clock?.now() ?? 0;
  }

  #untilAborted(abortSignal: AbortSignal | undefined): Promise<never> {
    return new Promise((_, reject) => {
      if (abortSignal?.aborted) reject(abortError());
      abortSignal?.addEventListener('abort', () => reject(abortError()));
    });
  }

  #latency(abortSignal: AbortSignal | undefined): Promise<void> {
    if (this.latencyMs <= 0) return Promise.resolve();
    const clock = this.#clock;
    if (clock === undefined) throw new Error('FakeKinesisClient: latencyMs needs a clock');
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(resolve, this.latencyMs);
      abortSignal?.addEventListener('abort', () => {
        clock.clearTimeout(timer);
        reject(abortError());
      });
    });
  }
}
