import type { EmitBatch, Emitter } from '@kinesis-toolkit/connector';
import type { OutputRow } from './AnalyticsOutput';
import { CallbackOutput } from './CallbackOutput';
import { EmitterOutput } from './EmitterOutput';
import { rowKey } from './rowKey';

const row = (id: string, n: number): OutputRow => ({
  stream: 'DESTINATION_SQL_STREAM',
  columns: [{ name: 'TICKER', type: { name: 'VARCHAR', length: 4 } }, { name: 'N', type: { name: 'BIGINT' } }],
  row: { rowtime: Date.UTC(2024, 0, 1), values: ['AMZN', n], id },
});

describe('EmitterOutput', () => {
  it('hands the rows to the emitter as objects with ROWTIME and the deterministic id', async () => {
    const batches: EmitBatch<Record<string, unknown>>[] = [];
    const emitter: Emitter<Record<string, unknown>> = { emit: async (batch) => (batches.push(batch), { failed: [] }) };
    await new EmitterOutput(emitter, 'app').write([row('w1', 3)]);
    expect(batches[0]!.items).toEqual([{ stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T00:00:00.000Z', TICKER: 'AMZN', N: 3, id: 'w1' }]);
    expect(batches[0]!.sources[0]!.partitionKey).toBe(rowKey(row('w1', 3)));
  });

  it('rejects (so the KCL retries the batch) when the emitter reports failed items', async () => {
    const emitter: Emitter<Record<string, unknown>> = { emit: async (batch) => ({ failed: batch.items.slice(0, 1) }) };
    await expect(new EmitterOutput(emitter, 'app').write([row('w1', 3), row('w2', 4)])).rejects.toMatchObject({ code: 'OUTPUT_FAILED', retryable: true });
  });
});

describe('CallbackOutput and rowKey', () => {
  it('calls back with formatted rows; the key is the same for the same id and 32 hex characters', async () => {
    const seen: unknown[] = [];
    await new CallbackOutput((rows) => void seen.push(...rows)).write([row('w1', 1)]);
    expect(seen).toEqual([{ stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T00:00:00.000Z', TICKER: 'AMZN', N: 1, id: 'w1' }]);
    expect(rowKey(row('w1', 1))).toBe(rowKey(row('w1', 2)));
    expect(rowKey(row('w1', 1))).toMatch(/^[0-9a-f]{32}$/);
  });
});
