import type { Logger, TimerHandle } from '@kinesis-toolkit/core';
import type { RecordProcessor, UserRecord } from '@kinesis-toolkit/kcl';
import { EvaluationError } from '../errors/EvaluationError';
import type { SqlValue } from '../types/SqlType';
import { decodeRow, type RepartitionedRow } from './rowCodec';
import { RecordMapper } from '../config/RecordMapper';
import { compileApplication } from '../compileApplication';
import { AnalyticsEngine } from '../engine/AnalyticsEngine';
import type { StreamRow } from '../engine/StreamRow';
import { AnalyticsError } from '../errors/AnalyticsError';
import type { OutputRow } from '../outputs/AnalyticsOutput';
import type { ApplicationPlan } from '../plan/ApplicationPlan';
import { AnalyticsRecordProcessor } from './AnalyticsRecordProcessor';
import { DeliveredRows } from './DeliveredRows';
import { ShardProgress } from './ShardProgress';
import { resolveApplicationOptions, type ApplicationOptions, type ResolvedApplicationOptions } from './ApplicationOptions';

/**
 * A KDA SQL application in this process: one engine (KDA's one in-application input stream)
 * fed by the record processors of every shard this worker holds. Give {@link processorFactory}
 * to a KCL `Worker`; call {@link start} first and {@link stop} after the worker shut down.
 *
 * Output rows are buffered and written by {@link flushOutputs}; a shard is checkpointed only after
 * its rows' outputs are written and only up to the records no open window still needs, so a
 * worker that takes the shard over re-reads them and rebuilds the window (no state store).
 */
export class AnalyticsApplication {
  readonly options: ResolvedApplicationOptions;
  readonly plan: ApplicationPlan;
  readonly engine: AnalyticsEngine;
  readonly mapper: RecordMapper;
  #pending: OutputRow[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #idleTimer: TimerHandle | undefined;
  #refreshTimer: TimerHandle | undefined;
  #stopped = false;
  readonly #logger: Logger;
  #rowsOut = 0;
  #rowsIn = 0;
  /** How far behind its tip each held shard last was (for idle closing). */
  readonly #shardLag = new Map<string, { behindMs: number | undefined; since: number }>();
  /**
   * Per shard whose records fed the engine: what is not yet checkpointed and which rows the engine
   * has. Kept when the lease is lost: if this worker takes the shard back, the records it re-reads
   * from the checkpoint are already in the engine's windows (counted again, they would land in a
   * later window under another id). Dropped when the shard has ended.
   */
  readonly #intake = new Map<string, { readonly progress: ShardProgress; readonly delivered: DeliveredRows }>();

  /** @throws SqlError for SQL that does not parse or plan; TypeError for bad options. */
  constructor(options: ApplicationOptions) {
    this.options = resolveApplicationOptions(options);
    const o = this.options;
    this.#logger = o.logger.child({ component: 'analytics' });
    this.mapper = new RecordMapper(o.inputSchema, 'inputSchema');
    const tables = o.referenceSources.map((source) => ({ name: source.tableName, columns: new RecordMapper(source.schema, `referenceSources.${source.tableName}`).columns }));
    this.plan = compileApplication(o.sql, { sourceStreams: [{ name: o.inputStreamName, columns: this.mapper.columns }], referenceTables: tables }, { wallClock: o.wallClock });
    for (const name of Object.keys(o.outputs)) {
      if (!this.plan.streams.has(name)) throw new TypeError(`outputs: the application has no in-application stream ${JSON.stringify(name)} (it has ${[...this.plan.streams.keys()].join(', ')})`);
    }
    this.engine = new AnalyticsEngine(this.plan, {
      wallClock: o.wallClock,
      lateRows: 'clamp',
      outputStreams: Object.keys(o.outputs),
      onOutput: (stream, row) => this.#pending.push({ stream, row, columns: this.plan.streams.get(stream)!.columns }),
    });
  }

  /** A shard's processor started (`behindMs` undefined) or read a batch `behindMs` behind its tip. */
  reportShardLag(shardId: string, behindMs: number | undefined): void {
    const previous = this.#shardLag.get(shardId);
    this.#shardLag.set(shardId, { behindMs, since: previous?.since ?? this.options.wallClock() });
  }

  /** The shard's processor stopped (lease lost, shard ended, shutdown). */
  forgetShard(shardId: string): void {
    this.#shardLag.delete(shardId);
  }

  /** What the engine holds of a shard's records (see {@link AnalyticsRecordProcessor}); the same object every time until {@link endShard}. */
  intakeOf(shardId: string): { readonly progress: ShardProgress; readonly delivered: DeliveredRows } {
    let intake = this.#intake.get(shardId);
    if (intake === undefined) {
      intake = { progress: new ShardProgress(), delivered: new DeliveredRows() };
      this.#intake.set(shardId, intake);
    }
    return intake;
  }

  /** The shard was read to its end and checkpointed SHARD_END: its records will not come again. */
  endShard(shardId: string): void {
    this.forgetShard(shardId);
    this.#intake.delete(shardId);
  }

  /** Rows inserted into the input stream so far. */
  get rowsIn(): number {
    return this.#rowsIn;
  }

  /** Rows written to outputs so far. */
  get rowsOut(): number {
    return this.#rowsOut;
  }

  /** Loads the reference tables and starts idle closing (and reference refreshes, if configured). */
  async start(): Promise<void> {
    await this.refreshReferenceTables();
    const { clock, idleWindowCloseMs, idleCheckIntervalMs, referenceRefreshIntervalMs } = this.options;
    if (idleWindowCloseMs > 0) {
      const tick = () => {
        if (this.#stopped) return;
        this.closeIdleWindows();
        void this.flushOutputs().catch((error: unknown) => this.#logger.warn({ error: String(error) }, 'writing outputs failed; retried with the next batch'));
        this.#idleTimer = clock.setTimeout(tick, idleCheckIntervalMs);
      };
      this.#idleTimer = clock.setTimeout(tick, idleCheckIntervalMs);
    }
    if (referenceRefreshIntervalMs > 0) {
      const refresh = () => {
        if (this.#stopped) return;
        void this.refreshReferenceTables()
          .catch((error: unknown) => this.#logger.warn({ error: String(error) }, 'refreshing reference tables failed; keeping the loaded rows'))
          .finally(() => {
            if (!this.#stopped) this.#refreshTimer = clock.setTimeout(refresh, referenceRefreshIntervalMs);
          });
      };
      this.#refreshTimer = clock.setTimeout(refresh, referenceRefreshIntervalMs);
    }
  }

  /** Reloads every reference table from its source. @throws AnalyticsError naming the table that failed to load. */
  async refreshReferenceTables(): Promise<void> {
    for (const source of this.options.referenceSources) {
      let data: Buffer;
      try {
        data = await source.load();
      } catch (error) {
        throw new AnalyticsError('REFERENCE_LOAD_FAILED', `reference table ${source.tableName}: loading failed: ${(error as Error).message}`, { cause: error, retryable: true, context: { table: source.tableName } });
      }
      const mapper = new RecordMapper(source.schema, `referenceSources.${source.tableName}`);
      this.engine.setReferenceTable(source.tableName, mapper.rowsOf(data));
    }
  }

  /**
   * Closes windows whose end passed `idleWindowCloseMs` ago by the wall clock — unless a shard
   * may still hold older rows: one that reported being that far behind its tip (catching up a
   * backlog, e.g. after a takeover), or one taken less than that long ago that has not delivered yet.
   */
  closeIdleWindows(): void {
    if (this.engine.rowtime === -Infinity) return;
    const now = this.options.wallClock();
    const limit = this.options.idleWindowCloseMs;
    for (const lag of this.#shardLag.values()) {
      if (lag.behindMs === undefined ? now - lag.since < limit : lag.behindMs >= limit) return;
    }
    this.engine.advanceTo(this.options.wallClock() - this.options.idleWindowCloseMs);
  }

  /** Writes the buffered output rows (one call at a time); on failure they stay buffered and the error is thrown. */
  flushOutputs(): Promise<void> {
    const run = this.#flushing.then(() => this.#writePending());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /** Makes the record processor of a shard of the input stream: pass as the KCL Worker's `processorFactory`. */
  readonly processorFactory = (shardId: string): RecordProcessor => new AnalyticsRecordProcessor(shardId, this, (record, shard) => this.rowsOfInputRecord(record, shard));

  /** Makes the record processor of a shard of the intermediate stream of a repartitioned application. */
  readonly repartitionedProcessorFactory = (shardId: string): RecordProcessor => new AnalyticsRecordProcessor(shardId, this, (record) => [decodeRow(record.data)]);

  /**
   * The rows of an input record, mapped by the input schema, with their ROWTIME and ids
   * (`shardId/sequenceNumber/subSequenceNumber`); a record the schema cannot read becomes an error row.
   */
  rowsOfInputRecord(record: UserRecord, shardId: string): RepartitionedRow[] {
    // Not clamped to this engine's time here: the engine that inserts the row does that (in a
    // repartitioned application, another worker's engine).
    const rowtime = this.options.rowtime === 'arrival' && record.approximateArrivalTimestamp !== undefined ? record.approximateArrivalTimestamp.getTime() : this.options.wallClock();
    const id = `${shardId}/${record.sequenceNumber}/${record.subSequenceNumber}`;
    let rows: SqlValue[][];
    try {
      rows = this.mapper.rowsOf(record.data);
    } catch (error) {
      return [{ rowtime, id, error: { name: error instanceof EvaluationError ? error.errorName : 'ParseError', message: (error as Error).message, data: record.data } }];
    }
    return rows.map((values, i) => ({ rowtime, id: rows.length === 1 ? id : `${id}#${i}`, values }));
  }

  /** Inserts a row of the input stream. */
  insert(row: StreamRow): void {
    this.#rowsIn++;
    this.engine.insert(row, this.options.inputStreamName);
  }

  /** Stops the timers, writes what is buffered and closes the outputs. Open windows are not flushed: the next owner rebuilds them. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#idleTimer !== undefined) this.options.clock.clearTimeout(this.#idleTimer);
    if (this.#refreshTimer !== undefined) this.options.clock.clearTimeout(this.#refreshTimer);
    await this.flushOutputs();
    for (const output of new Set(Object.values(this.options.outputs))) await output.close?.();
  }

  async #writePending(): Promise<void> {
    if (this.#pending.length === 0) return;
    const rows = this.#pending;
    this.#pending = [];
    const byStream = new Map<string, OutputRow[]>();
    for (const row of rows) {
      const list = byStream.get(row.stream) ?? [];
      list.push(row);
      byStream.set(row.stream, list);
    }
    try {
      await Promise.all([...byStream].map(([stream, list]) => this.options.outputs[stream]!.write(list)));
      this.#rowsOut += rows.length;
    } catch (error) {
      // Keep them, in order, ahead of newer rows: the next flush writes them again (same ids).
      this.#pending = [...rows, ...this.#pending];
      throw error;
    }
  }
}
