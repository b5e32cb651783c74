import type { RecordOutcome } from '../tailing/OffsetTracker';

/** A record read from a file or stdin, on its way to Kinesis. */
export interface SourceRecord {
  /** The record's bytes, without the record terminator (`\n`). */
  readonly data: Buffer;
  /** Cut to the record size limit: sent with the truncated-record terminator. */
  readonly truncated: boolean;
  /** Where it came from, for messages: `/var/log/app.log:1024` (byte offset) or `stdin:17` (line). */
  readonly location: string;
  /** Called once with how it ended; the checkpoint follows from it. */
  settle(outcome: RecordOutcome): void;
}

/** Takes the records a source produces, in source order. */
export type RecordSink = (record: SourceRecord) => void;
