import { classifyAwsErrorCode, type AwsErrorKind, type RetryPolicy } from '@kinesis-toolkit/core';
import type { ResolvedProducerOptions } from '../config/ProducerOptions';
import type { Attempt } from '../errors/Attempt';
import { addAttempt, hashKeyOfRecord, type OutgoingRecord, type PendingRecord } from '../buffering/PendingRecord';
import type { ShardMeter } from '../ratelimit/ShardMeter';
import type { ShardMapProvider } from '../shards/ShardMapProvider';
import type { DispatcherHost } from './DispatcherHost';
import type { BatchOutcome } from './PutRecordsSender';

/** What the outcome router uses of the dispatcher. */
export interface OutcomeRouterContext {
  readonly config: ResolvedProducerOptions;
  readonly host: DispatcherHost;
  readonly shardMaps: ShardMapProvider;
  readonly meter: ShardMeter;
  readonly backoff: RetryPolicy;
  /** Puts records back for another attempt, with backoff or not, into the buffers their routes are now. */
  retry(records: readonly PendingRecord[], backOff: boolean): void;
  /** A Kinesis record's fate is decided and acted on (its records settled or put back). */
  finished(outgoing: OutgoingRecord): void;
}

/**
 * Turns a PutRecords answer into each user record's fate: success (with its sub-sequence number),
 * a retry with backoff, or a failure — and, for an aggregate that landed on a shard the map did
 * not predict, the KPL's check of every sub-record against the actual shard's range. Failures are
 * judged by core's classifier: `fatal` fails at once, `throttled` retries unless `failIfThrottled`,
 * `transient` and `expiredCredentials` retry until the record's TTL. Each Kinesis record is
 * reported `finished` once that is done — for a misplaced aggregate, only after the check. Internal.
 */
export class OutcomeRouter {
  constructor(private readonly context: OutcomeRouterContext) {}

  /** Settles, retries or fails every record of a PutRecords batch by its entry's outcome. */
  route(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void {
    this.context.host.requestCompleted?.(batch, outcome);
    const base = { startedAt: outcome.startedAt, durationMs: outcome.durationMs };
    this.context.host.metric('RequestTime', outcome.durationMs);
    this.context.host.metric('KinesisRecordsPerPutRecordsRequest', batch.length);
    if (!outcome.ok) {
      const { error } = outcome;
      this.context.host.metric('ErrorsByCode', 1, undefined, error.code);
      // The attempt keeps the service's own words; the AwsRequestError (with the SDK error as its cause) is the failure's cause.
      const errorMessage = error.cause instanceof Error ? error.cause.message : error.message;
      const attempt = { ...base, errorCode: error.code, errorMessage };
      for (const outgoing of batch) this.#failOutgoing(outgoing, attempt, error.kind, error);
    } else if (outcome.entries.length !== batch.length) {
      const message = `PutRecords answered ${outcome.entries.length} entries for ${batch.length} records`;
      for (const outgoing of batch) this.#failOutgoing(outgoing, { ...base, errorCode: 'RecordCountMismatch', errorMessage: message }, 'fatal');
    } else {
      batch.forEach((outgoing, i) => {
        const entry = outcome.entries[i]!;
        this.context.host.metric('UserRecordsPerKinesisRecord', outgoing.records.length, outgoing.predictedShardId);
        if (entry.SequenceNumber !== undefined && entry.ShardId !== undefined) {
          this.context.host.metric('KinesisRecordsPut', 1, entry.ShardId);
          this.#succeedOutgoing(outgoing, entry.ShardId, entry.SequenceNumber, base);
        } else {
          const code = entry.ErrorCode ?? 'UnknownError';
          if (code === 'ProvisionedThroughputExceededException' && outgoing.predictedShardId !== undefined) this.context.meter.slowDown(outgoing.predictedShardId);
          this.context.host.metric('KinesisRecordsPut', 0, outgoing.predictedShardId);
          this.context.host.metric('ErrorsByCode', 1, outgoing.predictedShardId, code);
          this.#failOutgoing(outgoing, { ...base, errorCode: code, errorMessage: entry.ErrorMessage ?? '' }, classifyAwsErrorCode(code));
        }
      });
    }
  }

  #succeedOutgoing(outgoing: OutgoingRecord, shardId: string, sequenceNumber: string, base: Attempt): void {
    const predicted = outgoing.predictedShardId;
    if (predicted === undefined || predicted === shardId || !outgoing.aggregated) {
      if (predicted !== undefined && predicted !== shardId) void this.context.shardMaps.refresh('wrongShard');
      this.#succeedRecords(outgoing.records, 0, outgoing.records.length, shardId, sequenceNumber, base, outgoing.aggregated);
      this.context.finished(outgoing);
      return;
    }
    // An aggregate landed on another shard than predicted (the map is stale: a reshard). Its
    // sub-records whose hash keys that shard does not own would be invisible to a KCL consumer:
    // send those again, as the KPL does, once the shard's range is known.
    this.#settleMisplaced(outgoing, shardId, sequenceNumber, base, 1);
  }

  /**
   * Settles an aggregate that landed on `shardId` once that shard's range is known — from the open
   * shards' map, or a listing of every shard if it closed meanwhile. Until it is (the listing failed
   * or lags), the records stay pending and the check is retried with backoff: calling an
   * out-of-range sub-record delivered would lose it to a KCL consumer.
   */
  #settleMisplaced(outgoing: OutgoingRecord, shardId: string, sequenceNumber: string, base: Attempt, check: number): void {
    void this.context.shardMaps.refresh('wrongShard').then(async (map) => {
      // The shard may have closed already (a child merged or split again before a listing of the
      // open shards saw it): then a listing of every shard tells its range.
      const actual = map?.shards.find((shard) => shard.shardId === shardId) ?? (await this.context.shardMaps.shardRange(shardId));
      if (actual === undefined) {
        const now = this.context.config.clock.now();
        let expiresAt = Infinity;
        for (const record of outgoing.records) expiresAt = Math.min(expiresAt, record.expiresAt);
        if (now >= expiresAt) {
          for (const record of outgoing.records) {
            addAttempt(record, { ...base, errorCode: 'UnknownShard', errorMessage: `landed on ${shardId}, which no shard map lists` });
            this.context.host.fail(record, 'Expired', 'record reached its TTL', 'expired');
          }
          this.context.finished(outgoing);
          return;
        }
        const delay = Math.max(1, Math.min(this.context.backoff.delayMs(check), expiresAt - now));
        this.context.config.clock.setTimeout(() => this.#settleMisplaced(outgoing, shardId, sequenceNumber, base, check + 1), delay);
        return;
      }
      const misplaced: PendingRecord[] = [];
      outgoing.records.forEach((record, index) => {
        const hashKey = hashKeyOfRecord(record);
        if (hashKey >= actual.startingHashKey && hashKey <= actual.endingHashKey) {
          this.#succeedRecords(outgoing.records, index, index + 1, shardId, sequenceNumber, base, true);
        } else {
          addAttempt(record, { ...base, errorCode: 'WrongShard', errorMessage: `landed on ${shardId}, which does not own its hash key` });
          misplaced.push(record);
        }
      });
      if (misplaced.length > 0) this.context.retry(misplaced, false);
      this.context.finished(outgoing);
    });
  }

  #succeedRecords(records: readonly PendingRecord[], from: number, to: number, shardId: string, sequenceNumber: string, base: Attempt, aggregated: boolean): void {
    this.context.host.succeedRange(records, from, to, shardId, sequenceNumber, aggregated, base);
  }

  #failOutgoing(outgoing: OutgoingRecord, attempt: Attempt, kind: AwsErrorKind, cause?: unknown): void {
    for (const record of outgoing.records) addAttempt(record, attempt);
    const giveUp = kind === 'fatal' || (kind === 'throttled' && this.context.config.failIfThrottled);
    if (giveUp) {
      for (const record of outgoing.records) this.context.host.fail(record, attempt.errorCode!, attempt.errorMessage ?? '', kind, cause);
    } else {
      this.context.retry(outgoing.records, true);
    }
    this.context.finished(outgoing);
  }
}
