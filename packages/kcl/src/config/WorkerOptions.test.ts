import { resolveWorkerOptions, WORKER_DEFAULTS, type WorkerOptions } from './WorkerOptions';

const base: WorkerOptions = {
  streamName: 'stream',
  applicationName: 'app',
  processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
};

describe('resolveWorkerOptions', () => {
  it('fills in every default, deriving the lease intervals from the failover time', () => {
    const resolved = resolveWorkerOptions(base);
    expect(resolved).toMatchObject({ ...WORKER_DEFAULTS, leaseRenewalIntervalMs: 3333, leaseTakingIntervalMs: 3333, consumerName: 'app' });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('takes leases as often as it renews them unless told otherwise', () => {
    expect(resolveWorkerOptions({ ...base, failoverTimeMs: 3000 })).toMatchObject({ leaseRenewalIntervalMs: 1000, leaseTakingIntervalMs: 1000 });
    expect(resolveWorkerOptions({ ...base, leaseRenewalIntervalMs: 500 })).toMatchObject({ leaseRenewalIntervalMs: 500, leaseTakingIntervalMs: 500 });
    expect(resolveWorkerOptions({ ...base, leaseTakingIntervalMs: 20000 })).toMatchObject({ leaseRenewalIntervalMs: 3333, leaseTakingIntervalMs: 20000 });
  });

  it.each([
    [{ leaseTakingIntervalMs: 0 }, /leaseTakingIntervalMs: expected an integer from 1/],
    [{ leaseRenewalIntervalMs: 10000 }, /leaseRenewalIntervalMs: expected an integer from 1 to 9999, got 10000/],
    [{ idleTimeBetweenReadsMs: 100 }, /idleTimeBetweenReadsMs: expected an integer from 200/],
    [{ applicationName: 'a b' }, /applicationName: must be a valid DynamoDB table name/],
    [{ initialPosition: 'EARLIEST' }, /initialPosition: expected 'LATEST', 'TRIM_HORIZON' or \{ timestamp: Date \}/],
    [{ leaseRenewalMs: 1000 }, /leaseRenewalMs: not a worker option/],
    [{ wireProtocol: 'CBOR' }, /wireProtocol: expected one of 'auto', 'cbor', 'json', got "CBOR"/],
  ])('rejects %o with a TypeError naming the option', (bad, message) => {
    expect(() => resolveWorkerOptions({ ...base, ...(bad as object) } as WorkerOptions)).toThrow(TypeError);
    expect(() => resolveWorkerOptions({ ...base, ...(bad as object) } as WorkerOptions)).toThrow(message);
  });

  it('needs a stream', () => {
    expect(() => resolveWorkerOptions({ ...base, streamName: undefined })).toThrow(/streamName: expected a stream name or a streamARN/);
  });
});
