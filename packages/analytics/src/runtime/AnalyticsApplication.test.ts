import type { Checkpointer, UserRecord } from '@kinesis-toolkit/kcl';
import { ManualClock } from '@kinesis-toolkit/core';
import type { OutputRow } from '../outputs/AnalyticsOutput';
import { AnalyticsApplication } from './AnalyticsApplication';
import { encodeRow } from './rowCodec';

const SQL = `
  CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n BIGINT);
  CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001" AS s GROUP BY ticker, STEP(s.ROWTIME BY INTERVAL '10' SECOND);`;
const SCHEMA = {
  RecordFormat: { RecordFormatType: 'JSON' as const, MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
  RecordColumns: [{ Name: 'TICKER', SqlType: 'VARCHAR(4)', Mapping: '$.ticker' }],
};
const T0 = Date.UTC(2024, 0, 1, 12);

let sequence = 0;
const record = (atMs: number, ticker: string): UserRecord => ({
  partitionKey: ticker,
  data: Buffer.from(JSON.stringify({ ticker })),
  sequenceNumber: String(++sequence),
  subSequenceNumber: 0,
  aggregated: false,
  approximateArrivalTimestamp: new Date(T0 + atMs),
});

function fakeCheckpointer(): Checkpointer & { positions: string[] } {
  const positions: string[] = [];
  return { positions, checkpoint: async (position?: unknown) => void positions.push(String(position)), prepareCheckpoint: async () => { throw new Error('unused'); } } as unknown as Checkpointer & { positions: string[] };
}

function setup(write: (rows: readonly OutputRow[]) => Promise<void> = async () => undefined) {
  const clock = new ManualClock();
  let wall = T0;
  const written: OutputRow[] = [];
  const app = new AnalyticsApplication({
    sql: SQL,
    inputSchema: SCHEMA,
    outputs: { DESTINATION_SQL_STREAM: { write: async (rows) => { await write(rows); written.push(...rows); } } },
    clock,
    wallClock: () => wall,
    idleWindowCloseMs: 2000,
  });
  return { app, clock, written, setWall: (ms: number) => (wall = T0 + ms) };
}

describe('AnalyticsApplication on the KCL', () => {
  it('checkpoints a shard only up to the records before the earliest open window', async () => {
    const { app, written } = setup();
    const processor = app.processorFactory('shardId-0');
    const checkpointer = fakeCheckpointer();
    const records = [record(1000, 'A'), record(9000, 'A'), record(11_000, 'B'), record(12_000, 'A')];
    await processor.processRecords({ records: records.slice(0, 2), millisBehindLatest: 0, checkpointer });
    // Window [0 s, 10 s) is open: nothing may be checkpointed.
    expect(checkpointer.positions).toEqual([]);
    await processor.processRecords({ records: records.slice(2), millisBehindLatest: 0, checkpointer });
    // The row at 11 s closed [0 s, 10 s): its records are released; [10 s, 20 s) still needs the rest.
    expect(written.map((o) => [o.row.values, new Date(o.row.rowtime).toISOString()])).toEqual([[['A', 2], '2024-01-01T12:00:10.000Z']]);
    expect(checkpointer.positions).toEqual([records[1]!.sequenceNumber]);
  });

  it('closes a window idle past idleWindowCloseMs on the wall clock, and then releases its records', async () => {
    const { app, clock, written, setWall } = setup();
    await app.start();
    const processor = app.processorFactory('shardId-0');
    const checkpointer = fakeCheckpointer();
    const records = [record(1000, 'A'), record(2000, 'B')];
    await processor.processRecords({ records, millisBehindLatest: 0, checkpointer });
    setWall(11_000); // the window ends at 10 s; 11 s − 2 s idle = 9 s: not yet
    await clock.advance(1000);
    expect(written).toEqual([]);
    setWall(12_500);
    await clock.advance(1000);
    await app.flushOutputs();
    expect(written.map((o) => o.row.values)).toEqual([['A', 1], ['B', 1]]);
    await processor.processRecords({ records: [record(13_000, 'C')], millisBehindLatest: 0, checkpointer });
    expect(checkpointer.positions).toEqual([records[1]!.sequenceNumber]);
    await app.stop();
  });

  it('does not close idle windows while a shard is catching up a backlog (its older rows would be clamped)', async () => {
    const { app, clock, written, setWall } = setup();
    await app.start();
    const processor = app.processorFactory('shardId-0');
    processor.initialize?.({ shardId: 'shardId-0', startingSequenceNumber: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 } });
    const checkpointer = fakeCheckpointer();
    await processor.processRecords({ records: [record(1000, 'A')], millisBehindLatest: 60_000, checkpointer });
    setWall(30_000);
    await clock.advance(1000);
    expect(written).toEqual([]);
    await processor.processRecords({ records: [record(5000, 'A')], millisBehindLatest: 0, checkpointer });
    await clock.advance(1000);
    await app.flushOutputs();
    expect(written.map((o) => o.row.values)).toEqual([['A', 2]]);
    await app.stop();
  });

  it('does not checkpoint past rows whose output failed, and does not count a retried batch twice', async () => {
    let failing = true;
    const { app, written } = setup(async () => {
      if (failing) throw new Error('destination unavailable');
    });
    const processor = app.processorFactory('shardId-0');
    const checkpointer = fakeCheckpointer();
    const batch = { records: [record(1000, 'A'), record(11_000, 'A')], millisBehindLatest: 0, checkpointer };
    await expect(processor.processRecords(batch)).rejects.toThrow('destination unavailable');
    expect(checkpointer.positions).toEqual([]);
    failing = false;
    await processor.processRecords(batch); // the KCL retries the same batch
    expect(written.map((o) => o.row.values)).toEqual([['A', 1]]);
    expect(checkpointer.positions).toEqual([batch.records[0]!.sequenceNumber]);
  });

  it('takes back a shard it lost without counting again the rows it re-reads from the checkpoint', async () => {
    const { app, clock, written, setWall } = setup();
    await app.start();
    const start = { shardId: 'shardId-0', startingSequenceNumber: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 } };
    const first = app.processorFactory('shardId-0');
    first.initialize?.(start);
    const checkpointer = fakeCheckpointer();
    const records = [record(1000, 'A'), record(2000, 'B'), record(3000, 'A')];
    await first.processRecords({ records: records.slice(0, 2), millisBehindLatest: 0, checkpointer });
    first.leaseLost?.(); // the window [0 s, 10 s) is open: nothing was checkpointed
    setWall(12_500); // the idle close shuts [0 s, 10 s) while the shard has no owner here
    await clock.advance(1000);
    // The same worker takes the shard back and the KCL re-reads it from TRIM_HORIZON.
    const second = app.processorFactory('shardId-0');
    second.initialize?.(start);
    await second.processRecords({ records, millisBehindLatest: 0, checkpointer });
    await second.processRecords({ records: [record(21_000, 'C')], millisBehindLatest: 0, checkpointer });
    expect(written.map((o) => [new Date(o.row.rowtime).toISOString(), ...o.row.values])).toEqual([
      ['2024-01-01T12:00:10.000Z', 'A', 1],
      ['2024-01-01T12:00:10.000Z', 'B', 1],
      // The row at 3 s came after its window closed: the next window (KDA's late-arriving record), once.
      ['2024-01-01T12:00:20.000Z', 'A', 1],
    ]);
    await app.stop();
  });

  it('counts a row that reaches the intermediate stream twice (the first stage retried its put) once', async () => {
    const { app, written } = setup();
    const [row] = app.rowsOfInputRecord(record(1000, 'A'), 'shardId-7');
    const intermediate = (data: Buffer): UserRecord => ({ ...record(1000, 'A'), data });
    const processor = app.repartitionedProcessorFactory('shardId-0');
    const checkpointer = fakeCheckpointer();
    await processor.processRecords({ records: [intermediate(encodeRow(row!)), intermediate(encodeRow(row!))], millisBehindLatest: 0, checkpointer });
    await processor.processRecords({ records: [record(11_000, 'B')].map((r) => intermediate(encodeRow(app.rowsOfInputRecord(r, 'shardId-7')[0]!))), millisBehindLatest: 0, checkpointer });
    expect(written.map((o) => o.row.values)).toEqual([['A', 1]]);
  });

  it.each([15_000, 19_000])('gives a row for a window the idle close already shut the end of that window as ROWTIME (checked at %i ms)', async (checkedAt) => {
    const clock = new ManualClock();
    let wall = T0;
    const echoed: OutputRow[] = [];
    const app = new AnalyticsApplication({
      sql: `${SQL}
        CREATE OR REPLACE STREAM echo (ticker VARCHAR(4));
        CREATE OR REPLACE PUMP e AS INSERT INTO echo SELECT STREAM ticker FROM "SOURCE_SQL_STREAM_001";`,
      inputSchema: SCHEMA,
      outputs: { ECHO: { write: async (rows) => void echoed.push(...rows) } },
      clock,
      wallClock: () => wall,
      idleWindowCloseMs: 2000,
    });
    await app.start();
    const checkpointer = fakeCheckpointer();
    await app.processorFactory('shardId-0').processRecords({ records: [record(1000, 'A')], millisBehindLatest: 0, checkpointer });
    wall = T0 + checkedAt;
    await clock.advance(1000); // closes [0 s, 10 s)
    // A slow shard's row from 5 s: its window is closed, so it opens the next one, at its start.
    await app.processorFactory('shardId-1').processRecords({ records: [record(5000, 'B')], millisBehindLatest: 0, checkpointer });
    expect(echoed.map((o) => [o.row.values[0], o.row.rowtime - T0])).toEqual([['A', 1000], ['B', 10_000]]);
    await app.stop();
  });

  it('gives a record that does not match the input schema to error_stream with its bytes, and goes on', async () => {
    const errors: OutputRow[] = [];
    const app = new AnalyticsApplication({ sql: SQL, inputSchema: SCHEMA, outputs: { error_stream: { write: async (rows) => void errors.push(...rows) } } });
    const processor = app.processorFactory('shardId-0');
    const bad: UserRecord = { ...record(1000, 'A'), data: Buffer.from('not json') };
    await processor.processRecords({ records: [bad], millisBehindLatest: 0, checkpointer: fakeCheckpointer() });
    expect(errors.map((e) => [e.row.values[2], Buffer.from(e.row.values[5] as string, 'hex').toString()])).toEqual([['ParseError', 'not json']]);
  });

  it('loads reference tables at start and reloads them every referenceRefreshIntervalMs', async () => {
    const clock = new ManualClock();
    const written: OutputRow[] = [];
    let csv = 'AMZN,Amazon\n';
    const app = new AnalyticsApplication({
      sql: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), company VARCHAR(20));
        CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM s.ticker, c."Company" FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "Companies" AS c ON s.ticker = c."Ticker";`,
      inputSchema: SCHEMA,
      referenceSources: [
        {
          tableName: 'Companies',
          schema: { RecordFormat: { RecordFormatType: 'CSV' }, RecordColumns: [{ Name: 'Ticker', SqlType: 'VARCHAR(4)' }, { Name: 'Company', SqlType: 'VARCHAR(20)' }] },
          load: async () => Buffer.from(csv),
        },
      ],
      referenceRefreshIntervalMs: 60_000,
      idleWindowCloseMs: 0,
      clock,
      outputs: { DESTINATION_SQL_STREAM: { write: async (rows) => void written.push(...rows) } },
    });
    await app.start();
    const processor = app.processorFactory('shardId-0');
    await processor.processRecords({ records: [record(1000, 'AMZN')], millisBehindLatest: 0, checkpointer: fakeCheckpointer() });
    csv = 'AMZN,Amazon.com\n';
    await clock.advance(60_000);
    await processor.processRecords({ records: [record(2000, 'AMZN')], millisBehindLatest: 0, checkpointer: fakeCheckpointer() });
    expect(written.map((o) => o.row.values)).toEqual([['AMZN', 'Amazon'], ['AMZN', 'Amazon.com']]);
    await app.stop();
  });

  it('rejects outputs naming a stream the SQL does not have', () => {
    expect(() => new AnalyticsApplication({ sql: SQL, inputSchema: SCHEMA, outputs: { NOPE: { write: async () => undefined } } })).toThrow(/outputs: the application has no in-application stream "NOPE"/);
  });
});
