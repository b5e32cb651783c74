import type { ApplicationAst, CreatePumpStatement, Identifier } from '../sql/ast';
import { SqlError } from '../sql/SqlError';
import { typeOf } from '../types/SqlType';
import { ERROR_STREAM, ERROR_STREAM_COLUMNS, type ApplicationPlan, type PlannedPump, type PlannedStream } from './ApplicationPlan';
import type { Catalog, ColumnSchema } from './Catalog';
import { compileQuery } from './compileQuery';

/** Options of {@link planApplication}. */
export interface PlanOptions {
  /** What CURRENT_ROW_TIMESTAMP reads. @defaultValue Date.now */
  readonly wallClock?: () => number;
}

const named = <T extends { name: string }>(items: Iterable<T>, identifier: Pick<Identifier, 'text' | 'quoted'>): T | undefined => {
  const list = [...items];
  return list.find((item) => item.name === identifier.text) ?? (identifier.quoted ? undefined : list.find((item) => item.name.toUpperCase() === identifier.text));
};

/**
 * Turns parsed SQL into a plan: the streams (input, created, error_stream), each pump's compiled
 * query and window, the order pumps run in (writers before readers), and the output streams.
 * @throws SqlError naming the statement and position of an unknown stream, a column-count mismatch, a pump cycle, …
 */
export function planApplication(ast: ApplicationAst, catalog: Catalog, options: PlanOptions = {}): ApplicationPlan {
  const wallClock = options.wallClock ?? Date.now;
  const fail = (detail: string, at: { position: CreatePumpStatement['position'] }, construct: string): never => {
    throw new SqlError('semantic', detail, construct, at.position, ast.source);
  };
  const streams = new Map<string, { name: string; columns: readonly ColumnSchema[]; origin: PlannedStream['origin'] }>();
  for (const source of catalog.sourceStreams) streams.set(source.name, { ...source, origin: 'input' });
  streams.set(ERROR_STREAM, { name: ERROR_STREAM, columns: ERROR_STREAM_COLUMNS, origin: 'error' });
  const tables = catalog.referenceTables;

  for (const statement of ast.statements) {
    if (statement.kind !== 'createStream') continue;
    const existing = named(streams.values(), statement.name);
    if (existing !== undefined) fail(`stream ${statement.name.text} already exists${existing.origin === 'input' ? ' (it is an input stream)' : ''}`, statement.name, 'CREATE STREAM');
    if (named(tables, statement.name)) fail(`${statement.name.text} is a reference table`, statement.name, 'CREATE STREAM');
    streams.set(statement.name.text, {
      name: statement.name.text,
      columns: statement.columns.map((column) => ({ name: column.name.text, type: typeOf(column.type), notNull: column.notNull })),
      origin: 'created',
    });
  }

  const pumps: PlannedPump[] = [];
  for (const statement of ast.statements) {
    if (statement.kind !== 'createPump') continue;
    if (pumps.some((pump) => pump.name === statement.name.text)) fail(`pump ${statement.name.text} is defined twice`, statement.name, 'CREATE PUMP');
    const target = named(streams.values(), statement.target);
    if (target === undefined) fail(`unknown stream ${statement.target.text} (create it with CREATE OR REPLACE STREAM)`, statement.target, 'INSERT INTO');
    if (target!.origin !== 'created') fail(`a pump cannot insert into ${target!.origin === 'error' ? 'error_stream' : `the input stream ${target!.name}`}`, statement.target, 'INSERT INTO');
    const { query, items, streamName } = compileQuery(statement.select, {
      stream: (identifier) => named([...streams.values()].filter((s) => s.origin !== 'error'), identifier),
      table: (identifier) => named(tables, identifier),
      sql: ast.source,
      wallClock,
    });
    const positions = (statement.targetColumns ?? target!.columns.map((column) => ({ text: column.name, quoted: true, position: statement.target.position }))).map((identifier) => {
      const index = target!.columns.findIndex((column) => column.name === identifier.text || (!identifier.quoted && column.name.toUpperCase() === identifier.text));
      if (index < 0) fail(`stream ${target!.name} has no column ${identifier.text}`, identifier, 'INSERT INTO');
      return index;
    });
    if (items.length !== positions.length) {
      fail(`the SELECT has ${items.length} column${items.length === 1 ? '' : 's'} (${items.map((i) => i.name).join(', ')}) but ${target!.name} takes ${positions.length}`, statement.select, 'INSERT INTO');
    }
    const windowDescription =
      query.kind === 'tumbling'
        ? `tumbling: GROUP BY ${query.keyDescriptions.join(', ')}`
        : query.kind === 'stagger'
          ? `stagger: PARTITION BY ${query.keyDescriptions.join(', ')} RANGE ${query.rangeMs / 1000} s`
          : query.kind === 'sliding'
            ? `sliding: ${query.windows.map((w) => w.description).join('; ')}`
            : 'none (row by row)';
    pumps.push({
      name: statement.name.text,
      from: streamName,
      into: target!.name,
      query,
      items,
      targetColumns: positions.map((p) => target!.columns[p]),
      targetPositions: positions,
      window: windowDescription,
      repartition: query.partitionBy === undefined ? undefined : { keys: query.partitionBy.map((key) => key.description) },
    });
  }

  const ordered = topologicalOrder(pumps, (pump, cycle) => fail(`pumps form a cycle: ${cycle.join(' → ')}`, ast.statements.find((s) => s.kind === 'createPump' && s.name.text === pump)!, 'CREATE PUMP'));
  const planned = new Map<string, PlannedStream>();
  for (const stream of streams.values()) {
    planned.set(stream.name, {
      ...stream,
      readers: ordered.filter((pump) => pump.from === stream.name).map((pump) => pump.name),
      writers: ordered.filter((pump) => pump.into === stream.name).map((pump) => pump.name),
    });
  }
  const outputStreams = [...planned.values()].filter((stream) => stream.origin !== 'input' && stream.readers.length === 0).map((stream) => stream.name);
  return { streams: planned, pumps: ordered, referenceTables: tables, outputStreams };
}

/** Pumps ordered so that every pump comes after the pumps writing the stream it reads. */
function topologicalOrder(pumps: readonly PlannedPump[], onCycle: (pump: string, cycle: string[]) => never): PlannedPump[] {
  const ordered: PlannedPump[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (pump: PlannedPump, path: string[]) => {
    if (state.get(pump.name) === 'done') return;
    if (state.get(pump.name) === 'visiting') onCycle(pump.name, [...path, pump.name]);
    state.set(pump.name, 'visiting');
    for (const writer of pumps) if (writer.into === pump.from) visit(writer, [...path, pump.name]);
    state.set(pump.name, 'done');
    ordered.push(pump);
  };
  for (const pump of pumps) visit(pump, []);
  return ordered;
}
