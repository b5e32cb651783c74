/** Error names that mean the same request can succeed later. */
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequestsException',
  'InternalError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TransactionInProgressException',
]);

/**
 * Whether an AWS SDK error (or a network error under it) is worth retrying: throttling, 5xx,
 * timeouts and connection failures are; a named 4xx (missing bucket or table, access denied,
 * validation) is not. Errors without an HTTP status are network trouble and retryable.
 */
export function isRetryableAwsError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return true;
  const { name, $metadata, $retryable } = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if ($retryable !== undefined) return true;
  if (name !== undefined && RETRYABLE_NAMES.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status === 429 || status >= 500;
}
