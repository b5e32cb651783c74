import { createHash } from 'node:crypto';
import type { OutputRow } from './AnalyticsOutput';

/** A row's deterministic id as a Kinesis partition key: hex MD5 (32 characters) of (stream, window, group). */
export const rowKey = (row: OutputRow): string => createHash('md5').update(row.row.id).digest('hex');
