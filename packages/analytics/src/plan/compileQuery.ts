import type { Compiled } from '../expressions/Compiled';
import { compileExpression, type CompileHooks } from '../expressions/compileExpression';
import { Scope, type ScopeSource } from '../expressions/Scope';
import type { Expression, SelectItem, SelectStatement } from '../sql/ast';
import { UNIT_MS } from '../sql/parseLiterals';
import { BIGINT, BOOLEAN, DOUBLE, isIntegerType, isNumericType, type SqlType } from '../types/SqlType';
import { AGGREGATE_FUNCTIONS, canonical, collectAggregates, hasAggregate, windowKey, type AggregateCall, type AggregateFunction } from './aggregates';
import type { ColumnSchema } from './Catalog';
import type { AggregateSlot, CompiledJoin, CompiledQuery, SlidingWindowSlot } from './CompiledQuery';
import { formatExpression } from './formatExpression';
import { partitionKeysOf } from './partitionKeys';

/** What a query may read: the stream in FROM and the reference tables, by name. */
export interface QueryInputs {
  readonly stream: (name: { text: string; quoted: boolean }) => { name: string; columns: readonly ColumnSchema[] } | undefined;
  readonly table: (name: { text: string; quoted: boolean }) => { name: string; columns: readonly ColumnSchema[] } | undefined;
  readonly sql: string;
  readonly wallClock: () => number;
}

/** A compiled select item: its value over the output row, and its name (for explain and `*`). */
export interface CompiledItem {
  readonly name: string;
  readonly value: Compiled;
}

/** Compiles one SELECT into a query of its window kind; `items` are in select order, ROWTIME items excluded. */
export function compileQuery(select: SelectStatement, inputs: QueryInputs): { query: CompiledQuery; items: CompiledItem[]; streamName: string } {
  const failAt = (detail: string, at: { position: Expression['position'] }, kind: 'semantic' | 'unsupported' = 'semantic', construct = 'SELECT'): never =>
    new Scope([], inputs.sql).fail(detail, at, kind, construct);
  const stream = inputs.stream(select.from.name);
  if (stream === undefined) {
    if (inputs.table(select.from.name)) failAt(`${select.from.name.text} is a reference table; FROM must name a stream (join the table to it)`, select.from);
    failAt(`unknown stream ${select.from.name.text}`, select.from);
  }
  const sources: ScopeSource[] = [{ alias: select.from.alias?.text ?? stream!.name, name: stream!.name, columns: stream!.columns, offset: 0, isStream: true }];
  for (const join of select.joins) {
    const table = inputs.table(join.table.name);
    if (table === undefined) {
      if (inputs.stream(join.table.name)) failAt('a JOIN of two streams', join.table, 'unsupported', 'JOIN');
      failAt(`unknown reference table ${join.table.name.text}`, join.table);
    }
    const previous = sources[sources.length - 1]!;
    sources.push({ alias: join.table.alias?.text ?? table!.name, name: table!.name, columns: table!.columns, offset: previous.offset + previous.columns.length, isStream: false });
  }
  const scope = new Scope(sources, inputs.sql);
  const resolveKey = (column: Extract<Expression, { kind: 'column' }>) => {
    const resolved = scope.resolve(column);
    return resolved.kind === 'rowtime' ? 'ROWTIME' : String(resolved.index);
  };
  const plain: CompileHooks = { wallClock: inputs.wallClock };
  const compilePlain = (e: Expression) => compileExpression(e, scope, plain);

  const joins: CompiledJoin[] = select.joins.map((join, i) => {
    const source = sources[i + 1]!;
    const on = compilePlain(join.on);
    if (on.type.name !== 'BOOLEAN') failAt('JOIN … ON needs a condition', join.on);
    return { type: join.type, table: source.name, offset: source.offset, width: source.columns.length, on, equality: equalityOf(join.on, scope, source, compilePlain) };
  });
  for (const clause of [select.where, ...select.joins.map((j) => j.on)]) {
    if (clause && hasAggregate(clause)) failAt('an aggregate in WHERE or ON', clause, 'semantic', 'WHERE');
  }
  const where = select.where === undefined ? undefined : compilePlain(select.where);
  if (where !== undefined && where.type.name !== BOOLEAN.name && where.type.name !== 'NULL') failAt(`WHERE needs a condition, got ${where.type.name}`, select.where!);

  const { items, rowtimeItem } = expandItems(select.items, scope, failAt);
  const base = { scope, joins, where };
  const overs = items.flatMap((item) => collectAggregates(item.expression)).filter((call) => call.over !== undefined);
  const grouped = select.groupBy !== undefined || select.stagger !== undefined || items.some((item) => collectAggregates(item.expression).some((call) => call.over === undefined));

  if (overs.length > 0 && grouped) failAt('mixing OVER (sliding) aggregates with GROUP BY / WINDOWED BY aggregates in one SELECT', overs[0]!, 'unsupported');
  if (select.having !== undefined && !grouped) failAt('HAVING without GROUP BY or WINDOWED BY STAGGER', select.having);

  if (!grouped && overs.length === 0) {
    const compiled = items.map((item) => ({ name: item.name, value: compilePlain(item.expression) }));
    const rowtime = rowtimeItem === undefined ? undefined : compilePlain(rowtimeItem);
    return { query: { kind: 'project', ...base, outputs: compiled.map((c) => c.value), rowtime }, items: compiled, streamName: stream!.name };
  }

  if (overs.length > 0) {
    const windows: SlidingWindowSlot[] = [];
    const windowIndex = new Map<string, number>();
    const aggregates: AggregateSlot[] = [];
    const slots = new Map<string, number>();
    for (const call of overs) {
      const spec = call.over!.kind === 'inline' ? call.over!.spec : select.windows.get(call.over!.name.text);
      if (spec === undefined) failAt(`unknown window ${call.over!.kind === 'named' ? call.over!.name.text : ''}`, call.over!);
      const key = windowKey(spec!, resolveKey);
      if (!windowIndex.has(key)) {
        windowIndex.set(key, windows.length);
        windows.push({
          partitionBy: spec!.partitionBy.map(compilePlain),
          frame: spec!.frame.kind === 'range' ? { kind: 'range', ms: spec!.frame.ms } : { kind: 'rows', preceding: spec!.frame.preceding },
          description: `${spec!.partitionBy.length > 0 ? `PARTITION BY ${spec!.partitionBy.map(formatExpression).join(', ')} ` : ''}${spec!.frame.kind === 'range' ? `RANGE ${spec!.frame.text}` : `ROWS ${spec!.frame.preceding}`} PRECEDING`,
        });
      }
      const slotKey = `${canonical({ ...call, over: undefined }, resolveKey)}@${windowIndex.get(key)}`;
      if (!slots.has(slotKey)) {
        slots.set(slotKey, aggregates.length);
        aggregates.push({ ...aggregateSlot(call, compilePlain, failAt), window: windowIndex.get(key)! });
      }
    }
    const width = scope.width;
    const hooks: CompileHooks = {
      wallClock: inputs.wallClock,
      substitute: (e) => {
        if (e.kind !== 'call' || e.over === undefined) return undefined;
        const spec = e.over.kind === 'inline' ? e.over.spec : select.windows.get(e.over.name.text)!;
        const index = slots.get(`${canonical({ ...e, over: undefined }, resolveKey)}@${windowIndex.get(windowKey(spec, resolveKey))}`)!;
        const slot = width + index;
        return { type: aggregateType(aggregates[index]!), evaluate: (values) => values[slot] ?? null };
      },
    };
    const compiled = items.map((item) => ({ name: item.name, value: compileExpression(item.expression, scope, hooks) }));
    const rowtime = rowtimeItem === undefined ? undefined : compileExpression(rowtimeItem, scope, hooks);
    const partitionBy = partitionKeysOf(overs.map((call) => (call.over!.kind === 'inline' ? call.over!.spec : select.windows.get(call.over!.name.text)!).partitionBy), scope, compilePlain);
    return { query: { kind: 'sliding', ...base, windows, aggregates, outputs: compiled.map((c) => c.value), rowtime, partitionBy }, items: compiled, streamName: stream!.name };
  }

  // GROUP BY (tumbling) or WINDOWED BY STAGGER: output rows are [keys…, aggregates…].
  const keyExpressions = select.groupBy ?? select.stagger?.partitionBy ?? [];
  for (const key of keyExpressions) if (hasAggregate(key)) failAt('an aggregate in GROUP BY / PARTITION BY', key);
  const keyCanonical = keyExpressions.map((e) => canonical(e, resolveKey));
  const keys = keyExpressions.map(compilePlain);
  const calls = [...items.map((item) => item.expression), ...(select.having ? [select.having] : [])].flatMap((e) => collectAggregates(e));
  const aggregates: AggregateSlot[] = [];
  const slots = new Map<string, number>();
  for (const call of calls) {
    const key = canonical(call, resolveKey);
    if (!slots.has(key)) {
      slots.set(key, aggregates.length);
      aggregates.push(aggregateSlot(call, compilePlain, failAt));
    }
  }
  const hooks: CompileHooks = {
    wallClock: inputs.wallClock,
    substitute: (e) => {
      if (e.kind === 'literal' || e.kind === 'interval') return undefined;
      const text = canonical(e, resolveKey);
      const key = keyCanonical.indexOf(text);
      if (key >= 0) return { type: keys[key]!.type, evaluate: (values) => values[key] ?? null };
      const aggregate = e.kind === 'call' && AGGREGATE_FUNCTIONS.has(e.name) ? slots.get(text) : undefined;
      if (aggregate === undefined) return undefined;
      const slot = keys.length + aggregate;
      return { type: aggregateType(aggregates[aggregate]!), evaluate: (values) => values[slot] ?? null };
    },
    checkColumn: (column) => {
      const resolved = scope.resolve(column);
      if (resolved.kind === 'rowtime' && !resolved.qualified) return; // the output row's ROWTIME: the window's end
      failAt(`${formatExpression(column)} must appear in ${select.stagger ? 'PARTITION BY' : 'GROUP BY'} or inside an aggregate`, column);
    },
  };
  const compiled = items.map((item) => ({ name: item.name, value: compileExpression(item.expression, scope, hooks) }));
  const rowtime = rowtimeItem === undefined ? undefined : compileExpression(rowtimeItem, scope, hooks);
  const having = select.having === undefined ? undefined : compileExpression(select.having, scope, hooks);
  const outputs = compiled.map((c) => c.value);
  const keyDescriptions = keyExpressions.map(formatExpression);
  const partitionBy = partitionKeysOf([keyExpressions], scope, compilePlain);
  if (select.stagger !== undefined) {
    return { query: { kind: 'stagger', ...base, keys, keyDescriptions, rangeMs: select.stagger.ms, aggregates, having, outputs, rowtime, partitionBy }, items: compiled, streamName: stream!.name };
  }
  const windowKeys = keyExpressions.flatMap((e, key) => {
    const sizeMs = rowtimeWindowSize(e, scope);
    return sizeMs === undefined ? [] : [{ key, sizeMs }];
  });
  if (windowKeys.length === 0) {
    failAt(
      select.groupBy ? 'GROUP BY on a stream needs a ROWTIME window key: STEP(stream.ROWTIME BY INTERVAL …) or FLOOR(stream.ROWTIME TO unit)' : 'an aggregate on a stream needs GROUP BY with a ROWTIME window, WINDOWED BY STAGGER, or OVER a window',
      select.groupBy?.[0] ?? select,
      'semantic',
      'GROUP BY',
    );
  }
  return { query: { kind: 'tumbling', ...base, keys, keyDescriptions, windowKeys, aggregates, having, outputs, rowtime, partitionBy }, items: compiled, streamName: stream!.name };
}

/** The window size of a GROUP BY key that is STEP(ROWTIME BY …) or FLOOR(ROWTIME TO unit), else undefined. */
function rowtimeWindowSize(e: Expression, scope: Scope): number | undefined {
  const isRowtime = (operand: Expression) => operand.kind === 'column' && scope.resolve(operand).kind === 'rowtime';
  if (e.kind === 'step' && isRowtime(e.operand) && e.by.kind === 'interval') return e.by.ms;
  if (e.kind === 'floorTo' && e.function === 'FLOOR' && isRowtime(e.operand)) {
    const ms = UNIT_MS[e.unit];
    if (ms === undefined) scope.fail(`FLOOR(ROWTIME TO ${e.unit}) windows (calendar units)`, e, 'unsupported', 'GROUP BY');
    return ms;
  }
  return undefined;
}

function aggregateSlot(call: AggregateCall, compile: (e: Expression) => Compiled, failAt: (detail: string, at: { position: Expression['position'] }) => never): AggregateSlot {
  const fn = call.name as AggregateFunction;
  if (call.star && fn !== 'COUNT') failAt(`${fn}(*) is not an aggregate; only COUNT(*)`, call);
  if (!call.star && call.args.length !== 1) failAt(`${fn}() takes one argument`, call);
  if (call.distinct && fn !== 'COUNT') failAt(`${fn}(DISTINCT …): only COUNT(DISTINCT …) is supported`, call);
  const argument = call.star ? undefined : compile(call.args[0]!);
  for (const arg of call.args) if (hasAggregate(arg)) failAt('an aggregate inside an aggregate', arg);
  if ((fn === 'SUM' || fn === 'AVG') && argument !== undefined && !isNumericType(argument.type) && argument.type.name !== 'NULL') failAt(`${fn}() needs a number, got ${argument.type.name}`, call);
  return { function: fn, distinct: call.distinct, star: call.star, argument };
}

/** COUNT is BIGINT; SUM of integers is BIGINT (of DECIMAL, DECIMAL), AVG is DOUBLE; MIN/MAX keep the argument's type. */
export function aggregateType(slot: AggregateSlot): SqlType {
  switch (slot.function) {
    case 'COUNT':
      return BIGINT;
    case 'SUM': {
      const type = slot.argument!.type;
      return isIntegerType(type) ? BIGINT : type.name === 'DECIMAL' ? { name: 'DECIMAL', length: 38, scale: type.scale } : DOUBLE;
    }
    case 'AVG':
      return DOUBLE;
    default:
      return slot.argument!.type;
  }
}

/** `*` and `alias.*` expanded; the item that names ROWTIME set aside. */
function expandItems(selectItems: readonly SelectItem[], scope: Scope, failAt: (detail: string, at: { position: Expression['position'] }) => never): { items: { name: string; expression: Expression }[]; rowtimeItem?: Expression } {
  const items: { name: string; expression: Expression }[] = [];
  let rowtimeItem: Expression | undefined;
  for (const item of selectItems) {
    const e = item.expression;
    if (e.kind === 'star') {
      const sources = e.qualifier === undefined ? scope.sources : [scope.sourceFor(e.qualifier) ?? failAt(`unknown stream or alias ${e.qualifier.text}`, e)];
      for (const source of sources) {
        for (const column of source.columns) {
          items.push({ name: column.name, expression: { kind: 'column', qualifier: { text: source.alias, quoted: true, position: e.position }, name: { text: column.name, quoted: true, position: e.position }, position: e.position } });
        }
      }
      continue;
    }
    const name = item.alias?.text ?? (e.kind === 'column' ? e.name.text : formatExpression(e));
    const namesRowtime = item.alias ? item.alias.text === 'ROWTIME' && !item.alias.quoted : e.kind === 'column' && e.qualifier === undefined && e.name.text === 'ROWTIME' && !e.name.quoted;
    if (namesRowtime) {
      if (rowtimeItem !== undefined) failAt('two select items name ROWTIME', item);
      rowtimeItem = e;
      continue;
    }
    items.push({ name, expression: e });
  }
  return { items, rowtimeItem };
}

/** An ON of the form `stream expression = table column` (either way round), for a hash lookup. */
function equalityOf(on: Expression, scope: Scope, table: ScopeSource, compile: (e: Expression) => Compiled): CompiledJoin['equality'] {
  if (on.kind !== 'binary' || on.operator !== '=') return undefined;
  const tableColumn = (e: Expression) => {
    if (e.kind !== 'column') return undefined;
    const resolved = scope.resolve(e);
    return resolved.kind === 'value' && resolved.index >= table.offset && resolved.index < table.offset + table.columns.length ? resolved.index - table.offset : undefined;
  };
  const usesTable = (e: Expression): boolean => {
    if (e.kind === 'column') {
      const resolved = scope.resolve(e);
      return resolved.kind === 'value' && resolved.index >= table.offset;
    }
    return JSON.stringify(e, (k, v: unknown) => (k === 'position' ? undefined : v)).includes('"kind":"column"') && collectColumns(e).some(usesTable);
  };
  for (const [probe, column] of [[on.left, on.right], [on.right, on.left]] as const) {
    const index = tableColumn(column);
    if (index !== undefined && !usesTable(probe)) return { probe: compile(probe), tableColumn: index };
  }
  return undefined;
}

function collectColumns(e: Expression): Expression[] {
  const found: Expression[] = [];
  JSON.stringify(e, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && (v as { kind?: string }).kind === 'column') found.push(v as Expression);
    return v;
  });
  return found;
}
