import fc from 'fast-check';
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '@kinesis-toolkit/testing';
import { makeBatch, retryOf, sequenceNumber } from '../../../test/emitters/makeBatch';
import type { EmitBatch } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { PostgresEmitter, type PostgresRow } from './PostgresEmitter';
import { stopPostgres } from '../../../../../test/support/stopPostgres';

let server: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  server = await startPostgres({ database: 'emitters' });
  pool = new Pool({ connectionString: server.connectionString, max: 4 });
}, 60_000);
afterAll(async () => {
  await stopPostgres(pool, server);
});

let tableCount = 0;
async function createTable(columnsSql: string, key = 'UNIQUE (sequence_number, sub_sequence_number)'): Promise<string> {
  tableCount += 1;
  const table = `events_${tableCount}`;
  await pool.query(
    `CREATE TABLE ${table} (id bigserial PRIMARY KEY, ${columnsSql}, sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL${key === '' ? '' : `, ${key}`})`,
  );
  return table;
}

async function rowsOf(table: string, columns = '*'): Promise<Record<string, unknown>[]> {
  return (await pool.query(`SELECT ${columns} FROM ${table} ORDER BY sequence_number, sub_sequence_number`)).rows;
}

describe('PostgresEmitter against PostgreSQL', () => {
  it('loads every row, values encoded exactly, with the record positions as key columns', async () => {
    const table = await createTable('name text, amount numeric, tags jsonb, payload bytea, seen_at timestamptz, ok boolean');
    const emitter = new PostgresEmitter({ pool, table, columns: ['name', 'amount', 'tags', 'payload', 'seen_at', 'ok'] });
    const items: PostgresRow[] = [
      { name: 'tab\there\nnew line\\backslash \\N not null', amount: 12.5, tags: { a: [1, 'x\ty'] }, payload: Buffer.from([0, 9, 10, 92]), seen_at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), ok: true },
      { name: null, amount: 10n ** 30n, tags: ['é', '🙂'], payload: undefined, seen_at: null, ok: false },
      { amount: Number.NaN, extra: 'not a column' },
    ];

    await expect(emitter.emit(makeBatch(items))).resolves.toEqual({ failed: [] });

    const rows = await rowsOf(table, 'name, amount, tags, payload, seen_at, ok, sequence_number, sub_sequence_number');
    expect(rows).toEqual([
      { name: 'tab\there\nnew line\\backslash \\N not null', amount: '12.5', tags: { a: [1, 'x\ty'] }, payload: Buffer.from([0, 9, 10, 92]), seen_at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), ok: true, sequence_number: sequenceNumber(1), sub_sequence_number: 0 },
      { name: null, amount: '1000000000000000000000000000000', tags: ['é', '🙂'], payload: null, seen_at: null, ok: false, sequence_number: sequenceNumber(2), sub_sequence_number: 0 },
      { name: null, amount: 'NaN', tags: null, payload: null, seen_at: null, ok: null, sequence_number: sequenceNumber(3), sub_sequence_number: 0 },
    ]);
  });

  it('adds no row twice when a batch is emitted again, or overlaps an earlier one', async () => {
    const table = await createTable('name text');
    const emitter = new PostgresEmitter({ pool, table, columns: ['name'] });
    const batch = makeBatch(['a', 'b', 'c', 'd'].map((name) => ({ name })));
    await emitter.emit(batch);
    await emitter.emit(batch);
    await emitter.emit(retryOf(batch, [1, 3]));
    // A restart re-reads from the last checkpoint: records 3..6, two of them already loaded.
    await emitter.emit(makeBatch(['c', 'd', 'e', 'f'].map((name) => ({ name })), { firstSequence: 3 }));

    expect((await rowsOf(table, 'name')).map((row) => row.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('rejects exactly the rows PostgreSQL refuses (never retried) and loads the others', async () => {
    const table = await createTable('name text NOT NULL, amount integer CHECK (amount >= 0)');
    const emitter = new PostgresEmitter({ pool, table, columns: ['name', 'amount'] });
    const items: PostgresRow[] = Array.from({ length: 10 }, (_, index) => ({ name: `n${index}`, amount: index }));
    const missingName = { name: null, amount: 1 };
    const negative = { name: 'neg', amount: -5 };
    const notANumber = { name: 'nan', amount: 'twelve' };
    const nul = { name: 'nul\u0000byte', amount: 1 };
    items.splice(2, 0, missingName);
    items.splice(7, 0, negative, notANumber);
    items.push(nul);

    const result = await emitter.emit(makeBatch(items));

    expect(result.failed).toEqual([]);
    expect(new Set(result.rejected?.map((entry) => entry.item))).toEqual(new Set([missingName, negative, notANumber, nul]));
    expect(result.rejected).toHaveLength(4);
    // Refused for good, with PostgreSQL's own SQLSTATE: NOT NULL (23502), CHECK (23514), bad number (22P02).
    const states = result.rejected?.map((entry) => (entry.error as { context?: { sqlState?: unknown } }).context?.sqlState).filter((state) => state !== undefined);
    expect(new Set(states)).toEqual(new Set(['23502', '23514', '22P02']));
    for (const entry of result.rejected ?? []) expect(entry.error).toMatchObject({ code: 'InvalidItem', retryable: false });
    expect((await rowsOf(table, 'name')).map((row) => row.name)).toEqual(Array.from({ length: 10 }, (_, index) => `n${index}`));
  });

  it('gives each item of a multi-item record its own key with itemIndexColumn, and refuses without it', async () => {
    const table = await createTable('name text, item_index integer NOT NULL', 'UNIQUE (sequence_number, sub_sequence_number, item_index)');
    const base = makeBatch([{ name: 'x' }]);
    const batch: EmitBatch<PostgresRow> = { ...base, items: [{ name: 'x0' }, { name: 'x1' }], sources: [base.sources[0]!, base.sources[0]!] };

    const withoutIndex = new PostgresEmitter({ pool, table, columns: ['name'] });
    await expect(withoutIndex.emit(batch)).rejects.toMatchObject({ code: 'InvalidItem', retryable: false });

    const emitter = new PostgresEmitter({ pool, table, columns: ['name'], itemIndexColumn: 'item_index' });
    await emitter.emit(batch);
    await emitter.emit(batch);
    expect(await rowsOf(table, 'name, item_index')).toEqual([{ name: 'x0', item_index: 0 }, { name: 'x1', item_index: 1 }]);
  });

  it('quotes identifiers, so mixed-case names and quotes are taken literally', async () => {
    await pool.query('CREATE SCHEMA "Odd ""Schema"""');
    await pool.query(
      'CREATE TABLE "Odd ""Schema"""."Weird Table" ("Select" text, "seq" numeric, "sub" int, UNIQUE ("seq", "sub"))',
    );
    const emitter = new PostgresEmitter({ pool, schema: 'Odd "Schema"', table: 'Weird Table', columns: ['Select'], sequenceNumberColumn: 'seq', subSequenceNumberColumn: 'sub' });
    await emitter.emit(makeBatch([{ Select: "'; DROP TABLE x; --" }]));
    const { rows } = await pool.query('SELECT "Select" FROM "Odd ""Schema"""."Weird Table"');
    expect(rows).toEqual([{ Select: "'; DROP TABLE x; --" }]);
  });

  it('throws a non-retryable error when the table lacks the unique key, and leaves nothing behind', async () => {
    const table = await createTable('name text', '');
    const emitter = new PostgresEmitter({ pool, table, columns: ['name'] });
    const error = await emitter.emit(makeBatch([{ name: 'a' }])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'PostgresWriteFailed', retryable: false, context: { sqlState: '42P10', table } });
    expect(await rowsOf(table)).toEqual([]);
  });

  it('throws a retryable error when the server cannot be reached, and ends its own pool at shutdown', async () => {
    const emitter = new PostgresEmitter({ connectionString: 'postgres://postgres:postgres@127.0.0.1:1/none', table: 't', columns: ['a'] });
    await expect(emitter.emit(makeBatch([{ a: 1 }]))).rejects.toMatchObject({ code: 'PostgresWriteFailed', retryable: true });
    await emitter.shutdown();
  });

  it('round-trips any text through COPY (property)', async () => {
    const table = await createTable('value text');
    const emitter = new PostgresEmitter({ pool, table, columns: ['value'] });
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }).map((text) => text.replaceAll('\u0000', '')), { numRuns: 300, seed: 42 });
    const extras = ['\\', '\\.', '\\N', '\t\n\r\b\f\v', '\\x41', ''];
    const all = [...texts, ...extras];
    await emitter.emit(makeBatch(all.map((value) => ({ value }))));
    expect((await rowsOf(table, 'value')).map((row) => row.value)).toEqual(all);
  });

  it('rejects bad options with an InvalidArgumentError naming the option', () => {
    expect(() => new PostgresEmitter({ table: 't', columns: ['a'] })).toThrow('pool / connectionString: expected exactly one of them, got "neither"');
    expect(() => new PostgresEmitter({ pool, table: 't', columns: [] })).toThrow(/columns: expected a non-empty array/);
    expect(() => new PostgresEmitter({ pool, table: 't', columns: ['sequence_number'] })).toThrow(/columns: expected distinct column names .*, got "\\"sequence_number\\" twice"/);
    expect(() => new PostgresEmitter({ pool, columns: ['a'] })).toThrow('table: expected a PostgreSQL identifier (1 to 63 bytes, no control characters; it is quoted, so case and punctuation are kept), got undefined');
    expect(() => new PostgresEmitter({ pool, table: 'é'.repeat(32), columns: ['a'] })).toThrow(/^table: expected a PostgreSQL identifier/);
  });
});
