import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/** Why a record could not be turned into what is sent. */
export type RecordProcessingErrorCode = 'LogParseFailed' | 'PartitionKeyUnavailable' | 'NotJsonObject';

/**
 * A record that a processing option or the partition-key rule cannot handle: a line that does
 * not match the log format, a record without the partition-key field. Not retryable — the same
 * bytes fail the same way — so the record is reported and counted, and the checkpoint moves
 * past it (re-reading it after a restart would only fail again).
 */
export class RecordProcessingError extends KinesisToolkitError {
  constructor(code: RecordProcessingErrorCode, message: string, context: ErrorContext = {}) {
    super(code, message, { retryable: false, context });
  }
}
