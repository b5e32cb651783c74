import { describeType } from '../types/SqlType';
import type { ApplicationPlan } from './ApplicationPlan';

/** The plan as text: streams with their columns, pumps in run order with their windows, and repartitioning. */
export function explainPlan(plan: ApplicationPlan): string {
  const lines: string[] = ['Streams:'];
  for (const stream of plan.streams.values()) {
    if (stream.origin === 'error' && stream.writers.length === 0 && stream.readers.length === 0) {
      lines.push(`  ${stream.name} (error stream: rows that cannot be read or computed)`);
      continue;
    }
    const role = stream.origin === 'input' ? 'input' : plan.outputStreams.includes(stream.name) ? 'output' : 'intermediate';
    lines.push(`  ${stream.name} (${role}): ${stream.columns.map((c) => `${c.name} ${describeType(c.type)}`).join(', ')}`);
  }
  if (plan.referenceTables.length > 0) {
    lines.push('Reference tables:');
    for (const table of plan.referenceTables) lines.push(`  ${table.name}: ${table.columns.map((c) => `${c.name} ${describeType(c.type)}`).join(', ')}`);
  }
  lines.push('Pumps (in run order):');
  for (const pump of plan.pumps) {
    lines.push(`  ${pump.name}: ${pump.from} → ${pump.into}`);
    lines.push(`    window: ${pump.window}`);
    const joins = pump.query.joins.map((j) => `${j.type === 'LEFT' ? 'LEFT JOIN' : 'JOIN'} ${j.table}${j.equality ? ' (hash lookup)' : ' (scan)'}`);
    if (joins.length > 0) lines.push(`    joins: ${joins.join(', ')}`);
    if (pump.query.where) lines.push('    filter: WHERE');
    const repartition = pump.repartition;
    lines.push(
      `    repartition: ${
        repartition === undefined
          ? 'none (stateless: each worker runs it on the shards it holds)'
          : repartition.keys.length === 0
            ? 'all rows to one worker (the window has no grouping key besides time)'
            : `by ${repartition.keys.join(', ')} (with several workers, rows go through an intermediate stream keyed by these)`
      }`,
    );
  }
  lines.push(`Outputs: ${plan.outputStreams.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
