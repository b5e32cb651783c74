import { NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireArray, requireFunction, requireInteger, requireObject, requireOneOf, requireString, withoutUndefined, type Clock, type Logger } from '@kinesis-toolkit/core';
import type { SourceSchema } from '../config/SourceSchema';
import type { AnalyticsOutput } from '../outputs/AnalyticsOutput';

/** A reference table and how to (re)load its object. */
export interface ReferenceSource {
  /** The in-application table name the SQL joins. */
  readonly tableName: string;
  readonly schema: SourceSchema;
  /** Reads the object (e.g. {@link s3ReferenceLoader}). */
  readonly load: () => Promise<Buffer>;
}

/** Options of {@link AnalyticsApplication}: the SQL, the input schema, outputs; everything else has a default. */
export interface ApplicationOptions {
  /** The application's SQL (ApplicationCode). */
  readonly sql: string;
  /** How a record of the input Kinesis stream maps to the input in-application stream (KDA's InputSchema). */
  readonly inputSchema: SourceSchema;
  /** The input in-application stream. @defaultValue 'SOURCE_SQL_STREAM_001' */
  readonly inputStreamName?: string;
  readonly referenceSources?: readonly ReferenceSource[];
  /** Where each output in-application stream goes (DESTINATION_SQL_STREAM, error_stream, …). Rows of streams not listed are dropped. */
  readonly outputs: Readonly<Record<string, AnalyticsOutput>>;
  /** Reload reference tables this often; 0 loads them once at start (as KDA, which refreshes only on UpdateApplication). @defaultValue 0 */
  readonly referenceRefreshIntervalMs?: number;
  /**
   * A window whose end passed this long ago (by the wall clock) with no newer row closes and
   * emits; 0 disables idle closing (windows close only when a later row arrives). @defaultValue 5000
   */
  readonly idleWindowCloseMs?: number;
  /** How often idle windows are looked for. @defaultValue 1000 */
  readonly idleCheckIntervalMs?: number;
  /**
   * A row's ROWTIME: `arrival` (the record's ApproximateArrivalTimestamp: re-reading after a
   * failover gives the same ROWTIME, so windows are rebuilt alike) or `processing` (the wall
   * clock when the worker reads it, as KDA). Either way ROWTIME never goes back. @defaultValue 'arrival'
   */
  readonly rowtime?: 'arrival' | 'processing';
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** Timers (idle checks, reference refresh). @defaultValue the system clock */
  readonly clock?: Clock;
  /** Epoch milliseconds: CURRENT_ROW_TIMESTAMP, ERROR_TIME, idle closing, `processing` ROWTIME. @defaultValue Date.now */
  readonly wallClock?: () => number;
}

/** Every default in one place (the README's option table is tested against it). */
export const APPLICATION_DEFAULTS = Object.freeze({
  inputStreamName: 'SOURCE_SQL_STREAM_001',
  referenceSources: Object.freeze([]) as readonly ReferenceSource[],
  referenceRefreshIntervalMs: 0,
  idleWindowCloseMs: 5000,
  idleCheckIntervalMs: 1000,
  rowtime: 'arrival' as 'arrival' | 'processing',
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  wallClock: Date.now,
});

export type ResolvedApplicationOptions = Readonly<Required<ApplicationOptions>>;

/**
 * Validates application options once and fills in every default.
 * @throws InvalidArgumentError (a TypeError) naming the option, what was expected and what came.
 */
export function resolveApplicationOptions(options: ApplicationOptions): ResolvedApplicationOptions {
  requireObject('options', options);
  rejectUnknownOptions('application', options, [...Object.keys(APPLICATION_DEFAULTS), 'sql', 'inputSchema', 'outputs']);
  const resolved = { ...APPLICATION_DEFAULTS, ...withoutUndefined(options) } as ResolvedApplicationOptions;
  requireString('sql', resolved.sql.trim() === '' ? '' : resolved.sql);
  requireObject('inputSchema', resolved.inputSchema);
  requireObject('outputs', resolved.outputs);
  for (const [name, output] of Object.entries(resolved.outputs)) requireFunction(`outputs.${name}.write`, (output as { write?: unknown } | null)?.write);
  requireArray('referenceSources', resolved.referenceSources, (name, source) => {
    requireString(`${name}.tableName`, (source as ReferenceSource | null)?.tableName);
    requireFunction(`${name}.load`, (source as ReferenceSource).load);
    return source;
  });
  requireInteger('referenceRefreshIntervalMs', resolved.referenceRefreshIntervalMs, 0, 86_400_000);
  requireInteger('idleWindowCloseMs', resolved.idleWindowCloseMs, 0, 86_400_000);
  requireInteger('idleCheckIntervalMs', resolved.idleCheckIntervalMs, 10, 86_400_000);
  requireOneOf('rowtime', resolved.rowtime, ['arrival', 'processing'] as const);
  return Object.freeze(resolved);
}
