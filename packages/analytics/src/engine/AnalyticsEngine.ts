import { EvaluationError } from '../errors/EvaluationError';
import { AnalyticsError } from '../errors/AnalyticsError';
import { ERROR_STREAM, type ApplicationPlan, type PlannedPump } from '../plan/ApplicationPlan';
import type { ReferenceTableData } from '../operators/JoinStage';
import { OutputMapper } from '../operators/OutputMapper';
import { ProjectOperator } from '../operators/ProjectOperator';
import type { OperatorOutput, PumpOperator } from '../operators/PumpOperator';
import { SlidingOperator } from '../operators/SlidingOperator';
import { StaggerOperator } from '../operators/StaggerOperator';
import { TumblingOperator } from '../operators/TumblingOperator';
import type { SqlValue } from '../types/SqlType';
import type { StreamRow } from './StreamRow';

/** Options of {@link AnalyticsEngine}. */
export interface EngineOptions {
  /** Receives every row of an output stream, in emission order. */
  readonly onOutput: (stream: string, row: StreamRow) => void;
  /** The streams whose rows go to `onOutput`. @defaultValue the plan's outputStreams (those no pump reads) */
  readonly outputStreams?: readonly string[];
  /** What CURRENT_ROW_TIMESTAMP and error_stream's ERROR_TIME read (epoch ms). @defaultValue Date.now */
  readonly wallClock?: () => number;
  /**
   * A row inserted with a ROWTIME before the last one: `clamp` gives it the last ROWTIME (KDA's
   * ROWTIME never goes back); `error` sends it to error_stream. @defaultValue 'clamp'
   */
  readonly lateRows?: 'clamp' | 'error';
}

/**
 * Runs a planned application in memory: rows inserted into an input stream flow through the
 * pumps (in plan order, synchronously) and come out of the output streams. Time moves with the
 * rows' ROWTIME; `advanceTo` moves it without a row (idle windows close), `flush` closes all.
 */
export class AnalyticsEngine {
  readonly #operators = new Map<string, PumpOperator>();
  readonly #readers = new Map<string, PumpOperator[]>();
  readonly #outputs: ReadonlySet<string>;
  readonly #tables = new Map<string, ReferenceTableData>();
  readonly #wallClock: () => number;
  readonly #inputStream: string;
  #rowtime = -Infinity;

  constructor(
    readonly plan: ApplicationPlan,
    private readonly options: EngineOptions,
  ) {
    this.#wallClock = options.wallClock ?? Date.now;
    this.#outputs = new Set(options.outputStreams ?? plan.outputStreams);
    for (const name of this.#outputs) if (!plan.streams.has(name)) throw new AnalyticsError('UNKNOWN_OUTPUT_STREAM', `outputStreams: no in-application stream ${JSON.stringify(name)} (have ${[...plan.streams.keys()].join(', ')})`);
    for (const table of plan.referenceTables) this.#tables.set(table.name, { rows: [], version: 0 });
    const input = [...plan.streams.values()].find((stream) => stream.origin === 'input');
    this.#inputStream = input?.name ?? '';
    for (const pump of plan.pumps) {
      const operator = this.#operatorFor(pump);
      this.#operators.set(pump.name, operator);
      const readers = this.#readers.get(pump.from) ?? [];
      readers.push(operator);
      this.#readers.set(pump.from, readers);
    }
  }

  /**
   * The stream's time: the ROWTIME of the last row inserted, or the end of the last window
   * `advanceTo` closed if that is later. A row inserted with an earlier ROWTIME is given this one.
   */
  get rowtime(): number {
    return this.#rowtime;
  }

  /** Replaces a reference table's rows (a load or a refresh). */
  setReferenceTable(name: string, rows: readonly (readonly SqlValue[])[]): void {
    const current = this.#tables.get(name);
    if (current === undefined) throw new AnalyticsError('UNKNOWN_REFERENCE_TABLE', `no reference table ${JSON.stringify(name)} in the application (have ${[...this.#tables.keys()].join(', ') || 'none'})`);
    this.#tables.set(name, { rows, version: current.version + 1 });
  }

  /** Inserts a row into an input stream (by default the first, SOURCE_SQL_STREAM_001). */
  insert(row: StreamRow, stream = this.#inputStream): void {
    let rowtime = row.rowtime;
    if (rowtime < this.#rowtime) {
      if (this.options.lateRows === 'error') {
        this.reportError('OutOfOrderRow', `ROWTIME ${new Date(rowtime).toISOString()} is before the stream's ${new Date(this.#rowtime).toISOString()}`, row, '');
        return;
      }
      rowtime = this.#rowtime;
    }
    this.#rowtime = rowtime;
    this.#deliver(stream, rowtime === row.rowtime ? row : { ...row, rowtime });
  }

  /**
   * Closes, without a row, the windows that end by `rowtime` (idle close); they emit. Stream time
   * moves to the end of the last window closed (for a sliding RANGE partition dropped, when its
   * last row left the frame), not to `rowtime`: a row that comes later for a
   * closed window (KDA's late-arriving record) is given that end, the start of the next window —
   * the same ROWTIME whenever the close ran — and a row for a window still open keeps its own.
   */
  advanceTo(rowtime: number): void {
    if (rowtime <= this.#rowtime) return;
    let closedUntil = this.#rowtime;
    for (const pump of this.plan.pumps) {
      const end = this.#operators.get(pump.name)!.advance(rowtime);
      if (end !== undefined && end > closedUntil) closedUntil = end;
    }
    this.#rowtime = closedUntil;
  }

  /** Closes every open window (the input has ended). */
  flush(): void {
    for (const pump of this.plan.pumps) this.#operators.get(pump.name)!.flush();
  }

  /** The earliest ROWTIME an open window still needs, over all pumps; undefined when none is open. */
  earliestNeededRowtime(): number | undefined {
    let earliest: number | undefined;
    for (const operator of this.#operators.values()) {
      const needed = operator.earliestNeededRowtime();
      if (needed !== undefined && (earliest === undefined || needed < earliest)) earliest = needed;
    }
    return earliest;
  }

  /** Puts a row into error_stream (input records that do not parse, and rows that cannot be computed). */
  reportError(errorName: string, message: string, data: { readonly rowtime: number; readonly id: string; readonly values?: readonly SqlValue[] }, pumpName: string, rawData?: Buffer): void {
    const dataRow = rawData ?? Buffer.from(JSON.stringify((data.values ?? []).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))));
    const values: SqlValue[] = [this.#wallClock(), 'ERROR', errorName.slice(0, 32), message.slice(0, 4096), data.rowtime, dataRow.toString('hex').slice(0, 49152), pumpName];
    this.#deliver(ERROR_STREAM, { rowtime: data.rowtime, values, id: `${ERROR_STREAM}|${pumpName}|${data.id}` });
  }

  #deliver(stream: string, row: StreamRow): void {
    const readers = this.#readers.get(stream);
    if (readers !== undefined) for (const reader of readers) reader.push(row);
    if (this.#outputs.has(stream)) this.options.onOutput(stream, row);
  }

  #operatorFor(pump: PlannedPump): PumpOperator {
    const target = this.plan.streams.get(pump.into)!;
    const positions = pump.targetPositions;
    const complete = positions.length === target.columns.length && positions.every((p, i) => p === i);
    const output: OperatorOutput = {
      emit: (row) => {
        let values = row.values;
        if (!complete) {
          const full = new Array<SqlValue>(target.columns.length).fill(null);
          positions.forEach((p, i) => (full[p] = values[i]!));
          values = full;
        }
        this.#deliver(pump.into, { rowtime: row.rowtime, values, id: `${pump.into}|${row.id}` });
      },
      error: (error, data) => {
        const name = error instanceof EvaluationError ? error.errorName : 'InternalError';
        this.reportError(name, error instanceof Error ? error.message : String(error), data, pump.name);
      },
    };
    const mapper = new OutputMapper(pump.query.outputs, pump.targetColumns, pump.query.rowtime);
    const tables = (name: string) => this.#tables.get(name)!;
    const prefix = `${pump.name}|`;
    switch (pump.query.kind) {
      case 'project':
        return new ProjectOperator(pump.query, mapper, tables, output, prefix);
      case 'tumbling':
        return new TumblingOperator(pump.query, mapper, tables, output, prefix);
      case 'stagger':
        return new StaggerOperator(pump.query, mapper, tables, output, prefix);
      case 'sliding':
        return new SlidingOperator(pump.query, mapper, tables, output, prefix);
    }
  }
}
