import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { AwsRequestError, ManualClock } from '@kinesis-toolkit/core';
import { DynamoDBLeaseStore } from './DynamoDBLeaseStore';
import { LeaseLostError, LeaseStoreError } from './errors';
import type { Lease } from './Lease';
import { newLease } from './LeaseStore.contract';
import { serializeLease } from './LeaseSerializer';

type Handler = (command: unknown) => unknown;

/** A DynamoDB client whose answers the test scripts; records every command. */
function fakeClient(handler: Handler): { client: DynamoDBClient; commands: unknown[] } {
  const commands: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      commands.push(command);
      return handler(command);
    },
  } as unknown as DynamoDBClient;
  return { client, commands };
}

function sdkError(name: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: { attempts: 1 }, ...fields });
}

const table = (status: TableStatus) => ({
  Table: {
    TableStatus: status,
    KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
  },
});

const held: Lease = newLease('shardId-0', { leaseOwner: 'worker-a', leaseCounter: 7 });

describe('DynamoDBLeaseStore (fake client)', () => {
  describe('ensureTable', () => {
    it('creates a missing table and polls on the injected clock (100 ms, doubling up to the interval) until it is ACTIVE', async () => {
      const clock = new ManualClock();
      let describes = 0;
      const describedAt: number[] = [];
      const { client, commands } = fakeClient((command) => {
        if (command instanceof DescribeTableCommand) {
          describes++;
          describedAt.push(clock.now());
          if (describes === 1) throw sdkError('ResourceNotFoundException');
          return table(describes < 6 ? 'CREATING' : 'ACTIVE');
        }
        if (command instanceof CreateTableCommand) return {};
        throw new Error('unexpected command');
      });
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock, tableActivePollIntervalMs: 500 });
      let done = false;
      const ensured = store.ensureTable().then(() => (done = true));
      await clock.advance(1199);
      expect(done).toBe(false);
      await clock.advance(1);
      await ensured;
      // Right after CreateTable, then waits of 100, 200, 400 and 500 (the cap) ms.
      expect(describedAt).toEqual([0, 0, 100, 300, 700, 1200]);
      const create = commands.find((command) => command instanceof CreateTableCommand) as CreateTableCommand;
      expect(create.input).toMatchObject({ TableName: 'app', BillingMode: 'PAY_PER_REQUEST' });
      expect(create.input.ProvisionedThroughput).toBeUndefined();
    });

    it('accepts losing the creation race to another worker', async () => {
      let describes = 0;
      const { client } = fakeClient((command) => {
        if (command instanceof DescribeTableCommand) {
          if (describes++ === 0) throw sdkError('ResourceNotFoundException');
          return table('ACTIVE');
        }
        throw sdkError('ResourceInUseException');
      });
      await expect(new DynamoDBLeaseStore(client, { tableName: 'app' }).ensureTable()).resolves.toBeUndefined();
    });

    it('gives up after tableActiveTimeoutMs with a retryable LeaseStoreError', async () => {
      const clock = new ManualClock();
      const { client } = fakeClient(() => table('CREATING'));
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock, tableActivePollIntervalMs: 1_000, tableActiveTimeoutMs: 3_000 });
      const ensured = store.ensureTable().catch((error: unknown) => error);
      await clock.advance(3_000);
      const error = await ensured;
      expect(error).toBeInstanceOf(LeaseStoreError);
      expect((error as LeaseStoreError).retryable).toBe(true);
      expect((error as Error).message).toContain('still CREATING after 3000 ms');
    });
  });

  describe('errors', () => {
    it.each([
      ['ProvisionedThroughputExceededException', true],
      ['ThrottlingException', true],
      ['InternalServerError', true],
      ['ValidationException', false],
      ['AccessDeniedException', false],
      ['ResourceNotFoundException', false],
    ])('%s → LeaseStoreError, retryable %s, its cause the AwsRequestError with that code', async (name, retryable) => {
      const { client } = fakeClient(() => {
        throw sdkError(name);
      });
      const error = await new DynamoDBLeaseStore(client, { tableName: 'app', retry: { maxAttempts: 1 } }).renewLease(held).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LeaseStoreError);
      expect(error).toMatchObject({ retryable, context: { leaseKey: 'shardId-0' } });
      expect((error as LeaseStoreError).cause).toBeInstanceOf(AwsRequestError);
      expect((error as LeaseStoreError).cause).toMatchObject({ code: name, service: 'DynamoDB', operation: 'UpdateItem' });
    });

    it('retries throttled and transient failures under its retry policy, never fatal ones', async () => {
      const clock = new ManualClock();
      let calls = 0;
      const { client } = fakeClient(() => {
        calls++;
        throw sdkError(calls < 3 ? 'ThrottlingException' : 'AccessDeniedException');
      });
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock, random: () => 0.5, retry: { maxAttempts: 5 } });
      const renewing = store.renewLease(held).catch((e: unknown) => e);
      await clock.advance(1_000);
      const error = (await renewing) as LeaseStoreError;
      expect(calls).toBe(3);
      expect(error.retryable).toBe(false);
      expect((error.cause as AwsRequestError).attempts).toBe(3);
    });

    it('ConditionalCheckFailedException → LeaseLostError', async () => {
      const { client } = fakeClient(() => {
        throw sdkError('ConditionalCheckFailedException');
      });
      await expect(new DynamoDBLeaseStore(client, { tableName: 'app' }).renewLease(held)).rejects.toBeInstanceOf(LeaseLostError);
    });
  });

  describe('deadlines', () => {
    it('abandons an attempt that gets no answer within requestTimeoutMs (aborting its request), and gives up after its attempts', async () => {
      const clock = new ManualClock();
      const signals: AbortSignal[] = [];
      const client = {
        send: (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
          signals.push(options!.abortSignal!);
          return new Promise(() => undefined);
        },
      } as unknown as DynamoDBClient;
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock, random: () => 0.5, requestTimeoutMs: 500, retry: { maxAttempts: 3 } });
      const listing = store.listLeases().catch((e: unknown) => e);
      await clock.advance(2_000);
      const error = (await listing) as LeaseStoreError;
      expect(error).toBeInstanceOf(LeaseStoreError);
      expect(error.retryable).toBe(true);
      expect(error.cause).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 3 });
      expect(signals.map((signal) => signal.aborted)).toEqual([true, true, true]);
    });

    it("stops at once when the caller's signal fires, rejecting with its reason", async () => {
      const clock = new ManualClock();
      const client = { send: () => new Promise(() => undefined) } as unknown as DynamoDBClient;
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock });
      const controller = new AbortController();
      const renewing = store.renewLease(held, { signal: controller.signal }).catch((e: unknown) => e);
      const reason = new Error('lease dropped');
      controller.abort(reason);
      expect(await renewing).toBe(reason);
    });

    it('reads the item back when an attempt that timed out was retried and the retry failed its condition', async () => {
      const clock = new ManualClock();
      const renewed = { ...held, leaseCounter: 8 };
      let updates = 0;
      const client = {
        send: (command: unknown) => {
          if (command instanceof GetItemCommand) return Promise.resolve({ Item: serializeLease(renewed) });
          // The first attempt is applied, but its answer never comes; the retry finds the counter moved.
          if (updates++ === 0) return new Promise(() => undefined);
          return Promise.reject(sdkError('ConditionalCheckFailedException'));
        },
      } as unknown as DynamoDBClient;
      const store = new DynamoDBLeaseStore(client, { tableName: 'app', clock, random: () => 0.5, requestTimeoutMs: 500 });
      const renewing = store.renewLease(held);
      await clock.advance(1_000);
      await expect(renewing).resolves.toEqual(renewed);
    });
  });

  describe('a retried update that failed its condition', () => {
    function retriedClient(stored: Lease): ReturnType<typeof fakeClient> {
      return fakeClient((command) => {
        if (command instanceof UpdateItemCommand) throw sdkError('ConditionalCheckFailedException', { $metadata: { attempts: 2 } });
        if (command instanceof GetItemCommand) return { Item: serializeLease(stored) };
        throw new Error('unexpected command');
      });
    }

    it('returns the lease when the item shows that the first attempt was applied', async () => {
      const renewed = { ...held, leaseCounter: 8 };
      const { client } = retriedClient(renewed);
      await expect(new DynamoDBLeaseStore(client, { tableName: 'app' }).renewLease(held)).resolves.toEqual(renewed);
    });

    it('is a lost lease when the item shows another write', async () => {
      const { client } = retriedClient({ ...held, leaseCounter: 8, leaseOwner: 'worker-b' });
      await expect(new DynamoDBLeaseStore(client, { tableName: 'app' }).renewLease(held)).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('is a lost lease without reading when the SDK made one attempt', async () => {
      const { client, commands } = fakeClient(() => {
        throw sdkError('ConditionalCheckFailedException');
      });
      await expect(new DynamoDBLeaseStore(client, { tableName: 'app' }).takeLease(held, 'worker-b')).rejects.toBeInstanceOf(LeaseLostError);
      expect(commands).toHaveLength(1);
    });
  });

  it('sends one conditional UpdateItem per change, returning ALL_NEW', async () => {
    const { client, commands } = fakeClient(() => ({ Attributes: serializeLease({ ...held, leaseCounter: 8, leaseOwner: 'worker-b', ownerSwitchesSinceCheckpoint: 1 }) }));
    await new DynamoDBLeaseStore(client, { tableName: 'app' }).takeLease(held, 'worker-b');
    const { input } = commands[0] as UpdateItemCommand;
    expect(input).toMatchObject({
      TableName: 'app',
      Key: { leaseKey: { S: 'shardId-0' } },
      ReturnValues: 'ALL_NEW',
      ConditionExpression: '#leaseCounter = :v0',
      UpdateExpression: 'SET #leaseCounter = :v1, #leaseOwner = :v2 REMOVE #checkpointOwner ADD #ownerSwitchesSinceCheckpoint :v3',
    });
    expect(input.ExpressionAttributeValues).toEqual({ ':v0': { N: '7' }, ':v1': { N: '8' }, ':v2': { S: 'worker-b' }, ':v3': { N: '1' } });
  });
});
