import { classifyErrorCode, classifyRequestError, errorCodeOf } from './classifyError';
import { networkError, sdkError } from '../../test/FakeKinesisClient';

describe('classifyErrorCode', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 'throttled'],
    ['ThrottlingException', 'throttled'],
    ['KMSThrottlingException', 'throttled'],
    ['LimitExceededException', 'throttled'],
    ['InternalFailure', 'transient'],
    ['ServiceUnavailable', 'transient'],
    ['SomethingNobodyHeardOf', 'transient'],
    ['ResourceNotFoundException', 'fatal'],
    ['AccessDeniedException', 'fatal'],
    ['KMSDisabledException', 'fatal'],
    ['KMSNotFoundException', 'fatal'],
    ['KMSAccessDeniedException', 'fatal'],
    ['InvalidArgumentException', 'fatal'],
    ['ValidationException', 'fatal'],
  ])('%s is %s', (code, expected) => {
    expect(classifyErrorCode(code)).toBe(expected);
  });
});

describe('classifyRequestError', () => {
  it('classifies named SDK errors by name', () => {
    expect(classifyRequestError(sdkError('ResourceNotFoundException'))).toBe('fatal');
    expect(classifyRequestError(sdkError('ProvisionedThroughputExceededException'))).toBe('throttled');
    expect(classifyRequestError(sdkError('InternalFailure', 'x', 'server', 500))).toBe('transient');
  });

  it('treats an unknown client-fault 4xx as fatal, a 429 as throttling and a 5xx as transient', () => {
    expect(classifyRequestError(sdkError('BrandNewException', 'x', 'client', 400))).toBe('fatal');
    expect(classifyRequestError(sdkError('BrandNewException', 'x', 'client', 429))).toBe('throttled');
    expect(classifyRequestError(sdkError('BrandNewException', 'x', 'server', 503))).toBe('transient');
  });

  it('retries network errors, timeouts and anything without a status', () => {
    expect(classifyRequestError(networkError('ECONNRESET'))).toBe('transient');
    expect(classifyRequestError(networkError('ETIMEDOUT'))).toBe('transient');
    expect(classifyRequestError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe('transient');
    expect(classifyRequestError(Object.assign(new Error('t'), { name: 'RequestTimeoutError' }))).toBe('transient');
    expect(classifyRequestError('a string')).toBe('transient');
    expect(classifyRequestError(undefined)).toBe('transient');
  });
});

describe('errorCodeOf', () => {
  it('prefers a specific name, then a Node error code', () => {
    expect(errorCodeOf(sdkError('ResourceNotFoundException'))).toBe('ResourceNotFoundException');
    expect(errorCodeOf(networkError('ECONNRESET'))).toBe('ECONNRESET');
    expect(errorCodeOf(new Error('plain'))).toBe('UnknownError');
    expect(errorCodeOf(null)).toBe('UnknownError');
  });
});
