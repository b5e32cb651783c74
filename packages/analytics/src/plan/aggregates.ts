import type { Expression, WindowSpec } from '../sql/ast';

/** The aggregate functions KDA SQL supports here. */
export type AggregateFunction = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

export type AggregateCall = Extract<Expression, { kind: 'call' }>;

/** Every aggregate call in an expression (not looking inside an aggregate's own arguments). */
export function collectAggregates(expression: Expression, into: AggregateCall[] = []): AggregateCall[] {
  if (expression.kind === 'call' && AGGREGATE_FUNCTIONS.has(expression.name)) {
    into.push(expression);
    return into;
  }
  for (const child of children(expression)) collectAggregates(child, into);
  return into;
}

/** Whether an expression contains an aggregate call. */
export const hasAggregate = (expression: Expression): boolean => collectAggregates(expression).length > 0;

export function children(expression: Expression): Expression[] {
  switch (expression.kind) {
    case 'unary':
      return [expression.operand];
    case 'binary':
      return [expression.left, expression.right];
    case 'isNull':
    case 'cast':
    case 'floorTo':
    case 'extract':
      return [expression.operand];
    case 'like':
      return [expression.operand, expression.pattern, ...(expression.escape ? [expression.escape] : [])];
    case 'between':
      return [expression.operand, expression.low, expression.high];
    case 'in':
      return [expression.operand, ...expression.list];
    case 'case':
      return [...(expression.operand ? [expression.operand] : []), ...expression.whens.flatMap((w) => [w.when, w.then]), ...(expression.otherwise ? [expression.otherwise] : [])];
    case 'call':
      return [...expression.args];
    case 'step':
      return [expression.operand, expression.by];
    case 'substring':
      return [expression.operand, expression.from, ...(expression.length ? [expression.length] : [])];
    case 'position':
      return [expression.needle, expression.haystack];
    case 'trim':
      return [...(expression.characters ? [expression.characters] : []), expression.operand];
    default:
      return [];
  }
}

/**
 * A text that is equal for two expressions exactly when they mean the same thing in one query:
 * positions are ignored and columns are replaced by what they resolve to (`ticker`, `s.ticker`
 * and `"TICKER"` are the same column).
 */
export function canonical(expression: Expression, resolveColumn: (column: Extract<Expression, { kind: 'column' }>) => string): string {
  return JSON.stringify(expression, function (this: unknown, key, value: unknown) {
    if (key === 'position') return undefined;
    if (value !== null && typeof value === 'object' && (value as { kind?: string }).kind === 'column' && 'name' in (value as object)) {
      return `column:${resolveColumn(value as Extract<Expression, { kind: 'column' }>)}`;
    }
    if (value instanceof Map) return [...value.entries()];
    return value;
  });
}

/** A window spec's identity (two OVER clauses with the same spec share state). */
export function windowKey(spec: WindowSpec, resolveColumn: (column: Extract<Expression, { kind: 'column' }>) => string): string {
  return `${spec.partitionBy.map((e) => canonical(e, resolveColumn)).join('|')}#${JSON.stringify(spec.frame)}`;
}
