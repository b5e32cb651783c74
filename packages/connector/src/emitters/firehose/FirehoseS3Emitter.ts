import { S3Client } from '@aws-sdk/client-s3';
import { SDK_CLIENT_DEFAULTS, classifyAwsError } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { emitResult } from '../internal/emitResult';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';
import { uploadObject } from '../s3/uploadObject';
import { compressObject } from './compression/compressObject';
import type { ConvertedRow } from './conversion/RecordSchema';
import { writeParquet } from './conversion/writeParquet';
import { errorRecordLine } from './errorRecords';
import { MAX_EVALUATED_PREFIX_LENGTH, type ErrorOutputType } from './FirehosePrefix';
import { resolveFirehoseS3EmitterOptions, type FirehoseS3EmitterOptions, type ResolvedFirehoseS3EmitterOptions } from './FirehoseS3EmitterOptions';
import { firehoseObjectName, stableRandomString } from './objectName';
import { oldestArrival } from './oldestArrival';
import { JqQuery } from './partitioning/JqQuery';
import { SourceRecordBackup } from './backup/SourceRecordBackup';
import { partitionKeysOf } from './partitioning/PartitionKeys';

/** Records of one object. */
interface Group {
  readonly indexes: number[];
  readonly queryKeys: Readonly<Record<string, string>>;
  readonly lambdaKeys: Readonly<Record<string, string>>;
  readonly rows: ConvertedRow[];
}

interface Failed {
  readonly index: number;
  readonly type: ErrorOutputType;
  readonly code: string;
  readonly message: string;
}

/**
 * Delivers batches to S3 as Amazon Data Firehose does:
 *
 * - object names `DeliveryStream-Version-YYYY-MM-dd-HH-MM-SS-<id>` + extension under Firehose's
 *   prefix rules (`!{timestamp:…}` of the oldest record's arrival, `!{firehose:random-string}`,
 *   `yyyy/MM/dd/HH/` when the prefix has no timestamp), times in UTC or the `customTimeZone`;
 * - **dynamic partitioning**: `!{partitionKeyFromQuery:NAME}` from a jq query run by real jq,
 *   `!{partitionKeyFromLambda:NAME}` from a transformation function's `metadata.partitionKeys`;
 *   one object per partition per flush; at most `activePartitionLimit` partitions per flush;
 * - **compression** `GZIP`, `ZIP`, `Snappy` (framing format), `HADOOP_SNAPPY`;
 * - **format conversion** JSON → Parquet with a schema of columns and types;
 * - **server-side encryption** with a KMS key (`kmsKeyArn`: SSE-KMS on every object written);
 * - **source record backup** (`s3Backup`): each batch's source records, before transformation —
 *   those the transformation dropped or failed too (`EmitBatch.records`) — to a backup bucket and
 *   prefix of their own, written before the destination objects.
 *
 * Records Firehose would not deliver — a partition key missing, more partitions than the limit, a
 * prefix longer than 512 characters (`processing-failed`), a record that does not fit the schema
 * (`format-conversion-failed`) — are written, one object per error type, under the error prefix in
 * Firehose's error-record format, and count as delivered. Object names are derived from the
 * batch's positions and the partition, so a retried write overwrites its own object. An S3
 * failure throws an {@link EmitterError} (`S3WriteFailed`) for the objects not written; the
 * pipeline retries only those records.
 */
export class FirehoseS3Emitter implements Emitter<ByteItem> {
  readonly #config: ResolvedFirehoseS3EmitterOptions;
  readonly #client: S3Client;
  readonly #ownClient: S3Client | undefined;
  #query: Promise<JqQuery | undefined> | undefined;
  readonly #backup: SourceRecordBackup | undefined;

  /** @throws InvalidArgumentError for bad options (see {@link resolveFirehoseS3EmitterOptions}). */
  constructor(options: FirehoseS3EmitterOptions) {
    this.#config = resolveFirehoseS3EmitterOptions(options);
    this.#ownClient = this.#config.client === undefined ? new S3Client({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#client = this.#config.client ?? this.#ownClient!;
    const c = this.#config;
    this.#backup =
      c.s3Backup === undefined
        ? undefined
        : new SourceRecordBackup(c.s3Backup, {
            client: this.#client,
            deliveryStreamName: c.deliveryStreamName,
            deliveryStreamVersion: c.deliveryStreamVersion,
            multipartThresholdBytes: c.multipartThresholdBytes,
            partSizeBytes: c.partSizeBytes,
            requestTimeoutMs: c.requestTimeoutMs,
            currentTimeMs: c.currentTimeMs,
            clock: c.clock,
            logger: c.logger,
          });
  }

  /**
   * True with a source record backup (`s3Backup`): the pipeline then passes every record a batch
   * covers — those the transformation dropped or failed too — and emits a batch with no items
   * for its backup.
   */
  get receivesEveryRecord(): boolean {
    return this.#backup !== undefined;
  }

  /** Compiles the jq query now (otherwise at the first emit). @throws InvalidArgumentError with jq's message. */
  async ready(): Promise<void> {
    await this.#jq();
  }

  /** Destroys the client the emitter made itself. */
  shutdown(): void {
    this.#ownClient?.destroy();
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { valid, rejected } = partitionByteItems(batch.items);
    // Source record backup first: nothing of the batch counts as delivered unless it is written (a throw fails every item).
    await this.#backup?.write(batch);
    if (valid.length === 0) {
      this.#backup?.forget(batch);
      return emitResult([], rejected);
    }
    const config = this.#config;
    const bodies = valid.map((index) => itemBytes(batch.items[index], index));
    const items = valid.map((index) => batch.items[index]);
    const failed: Failed[] = [];
    const groups = new Map<string, Group>();

    const rows: (ConvertedRow | undefined)[] = bodies.map((body, i) => {
      if (config.formatConversion === undefined) return undefined;
      try {
        return config.formatConversion.schema.toRow(body.toString('utf8'));
      } catch (error) {
        failed.push({ index: i, type: 'format-conversion-failed', code: (error as { code?: string }).code ?? 'DataFormatConversion.MalformedData', message: (error as Error).message });
        return undefined;
      }
    });
    const converted = new Set(failed.map((f) => f.index));
    const partitioning = config.dynamicPartitioning;
    const keys = partitioning === undefined ? undefined : await partitionKeysOf(items, bodies, await this.#jq(), { query: config.prefix.queryKeys, lambda: config.prefix.lambdaKeys });
    for (let i = 0; i < bodies.length; i++) {
      if (converted.has(i)) continue;
      const outcome = keys?.[i] ?? { queryKeys: {}, lambdaKeys: {} };
      if ('errorCode' in outcome) {
        failed.push({ index: i, type: 'processing-failed', code: outcome.errorCode, message: outcome.errorMessage });
        continue;
      }
      const id = JSON.stringify([outcome.queryKeys, outcome.lambdaKeys]);
      let group = groups.get(id);
      if (group === undefined) {
        if (partitioning !== undefined && groups.size >= partitioning.activePartitionLimit) {
          failed.push({ index: i, type: 'processing-failed', code: 'DynamicPartitioning.ActivePartitionsLimitExceeded', message: `more than ${partitioning.activePartitionLimit} partitions in one buffer` });
          continue;
        }
        group = { indexes: [], queryKeys: outcome.queryKeys, lambdaKeys: outcome.lambdaKeys, rows: [] };
        groups.set(id, group);
      }
      group.indexes.push(i);
      const row = rows[i];
      if (row !== undefined) group.rows.push(row);
    }

    const notWritten = new Set<number>();
    let lastError: unknown;
    for (const [id, group] of groups) {
      try {
        const key = this.#key(batch, group, id);
        await this.#write(key.key, await this.#body(group, bodies, key.name), batch);
      } catch (error) {
        if (error instanceof PrefixTooLong) {
          for (const index of group.indexes) failed.push({ index, type: 'processing-failed', code: 'S3.PrefixTooLong', message: error.message });
          continue;
        }
        lastError = error;
        for (const index of group.indexes) notWritten.add(index);
      }
    }
    const byType = new Map<ErrorOutputType, Failed[]>();
    for (const failure of failed) byType.set(failure.type, [...(byType.get(failure.type) ?? []), failure]);
    for (const [type, failures] of byType) {
      try {
        await this.#writeErrors(batch, type, failures, valid, bodies);
      } catch (error) {
        lastError = error;
        for (const failure of failures) notWritten.add(failure.index);
      }
    }
    if (notWritten.size > 0) {
      if (notWritten.size === bodies.length || !classifyAwsError(lastError).retryable) throw this.#writeError(batch, lastError);
      config.logger.warn({ shardId: batch.shardId, batchId: batch.batchId, failed: notWritten.size }, `could not write every object of ${batch.batchId}: ${(lastError as Error).message}`);
    }
    if (notWritten.size === 0) this.#backup?.forget(batch);
    return emitResult(
      [...notWritten].map((i) => batch.items[valid[i]!]!),
      rejected,
    );
  }

  #jq(): Promise<JqQuery | undefined> {
    const query = this.#config.dynamicPartitioning?.metadataExtractionQuery;
    this.#query ??= query === undefined ? Promise.resolve(undefined) : JqQuery.compile('dynamicPartitioning.metadataExtractionQuery', query);
    return this.#query;
  }

  /** The object key of a group: the evaluated prefix (≤ 512 characters) and the object name. */
  #key(batch: EmitBatch<unknown>, group: Group, id: string): { key: string; name: string } {
    const config = this.#config;
    const timestamp = oldestArrival(group.indexes.map((i) => batch.sources[i]!), config.currentTimeMs);
    const seed = `${batch.streamName}/${batch.shardId}/${batch.first.sequenceNumber}.${batch.first.subSequenceNumber}/${batch.last.sequenceNumber}.${batch.last.subSequenceNumber}/${id}`;
    const wallClock = config.timeZone.wallClock(timestamp);
    const prefix = config.prefix.expand({ timestamp: wallClock, randomString: stableRandomString(seed), queryKeys: group.queryKeys, lambdaKeys: group.lambdaKeys });
    if (prefix.length > MAX_EVALUATED_PREFIX_LENGTH) throw new PrefixTooLong(`the evaluated prefix has ${prefix.length} characters, more than Firehose's ${MAX_EVALUATED_PREFIX_LENGTH}`);
    const name = firehoseObjectName(config.deliveryStreamName, config.deliveryStreamVersion, wallClock, seed, config.fileExtension);
    return { key: `${prefix}${name}`, name };
  }

  async #body(group: Group, bodies: readonly Buffer[], name: string): Promise<Buffer> {
    const config = this.#config;
    if (config.formatConversion !== undefined) return writeParquet(config.formatConversion.schema, group.rows, config.formatConversion.compression);
    const raw = Buffer.concat(group.indexes.map((i) => bodies[i]!));
    return compressObject(config.compressionFormat, raw, name.replace(/\.zip$/, ''));
  }

  async #writeErrors(batch: EmitBatch<unknown>, type: ErrorOutputType, failures: readonly Failed[], valid: readonly number[], bodies: readonly Buffer[]): Promise<void> {
    const config = this.#config;
    const sources = failures.map((f) => batch.sources[valid[f.index]!]!);
    const timestamp = oldestArrival(sources, config.currentTimeMs);
    const seed = `${batch.streamName}/${batch.shardId}/${batch.first.sequenceNumber}.${batch.first.subSequenceNumber}/${batch.last.sequenceNumber}.${batch.last.subSequenceNumber}/error/${type}`;
    const wallClock = config.timeZone.wallClock(timestamp);
    const prefix = config.errorOutputPrefix.expand({ timestamp: wallClock, randomString: stableRandomString(seed), errorOutputType: type });
    const key = `${prefix}${firehoseObjectName(config.deliveryStreamName, config.deliveryStreamVersion, wallClock, seed, '')}`;
    const now = config.currentTimeMs();
    const body = failures.map((f, i) => errorRecordLine(type, sources[i]!, bodies[f.index]!, batch.shardId, f.code, f.message, batch.attempt, now)).join('');
    await this.#write(key, Buffer.from(body, 'utf8'), batch);
    config.logger.warn({ shardId: batch.shardId, key, records: failures.length, errorOutputType: type }, `wrote ${failures.length} record(s) Firehose would not deliver to the error prefix`);
  }

  async #write(key: string, body: Buffer, batch: EmitBatch<unknown>): Promise<void> {
    const config = this.#config;
    await uploadObject(this.#client, {
      bucket: config.bucket,
      key,
      body,
      contentType: 'application/octet-stream',
      ...(config.kmsKeyArn !== undefined ? { kmsKeyId: config.kmsKeyArn } : {}),
      multipartThresholdBytes: config.multipartThresholdBytes,
      partSizeBytes: config.partSizeBytes,
      timeoutMs: config.requestTimeoutMs,
      clock: config.clock,
      logger: config.logger,
    });
    config.logger.debug({ bucket: config.bucket, key, bytes: body.length, batchId: batch.batchId }, 'wrote S3 object');
  }

  #writeError(batch: EmitBatch<unknown>, error: unknown): EmitterError {
    return new EmitterError('S3WriteFailed', `could not write ${batch.batchId} to s3://${this.#config.bucket}: ${(error as Error)?.message ?? String(error)}`, {
      retryable: classifyAwsError(error).retryable,
      cause: error,
      context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, bucket: this.#config.bucket },
    });
  }
}

class PrefixTooLong extends Error {}
