/** How a failure is handled: retried with backoff, retried unless `failIfThrottled`, or failed at once. */
export type ErrorClass = 'throttled' | 'transient' | 'fatal';

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

// Named client errors that retrying (with refreshed credentials, or later) can fix.
const TRANSIENT = new Set(['ExpiredTokenException', 'RequestExpired', 'RequestTimeout', 'RequestTimeoutException', 'IDPCommunicationError']);

const FATAL = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'AccessDeniedExceptionResponse',
  'InvalidArgumentException',
  'ValidationException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'NotAuthorized',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSAccessDeniedException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'ResourceInUseException',
  'SerializationException',
]);

/**
 * Classifies an AWS error code — a PutRecords entry's `ErrorCode` or a thrown SDK error's `name` —
 * in one place. Unknown codes are transient: retrying until the TTL loses nothing, failing might.
 */
export function classifyErrorCode(code: string): ErrorClass {
  if (THROTTLED.has(code)) return 'throttled';
  if (FATAL.has(code)) return 'fatal';
  return 'transient';
}

/** Classifies an error thrown by `client.send()`: known codes by name; otherwise by fault (client 4xx is fatal). */
export function classifyRequestError(error: unknown): ErrorClass {
  const err = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const name = typeof err?.name === 'string' ? err.name : '';
  const byName = classifyErrorCode(name);
  if (byName !== 'transient' || TRANSIENT.has(name)) return byName;
  const status = err?.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  // A 4xx the SDK parsed into a named service error we do not know is a request problem.
  if (err?.$fault === 'client' && typeof status === 'number' && status >= 400 && status < 500) return 'fatal';
  return 'transient';
}

/** The code to report for an error thrown by `client.send()`. */
export function errorCodeOf(error: unknown): string {
  const err = error as { name?: string; code?: string };
  return (typeof err?.name === 'string' && err.name !== 'Error' ? err.name : undefined) ?? err?.code ?? 'UnknownError';
}
