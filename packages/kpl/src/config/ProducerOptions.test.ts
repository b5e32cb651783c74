import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { InvalidArgumentError, ManualClock } from '@kinesis-toolkit/core';
import { KinesisProducer } from '../KinesisProducer';
import { PRODUCER_DEFAULTS, resolveProducerOptions, type ProducerOptions } from './ProducerOptions';
import { FakeKinesisClient } from '../../test/FakeKinesisClient';

describe('resolveProducerOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveProducerOptions({ streamName: 'orders' });
    const { streamName, streamARN, kinesisClient, metrics, ...rest } = resolved;
    expect({ streamName, streamARN, kinesisClient, metrics }).toEqual({ streamName: 'orders', streamARN: undefined, kinesisClient: undefined, metrics: undefined });
    expect(rest).toEqual({ ...PRODUCER_DEFAULTS });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.retry)).toBe(true);
  });

  it('treats undefined fields as absent and merges a partial retry', () => {
    const resolved = resolveProducerOptions({ streamARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/x', recordMaxBufferedTimeMs: undefined, retry: { maxDelayMs: 800 } });
    expect(resolved.recordMaxBufferedTimeMs).toBe(100);
    expect(resolved.retry).toEqual({ baseDelayMs: 100, maxDelayMs: 800 });
  });

  it('accepts the bounds of every range', () => {
    expect(() =>
      resolveProducerOptions({
        streamName: 's',
        recordMaxBufferedTimeMs: 0,
        aggregationMaxBytes: 1024 * 1024,
        collectionMaxCount: 500,
        collectionMaxBytes: 10 * 1024 * 1024,
        maxConcurrentRequests: 256,
        requestTimeoutMs: 100,
        retry: { baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no stream', {}, /^streamName: /],
    ['an empty stream name', { streamName: '' }, /^streamName: expected a non-empty string, got ""/],
    ['a numeric stream ARN', { streamARN: 42 }, /^streamARN: /],
    ['a negative buffer time', { recordMaxBufferedTimeMs: -1 }, /^recordMaxBufferedTimeMs: expected an integer in \[0, 3600000\], got -1$/],
    ['a fractional buffer time', { recordMaxBufferedTimeMs: 1.5 }, /^recordMaxBufferedTimeMs: .*got 1\.5/],
    ['a string buffer time', { recordMaxBufferedTimeMs: '100' }, /^recordMaxBufferedTimeMs: .*got "100"/],
    ['collectionMaxCount over 500', { collectionMaxCount: 501 }, /^collectionMaxCount: expected an integer in \[1, 500\], got 501$/],
    ['an unknown wire protocol', { streamName: 's', wireProtocol: 'xml' }, /^wireProtocol: expected one of "auto", "cbor", "json", got "xml"$/],
    ['a tiny collectionMaxBytes', { collectionMaxBytes: 1000 }, /^collectionMaxBytes: /],
    ['a tiny aggregationMaxBytes', { aggregationMaxBytes: 10 }, /^aggregationMaxBytes: /],
    ['aggregationMaxCount 0', { aggregationMaxCount: 0 }, /^aggregationMaxCount: /],
    ['rateLimitPercent 0', { rateLimitPercent: 0 }, /^rateLimitPercent: /],
    ['a short recordTtlMs', { recordTtlMs: 10 }, /^recordTtlMs: /],
    ['maxConcurrentRequests 0', { maxConcurrentRequests: 0 }, /^maxConcurrentRequests: /],
    ['maxOutstandingRecords NaN', { maxOutstandingRecords: Number.NaN }, /^maxOutstandingRecords: .*got NaN/],
    ['a fast shard map refresh', { shardMapRefreshIntervalMs: 10 }, /^shardMapRefreshIntervalMs: /],
    ['retry.maxDelayMs under the base', { retry: { baseDelayMs: 500, maxDelayMs: 100 } }, /^retry\.maxDelayMs: expected a number in \[retry\.baseDelayMs \(500\), 3600000\], got 100$/],
    ['a negative retry base', { retry: { baseDelayMs: -5 } }, /^retry\.baseDelayMs: /],
    ['a zero retry base', { retry: { baseDelayMs: 0 } }, /^retry\.baseDelayMs: expected a number in \[1, 3600000\], got 0$/],
    ['a string aggregationEnabled', { aggregationEnabled: 'yes' }, /^aggregationEnabled: expected true or false, got "yes"$/],
    ['a numeric preserveOrder', { preserveOrder: 1 }, /^preserveOrder: /],
    ['a numeric failIfThrottled', { failIfThrottled: 0 }, /^failIfThrottled: /],
    ['a logger without error()', { logger: { debug() {}, info() {}, warn() {} } }, /^logger\.error: expected a function \(a Logger has debug, info, warn, error, child\), got undefined$/],
    ['a clock without setTimeout()', { clock: { now: () => 0, clearTimeout() {} } }, /^clock\.setTimeout: expected a function \(a Clock has now, setTimeout, clearTimeout\), got undefined$/],
    ['a non-function random', { random: 0.5 }, /^random: expected a function, got 0\.5/],
    ['a 2 MiB record with the default collectionMaxBytes', { maxRecordBytes: 6 * 1024 * 1024 }, /^collectionMaxBytes: /],
    ['an empty kinesisClient', { kinesisClient: {} }, /^kinesisClient: expected a KinesisClient \(an object with a send\(\) method\), got an object$/],
    ['a kinesisClient that is a string', { kinesisClient: 'kinesis' }, /^kinesisClient: expected a KinesisClient/],
    ['random: 5', { random: 5 }, /^random: expected a function, got 5$/],
    ['a retry maxAttempts (records retry until recordTtlMs)', { retry: { maxAttempts: 3 } }, /^retry\.maxAttempts: expected no such option/],
    ['a retry with an unknown field', { retry: { baseDelay: 5 } }, /^retry\.baseDelay: expected no such option — did you mean "baseDelayMs"\?/],
    ['a NaN retry maxDelayMs', { retry: { maxDelayMs: Number.NaN } }, /^retry\.maxDelayMs: .*got NaN$/],
    ['an unknown option', { recordTTLMs: 5 }, /^recordTTLMs: expected no such option — did you mean "recordTtlMs"\?/],
    ['a logger that is a function', { logger: () => undefined }, /^logger: expected a Logger \(with debug, info, warn, error, child\), got a function$/],
    ['metrics that are not a MetricsRecorder', { metrics: {} }, /^metrics\.namespace: expected a function \(a MetricsRecorder has namespace\), got undefined$/],
    ['a metricsLevel the KPL does not have', { metricsLevel: 'VERBOSE' }, /^metricsLevel: expected one of "NONE", "SUMMARY", "DETAILED", got "VERBOSE"$/],
    ['a lower-case metricsGranularity', { metricsGranularity: 'shard' }, /^metricsGranularity: expected one of "GLOBAL", "STREAM", "SHARD", got "shard"$/],
    ['an empty metricsNamespace', { metricsNamespace: '' }, /^metricsNamespace: /],
  ])('rejects %s with an InvalidArgumentError naming the option', (_, options, message) => {
    const withStream = 'streamName' in options || 'streamARN' in options || Object.keys(options).length === 0 ? options : { streamName: 's', ...options };
    expect(() => resolveProducerOptions(withStream as ProducerOptions)).toThrow(InvalidArgumentError);
    expect(() => resolveProducerOptions(withStream as ProducerOptions)).toThrow(TypeError);
    expect(() => resolveProducerOptions(withStream as ProducerOptions)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveProducerOptions(null as unknown as ProducerOptions)).toThrow(/^options: expected an object, got null$/);
  });

  // Regression test (fixed); the bug was: `retry` is spread without a type check, so `retry: 5` silently means the defaults.
  it('rejects a retry that is not an object', () => {
    expect(() => resolveProducerOptions({ streamName: 's', retry: 5 as unknown as ProducerOptions['retry'] })).toThrow(/^retry: /);
  });

  // Regression test (fixed); the bug was: a kinesisClient without send() is accepted; every ListShards and PutRecords then
  // fails with a TypeError classified as transient, and each record is retried until its TTL.
  it('rejects a kinesisClient without send()', () => {
    expect(() => resolveProducerOptions({ streamName: 's', kinesisClient: {} as KinesisClient })).toThrow(/^kinesisClient: /);
  });
});

describe('KinesisProducer constructor', () => {
  it('throws the TypeError at once for bad options', () => {
    expect(() => new KinesisProducer({ streamName: 's', collectionMaxCount: 0, kinesisClient: new FakeKinesisClient().asClient() })).toThrow(
      /^collectionMaxCount: /,
    );
  });

  it('exposes the resolved config', () => {
    const clock = new ManualClock();
    const producer = new KinesisProducer({ streamName: 's', clock, kinesisClient: new FakeKinesisClient().asClient(), recordTtlMs: 5000 });
    expect(producer.config.recordTtlMs).toBe(5000);
    expect(producer.config.clock).toBe(clock);
  });
});
