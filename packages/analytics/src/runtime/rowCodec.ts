import type { SqlValue } from '../types/SqlType';

/** A row of the input stream on its way through the intermediate stream, or an input record that could not be read. */
export type RepartitionedRow =
  | { readonly rowtime: number; readonly id: string; readonly values: SqlValue[] }
  | { readonly rowtime: number; readonly id: string; readonly error: { readonly name: string; readonly message: string; readonly data: Buffer } };

/** As JSON: `{"t": rowtime, "i": id, "v": values}` (VARBINARY as `{"x": hex}`) or `{"t", "i", "e": {name, message, data(hex)}}`. */
export function encodeRow(row: RepartitionedRow): Buffer {
  if ('error' in row) return Buffer.from(JSON.stringify({ t: row.rowtime, i: row.id, e: { n: row.error.name, m: row.error.message, d: row.error.data.toString('hex') } }));
  return Buffer.from(JSON.stringify({ t: row.rowtime, i: row.id, v: row.values.map((v) => (Buffer.isBuffer(v) ? { x: v.toString('hex') } : v)) }));
}

/** @throws SyntaxError for a record that is not an encoded row (the intermediate stream is ours alone). */
export function decodeRow(data: Buffer): RepartitionedRow {
  const json = JSON.parse(data.toString('utf8')) as { t: number; i: string; v?: unknown[]; e?: { n: string; m: string; d: string } };
  if (json.e !== undefined) return { rowtime: json.t, id: json.i, error: { name: json.e.n, message: json.e.m, data: Buffer.from(json.e.d, 'hex') } };
  return { rowtime: json.t, id: json.i, values: (json.v ?? []).map((v) => (v !== null && typeof v === 'object' ? Buffer.from((v as { x: string }).x, 'hex') : (v as SqlValue))) };
}
