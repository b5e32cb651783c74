import { InvalidRecordError } from './InvalidRecordError';
import type { ErrorContext } from '@kinesis-toolkit/core';

/**
 * A user record is too large to be sent at all: even alone, its encoded size exceeds the
 * limit that applies to it (the Kinesis record limit, or an aggregate's `maxBytes`).
 */
export class RecordTooLargeError extends InvalidRecordError {
  /** The record's size in the unit the limit is measured in (bytes). */
  readonly sizeBytes: number;
  /** The limit it broke (bytes). */
  readonly limitBytes: number;

  constructor(sizeBytes: number, limitBytes: number, what: string, context: ErrorContext = {}) {
    super('record', `${what} is ${sizeBytes} bytes, over the limit of ${limitBytes} bytes`, context);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}
