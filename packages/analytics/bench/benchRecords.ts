/** Keys of the benchmark records (tickers). */
export const KEYS = Array.from({ length: 100 }, (_v, i) => `T${String(i).padStart(3, '0')}`);

/**
 * `count` JSON records of about 100 bytes: a key, a quantity and padding. ROWTIMEs start at
 * `startMs` and step `stepMs`.
 */
export function benchRecords(count: number, startMs: number, stepMs: number): { rowtime: number; data: Buffer }[] {
  return Array.from({ length: count }, (_v, i) => {
    const json = JSON.stringify({ key: KEYS[(i * 7919) % KEYS.length], qty: i % 1000, note: 'x'.repeat(40), seq: i });
    return { rowtime: startMs + i * stepMs, data: Buffer.from(json.padEnd(100, ' ')) };
  });
}

export const INPUT_SCHEMA = {
  RecordFormat: { RecordFormatType: 'JSON' as const, MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
  RecordEncoding: 'UTF-8',
  RecordColumns: [
    { Name: 'KEY', SqlType: 'VARCHAR(8)', Mapping: '$.key' },
    { Name: 'QTY', SqlType: 'INTEGER', Mapping: '$.qty' },
  ],
};

export const TUMBLING_SQL = `
  CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (k VARCHAR(8), n BIGINT, total BIGINT, average DOUBLE);
  CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM key, COUNT(*), SUM(qty), AVG(qty) FROM "SOURCE_SQL_STREAM_001" AS s
    GROUP BY key, STEP(s.ROWTIME BY INTERVAL '60' SECOND);`;
