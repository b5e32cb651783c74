import * as kinesis from '@aws-sdk/client-kinesis';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as s3 from '@aws-sdk/client-s3';
import * as firehose from '@aws-sdk/client-firehose';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import { classifyAwsError, classifyAwsErrorCode, type AwsErrorKind } from './classifyAwsError';
import { AwsRequestError } from './AwsRequestError';
import { DeadlineExceededError } from '../errors/DeadlineExceededError';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

// Every exception class each SDK client exports, built as the SDK builds it from an answer, must get
// the verdict below. The tables name the exceptions that are NOT fatal; every other exported one is.
// A new exception in a future SDK release fails the "is classified" test until someone decides.
type Expectations = Partial<Record<AwsErrorKind, readonly string[]>>;
const SERVICES: ReadonlyArray<{ service: string; module: Record<string, unknown>; base: string; retryable: Expectations }> = [
  {
    service: 'Kinesis',
    module: kinesis,
    base: 'KinesisServiceException',
    retryable: {
      throttled: ['ProvisionedThroughputExceededException', 'LimitExceededException', 'KMSThrottlingException'],
      transient: ['InternalFailureException'],
    },
  },
  {
    service: 'DynamoDB',
    module: dynamodb,
    base: 'DynamoDBServiceException',
    retryable: {
      throttled: ['ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'ThrottlingException', 'LimitExceededException'],
      transient: ['InternalServerError', 'TransactionConflictException', 'TransactionInProgressException', 'ReplicatedWriteConflictException', 'InvalidEndpointException'],
    },
  },
  { service: 'S3', module: s3, base: 'S3ServiceException', retryable: {} },
  {
    service: 'Firehose',
    module: firehose,
    base: 'FirehoseServiceException',
    retryable: { throttled: ['ServiceUnavailableException', 'LimitExceededException'] },
  },
  {
    service: 'CloudWatch',
    module: cloudwatch,
    base: 'CloudWatchServiceException',
    retryable: { throttled: ['LimitExceededException'], transient: ['InternalServiceFault'] },
  },
];

function exceptionClasses(module: Record<string, unknown>, baseName: string): Array<[string, new (options: object) => Error]> {
  const base = module[baseName] as (new (options: object) => Error) | undefined;
  if (base === undefined) throw new Error(`${baseName} not exported`);
  return Object.entries(module)
    .filter((entry): entry is [string, new (options: object) => Error] => typeof entry[1] === 'function' && (entry[1] as { prototype: unknown }).prototype instanceof base)
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

describe.each(SERVICES)('classifyAwsError on every $service exception', ({ module, base, retryable }) => {
  const classes = exceptionClasses(module, base);
  const expected = (name: string): AwsErrorKind =>
    (Object.entries(retryable).find(([, names]) => names?.includes(name))?.[0] as AwsErrorKind | undefined) ?? 'fatal';

  it('finds the exported exception classes', () => {
    expect(classes.length).toBeGreaterThan(5);
    for (const names of Object.values(retryable)) for (const name of names ?? []) expect(classes.map(([n]) => n)).toContain(name);
  });

  it.each(classes.map(([name, cls]) => [name, cls] as const))('%s is classified as the table says', (name, cls) => {
    const instance = new cls({ message: `${name} from the service`, $metadata: { httpStatusCode: 400 } });
    const status = (instance as { $fault?: string }).$fault === 'server' ? 500 : 400;
    const error = new cls({ message: `${name} from the service`, $metadata: { httpStatusCode: status } });
    const verdict = classifyAwsError(error);
    expect(verdict.kind).toBe(expected(name));
    expect(verdict.retryable).toBe(expected(name) !== 'fatal');
    expect(verdict.code).toBe(error.name);
  });
});

// Errors that reach the SDK as generic ServiceExceptions (no modelled class): name, status and fault as the wire gives them.
const WIRE_CASES: ReadonlyArray<[string, string, number | undefined, 'client' | 'server' | undefined, AwsErrorKind]> = [
  ['DynamoDB/Kinesis throttling', 'ThrottlingException', 400, 'client', 'throttled'],
  ['CloudWatch PutMetricData throttling', 'Throttling', 400, 'client', 'throttled'],
  ['S3 SlowDown', 'SlowDown', 503, 'server', 'throttled'],
  ['S3 InternalError', 'InternalError', 500, 'server', 'transient'],
  ['S3 503 ServiceUnavailable', 'ServiceUnavailable', 503, 'server', 'transient'],
  ['S3 RequestTimeout (idle upload)', 'RequestTimeout', 400, 'client', 'transient'],
  ['clock skew', 'RequestTimeTooSkewed', 403, 'client', 'transient'],
  ['Kinesis expired STS token', 'ExpiredTokenException', 400, 'client', 'expiredCredentials'],
  ['S3 expired token', 'ExpiredToken', 400, 'client', 'expiredCredentials'],
  ['signature too old', 'RequestExpired', 400, 'client', 'expiredCredentials'],
  ['unknown access key', 'UnrecognizedClientException', 400, 'client', 'fatal'],
  ['S3 bad key id', 'InvalidAccessKeyId', 403, 'client', 'fatal'],
  ['S3 bad signature', 'SignatureDoesNotMatch', 403, 'client', 'fatal'],
  ['STS bad token', 'InvalidClientTokenId', 403, 'client', 'fatal'],
  ['missing credentials', 'CredentialsProviderError', undefined, undefined, 'fatal'],
  ['an unmodelled 4xx', 'SomethingNewException', 400, 'client', 'fatal'],
  ['an unmodelled 5xx', 'SomethingBrokeException', 502, 'server', 'transient'],
  ['an unmodelled 429', 'TooFastException', 429, 'client', 'throttled'],
  ['a Kinesis InternalFailure', 'InternalFailure', 500, 'server', 'transient'],
  ['the SDK socket timeout', 'TimeoutError', undefined, undefined, 'transient'],
];

describe('classifyAwsError on errors as they come off the wire', () => {
  it.each(WIRE_CASES)('%s (%s) is %s', (_what, name, status, fault, kind) => {
    const error = Object.assign(new Error(`${name}: details`), { name, $fault: fault, $metadata: status === undefined ? {} : { httpStatusCode: status } });
    expect(classifyAwsError(error).kind).toBe(kind);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])('a network error %s is transient with its code', (code) => {
    const error = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    expect(classifyAwsError(error)).toEqual({ kind: 'transient', retryable: true, code });
  });

  it('finds a network code through a cause chain and in a re-wrapped message', () => {
    const wrapped = new Error('request failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(classifyAwsError(wrapped).code).toBe('ECONNRESET');
    expect(classifyAwsError(new Error('read ECONNRESET')).code).toBe('ECONNRESET');
  });

  it('follows the SDK $retryable hint for unmodelled errors', () => {
    const throttle = Object.assign(new Error('x'), { name: 'Weird', $retryable: { throttling: true } });
    const retry = Object.assign(new Error('x'), { name: 'Weird', $retryable: {} });
    expect(classifyAwsError(throttle).kind).toBe('throttled');
    expect(classifyAwsError(retry).kind).toBe('transient');
  });

  it('treats a nameless or non-object failure as transient (bounded retries lose nothing)', () => {
    expect(classifyAwsError(undefined)).toEqual({ kind: 'transient', retryable: true, code: 'UnknownError' });
    expect(classifyAwsError('boom').kind).toBe('transient');
    expect(classifyAwsError(new Error('no name, no status')).code).toBe('UnknownError');
  });

  it('trusts kinesis-toolkit errors: a deadline is transient, a bad argument fatal, a wrapped AWS error keeps its verdict', () => {
    expect(classifyAwsError(new DeadlineExceededError('GetRecords', 100))).toMatchObject({ kind: 'transient', code: 'DEADLINE_EXCEEDED' });
    expect(classifyAwsError(new InvalidArgumentError('x', 'a number', 'y'))).toMatchObject({ kind: 'fatal', code: 'INVALID_ARGUMENT' });
    const sdk = new kinesis.ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } });
    const wrapped = new AwsRequestError(sdk, classifyAwsError(sdk), { service: 'Kinesis', operation: 'PutRecords', attempts: 3 });
    expect(classifyAwsError(wrapped)).toEqual(classifyAwsError(sdk));
  });
});

describe('classifyAwsErrorCode (PutRecords / PutRecordBatch entry codes)', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 'throttled'],
    ['KMSThrottlingException', 'throttled'],
    ['ServiceUnavailableException', 'throttled'],
    ['InternalFailure', 'transient'],
    ['KMSAccessDeniedException', 'fatal'],
    ['KMSNotFoundException', 'fatal'],
    ['KMSDisabledException', 'fatal'],
    ['SomeFutureCode', 'transient'],
  ] as const)('%s is %s', (code, kind) => {
    expect(classifyAwsErrorCode(code)).toBe(kind);
  });
});
