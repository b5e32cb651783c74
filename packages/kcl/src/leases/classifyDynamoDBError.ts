/**
 * What a DynamoDB failure means for the lease store:
 * - `conditionFailed`: a conditional write's condition did not hold (the lease moved on);
 * - `throttled`: the table's capacity or the account's request rate was exceeded;
 * - `transient`: a 5xx answer, a timeout or a network failure;
 * - `fatal`: anything else (validation, access denied, missing table): retrying will not help.
 */
export type DynamoDBErrorClass = 'conditionFailed' | 'throttled' | 'transient' | 'fatal';

const THROTTLING_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
]);
const TRANSIENT_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// A network error from another realm (jest's vm context) fails the SDK's `instanceof Error` and is
// re-wrapped as a plain Error whose message alone still names the code.
const NETWORK_CODE_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_CODES].join('|')})\\b`);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/** Classifies an error thrown by an `@aws-sdk/client-dynamodb` call; the one place that reads `err.name`. */
export function classifyDynamoDBError(error: unknown): DynamoDBErrorClass {
  if (error === null || typeof error !== 'object') return 'fatal';
  const { name, code, message, $fault, $metadata } = error as SdkErrorShape;
  const status = $metadata?.httpStatusCode ?? 0;
  if (name === 'ConditionalCheckFailedException') return 'conditionFailed';
  if ((typeof name === 'string' && THROTTLING_NAMES.has(name)) || status === 429) return 'throttled';
  if (
    (typeof name === 'string' && TRANSIENT_NAMES.has(name)) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    (typeof message === 'string' && NETWORK_CODE_IN_MESSAGE.test(message)) ||
    $fault === 'server' ||
    status >= 500
  ) {
    return 'transient';
  }
  return 'fatal';
}

/** How many attempts the SDK made before this error (1 when it did not retry or did not say). */
export function sdkAttempts(error: unknown): number {
  const attempts = (error as SdkErrorShape | null)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}
