import { DescribeTableCommand, CreateTableCommand, GetItemCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createDynamoDBClient, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { DynamoDBLeaseStore } from './DynamoDBLeaseStore';
import type { DynamoDBLeaseStoreOptions } from './DynamoDBLeaseStoreOptions';
import { LeaseStoreError, MalformedLeaseError } from './errors';
import type { Lease } from './Lease';
import { leaseStoreContract, newLease } from './LeaseStore.contract';
import { gracefulHandoffContract } from './LeaseStore.handoff.contract';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

function makeStore(options: Partial<DynamoDBLeaseStoreOptions> = {}): DynamoDBLeaseStore {
  return new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: uniqueName('leases'), tableActivePollIntervalMs: 10, ...options });
}

leaseStoreContract('DynamoDBLeaseStore (dynalite)', (options) => makeStore(options));
gracefulHandoffContract('DynamoDBLeaseStore (dynalite)', (options) => makeStore(options));

const SEQ = '49590338271490256608559692538361571095921575989136588898';
const MAX_HASH_KEY = '340282366920938463463374607431768211455';

/** An item exactly as the Java KCL 2.x `DynamoDBLeaseSerializer` writes a held, split child lease. */
function javaKclItem(leaseKey: string): Record<string, AttributeValue> {
  return {
    leaseKey: { S: leaseKey },
    leaseOwner: { S: 'java-worker-1' },
    leaseCounter: { N: '17' },
    ownerSwitchesSinceCheckpoint: { N: '1' },
    checkpoint: { S: SEQ },
    checkpointSubSequenceNumber: { N: '5' },
    parentShardId: { SS: ['shardId-000000000000'] },
    startingHashKey: { S: '170141183460469231731687303715884105728' },
    endingHashKey: { S: MAX_HASH_KEY },
    // Attributes this worker does not know: KCL 3.x's, multi-stream's and a user's own.
    throughputKBps: { N: '12.5' },
    checkpointOwner: { S: 'java-worker-0' },
    operatorNote: { M: { by: { S: 'ops' }, tags: { L: [{ S: 'a' }, { N: '1' }] } } },
  };
}

describe('DynamoDBLeaseStore against dynalite', () => {
  let store: DynamoDBLeaseStore;

  beforeEach(async () => {
    store = makeStore();
    await store.ensureTable();
  });

  const put = (item: Record<string, AttributeValue>) => stack.dynamodb.client.send(new PutItemCommand({ TableName: store.tableName, Item: item }));
  const raw = async (leaseKey: string) =>
    (await stack.dynamodb.client.send(new GetItemCommand({ TableName: store.tableName, Key: { leaseKey: { S: leaseKey } }, ConsistentRead: true }))).Item;

  it('reads an item written by the Java KCL 2.x, and the KCL 3.x checkpointOwner of a handoff under way', async () => {
    await put(javaKclItem('shardId-000000000001'));
    const expected: Lease = {
      leaseKey: 'shardId-000000000001',
      leaseOwner: 'java-worker-1',
      checkpointOwner: 'java-worker-0',
      leaseCounter: 17,
      checkpoint: { sequenceNumber: SEQ, subSequenceNumber: 5 },
      pendingCheckpoint: undefined,
      pendingCheckpointState: undefined,
      ownerSwitchesSinceCheckpoint: 1,
      parentShardIds: ['shardId-000000000000'],
      childShardIds: [],
      hashKeyRange: { startingHashKey: '170141183460469231731687303715884105728', endingHashKey: MAX_HASH_KEY },
    };
    await expect(store.getLease('shardId-000000000001')).resolves.toEqual(expected);
    await expect(store.listLeases()).resolves.toEqual({ leases: [expected], malformed: [] });
  });

  it('updates only its own attributes: unknown ones survive take, checkpoint, renew and release', async () => {
    await put(javaKclItem('shardId-000000000001'));
    const javaLease = (await store.getLease('shardId-000000000001')) as Lease;
    const taken = await store.takeLease(javaLease, 'node-worker');
    const checkpointed = await store.updateCheckpoint(
      taken,
      { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 },
      { checkpoint: { sequenceNumber: SEQ, subSequenceNumber: 9 }, state: Uint8Array.from([0xca, 0xfe]) },
    );
    const withChildren = await store.updateChildShardIds(checkpointed, ['shardId-000000000004', 'shardId-000000000003']);
    await store.releaseLease(await store.renewLease(withChildren));

    const { checkpointOwner: _removedByTake, ...untouched } = javaKclItem('shardId-000000000001');
    expect(await raw('shardId-000000000001')).toEqual({
      ...untouched,
      // leaseOwner removed by the release, checkpointOwner (KCL 3.x hand-off) by the take.
      leaseOwner: undefined,
      leaseCounter: { N: '22' },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      checkpoint: { S: 'SHARD_END' },
      checkpointSubSequenceNumber: { N: '0' },
      pendingCheckpoint: { S: SEQ },
      pendingCheckpointSubSequenceNumber: { N: '9' },
      pendingCheckpointState: { B: Uint8Array.from([0xca, 0xfe]) },
      childShardIds: { SS: expect.arrayContaining(['shardId-000000000003', 'shardId-000000000004']) },
    });
    expect(Object.keys((await raw('shardId-000000000001')) ?? {})).not.toContain('leaseOwner');
  });

  it('writes a graceful handoff as the KCL 3.x does: leaseOwner the next owner, checkpointOwner the current one, the counter left alone', async () => {
    await store.createLeaseIfNotExists(newLease('shardId-000000000003'));
    const held = await store.takeLease((await store.getLease('shardId-000000000003'))!, 'node-a');
    await store.initiateGracefulHandoff(held, 'node-b');
    expect(await raw('shardId-000000000003')).toMatchObject({ leaseOwner: { S: 'node-b' }, checkpointOwner: { S: 'node-a' }, leaseCounter: { N: String(held.leaseCounter) } });
    await store.releaseLease(held);
    const handedOver = await raw('shardId-000000000003');
    expect(handedOver).toMatchObject({ leaseOwner: { S: 'node-b' }, leaseCounter: { N: String(held.leaseCounter + 1) }, ownerSwitchesSinceCheckpoint: { N: '1' } });
    expect(handedOver).not.toHaveProperty('checkpointOwner');
  });

  it('writes new leases in the Java KCL 2.x format', async () => {
    await store.createLeaseIfNotExists(
      newLease('shardId-000000000002', {
        parentShardIds: ['shardId-000000000000', 'shardId-000000000001'],
        hashKeyRange: { startingHashKey: '0', endingHashKey: MAX_HASH_KEY },
      }),
    );
    const item = await raw('shardId-000000000002');
    expect(item).toEqual({
      leaseKey: { S: 'shardId-000000000002' },
      leaseCounter: { N: '0' },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      checkpoint: { S: 'TRIM_HORIZON' },
      checkpointSubSequenceNumber: { N: '0' },
      parentShardId: { SS: expect.arrayContaining(['shardId-000000000000', 'shardId-000000000001']) },
      startingHashKey: { S: '0' },
      endingHashKey: { S: MAX_HASH_KEY },
    });
    // Unowned means no leaseOwner attribute (the Java KCL never writes a "NULL" owner).
    expect(item).not.toHaveProperty('leaseOwner');
  });

  it('reads the Java KCL quirks: numeric pendingCheckpointState, NULL-typed and empty optional attributes', async () => {
    await put({
      ...javaKclItem('shardId-000000000005'),
      pendingCheckpoint: { S: SEQ },
      pendingCheckpointSubSequenceNumber: { N: '2' },
      // Java's toDynamoRecord writes the checkpoint's sub-sequence number here.
      pendingCheckpointState: { N: '5' },
      leaseOwner: { NULL: true },
      startingHashKey: { S: '' },
      endingHashKey: { S: '' },
    });
    await expect(store.getLease('shardId-000000000005')).resolves.toMatchObject({
      leaseOwner: undefined,
      pendingCheckpoint: { sequenceNumber: SEQ, subSequenceNumber: 2 },
      pendingCheckpointState: undefined,
      hashKeyRange: undefined,
    });
  });

  it('reports malformed items with their leaseKey and still returns the good leases', async () => {
    const good = javaKclItem('shardId-good');
    const bad: Record<string, Record<string, AttributeValue>> = {
      'no-counter': { leaseKey: { S: 'no-counter' }, checkpoint: { S: 'LATEST' } },
      'string-counter': { leaseKey: { S: 'string-counter' }, leaseCounter: { S: 'seven' }, checkpoint: { S: 'LATEST' } },
      'fractional-counter': { leaseKey: { S: 'fractional-counter' }, leaseCounter: { N: '1.5' }, checkpoint: { S: 'LATEST' } },
      'no-checkpoint': { leaseKey: { S: 'no-checkpoint' }, leaseCounter: { N: '1' } },
      'bad-checkpoint': { leaseKey: { S: 'bad-checkpoint' }, leaseCounter: { N: '1' }, checkpoint: { S: 'yesterday' } },
      'parent-as-string': { ...good, leaseKey: { S: 'parent-as-string' }, parentShardId: { S: 'shardId-000000000000' } },
      'owner-as-number': { ...good, leaseKey: { S: 'owner-as-number' }, leaseOwner: { N: '3' } },
      'half-range': { ...good, leaseKey: { S: 'half-range' }, endingHashKey: { NULL: true } },
    };
    await put(good);
    for (const item of Object.values(bad)) await put(item);

    const listing = await store.listLeases();
    expect(listing.leases.map((lease) => lease.leaseKey)).toEqual(['shardId-good']);
    expect(listing.malformed.every((error) => error instanceof MalformedLeaseError)).toBe(true);
    expect(listing.malformed.map((error) => error.context.leaseKey).sort()).toEqual(Object.keys(bad).sort());
    const messages = Object.fromEntries(listing.malformed.map((error) => [error.context.leaseKey, error.message]));
    expect(messages['no-counter']).toContain('leaseCounter is missing');
    expect(messages['string-counter']).toContain('leaseCounter is of type S, expected N');
    expect(messages['no-checkpoint']).toContain('checkpoint is missing');
    expect(messages['parent-as-string']).toContain('parentShardId is of type S, expected SS');
    await expect(store.getLease('no-checkpoint')).rejects.toBeInstanceOf(MalformedLeaseError);
  });

  it('listLeases follows DynamoDB pages past 1 MB without a page size', async () => {
    const filler = { S: 'x'.repeat(350_000) };
    for (let i = 0; i < 4; i++) await put({ ...javaKclItem(`shardId-big-${i}`), filler });
    const send = jest.spyOn(stack.dynamodb.client, 'send');
    try {
      const listing = await store.listLeases();
      expect(listing.leases).toHaveLength(4);
      expect(send.mock.calls.filter(([command]) => command instanceof ScanCommand).length).toBeGreaterThan(1);
    } finally {
      send.mockRestore();
    }
  });

  it('creates the table PAY_PER_REQUEST by default, PROVISIONED with the given capacities on request', async () => {
    const describe = (tableName: string) => stack.dynamodb.client.send(new DescribeTableCommand({ TableName: tableName }));
    const onDemand = (await describe(store.tableName)).Table;
    expect(onDemand).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }] });
    expect(onDemand?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

    const provisioned = makeStore({ billingMode: 'PROVISIONED', readCapacity: 3, writeCapacity: 4 });
    await provisioned.ensureTable();
    expect((await describe(provisioned.tableName)).Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
  });

  it('refuses a table that is not a lease table', async () => {
    const tableName = uniqueName('not-leases');
    await stack.dynamodb.client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const error = await makeStore({ tableName }).ensureTable().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseStoreError);
    expect((error as LeaseStoreError).retryable).toBe(false);
    expect((error as Error).message).toContain('not a lease table');
  });

  it('reports an unreachable endpoint as a retryable LeaseStoreError', async () => {
    const client = createDynamoDBClient('http://127.0.0.1:1', { maxAttempts: 1 });
    try {
      const unreachable = new DynamoDBLeaseStore(client, { tableName: 'unreachable' });
      const error = await unreachable.getLease('shardId-0').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LeaseStoreError);
      expect((error as LeaseStoreError).retryable).toBe(true);
      expect((error as LeaseStoreError).context.leaseKey).toBe('shardId-0');
    } finally {
      client.destroy();
    }
  });
});
