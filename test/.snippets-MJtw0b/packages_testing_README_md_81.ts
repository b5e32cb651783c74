import { startKinesisMock, startPostgres, type KinesisMock, type PostgresServer } from '@kinesis-toolkit/testing';

let mock: KinesisMock;
beforeAll(async () => { mock = await startKinesisMock(); });   // ~0.7–1.5 s
afterAll(() => mock.stop());

let postgres: PostgresServer;
beforeAll(async () => { postgres = await startPostgres({ database: 'sink' }); });  // ~1.3 s
afterAll(() => postgres.stop());
// new pg.Client({ connectionString: postgres.connectionString })
export {};
