import { formatTable } from '../format/table';
import type { ProduceResult } from './DemoProducer';
import type { Distribution } from './statistics';
import { formatCount, formatDuration, ratePerSecond } from './statistics';
import type { Takeover } from './TakeoverWatch';
import type { AnalyticsVerification } from './verifyAnalytics';
import type { SinkVerification } from './verifySink';

/** Everything the demo measured and checked, for the final report. */
export interface DemoSummary {
  readonly produce: ProduceResult;
  /** User records per second from the first put to the last row written (all sinks). */
  readonly endToEnd: { readonly records: number; readonly spanMs: number };
  /** `emittedAt − producedAt` of each record's first delivery. */
  readonly latency: Distribution;
  readonly takeover: Takeover | undefined;
  readonly failoverTimeMs: number;
  /** One line per reshard done (`split shardId-…0 → …4, …5`). */
  readonly reshards: readonly string[];
  readonly sinks: readonly SinkVerification[];
  /** The SQL application's counts per source and 10-second window, checked against the sinks. */
  readonly analytics: AnalyticsVerification | undefined;
  /** Rows that could not be read from a sink (none expected). */
  readonly unreadable: readonly string[];
  /** Problems of the run itself: a chaos step that failed, a worker that did not stop, a drain timeout. */
  readonly problems: readonly string[];
  /** Worker-side warnings (emit retries, errors), counted by kind. */
  readonly warnings: Readonly<Record<string, number>>;
  readonly totalMs: number;
}

/** Whether the run passed: every sink verified, the analytics counts exact, nothing unreadable, every put acknowledged, no problem. */
export function demoPassed(summary: DemoSummary): boolean {
  return (
    summary.sinks.length > 0 &&
    summary.sinks.every((s) => s.passed) &&
    summary.analytics?.passed !== false &&
    summary.unreadable.length === 0 &&
    summary.produce.failed === 0 &&
    summary.problems.length === 0
  );
}

/** The analytics check in one line. */
function analyticsLine(analytics: AnalyticsVerification): string {
  const what = `SQL counts per source per 10 s window: ${formatCount(analytics.windows)} windows, ${formatCount(analytics.counted)} records in ${formatCount(analytics.rows)} rows`;
  return analytics.passed ? `${what} — equal to the sinks (PASS)` : `${what} — ${formatCount(analytics.mismatchCount)} windows differ from the sinks (FAIL)`;
}

/** The summary table and the PASS/FAIL verdict, as printed at the end of a run. */
export function formatSummary(summary: DemoSummary): string {
  const { produce } = summary;
  const perKinesisRecord = produce.kinesisRecords > 0 ? (produce.acknowledged / produce.kinesisRecords).toFixed(1) : 'n/a';
  const takeover =
    summary.takeover === undefined
      ? 'not measured'
      : `${formatDuration(summary.takeover.takeoverMs)} (${summary.takeover.victim}'s ${summary.takeover.leases.length} leases → ${[...new Set(Object.values(summary.takeover.newOwners))].join(', ') || 'finished'}; failover time ${formatDuration(summary.failoverTimeMs)})`;
  const facts: [string, string][] = [
    ['produced', `${formatCount(produce.acknowledged)} acknowledged of ${formatCount(produce.submitted)} put, in ${formatDuration(produce.elapsedMs)} (${formatCount(ratePerSecond(produce.acknowledged, produce.elapsedMs))} records/s)${produce.failed > 0 ? `; ${produce.failed} FAILED` : ''}`],
    ['aggregation', `${formatCount(produce.kinesisRecords)} Kinesis records, ${perKinesisRecord} user records per Kinesis record`],
    ['end to end', `${formatCount(summary.endToEnd.records)} records in ${formatDuration(summary.endToEnd.spanMs)} (${formatCount(ratePerSecond(summary.endToEnd.records, summary.endToEnd.spanMs))} records/s, first put to last write)`],
    ['latency', `p50 ${formatDuration(summary.latency.p50)}, p99 ${formatDuration(summary.latency.p99)}, max ${formatDuration(summary.latency.max)} (put → written to the sinks)`],
    ['takeover', takeover],
    ['reshards', summary.reshards.length > 0 ? summary.reshards.join('; ') : 'none'],
  ];
  if (summary.analytics !== undefined) facts.push(['analytics', analyticsLine(summary.analytics)]);
  const warnings = Object.entries(summary.warnings);
  if (warnings.length > 0) facts.push(['worker notes', warnings.map(([kind, count]) => `${kind} ×${count}`).join(', ')]);
  const factWidth = Math.max(...facts.map(([name]) => name.length));
  const lines = ['', 'Summary', ...facts.map(([name, value]) => `  ${name.padEnd(factWidth)}  ${value}`), ''];
  const table = formatTable(
    [
      'SINK',
      { header: 'ROWS', align: 'right' },
      { header: 'DELIVERED', align: 'right' },
      { header: 'LOST', align: 'right' },
      { header: 'UNEXPECTED', align: 'right' },
      { header: 'DUPLICATES', align: 'right' },
      { header: 'ORDER VIOLATIONS', align: 'right' },
      'RESULT',
    ],
    summary.sinks.map((s) => [s.sink, ...[s.rows, s.delivered, s.lost, s.unexpected, s.duplicates, s.orderViolations].map(formatCount), s.passed ? 'PASS' : 'FAIL']),
    { indent: '  ' },
  );
  const reasons = [
    ...summary.sinks.flatMap((s) => s.failures.map((f) => `${s.sink}: ${f}`)),
    ...(summary.analytics !== undefined && !summary.analytics.passed
      ? [`analytics: ${formatCount(summary.analytics.mismatchCount)} windows counted differently from the sinks (e.g. ${summary.analytics.mismatches.join('; ') || 'no records received'})`]
      : []),
    ...summary.unreadable.map((u) => `unreadable: ${u}`),
    ...(produce.failed > 0 ? [`producer: ${produce.failed} puts failed (${produce.failures.join('; ')})`] : []),
    ...summary.problems,
  ];
  const duplicatesNote = summary.sinks.some((s) => s.duplicates > 0)
    ? '  (duplicates: rows written again after a worker took a shard over mid-batch — S3 is at-least-once; PostgreSQL dedupes by sequence number)\n'
    : '';
  const verdict = demoPassed(summary)
    ? `PASS: every acknowledged record reached every sink, none lost, per-key order kept${summary.analytics !== undefined ? ', the SQL counts match' : ''} (${formatDuration(summary.totalMs)} in all).`
    : `FAIL:\n${reasons.map((r) => `  - ${r}`).join('\n') || '  - no sink verified'}`;
  return `${lines.join('\n')}\n${table}${duplicatesNote}\n${verdict}\n`;
}
