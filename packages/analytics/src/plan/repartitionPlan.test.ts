import { compileApplication } from '../compileApplication';
import { repartitionPlanOf } from './repartitionPlan';

const catalog = {
  sourceStreams: [{ name: 'SOURCE_SQL_STREAM_001', columns: [{ name: 'TICKER', type: { name: 'VARCHAR' as const, length: 4 } }, { name: 'QTY', type: { name: 'INTEGER' as const } }] }],
  referenceTables: [{ name: 'CompanyName', columns: [{ name: 'Ticker', type: { name: 'VARCHAR' as const, length: 4 } }, { name: 'Company', type: { name: 'VARCHAR' as const, length: 20 } }] }],
};
const plan = (sql: string) => repartitionPlanOf(compileApplication(sql, catalog), 'SOURCE_SQL_STREAM_001');
const DEST = 'CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (a VARCHAR(20), n BIGINT);';

describe('repartitionPlanOf', () => {
  it('partitions a tumbling window by its grouping keys of the input stream, not ROWTIME or reference-table columns', () => {
    const p = plan(`${DEST} CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM c."Company", COUNT(*) FROM SOURCE_SQL_STREAM_001 AS s LEFT JOIN "CompanyName" AS c ON s.ticker = c."Ticker"
      GROUP BY s.ticker, c."Company", STEP(s.ROWTIME BY INTERVAL '1' MINUTE);`);
    expect(p.keys).toEqual(['S.TICKER']);
    expect(p.keyOf(['AMZN', 1], 0)).toBe(p.keyOf(['AMZN', 2], 99_999));
    expect(p.keyOf(['AMZN', 1], 0)).not.toBe(p.keyOf(['ASD', 1], 0));
  });

  it('partitions sliding windows by the PARTITION BY keys all their windows share; none shared → one partition', () => {
    expect(plan(`${DEST} CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker, COUNT(*) OVER (PARTITION BY ticker ROWS 3 PRECEDING) FROM SOURCE_SQL_STREAM_001;`).keys).toEqual(['TICKER']);
    const none = plan(`${DEST} CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker, COUNT(*) OVER (RANGE INTERVAL '1' SECOND PRECEDING) FROM SOURCE_SQL_STREAM_001;`);
    expect([none.keys, none.keyOf(['A', 1], 0), none.keyOf(['B', 2], 5)]).toEqual([[], 'all', 'all']);
  });

  it('refuses a stateful pump that reads an intermediate stream', () => {
    expect(() =>
      plan(`CREATE OR REPLACE STREAM t (ticker VARCHAR(4)); CREATE PUMP p1 AS INSERT INTO t SELECT STREAM ticker FROM SOURCE_SQL_STREAM_001;
        ${DEST} CREATE PUMP p2 AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker, COUNT(*) FROM t GROUP BY ticker, FLOOR(t.ROWTIME TO MINUTE);`),
    ).toThrow('pump P2 keeps windows over T, which is not the input stream');
  });
});
