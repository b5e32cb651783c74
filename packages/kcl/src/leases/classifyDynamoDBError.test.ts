import { classifyDynamoDBError, sdkAttempts } from './classifyDynamoDBError';

const named = (name: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...fields });

describe('classifyDynamoDBError', () => {
  it.each([
    [named('ConditionalCheckFailedException'), 'conditionFailed'],
    [named('ProvisionedThroughputExceededException'), 'throttled'],
    [named('RequestLimitExceeded'), 'throttled'],
    [named('SomethingElse', { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    [named('InternalServerError'), 'transient'],
    [named('Weird', { $fault: 'server' }), 'transient'],
    [named('Weird', { $metadata: { httpStatusCode: 503 } }), 'transient'],
    [named('TimeoutError'), 'transient'],
    [named('Error', { code: 'ECONNRESET' }), 'transient'],
    [new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'), 'transient'],
    [named('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }), 'fatal'],
    [named('ResourceNotFoundException'), 'fatal'],
    ['a string', 'fatal'],
    [undefined, 'fatal'],
  ])('%s → %s', (error, expected) => {
    expect(classifyDynamoDBError(error)).toBe(expected);
  });

  it('reads the SDK attempt count, 1 when absent', () => {
    expect(sdkAttempts(named('X', { $metadata: { attempts: 3 } }))).toBe(3);
    expect(sdkAttempts(new Error('x'))).toBe(1);
    expect(sdkAttempts(undefined)).toBe(1);
  });
});
