import { isUtf8 } from 'node:buffer';
import type { UserRecord } from '@kinesis-toolkit/aggregation';

/** How `consume` prints a record. */
export type RecordFormat = 'json' | 'text' | 'raw';

/** The record formats, for flag validation and help. */
export const RECORD_FORMATS: readonly RecordFormat[] = ['json', 'text', 'raw'];

/** One JSON line of `consume --format json`. */
export interface JsonRecordLine {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly aggregated: boolean;
  /** ISO 8601, when Kinesis gave one. */
  readonly approximateArrivalTimestamp?: string;
  /** The data as UTF-8 text when it is valid UTF-8, else base64. */
  readonly data: string;
  readonly encoding: 'utf8' | 'base64';
}

/** The JSON-lines view of a record (see {@link JsonRecordLine}). */
export function toJsonLine(shardId: string, record: UserRecord): JsonRecordLine {
  const utf8 = isUtf8(record.data);
  return {
    shardId,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: record.subSequenceNumber,
    partitionKey: record.partitionKey,
    ...(record.explicitHashKey !== undefined ? { explicitHashKey: record.explicitHashKey } : {}),
    aggregated: record.aggregated,
    ...(record.approximateArrivalTimestamp !== undefined ? { approximateArrivalTimestamp: record.approximateArrivalTimestamp.toISOString() } : {}),
    data: utf8 ? record.data.toString('utf8') : record.data.toString('base64'),
    encoding: utf8 ? 'utf8' : 'base64',
  };
}

/**
 * One record as `consume` prints it, newline included:
 * - `json`: a {@link JsonRecordLine} on one line;
 * - `text`: `shardId  sequenceNumber:subSequenceNumber  partitionKey  data` for people — control
 *   characters escaped so one record is one line, binary data as `base64:…`;
 * - `raw`: the data bytes exactly, then a newline unless the data ends with one already (lines
 *   that `produce` sent keep their own), for piping text records into other tools.
 */
export function formatRecord(format: RecordFormat, shardId: string, record: UserRecord): Buffer {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(toJsonLine(shardId, record))}\n`, 'utf8');
    case 'text': {
      const data = isUtf8(record.data) ? escapeControl(record.data.toString('utf8')) : `base64:${record.data.toString('base64')}`;
      return Buffer.from(`${shardId}  ${record.sequenceNumber}:${record.subSequenceNumber}  ${escapeControl(record.partitionKey)}  ${data}\n`, 'utf8');
    }
    case 'raw':
      return record.data.at(-1) === NEWLINE_BYTE ? Buffer.from(record.data) : Buffer.concat([record.data, NEWLINE]);
  }
}

const NEWLINE = Buffer.from('\n');
const NEWLINE_BYTE = 0x0a;

function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
