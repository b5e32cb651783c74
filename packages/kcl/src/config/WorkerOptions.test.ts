import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { resolveWorkerOptions, WORKER_DEFAULTS, type WorkerOptions } from './WorkerOptions';

const base: WorkerOptions = {
  streamName: 'stream',
  applicationName: 'app',
  processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
};

function rejection(options: unknown): InvalidArgumentError {
  try {
    resolveWorkerOptions(options as WorkerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('accepted');
}

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

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a zero taking interval', { leaseTakingIntervalMs: 0 }, 'leaseTakingIntervalMs', 'leaseTakingIntervalMs: expected an integer in [1, 86400000], got 0'],
    ['an unknown wire protocol', { wireProtocol: 'CBOR' }, 'wireProtocol', 'wireProtocol: expected one of "auto", "cbor", "json", got "CBOR"'],
    [
      'a renewal interval over a third of the failover time',
      { leaseRenewalIntervalMs: 5000 },
      'leaseRenewalIntervalMs',
      'leaseRenewalIntervalMs: expected an integer in [1, 3333] (at most failoverTimeMs / 3, so a lease has a whole interval to renew before it is dropped), got 5000',
    ],
    ['a fast read loop', { idleTimeBetweenReadsMs: 100 }, 'idleTimeBetweenReadsMs', 'idleTimeBetweenReadsMs: expected an integer in [200, 86400000], got 100'],
    ['a table name with a space', { applicationName: 'a b' }, 'applicationName', 'applicationName: expected a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -), got "a b"'],
    ['an unknown position', { initialPosition: 'EARLIEST' }, 'initialPosition', `initialPosition: expected 'LATEST', 'TRIM_HORIZON' or { timestamp: Date }, got "EARLIEST"`],
    ['a misspelt option', { failoverTime: 1000 }, 'failoverTime', 'failoverTime: expected no such option — did you mean "failoverTimeMs"?, got 1000'],
    ['an empty object as the Kinesis client', { kinesisClient: {} }, 'kinesisClient', 'kinesisClient: expected a KinesisClient (an object with a send() method), got an object'],
    ['an empty object as the DynamoDB client', { dynamoClient: {} }, 'dynamoClient', 'dynamoClient: expected a DynamoDBClient (an object with a send() method), got an object'],
    ['random that is not a function', { random: 5 }, 'random', 'random: expected a function, got 5'],
    ['a logger that is not one', { logger: {} }, 'logger.debug', 'logger.debug: expected a function (a Logger has debug, info, warn, error, child), got undefined'],
    ['a clock that is not one', { clock: Date }, 'clock', 'clock: expected a Clock (with now, setTimeout, clearTimeout), got a function'],
    ['a processor factory that is not a function', { processorFactory: {} }, 'processorFactory', 'processorFactory: expected a function, got an object'],
    ['a zero request timeout', { requestTimeoutMs: 0 }, 'requestTimeoutMs', 'requestTimeoutMs: expected an integer in [1, 3600000], got 0'],
    ['a fractional lease request timeout', { leaseRequestTimeoutMs: 1.5 }, 'leaseRequestTimeoutMs', 'leaseRequestTimeoutMs: expected an integer in [1, 3600000], got 1.5'],
    ['a NaN idle timeout', { subscriptionIdleTimeoutMs: NaN }, 'subscriptionIdleTimeoutMs', 'subscriptionIdleTimeoutMs: expected an integer in [1, 3600000], got NaN'],
    ['an unknown retrieval mode', { retrievalMode: 'push' }, 'retrievalMode', 'retrievalMode: expected one of "polling", "fanout", got "push"'],
    ['a stream name with a slash', { streamName: 'a/b' }, 'streamName', 'streamName: expected a stream name (1-128 of a-z A-Z 0-9 _ . -), got "a/b"'],
    ['metrics that are not a MetricsRecorder', { metrics: {} }, 'metrics.namespace', 'metrics.namespace: expected a function (a MetricsRecorder has namespace), got undefined'],
    ['a metrics level the KCL does not have', { metricsLevel: 'detailed' }, 'metricsLevel', 'metricsLevel: expected one of "NONE", "SUMMARY", "DETAILED", got "detailed"'],
    ['an enabled dimension the KCL does not have', { metricsEnabledDimensions: ['StreamName'] }, 'metricsEnabledDimensions[0]', 'metricsEnabledDimensions[0]: expected one of "ShardId", "WorkerIdentifier", got "StreamName"'],
    ['enabled dimensions that are a string', { metricsEnabledDimensions: 'ShardId' }, 'metricsEnabledDimensions', `metricsEnabledDimensions: expected 'ALL' or an array of 'ShardId', 'WorkerIdentifier', got "ShardId"`],
  ])('rejects %s with an InvalidArgumentError naming the option', (_what, bad, argument, message) => {
    const error = rejection({ ...base, ...bad });
    expect(error.argument).toBe(argument);
    expect(error.message).toBe(message);
  });

  it('needs a stream, and options that are an object', () => {
    expect(rejection({ ...base, streamName: undefined }).message).toBe('streamName: expected a stream name (or a streamARN), got undefined');
    expect(rejection(null).message).toBe('options: expected an object, got null');
  });
});
