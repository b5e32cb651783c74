import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { AnalyticsWorker, CallbackOutput, type ApplicationConfig, type SourceSchema } from '@kinesis-toolkit/analytics';
import type { Logger } from '@kinesis-toolkit/core';
import type { InitialPosition } from '@kinesis-toolkit/kcl';

/** The tumbling window the demo's SQL counts over. */
export const ANALYTICS_WINDOW_MS = 10_000;

/** One row the application emitted: records of `source` put in the window starting at `windowStart`. */
export interface WindowCount {
  /** The row's deterministic id (stream, ROWTIME window, group): a row emitted again carries the same. */
  readonly id: string;
  readonly source: string;
  /** Epoch milliseconds. */
  readonly windowStart: number;
  readonly records: number;
}

/** Where and how the demo's analytics application runs. */
export interface AnalyticsStageOptions {
  readonly streamName: string;
  /** The KCL application (lease table) of the analytics stage. */
  readonly applicationName: string;
  /** Only this run's records are counted (a shared stream may hold others). */
  readonly runId: string;
  readonly kinesisClient: KinesisClient;
  readonly dynamoClient: DynamoDBClient;
  readonly initialPosition: InitialPosition;
  readonly failoverTimeMs: number;
  readonly shardSyncIntervalMs: number;
  readonly logger?: Logger;
}

/**
 * The KDA SQL application of the demo. Records are counted per source and per 10-second window of
 * `producedAt` (the time the producer put them): `STEP(produced_at BY INTERVAL '10' SECOND)`. The
 * query is a tumbling window on ROWTIME too, which is what closes a group and emits it (as KDA
 * requires of a streaming GROUP BY): when records of one producedAt window reach the engine in
 * two ROWTIME windows (late, or read late after a reshard), that window is counted in two rows —
 * KDA's documented way to aggregate on an event time. Summed per (source, window), the rows
 * give exact counts, which the demo checks against what the sinks received.
 */
export function analyticsSql(runId: string): string {
  if (!/^[a-z0-9]+$/.test(runId)) throw new TypeError(`runId: expected lower-case letters and digits, got ${JSON.stringify(runId)}`);
  return `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (source VARCHAR(32), window_start TIMESTAMP, records BIGINT);
CREATE OR REPLACE PUMP "COUNT_PER_SOURCE" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM source, STEP(produced_at BY INTERVAL '${ANALYTICS_WINDOW_MS / 1000}' SECOND), COUNT(*)
  FROM "SOURCE_SQL_STREAM_001"
  WHERE run_id = '${runId}'
  GROUP BY source, STEP(produced_at BY INTERVAL '${ANALYTICS_WINDOW_MS / 1000}' SECOND),
    STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '${ANALYTICS_WINDOW_MS / 1000}' SECOND);
`;
}

/** How a demo record maps to SOURCE_SQL_STREAM_001 (KDA's InputSchema). */
export const ANALYTICS_INPUT_SCHEMA: SourceSchema = Object.freeze({
  RecordFormat: { RecordFormatType: 'JSON' as const, MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
  RecordEncoding: 'UTF-8',
  RecordColumns: [
    { Name: 'run_id', SqlType: 'VARCHAR(32)', Mapping: '$.runId' },
    { Name: 'source', SqlType: 'VARCHAR(32)', Mapping: '$.source' },
    { Name: 'produced_at', SqlType: 'TIMESTAMP', Mapping: '$.producedAt' },
  ],
});

/**
 * The demo's analytics stage: the SQL application above as its own KCL application on the demo's
 * stream (one worker, in the demo's process, beside the sink workers), its output rows collected
 * by a callback. Windows close when a later ROWTIME arrives or 1 s after their end passed with
 * nothing newer.
 */
export class AnalyticsStage {
  readonly #worker: AnalyticsWorker;
  readonly #rows = new Map<string, WindowCount>();
  #stopping: Promise<void> | undefined;

  constructor(options: AnalyticsStageOptions) {
    const config: ApplicationConfig = {
      applicationName: options.applicationName,
      sql: analyticsSql(options.runId),
      input: { stream: options.streamName, namePrefix: 'SOURCE_SQL_STREAM', schema: ANALYTICS_INPUT_SCHEMA, startingPosition: 'TRIM_HORIZON' },
      references: [],
      outputs: [{ name: 'DESTINATION_SQL_STREAM', format: 'JSON' }],
    };
    this.#worker = new AnalyticsWorker({
      config,
      kinesisClient: options.kinesisClient,
      dynamoClient: options.dynamoClient,
      outputs: { DESTINATION_SQL_STREAM: new CallbackOutput((rows) => this.#collect(rows)) },
      worker: {
        workerId: 'analytics',
        initialPosition: options.initialPosition,
        failoverTimeMs: options.failoverTimeMs,
        idleTimeBetweenReadsMs: 250,
        shardSyncIntervalMs: options.shardSyncIntervalMs,
        parentShardPollIntervalMs: 500,
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      },
      application: { idleWindowCloseMs: 1000, idleCheckIntervalMs: 250 },
    });
  }

  /** The rows emitted so far, once each (a row emitted again replaces the first). */
  get counts(): WindowCount[] {
    return [...this.#rows.values()];
  }

  /** Records counted so far, over every row. */
  get recordsCounted(): number {
    let total = 0;
    for (const row of this.#rows.values()) total += row.records;
    return total;
  }

  start(): Promise<void> {
    return this.#worker.start();
  }

  /** Stops the KCL worker (windows still open are not emitted). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#worker.shutdown();
    return this.#stopping;
  }

  #collect(rows: Record<string, unknown>[]): void {
    for (const row of rows) {
      const id = String(row.id);
      this.#rows.set(id, { id, source: String(row.SOURCE), windowStart: Date.parse(String(row.WINDOW_START)), records: Number(row.RECORDS) });
    }
  }
}
