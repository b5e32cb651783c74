import { demoPassed, formatSummary, type DemoSummary } from './DemoSummary';
import { ShardLineage } from '@kinesis-toolkit/core';
import { verifySink } from './verifySink';
import type { DeliveredRow } from './DemoRecord';
import { verifyAnalytics } from './verifyAnalytics';

const row = (n: number, sequenceNumber: string): DeliveredRow => ({ runId: 'r', source: 'clicks', key: 'clicks:0', n, producedAt: 0, shardId: 's0', sequenceNumber, subSequenceNumber: 0, emittedAt: 500 });
const produced = new Set(['clicks:0#0', 'clicks:0#1']);
const lineage = new ShardLineage([{ shardId: 's0' }]);

function summary(rows: DeliveredRow[], over: Partial<DemoSummary> = {}): DemoSummary {
  return {
    produce: { submitted: 2, acknowledged: 2, failed: 0, failures: [], kinesisRecords: 1, elapsedMs: 1000, stoppedEarly: false },
    endToEnd: { records: 2, spanMs: 2000 },
    latency: { count: 2, min: 400, p50: 500, p99: 900, max: 900 },
    takeover: { victim: 'worker-2', leases: ['s0'], newOwners: { s0: 'worker-1' }, takeoverMs: 3450 },
    failoverTimeMs: 3000,
    reshards: ['split s0 → s1, s2'],
    sinks: [verifySink('s3', produced, rows, lineage), verifySink('postgresql', produced, rows, lineage, { idempotent: true })],
    analytics: undefined,
    unreadable: [],
    problems: [],
    warnings: {},
    totalMs: 61_000,
    ...over,
  };
}

describe('formatSummary', () => {
  it('prints the figures, the per-sink table and PASS', () => {
    const text = formatSummary(summary([row(0, '1'), row(1, '2')]));
    expect(text).toMatch(/^ {2}aggregation +1 Kinesis records, 2\.0 user records per Kinesis record$/m);
    expect(text).toMatch(/^ {2}latency +p50 500 ms, p99 900 ms, max 900 ms /m);
    expect(text).toMatch(/^ {2}takeover +3\.45 s \(worker-2's 1 leases → worker-1; failover time 3\.00 s\)$/m);
    expect(text).toMatch(/^ {2}postgresql +2 +2 +0 +0 +0 +0 +PASS$/m);
    expect(text.trimEnd().split('\n').pop()).toBe('PASS: every acknowledged record reached every sink, none lost, per-key order kept (1 min 01 s in all).');
  });

  it('fails, with the reasons, on a lost record, a failed put or a problem of the run', () => {
    const lost = summary([row(0, '1')]);
    expect(demoPassed(lost)).toBe(false);
    expect(formatSummary(lost)).toContain('FAIL:\n  - s3: 1 acknowledged records missing (e.g. clicks:0#1)\n  - postgresql: 1 acknowledged records missing (e.g. clicks:0#1)\n');
    const failedPut = summary([row(0, '1'), row(1, '2')], { produce: { ...summary([]).produce, failed: 1, failures: ['clicks:0#2: PutFailedError: x'] } });
    expect(demoPassed(failedPut)).toBe(false);
    expect(formatSummary(failedPut)).toContain('  - producer: 1 puts failed (clicks:0#2: PutFailedError: x)');
    const drained = summary([row(0, '1'), row(1, '2')], { problems: ['drain: timed out'] });
    expect(demoPassed(drained)).toBe(false);
    expect(demoPassed(summary([row(0, '1'), row(1, '2')], { sinks: [] }))).toBe(false);
  });
});

describe('formatSummary — the analytics check', () => {
  const rows = [row(0, '1'), row(1, '2')];
  const window = { source: 'clicks', windowStart: 0 };

  it('is one line, and PASS when the SQL counts equal the sinks', () => {
    const analytics = verifyAnalytics([{ id: 'a', ...window, records: 2 }], rows);
    const text = formatSummary(summary(rows, { analytics }));
    expect(text).toMatch(/^ {2}analytics +SQL counts per source per 10 s window: 1 windows, 2 records in 1 rows — equal to the sinks \(PASS\)$/m);
    expect(demoPassed(summary(rows, { analytics }))).toBe(true);
    expect(text.trimEnd().split('\n').pop()).toBe('PASS: every acknowledged record reached every sink, none lost, per-key order kept, the SQL counts match (1 min 01 s in all).');
  });

  it('fails the run, naming a window, when a count differs', () => {
    const analytics = verifyAnalytics([{ id: 'a', ...window, records: 1 }], rows);
    expect(demoPassed(summary(rows, { analytics }))).toBe(false);
    expect(formatSummary(summary(rows, { analytics }))).toContain('  - analytics: 1 windows counted differently from the sinks (e.g. clicks 00:00:00: SQL 1, sinks 2)');
  });
});
