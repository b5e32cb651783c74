import type { PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { Clock } from '@kinesis-toolkit/core';

// The shapes and helpers of FakeKinesisClient's tests (re-exported by FakeKinesisClient.ts).

/** A shard of the fake stream. Closed shards keep their range but take no more records. */
export interface FakeShard {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  readonly parentShardId?: string;
  /** The other parent of a merge child. */
  readonly adjacentParentShardId?: string;
  closed: boolean;
}

/** One PutRecords entry as the fake received it, with the shard it routes to. */
export interface FakeEntry {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Buffer;
  /** The hash key Kinesis routes it by: the explicit hash key, else MD5 of the partition key. */
  readonly hashKey: bigint;
  /** The open shard that owns `hashKey` at the time of the request, if any. */
  readonly shardId: string | undefined;
  /** The user records it carries (one for a plain record). */
  readonly userRecords: readonly UserRecord[];
  /** Which PutRecords request (0-based, in arrival order) carried it. */
  readonly requestIndex: number;
}

/** A Kinesis record the fake stream accepted, in acceptance order per shard. */
export interface StoredKinesisRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly entry: FakeEntry;
  /** The fake clock's reading when it was accepted. */
  readonly acceptedAt: number;
}

/** A user record as a consumer would read it back from the fake stream. */
export interface StoredUserRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly data: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  /** Whether the shard it sits in owns its hash key (a KCL consumer drops it otherwise). */
  readonly inRange: boolean;
}

/** A PutRecords request as the fake received it. */
export interface FakePutRequest {
  readonly index: number;
  readonly receivedAt: number;
  readonly input: PutRecordsCommandInput;
  readonly entries: readonly FakeEntry[];
  readonly abortSignal: AbortSignal | undefined;
  /** When it was answered (or aborted); undefined while in flight. */
  answeredAt?: number;
  aborted?: boolean;
}

/**
 * What a whole request does instead of being answered at once: `'hang'` never answers (until
 * aborted), `'hold'` waits for the test to answer it (PutRecords; for ListShards it hangs), an `Error` is thrown, a
 * promise delays the answer until it resolves (ListShards).
 */
export type RequestBehaviour = 'hang' | 'hold' | Error | Promise<void> | undefined;

/** What one entry gets: undefined for success, or a per-entry error code. */
export type EntryBehaviour = { readonly errorCode: string; readonly errorMessage?: string } | undefined;

/** A request held (`'hold'`) until the test answers it. */
export interface HeldRequest {
  readonly request: FakePutRequest;
  /** Answers it as the fake would have (entry behaviours applied now). */
  answer(): void;
  /** Fails the whole request with an error. */
  fail(error: Error): void;
}

/** Options of {@link FakeKinesisClient}. */
export interface FakeKinesisClientOptions {
  /** Latency of every answer, on `clock`. @defaultValue 0 (answered in a microtask) */
  readonly latencyMs?: number;
  /** The clock `latencyMs` runs on; required when `latencyMs` > 0. */
  readonly clock?: Clock;
  /** Open shards the stream starts with, splitting the hash-key space evenly. @defaultValue 1 */
  readonly shardCount?: number;
  /** Shards per ListShards page (to exercise NextToken). @defaultValue all in one page */
  readonly listShardsPageSize?: number;
}

/** An SDK-shaped service error: `name`, `$fault`, `$metadata.httpStatusCode`. */
export function sdkError(name: string, message = name, fault: 'client' | 'server' = 'client', httpStatusCode = fault === 'client' ? 400 : 500): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode } });
}

/** A Node network error such as `ECONNRESET`. */
export function networkError(code = 'ECONNRESET'): Error {
  return Object.assign(new Error(`socket hang up (${code})`), { code });
}

/** Shard ids in the form Kinesis uses. */
export function shardIdOf(n: number): string {
  return `shardId-${String(n).padStart(12, '0')}`;
}
