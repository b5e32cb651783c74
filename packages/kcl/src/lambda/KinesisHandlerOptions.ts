import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError, NOOP_LOGGER, rejectUnknownOptions, requireBoolean, requireFunction, requireLogger, requireObject, withoutUndefined, type Logger } from '@kinesis-toolkit/core';

/** What `eachBatch` of {@link kinesisHandler} is handed: the event's records, de-aggregated. */
export interface LambdaBatch {
  /** From the first record's `eventID`. */
  readonly shardId: string;
  readonly eventSourceARN: string | undefined;
  /** Every user record of the event, in order; KPL aggregates de-aggregated (MD5 checked). */
  readonly records: readonly UserRecord[];
}

/** What `eachRecord` of {@link kinesisHandler} is handed, for each user record in order. */
export interface LambdaRecordInput {
  readonly shardId: string;
  readonly eventSourceARN: string | undefined;
  /** `aggregated` and `subSequenceNumber` say where it sat; `sequenceNumber` is its Kinesis record's. */
  readonly record: UserRecord;
}

/** Options of {@link kinesisHandler}: give `eachRecord` or `eachBatch`. */
export interface KinesisHandlerOptions {
  /** Called for each user record in order; a throw stops the invocation at that record. */
  readonly eachRecord?: (input: LambdaRecordInput) => void | Promise<void>;
  /** Called once with every user record of the event; a throw fails them all. */
  readonly eachBatch?: (batch: LambdaBatch) => void | Promise<void>;
  /**
   * `true`: a failure is answered with `{ batchItemFailures }` — the mapping must have
   * `FunctionResponseTypes: ['ReportBatchItemFailures']`, or Lambda takes the answer for a success
   * and moves on. `false`: a failure throws, and Lambda retries the whole batch. @defaultValue true
   */
  readonly reportBatchItemFailures?: boolean;
  /** Where failures and corrupt aggregates are logged. @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/** Every default of {@link KinesisHandlerOptions} (the README's table is checked against it). */
export const KINESIS_HANDLER_DEFAULTS = Object.freeze({
  reportBatchItemFailures: true,
  logger: NOOP_LOGGER,
});

/** {@link KinesisHandlerOptions}, validated. */
export interface ResolvedKinesisHandlerOptions {
  readonly handler: { readonly kind: 'eachRecord'; readonly call: NonNullable<KinesisHandlerOptions['eachRecord']> } | { readonly kind: 'eachBatch'; readonly call: NonNullable<KinesisHandlerOptions['eachBatch']> };
  readonly reportBatchItemFailures: boolean;
  readonly logger: Logger;
}

/**
 * Validates kinesisHandler's options once, when the handler is made (at cold start).
 * @throws InvalidArgumentError naming the option
 */
export function resolveKinesisHandlerOptions(options: KinesisHandlerOptions): ResolvedKinesisHandlerOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, ['eachRecord', 'eachBatch', 'reportBatchItemFailures', 'logger']);
  const given = withoutUndefined(options) as KinesisHandlerOptions;
  if ((given.eachRecord === undefined) === (given.eachBatch === undefined)) {
    const got = given.eachRecord === undefined ? 'neither' : 'both';
    throw new InvalidArgumentError('eachRecord | eachBatch', 'exactly one of them (the function records are handed to)', got);
  }
  const handler =
    given.eachRecord !== undefined
      ? { kind: 'eachRecord' as const, call: requireFunction('eachRecord', given.eachRecord) as NonNullable<KinesisHandlerOptions['eachRecord']> }
      : { kind: 'eachBatch' as const, call: requireFunction('eachBatch', given.eachBatch) as NonNullable<KinesisHandlerOptions['eachBatch']> };
  return Object.freeze({
    handler,
    reportBatchItemFailures: requireBoolean('reportBatchItemFailures', given.reportBatchItemFailures ?? KINESIS_HANDLER_DEFAULTS.reportBatchItemFailures),
    logger: requireLogger('logger', given.logger ?? KINESIS_HANDLER_DEFAULTS.logger),
  });
}
