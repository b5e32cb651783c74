import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ApplicationConfig } from '../src/config/ApplicationConfig';

/** A tumbling count per ticker (the demo's shape): what the integration tests run. */
export const COUNT_PER_TICKER_SQL = (windowSeconds: number) => `
  CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(8), company VARCHAR(20), n BIGINT, total BIGINT);
  CREATE OR REPLACE PUMP "COUNT_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM s.ticker, c."Company", COUNT(*), SUM(s.qty)
    FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "CompanyName" AS c ON s.ticker = c."Ticker"
    GROUP BY s.ticker, c."Company", STEP(s.ROWTIME BY INTERVAL '${windowSeconds}' SECOND);`;

/** The application config for {@link COUNT_PER_TICKER_SQL}, as describe-application would give it. */
export function countPerTickerConfig(options: { applicationName: string; input: string; output: string; bucket: string; windowSeconds: number }): ApplicationConfig {
  return {
    applicationName: options.applicationName,
    sql: COUNT_PER_TICKER_SQL(options.windowSeconds),
    input: {
      stream: options.input,
      namePrefix: 'SOURCE_SQL_STREAM',
      startingPosition: 'TRIM_HORIZON',
      schema: {
        RecordFormat: { RecordFormatType: 'JSON', MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
        RecordEncoding: 'UTF-8',
        RecordColumns: [
          { Name: 'TICKER', SqlType: 'VARCHAR(8)', Mapping: '$.ticker' },
          { Name: 'QTY', SqlType: 'INTEGER', Mapping: '$.qty' },
        ],
      },
    },
    references: [
      {
        tableName: 'CompanyName',
        bucket: options.bucket,
        key: 'TickerReference.csv',
        schema: {
          RecordFormat: { RecordFormatType: 'CSV', MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' } } },
          RecordColumns: [
            { Name: 'Ticker', SqlType: 'VARCHAR(8)' },
            { Name: 'Company', SqlType: 'VARCHAR(20)' },
          ],
        },
      },
    ],
    outputs: [{ name: 'DESTINATION_SQL_STREAM', stream: options.output, format: 'JSON' }],
  };
}

export const REFERENCE_CSV = 'AMZN,Amazon\nASD,SomeCompanyA\n';
export const TICKERS = ['AMZN', 'ASD', 'QXR'];

/** Puts `count` trades (ticker round-robin, qty = index) with PutRecords; resolves when all are acknowledged. */
export async function putTrades(kinesis: KinesisClient, streamName: string, count: number, from = 0): Promise<{ ticker: string; qty: number }[]> {
  const trades = Array.from({ length: count }, (_v, i) => ({ ticker: TICKERS[(from + i) % TICKERS.length]!, qty: from + i }));
  for (let i = 0; i < trades.length; i += 500) {
    const chunk = trades.slice(i, i + 500);
    const result = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: chunk.map((t, j) => ({ PartitionKey: `k${from + i + j}`, Data: Buffer.from(JSON.stringify(t)) })) }));
    if (result.FailedRecordCount) throw new Error(`${result.FailedRecordCount} trades were not put`);
  }
  return trades;
}

/** Expected totals per ticker: count and sum of qty. */
export function totalsOf(trades: readonly { ticker: string; qty: number }[]): Record<string, { n: number; total: number }> {
  const totals: Record<string, { n: number; total: number }> = {};
  for (const t of trades) {
    const entry = (totals[t.ticker] ??= { n: 0, total: 0 });
    entry.n++;
    entry.total += t.qty;
  }
  return totals;
}

/** Output rows summed per ticker over all windows, duplicates (same partition key = same row id) dropped. */
export function totalsOfOutput(records: readonly { partitionKey: string; data: Buffer }[]): { totals: Record<string, { n: number; total: number }>; duplicates: number; companies: Record<string, unknown> } {
  const seen = new Set<string>();
  const totals: Record<string, { n: number; total: number }> = {};
  const companies: Record<string, unknown> = {};
  let duplicates = 0;
  for (const record of records) {
    if (seen.has(record.partitionKey)) {
      duplicates++;
      continue;
    }
    seen.add(record.partitionKey);
    const row = JSON.parse(record.data.toString('utf8')) as { TICKER: string; COMPANY: string | null; N: number; TOTAL: number };
    const entry = (totals[row.TICKER] ??= { n: 0, total: 0 });
    entry.n += row.N;
    entry.total += row.TOTAL;
    companies[row.TICKER] = row.COMPANY;
  }
  return { totals, duplicates, companies };
}
