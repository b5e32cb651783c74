// The examples of the Amazon Kinesis Data Analytics for SQL developer guide, with the inputs and
// outputs the guide documents, run through the engine. Page names are the guide's doc_source files.
import { pick, runSql } from './runSql';

const TICKER_EVENTS = [
  { name: 'EVENT_TIME', type: { name: 'TIMESTAMP' as const } },
  { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
];
// stagger-window-concepts.md: four AMZN trades; ROWTIME and EVENT_TIME as in its tables (date ours).
const FOUR_TRADES = [
  { ROWTIME: '2018-08-01 11:00:20', EVENT_TIME: '2018-08-01 11:00:10', TICKER_SYMBOL: 'AMZN' },
  { ROWTIME: '2018-08-01 11:00:30', EVENT_TIME: '2018-08-01 11:00:20', TICKER_SYMBOL: 'AMZN' },
  { ROWTIME: '2018-08-01 11:01:05', EVENT_TIME: '2018-08-01 11:00:55', TICKER_SYMBOL: 'AMZN' },
  { ROWTIME: '2018-08-01 11:01:15', EVENT_TIME: '2018-08-01 11:01:05', TICKER_SYMBOL: 'AMZN' },
];

describe('stagger-window-concepts.md', () => {
  it('the tumbling query splits the trades over three results (11:01 AMZN 2; 11:02 11:00 AMZN 1; 11:02 11:01 AMZN 1)', () => {
    // The page declares DESTINATION_SQL_STREAM with two columns for a three-column SELECT; we
    // declare the event-time column it selects.
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER_SYMBOL VARCHAR(4), EVENT_TIME TIMESTAMP, TICKER_COUNT DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
        INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM TICKER_SYMBOL, FLOOR(EVENT_TIME TO MINUTE), COUNT(TICKER_SYMBOL) AS TICKER_COUNT
          FROM "SOURCE_SQL_STREAM_001"
          GROUP BY ticker_symbol, FLOOR(EVENT_TIME TO MINUTE), STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE);`;
    expect(pick(runSql(sql, TICKER_EVENTS, FOUR_TRADES), 'EVENT_TIME', 'TICKER_SYMBOL', 'TICKER_COUNT')).toEqual([
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T11:01:00.000Z', EVENT_TIME: '2018-08-01T11:00:00.000Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 2 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T11:02:00.000Z', EVENT_TIME: '2018-08-01T11:00:00.000Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 1 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T11:02:00.000Z', EVENT_TIME: '2018-08-01T11:01:00.000Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 1 },
    ]);
  });

  it('the stagger query gives complete results (11:01:20 11:00 AMZN 3; 11:02:15 11:01 AMZN 1)', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), event_time TIMESTAMP, ticker_count DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
        INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM TICKER_SYMBOL, FLOOR(EVENT_TIME TO MINUTE), COUNT(TICKER_SYMBOL) AS ticker_count
          FROM "SOURCE_SQL_STREAM_001"
          WINDOWED BY STAGGER (PARTITION BY FLOOR(EVENT_TIME TO MINUTE), TICKER_SYMBOL RANGE INTERVAL '1' MINUTE);`;
    expect(pick(runSql(sql, TICKER_EVENTS, FOUR_TRADES), 'EVENT_TIME', 'TICKER_SYMBOL', 'TICKER_COUNT')).toEqual([
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T11:01:20.000Z', EVENT_TIME: '2018-08-01T11:00:00.000Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 3 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T11:02:15.000Z', EVENT_TIME: '2018-08-01T11:01:00.000Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 1 },
    ]);
  });
});

describe('examples-window-stagger.md', () => {
  it('counts each group of six records that arrive within one minute in one stagger window', () => {
    const at = (time: string, event: string, ticker: string) => ({ ROWTIME: `2018-08-01 ${time}`, EVENT_TIME: `2018-08-01T${event}`, TICKER: ticker });
    const rows = [
      ...['20:17:30', '20:17:40', '20:17:50', '20:18:00', '20:18:10', '20:18:21'].map((t) => at(t, '20:17:20.797945', 'AMZN')),
      ...['20:18:31', '20:18:41', '20:18:51', '20:19:01', '20:19:11', '20:19:21'].map((t) => at(t, '20:18:21.043084', 'INTC')),
    ];
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (event_time TIMESTAMP, ticker_symbol VARCHAR(4), ticker_count INTEGER);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
        INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM EVENT_TIME, TICKER, COUNT(TICKER) AS ticker_count
          FROM "SOURCE_SQL_STREAM_001"
          WINDOWED BY STAGGER (PARTITION BY TICKER, EVENT_TIME RANGE INTERVAL '1' MINUTE);`;
    const columns = [
      { name: 'EVENT_TIME', type: { name: 'TIMESTAMP' as const } },
      { name: 'TICKER', type: { name: 'VARCHAR' as const, length: 4 } },
    ];
    expect(pick(runSql(sql, columns, rows), 'EVENT_TIME', 'TICKER_SYMBOL', 'TICKER_COUNT')).toEqual([
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T20:18:30.000Z', EVENT_TIME: '2018-08-01T20:17:20.797Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 6 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2018-08-01T20:19:31.000Z', EVENT_TIME: '2018-08-01T20:18:21.043Z', TICKER_SYMBOL: 'INTC', TICKER_COUNT: 6 },
    ]);
  });
});

describe('sliding-window-concepts.md', () => {
  it('a 5-second sliding count emits 1, 2, 2, 2 at t1, t2, t6, t7 and reaches 5 with the three rows at t8', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (record_count BIGINT);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
        SELECT STREAM COUNT(*) OVER (RANGE INTERVAL '5' SECOND PRECEDING) FROM "SOURCE_SQL_STREAM_001";`;
    const t = (second: number) => ({ ROWTIME: `2024-01-01 00:00:0${second}`, X: second });
    const counts = runSql(sql, [{ name: 'X', type: { name: 'INTEGER' } }], [t(1), t(2), t(6), t(7), t(8), t(8), t(8)]).map((row) => row.RECORD_COUNT);
    expect(counts).toEqual([1, 2, 2, 2, 3, 4, 5]);
  });

  const TICKS = [
    { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
    { name: 'SECTOR', type: { name: 'VARCHAR' as const, length: 16 } },
    { name: 'CHANGE', type: { name: 'REAL' as const } },
    { name: 'PRICE', type: { name: 'REAL' as const } },
  ];

  it('example 1: MIN, MAX and AVG price per ticker over the preceding minute, one row per input row', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(10), Min_Price double, Max_Price double, Avg_Price double);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
         INSERT INTO "DESTINATION_SQL_STREAM"
           SELECT STREAM ticker_symbol, MIN(Price) OVER W1 AS Min_Price, MAX(Price) OVER W1 AS Max_Price, AVG(Price) OVER W1 AS Avg_Price
           FROM   "SOURCE_SQL_STREAM_001"
           WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING);`;
    const row = (time: string, ticker: string, price: number) => ({ ROWTIME: `2024-01-01 10:${time}`, TICKER_SYMBOL: ticker, SECTOR: 'TECH', CHANGE: 0, PRICE: price });
    const out = runSql(sql, TICKS, [row('00:00', 'AMZN', 10), row('00:10', 'XYZ', 50), row('00:30', 'AMZN', 20), row('00:59', 'AMZN', 30), row('01:00', 'AMZN', 40), row('01:31', 'AMZN', 50)]);
    expect(out.map((r) => [r.ROWTIME, r.TICKER_SYMBOL, r.MIN_PRICE, r.MAX_PRICE, r.AVG_PRICE])).toEqual([
      ['2024-01-01T10:00:00.000Z', 'AMZN', 10, 10, 10],
      ['2024-01-01T10:00:10.000Z', 'XYZ', 50, 50, 50],
      ['2024-01-01T10:00:30.000Z', 'AMZN', 10, 20, 15],
      ['2024-01-01T10:00:59.000Z', 'AMZN', 10, 30, 20],
      // 10:01:00 − 1 minute = 10:00:00: the first row has left the window.
      ['2024-01-01T10:01:00.000Z', 'AMZN', 20, 40, 30],
      ['2024-01-01T10:01:31.000Z', 'AMZN', 30, 50, 40],
    ]);
  });

  it('example 2: average percent change per ticker over the preceding 10 seconds', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(10), Avg_Percent_Change double);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
         INSERT INTO "DESTINATION_SQL_STREAM"
            SELECT STREAM Ticker_Symbol, AVG(Change / (Price - Change)) over W1 as Avg_Percent_Change
            FROM "SOURCE_SQL_STREAM_001"
            WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '10' SECOND PRECEDING);`;
    const row = (second: string, change: number, price: number) => ({ ROWTIME: `2024-01-01 10:00:${second}`, TICKER_SYMBOL: 'AMZN', SECTOR: 'TECH', CHANGE: change, PRICE: price });
    const out = runSql(sql, TICKS, [row('00', 1, 11), row('05', 2, 12), row('12', 5, 15)]);
    // 1/10 = 0.1; (0.1 + 2/10) / 2 = 0.15; at :12 the :00 row has left: (0.2 + 5/10) / 2 = 0.35.
    expect(out.map((r) => Number((r.AVG_PERCENT_CHANGE as number).toFixed(6)))).toEqual([0.1, 0.15, 0.35]);
  });

  it('example 3: two-row and ten-row moving averages per ticker (ROWS n PRECEDING is the row and n before it)', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(12), price double, average_last2rows double, average_last10rows double);
      CREATE OR REPLACE PUMP "myPump" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM ticker_symbol, price, avg(price) over last2rows, avg(price) over last10rows
      FROM SOURCE_SQL_STREAM_001
      WINDOW
          last2rows AS (PARTITION BY ticker_symbol ROWS 2 PRECEDING),
          last10rows AS (PARTITION BY ticker_symbol ROWS 10 PRECEDING);`;
    const prices = [1, 2, 3, 4, 5];
    const out = runSql(sql, TICKS, prices.map((p, i) => ({ ROWTIME: `2024-01-01 10:00:0${i}`, TICKER_SYMBOL: 'AMZN', SECTOR: 'TECH', CHANGE: 0, PRICE: p })));
    expect(out.map((r) => [r.PRICE, r.AVERAGE_LAST2ROWS, r.AVERAGE_LAST10ROWS])).toEqual([
      [1, 1, 1],
      [2, 1.5, 1.5],
      [3, 2, 2],
      [4, 3, 2.5],
      [5, 4, 3],
    ]);
  });
});

describe('tumbling-window-concepts.md', () => {
  it('MIN and MAX price per ticker per 60-second STEP window, emitted at the window end', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), Min_Price DOUBLE, Max_Price DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
        INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM Ticker_Symbol, MIN(Price) AS Min_Price, MAX(Price) AS Max_Price
          FROM    "SOURCE_SQL_STREAM_001"
          GROUP BY Ticker_Symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);`;
    const columns = [
      { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
      { name: 'PRICE', type: { name: 'REAL' as const } },
    ];
    const row = (time: string, ticker: string, price: number) => ({ ROWTIME: `2024-01-01 10:${time}`, TICKER_SYMBOL: ticker, PRICE: price });
    const out = runSql(sql, columns, [row('00:05', 'ABC', 5), row('00:15', 'DEF', 7), row('00:45', 'ABC', 3), row('01:01', 'ABC', 9), row('02:30', 'DEF', 1)]);
    expect(pick(out, 'TICKER_SYMBOL', 'MIN_PRICE', 'MAX_PRICE')).toEqual([
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T10:01:00.000Z', TICKER_SYMBOL: 'ABC', MIN_PRICE: 3, MAX_PRICE: 5 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T10:01:00.000Z', TICKER_SYMBOL: 'DEF', MIN_PRICE: 7, MAX_PRICE: 7 },
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T10:02:00.000Z', TICKER_SYMBOL: 'ABC', MIN_PRICE: 9, MAX_PRICE: 9 },
      // Still open at the end of the input: closed then.
      { stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T10:03:00.000Z', TICKER_SYMBOL: 'DEF', MIN_PRICE: 1, MAX_PRICE: 1 },
    ]);
  });
});

describe('timestamps-rowtime-concepts.md and streams-pumps.md', () => {
  it('counts per ticker per minute of ROWTIME and of APPROXIMATE_ARRIVAL_TIME; a late record lands in the next ROWTIME window', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("ingest_time" timestamp, "APPROXIMATE_ARRIVAL_TIME" timestamp, "ticker_symbol" VARCHAR(12), "symbol_count" integer);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS
          INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND) AS "ingest_time",
              STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND) AS "APPROXIMATE_ARRIVAL_TIME",
              "TICKER_SYMBOL", COUNT(*) AS "symbol_count"
          FROM "SOURCE_SQL_STREAM_001"
          GROUP BY "TICKER_SYMBOL", STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND),
              STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND);`;
    const columns = [
      { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
      { name: 'APPROXIMATE_ARRIVAL_TIME', type: { name: 'TIMESTAMP' as const } },
    ];
    const rows = [
      ...Array.from({ length: 10 }, (_v, i) => ({ ROWTIME: `2016-07-19 17:05:${10 + i}`, TICKER_SYMBOL: 'ABC', APPROXIMATE_ARRIVAL_TIME: `2016-07-19 17:05:${10 + i}` })),
      ...Array.from({ length: 6 }, (_v, i) => ({ ROWTIME: `2016-07-19 17:05:${30 + i}`, TICKER_SYMBOL: 'XYZ', APPROXIMATE_ARRIVAL_TIME: `2016-07-19 17:05:${30 + i}` })),
      { ROWTIME: '2016-07-19 17:06:02', TICKER_SYMBOL: 'ABC', APPROXIMATE_ARRIVAL_TIME: '2016-07-19 17:06:01' },
      { ROWTIME: '2016-07-19 17:06:03', TICKER_SYMBOL: 'XYZ', APPROXIMATE_ARRIVAL_TIME: '2016-07-19 17:05:59' },
    ];
    expect(runSql(sql, columns, rows).map((r) => [r.ROWTIME, r.ingest_time, r.APPROXIMATE_ARRIVAL_TIME, r.ticker_symbol, r.symbol_count])).toEqual([
      ['2016-07-19T17:06:00.000Z', '2016-07-19T17:05:00.000Z', '2016-07-19T17:05:00.000Z', 'ABC', 10],
      ['2016-07-19T17:06:00.000Z', '2016-07-19T17:05:00.000Z', '2016-07-19T17:05:00.000Z', 'XYZ', 6],
      ['2016-07-19T17:07:00.000Z', '2016-07-19T17:06:00.000Z', '2016-07-19T17:06:00.000Z', 'ABC', 1],
      // The late record: arrived in the first minute, counted in the second ROWTIME window (***).
      ['2016-07-19T17:07:00.000Z', '2016-07-19T17:06:00.000Z', '2016-07-19T17:05:00.000Z', 'XYZ', 1],
    ]);
  });

  it('pumps chained through an intermediate stream keep each row’s ROWTIME; quoted columns keep their case', () => {
    const sql = `
      CREATE OR REPLACE STREAM "TEMPSTREAM" ("column1" BIGINT NOT NULL, "column2" INTEGER, "column3" VARCHAR(64));
      CREATE OR REPLACE PUMP "SAMPLEPUMP" AS
      INSERT INTO "TEMPSTREAM" ("column1", "column2", "column3")
      SELECT STREAM inputcolumn1, inputcolumn2, inputcolumn3 FROM "INPUTSTREAM";
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (total BIGINT, label VARCHAR(64), at_row TIMESTAMP);
      CREATE OR REPLACE PUMP "OUT_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM "column1" + "column2", UPPER("column3"), ROWTIME AS at_row FROM "TEMPSTREAM" WHERE "column2" > 1;`;
    const out: Record<string, unknown>[] = [];
    const { runRows } = jest.requireActual<typeof import('../src/engine/runRows')>('../src/engine/runRows');
    runRows({
      sql,
      inputStream: 'INPUTSTREAM',
      columns: ['INPUTCOLUMN1', 'INPUTCOLUMN2', 'INPUTCOLUMN3'].map((name, i) => ({ name, type: i === 2 ? { name: 'VARCHAR', length: 64 } : { name: 'INTEGER' } })),
      rows: [
        { rowtime: Date.UTC(2024, 0, 1, 9), record: { INPUTCOLUMN1: 1, INPUTCOLUMN2: 1, INPUTCOLUMN3: 'a' } },
        { rowtime: Date.UTC(2024, 0, 1, 9, 0, 1), record: { INPUTCOLUMN1: 10, INPUTCOLUMN2: 5, INPUTCOLUMN3: 'b' } },
      ],
      onRow: (row) => out.push(row),
    });
    expect(out).toEqual([{ stream: 'DESTINATION_SQL_STREAM', ROWTIME: '2024-01-01T09:00:01.000Z', TOTAL: 15, LABEL: 'B', AT_ROW: '2024-01-01T09:00:01.000Z' }]);
  });
});

describe('app-add-reference-data.md', () => {
  it('LEFT JOIN with the TickerReference table adds the company name where the table has one', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), "Company" varchar(20), sector VARCHAR(12), change DOUBLE, price DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, "c"."Company", sector, change, price
         FROM "SOURCE_SQL_STREAM_001" LEFT JOIN "CompanyName" as "c"
         ON "SOURCE_SQL_STREAM_001".ticker_symbol = "c"."Ticker";`;
    const columns = [
      { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
      { name: 'SECTOR', type: { name: 'VARCHAR' as const, length: 16 } },
      { name: 'CHANGE', type: { name: 'REAL' as const } },
      { name: 'PRICE', type: { name: 'REAL' as const } },
    ];
    // TickerReference.csv as the page gives it (values after the comma keep their space).
    const table = {
      name: 'CompanyName',
      columns: [
        { name: 'Ticker', type: { name: 'VARCHAR' as const, length: 4 } },
        { name: 'Company', type: { name: 'VARCHAR' as const, length: 20 } },
      ],
      rows: [['AMZN', 'Amazon'], ['ASD', ' SomeCompanyA'], ['MMB', ' SomeCompanyB'], ['WAS', '  SomeCompanyC']],
    };
    const row = (ticker: string, i: number) => ({ ROWTIME: `2024-01-01 10:00:0${i}`, TICKER_SYMBOL: ticker, SECTOR: 'RETAIL', CHANGE: 0.5, PRICE: 12.5 });
    const out = runSql(sql, columns, ['AMZN', 'QXR', 'ASD'].map(row), [table]);
    expect(out.map((r) => [r.TICKER_SYMBOL, r.Company, r.SECTOR, r.PRICE])).toEqual([
      ['AMZN', 'Amazon', 'RETAIL', 12.5],
      ['QXR', null, 'RETAIL', 12.5],
      ['ASD', ' SomeCompanyA', 'RETAIL', 12.5],
    ]);
  });

  it('an inner JOIN drops the rows the table has no entry for', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), company varchar(20));
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM s.ticker_symbol, c."Company" FROM "SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.ticker_symbol = c."Ticker";`;
    const table = { name: 'CompanyName', columns: [{ name: 'Ticker', type: { name: 'VARCHAR' as const, length: 4 } }, { name: 'Company', type: { name: 'VARCHAR' as const, length: 20 } }], rows: [['AMZN', 'Amazon']] };
    const out = runSql(sql, [{ name: 'TICKER_SYMBOL', type: { name: 'VARCHAR', length: 4 } }], [{ ROWTIME: '2024-01-01 10:00:00', TICKER_SYMBOL: 'QXR' }, { ROWTIME: '2024-01-01 10:00:01', TICKER_SYMBOL: 'AMZN' }], [table]);
    expect(out.map((r) => [r.TICKER_SYMBOL, r.COMPANY])).toEqual([['AMZN', 'Amazon']]);
  });
});

describe('app-explore-error-stream.md and error-handling.md', () => {
  it('a division by zero sends the row to error_stream (DivisionByZero, the pump, the row) instead of the destination', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), sector VARCHAR(16), change REAL, ProblemColumn REAL);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
        SELECT STREAM ticker_symbol, sector, change, (price / 0) as ProblemColumn
        FROM "SOURCE_SQL_STREAM_001"
        WHERE sector LIKE '%TECH%';`;
    const columns = [
      { name: 'TICKER_SYMBOL', type: { name: 'VARCHAR' as const, length: 4 } },
      { name: 'SECTOR', type: { name: 'VARCHAR' as const, length: 16 } },
      { name: 'CHANGE', type: { name: 'REAL' as const } },
      { name: 'PRICE', type: { name: 'REAL' as const } },
    ];
    const out = runSql(sql, columns, [
      { ROWTIME: '2024-01-01 10:00:00', TICKER_SYMBOL: 'AMZN', SECTOR: 'RETAIL', CHANGE: 1, PRICE: 10 },
      { ROWTIME: '2024-01-01 10:00:01', TICKER_SYMBOL: 'ASD', SECTOR: 'TECHNOLOGY', CHANGE: 1, PRICE: 10 },
    ]);
    expect(out).toHaveLength(1);
    const [error] = out;
    expect(error).toMatchObject({ stream: 'error_stream', ROWTIME: '2024-01-01T10:00:01.000Z', ERROR_LEVEL: 'ERROR', ERROR_NAME: 'DivisionByZero', DATA_ROWTIME: '2024-01-01T10:00:01.000Z', PUMP_NAME: 'STREAM_PUMP' });
    expect(JSON.parse(Buffer.from(error!.DATA_ROW as string, 'hex').toString())).toEqual(['ASD', 'TECHNOLOGY', 1, 10]);
  });

  it('a value that does not fit the input schema (a coercion error) goes to error_stream and the rest flows on', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol INTEGER);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol FROM "SOURCE_SQL_STREAM_001";`;
    const out = runSql(sql, [{ name: 'TICKER_SYMBOL', type: { name: 'INTEGER' } }], [{ ROWTIME: '2024-01-01 10:00:00', TICKER_SYMBOL: 'AMZN' }, { ROWTIME: '2024-01-01 10:00:01', TICKER_SYMBOL: 7 }]);
    expect(out.map((r) => [r.stream, r.ERROR_NAME ?? r.TICKER_SYMBOL])).toEqual([
      ['error_stream', 'CoercionError'],
      ['DESTINATION_SQL_STREAM', 7],
    ]);
  });
});
