import { gzipSync } from 'node:zlib';
import type { ConvertedRow, RecordSchema } from './RecordSchema';

/** Parquet's page compression, as Firehose's Parquet SerDe offers it. */
export type ParquetCompression = 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';

const PARQUET_TYPES = { string: 'STRING', int: 'INT32', bigint: 'INT64', float: 'FLOAT', double: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' } as const;

interface HyparquetWriter {
  parquetWriteBuffer(options: {
    columnData: { name: string; data: unknown[]; type: string; nullable: boolean }[];
    codec: ParquetCompression;
    compressors?: Record<string, (input: Uint8Array) => Uint8Array>;
  }): ArrayBuffer;
}

/**
 * Writes rows as one Parquet file with hyparquet-writer (pure JavaScript, no native code):
 * every column nullable, the schema's types (string → UTF8 byte array, int → INT32, bigint →
 * INT64, timestamp → INT64 milliseconds, …), pages compressed as asked.
 */
export function writeParquet(schema: RecordSchema, rows: readonly ConvertedRow[], compression: ParquetCompression): Buffer {
  // An ES module: loaded with require(esm), on first use only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const writer = require('hyparquet-writer') as HyparquetWriter;
  const columnData = schema.columns.map((column, index) => ({
    name: column.name,
    type: PARQUET_TYPES[column.type],
    nullable: true,
    data: rows.map((row) => row[index] ?? null),
  }));
  const buffer = writer.parquetWriteBuffer({
    columnData,
    codec: compression,
    ...(compression === 'GZIP' ? { compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) } } : {}),
  });
  return Buffer.from(buffer);
}
