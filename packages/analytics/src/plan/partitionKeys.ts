import type { Compiled } from '../expressions/Compiled';
import type { Scope } from '../expressions/Scope';
import type { Expression } from '../sql/ast';
import { canonical, children } from './aggregates';
import { formatExpression } from './formatExpression';

/** A key a pump's input can be partitioned by: each group (or window partition) falls in one partition. */
export interface PartitionKey {
  readonly value: Compiled;
  readonly description: string;
}

/**
 * The keys a stateful query's rows can be spread over workers by, so that every group stays
 * whole: the keys common to every key list (the GROUP BY keys, or each window's PARTITION BY)
 * that read only the input stream's own columns — not ROWTIME, not a reference table. A subset
 * of a group's keys partitions at least as coarsely, so any such subset is correct; none means
 * every row goes to one partition.
 */
export function partitionKeysOf(keyLists: readonly (readonly Expression[])[], scope: Scope, compile: (e: Expression) => Compiled): PartitionKey[] {
  if (keyLists.length === 0) return [];
  const streamWidth = scope.sources[0]!.columns.length;
  const resolveKey = (column: Extract<Expression, { kind: 'column' }>) => {
    const resolved = scope.resolve(column);
    return resolved.kind === 'rowtime' ? 'ROWTIME' : String(resolved.index);
  };
  const readsStreamOnly = (e: Expression): boolean => {
    if (e.kind === 'column') {
      const resolved = scope.resolve(e);
      return resolved.kind === 'value' && resolved.index < streamWidth;
    }
    if (e.kind === 'call' && ['CURRENT_ROW_TIMESTAMP', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP'].includes(e.name)) return false;
    return children(e).every(readsStreamOnly);
  };
  const [first, ...rest] = keyLists;
  const common = first!.filter((e) => {
    const text = canonical(e, resolveKey);
    return readsStreamOnly(e) && hasColumn(e) && rest.every((list) => list.some((other) => canonical(other, resolveKey) === text));
  });
  return common.map((e) => ({ value: compile(e), description: formatExpression(e) }));
}

function hasColumn(e: Expression): boolean {
  return e.kind === 'column' || children(e).some(hasColumn);
}
