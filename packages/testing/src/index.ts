// The public API of @kinesis-toolkit/testing. Everything not exported here is internal.

export { startLocalStack } from './stack/startLocalStack';
export type { LocalStack, AwsServices, ServiceHandle } from './stack/LocalStack';
export { LOCAL_STACK_DEFAULTS, resolveLocalStackOptions } from './stack/LocalStackOptions';
export type { LocalStackOptions, ResolvedLocalStackOptions } from './stack/LocalStackOptions';

export { startKinesisMock } from './kinesisMock/startKinesisMock';
export type { KinesisMock } from './kinesisMock/startKinesisMock';
export { KINESIS_MOCK_DEFAULTS, resolveKinesisMockOptions } from './kinesisMock/KinesisMockOptions';
export type { KinesisMockOptions, ResolvedKinesisMockOptions } from './kinesisMock/KinesisMockOptions';

export { LocalFirehose } from './firehose/LocalFirehose';
export type { LocalFirehoseOptions } from './firehose/LocalFirehose';
export { FirehoseApiError } from './firehose/FirehoseApiError';
export { LocalDeliveryStream } from './firehose/LocalDeliveryStream';
export type { DeliveryStreamParts } from './firehose/LocalDeliveryStream';
export { planDeliveryStream } from './firehose/deliveryStreamConfig';
export type { CreateDeliveryStreamInput, DeliveryStreamPlan, LocalCatalog } from './firehose/deliveryStreamConfig';

export { LocalCloudWatch } from './cloudwatch/LocalCloudWatch';
export type { ReceivedMetricDatum, ReceivedPutMetricData, ScriptedFailure } from './cloudwatch/LocalCloudWatch';

export { startPostgres, POSTGRES_DEFAULTS } from './postgres/startPostgres';
export type { PostgresOptions, PostgresServer } from './postgres/startPostgres';

export { FaultProxy, FAULT_PROXY_DEFAULTS } from './fault/FaultProxy';
export type { FaultProxyOptions, FaultProxyTarget, LatencyOptions } from './fault/FaultProxy';
export type { FaultDirection, FaultProxyStats, FaultSettings, Lane } from './fault/faults';

export { ShardLimitProxy } from './shardlimits/ShardLimitProxy';
export type { ShardLimitProxyStats } from './shardlimits/ShardLimitProxy';
export { SHARD_LIMIT_PROXY_DEFAULTS, resolveShardLimitProxyOptions } from './shardlimits/ShardLimitProxyOptions';
export type { ShardLimitProxyOptions, ResolvedShardLimitProxyOptions, ShardLimits } from './shardlimits/ShardLimitProxyOptions';
export type { ShardTraffic, TrafficByStream } from './shardlimits/ShardBudgets';

export {
  clientConfigFor,
  createKinesisClient,
  createDynamoDBClient,
  createS3Client,
  CLIENT_CONFIG_DEFAULTS,
  TEST_CREDENTIALS,
  TEST_REGION,
  TEST_WIRE_PROTOCOL_ENV,
} from './aws/clientConfig';
export type { ClientConfigOptions, LocalClientConfig, TestCredentials } from './aws/clientConfig';

export { uniqueName, UNIQUE_NAME_MAX_LENGTH } from './helpers/uniqueName';
export { waitFor, WAIT_FOR_DEFAULTS } from './helpers/waitFor';
export type { WaitForOptions, Truthy } from './helpers/waitFor';
export { createStream } from './helpers/createStream';
export { createBucket } from './helpers/createBucket';
export { recordSentRequests, serverSideEncryptionHeaders } from './helpers/recordSentRequests';
export type { MiddlewareHost, SentRequest } from './helpers/recordSentRequests';
export { getTestStack } from './helpers/getTestStack';
export type { TestStack } from './helpers/getTestStack';
export { TEST_STACK_ENV } from './jest/testStackEnv';
export type { TestStackEndpoints } from './jest/testStackEnv';

export { TestingError } from './errors/TestingError';
export type { TestingErrorContext, TestingErrorOptions } from './errors/TestingError';
export { ServerStartError } from './errors/ServerStartError';
export { WaitTimeoutError } from './errors/WaitTimeoutError';

// The test clock lives in core (every package's unit tests use it); re-exported here for test code.
export { ManualClock } from '@kinesis-toolkit/core';
