import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMarkdownTable } from '../../../test/markdownTable';
import { FLOW_DEFAULTS, FLOW_KEYS_ALL, GENERAL_DEFAULTS, GENERAL_KEYS } from '../src/config/agentKeys';
import { FIREHOSE_PRODUCER_DEFAULTS } from '../src/destinations/FirehoseProducerOptions';
import * as publicApi from '../src/index';

const file = join(__dirname, '..', 'README.md');
const readme = readFileSync(file, 'utf8');
const handlingName = { supported: 'supported', noEffect: 'no effect', unsupported: 'unsupported' } as const;

describe('agent README', () => {
  it('lists every general key with how it is handled', () => {
    const rows = readMarkdownTable(file, 'General keys');
    expect(Object.fromEntries(rows.map((row) => [row.key, row.handling]))).toEqual(Object.fromEntries(Object.entries(GENERAL_KEYS).map(([key, h]) => [key, handlingName[h.kind]])));
    const defaults = Object.fromEntries(rows.map((row) => [row.key, row.default]));
    expect(defaults.checkpointFile).toBe(GENERAL_DEFAULTS.checkpointFile);
    expect(defaults.shutdownTimeoutMillis).toBe(String(GENERAL_DEFAULTS.shutdownTimeoutMillis));
    for (const key of ['cloudwatch.emitMetrics', 'cloudwatch.metricsBufferTimeMillis', 'cloudwatch.metricsQueueSize', 'cloudwatch.namespace', 'cloudwatch.tagInstance', 'log.emitMetrics'] as const) {
      expect([key, defaults[key]]).toEqual([key, String(GENERAL_DEFAULTS[key])]);
    }
    const said = Object.fromEntries(rows.map((row) => [row.key, row['what it does here']]));
    for (const key of ['cloudwatch.metricsBufferTimeMillis', 'cloudwatch.metricsQueueSize'] as const) {
      expect(said[key]).toContain(`(${GENERAL_DEFAULTS[`${key}Range`].join('–')})`);
    }
  });

  it('lists every flow key with how it is handled, and the agent’s defaults and ranges', () => {
    const rows = readMarkdownTable(file, 'Flow keys');
    expect(Object.fromEntries(rows.map((row) => [row.key, row.handling]))).toEqual(Object.fromEntries(Object.entries(FLOW_KEYS_ALL).map(([key, h]) => [key, handlingName[h.kind]])));
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(row('maxBufferAgeMillis')).toMatchObject({ default: String(FLOW_DEFAULTS.maxBufferAgeMillis), range: FLOW_DEFAULTS.maxBufferAgeMillisRange.join('–') });
    expect(row('maxBufferSizeRecords')).toMatchObject({ default: String(FLOW_DEFAULTS.maxBufferSizeRecords), range: FLOW_DEFAULTS.maxBufferSizeRecordsRange.join('–') });
    expect(row('maxBufferSizeBytes').default).toBe(`${FLOW_DEFAULTS.kinesisMaxBufferSizeBytes} (stream), ${FLOW_DEFAULTS.firehoseMaxBufferSizeBytes} (delivery stream)`);
    expect(row('minTimeBetweenFilePollsMillis').default).toBe(String(FLOW_DEFAULTS.minTimeBetweenFilePollsMillis));
    expect(row('partitionKeyOption').default).toBe(FLOW_DEFAULTS.partitionKeyOption);
    expect(row('initialPosition').default).toBe(FLOW_DEFAULTS.initialPosition);
    expect(row('retryInitialBackoffMillis').default).toBe(String(FLOW_DEFAULTS.retryInitialBackoffMillis));
    expect(row('retryMaxBackoffMillis').default).toBe(String(FLOW_DEFAULTS.retryMaxBackoffMillis));
    expect(row('aggregatedRecordSizeBytes').default).toBe(String(FLOW_DEFAULTS.aggregatedRecordSizeBytes));
    expect(row('aggregatedRecordSizeBytes').range).toContain(FLOW_DEFAULTS.aggregatedRecordSizeBytesRange.join('–'));
  });

  it('FirehoseProducer options match FIREHOSE_PRODUCER_DEFAULTS', () => {
    const rows = readMarkdownTable(file, 'Destinations');
    const described: Record<string, string> = { clock: 'system clock', logger: 'no-op' };
    const expected = Object.fromEntries(Object.entries(FIREHOSE_PRODUCER_DEFAULTS).map(([key, value]) => [key, described[key] ?? (typeof value === 'object' ? JSON.stringify(value) : String(value))]));
    expect(Object.fromEntries(rows.map((row) => [Object.values(row)[0], row.default]))).toEqual(expected);
  });

  it('mentions every public export', () => {
    expect(Object.keys(publicApi).filter((name) => !readme.includes(name))).toEqual([]);
  });
});
