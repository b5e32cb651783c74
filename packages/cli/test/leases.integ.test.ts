import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBLeaseStore, type Lease } from '@kinesis-toolkit/kcl';
import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { runCli } from './runCli';

let stack: TestStack;
let app: string;
let streamName: string;
let checkpoint: string;

const lease = (leaseKey: string, extra: Partial<Lease>): Lease => ({
  leaseKey,
  leaseOwner: undefined,
  leaseCounter: 0,
  checkpoint: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
  pendingCheckpoint: undefined,
  pendingCheckpointState: undefined,
  ownerSwitchesSinceCheckpoint: 0,
  parentShardIds: [],
  childShardIds: [],
  hashKeyRange: undefined,
  ...extra,
});

beforeAll(async () => {
  stack = getTestStack();
  app = uniqueName('cli-leases');
  streamName = uniqueName('cli-leases-stream');
  await createStream(stack.kinesis.client, streamName, 1);
  const put = await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('x') }));
  checkpoint = put.SequenceNumber as string;

  // A table as a worker leaves it: a finished parent, a child being processed, one not yet taken
  // (and gone from the stream), and an item the KCL cannot read.
  const store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: app });
  await store.ensureTable();
  await store.createLeaseIfNotExists(
    lease('shardId-000000000000', {
      leaseOwner: 'worker-a',
      leaseCounter: 41,
      checkpoint: { sequenceNumber: checkpoint, subSequenceNumber: 3 },
      childShardIds: ['shardId-000000000001', 'shardId-000000000002'],
    }),
  );
  await store.createLeaseIfNotExists(
    lease('shardId-000000000001', { leaseOwner: 'worker-b', leaseCounter: 7, checkpoint: { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 }, parentShardIds: ['shardId-000000000000'] }),
  );
  await store.createLeaseIfNotExists(lease('shardId-000000000002', { parentShardIds: ['shardId-000000000000'] }));
  await stack.dynamodb.client.send(new PutItemCommand({ TableName: app, Item: { leaseKey: { S: 'broken' }, leaseCounter: { S: 'not a number' } } }));
});
afterAll(() => stack.destroy());

describe('kinesis-toolkit leases', () => {
  it('prints the lease table, reports the unreadable item on stderr, and exits 0', async () => {
    const result = await runCli(['leases', '--app', app]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `SHARD                 OWNER     COUNTER  CHECKPOINT${' '.repeat(checkpoint.length - 10)}  SUB  PARENTS               CHILDREN                                   LAG`,
        `--------------------  --------  -------  ${'-'.repeat(checkpoint.length)}  ---  --------------------  -----------------------------------------  ---`,
        `shardId-000000000000  worker-a       41  ${checkpoint}    3  -                     shardId-000000000001,shardId-000000000002`,
        `shardId-000000000001  worker-b        7  SHARD_END${' '.repeat(checkpoint.length - 9)}    0  shardId-000000000000  -`,
        `shardId-000000000002  -               0  TRIM_HORIZON${' '.repeat(checkpoint.length - 12)}    0  shardId-000000000000  -`,
        '3 leases; 2 owners (worker-a: 1, worker-b: 1); 1 unowned',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toMatch(/^kinesis-toolkit leases: warning: lease item "broken": .+ \(skipped\)\n$/);
  });

  it('--json gives every lease and the malformed items', async () => {
    const result = await runCli(['leases', '--app', app, '--json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { table: string; leases: Record<string, unknown>[]; malformed: { leaseKey: string; problem: string }[] };
    expect(document.table).toBe(app);
    expect(document.leases.map((l) => [l.leaseKey, l.leaseOwner, l.leaseCounter, l.checkpoint])).toEqual([
      ['shardId-000000000000', 'worker-a', 41, { sequenceNumber: checkpoint, subSequenceNumber: 3 }],
      ['shardId-000000000001', 'worker-b', 7, { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 }],
      ['shardId-000000000002', null, 0, { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 }],
    ]);
    expect(document.leases[0]).not.toHaveProperty('millisBehindLatest');
    expect(document.malformed).toEqual([{ leaseKey: 'broken', problem: expect.stringMatching(/^lease item "broken": /) }]);
  });

  it('--lag --stream measures each checkpoint against its shard', async () => {
    const result = await runCli(['leases', '--app', app, '--lag', '--stream', streamName, '--json']);
    expect(result.code).toBe(0);
    const { leases } = JSON.parse(result.stdout) as { leases: { leaseKey: string; millisBehindLatest: number | null; lag: string }[] };
    expect(leases.map(({ leaseKey, millisBehindLatest, lag }) => ({ leaseKey, millisBehindLatest, lag }))).toEqual([
      // kinesalite reports 0 ms behind for any open shard position.
      { leaseKey: 'shardId-000000000000', millisBehindLatest: 0, lag: 'behind' },
      { leaseKey: 'shardId-000000000001', millisBehindLatest: 0, lag: 'ended' },
      { leaseKey: 'shardId-000000000002', millisBehindLatest: null, lag: 'unknown: shard not in the stream (past retention?)' },
    ]);
    const table = await runCli(['leases', '--app', app, '--lag', '--stream', streamName]);
    expect(table.stdout.split('\n').slice(2, 5).map((line) => line.split(/\s+/).pop())).toEqual(['ms', 'ended', '?']);
  });

  it.each([
    [[], '--app NAME (the KCL application name, which names its lease table) is required.', 2],
    [['--app', 'x', '--lag'], '--lag needs --stream NAME: the lease table does not say which stream it belongs to.', 2],
    [['--app', 'a!'], '--app: expected 3-255 characters of A-Z, a-z, 0-9, \'_\', \'-\', \'.\', got "a!".', 2],
  ])('%j → %s (exit code %d)', async (argv, message, code) => {
    const result = await runCli(['leases', ...argv]);
    expect(result).toMatchObject({ code, stdout: '', stderr: `kinesis-toolkit leases: ${message}\n` });
  });

  it('says in one line that the lease table does not exist, and exits 1', async () => {
    const missing = uniqueName('cli-leases-missing');
    const result = await runCli(['leases', '--app', missing]);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `kinesis-toolkit leases: lease table "${missing}" not found in us-east-1 at ${stack.dynamodb.endpoint} — check --app (the KCL application name) or check --region/--dynamodb-endpoint.\n`,
    });
  });

  it('says in one line that the --lag stream does not exist', async () => {
    const missing = uniqueName('cli-leases-nostream');
    const result = await runCli(['leases', '--app', app, '--lag', '--stream', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`kinesis-toolkit leases: stream "${missing}" not found in us-east-1 at .* — check --stream or check --region/--kinesis-endpoint\\.\\n$`));
  });
});
