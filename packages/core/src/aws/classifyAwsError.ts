import { isToolkitError } from '../errors/KinesisToolkitError';
import { AwsRequestError } from './AwsRequestError';
import { EXPIRED_CREDENTIALS_CODES, FATAL_CODES, NETWORK_ERROR_CODES, THROTTLED_CODES, TRANSIENT_CODES } from './awsErrorCodes';

/**
 * What a failed AWS call means for whoever retries it:
 * - `throttled` — a rate or quota was exceeded: retry with backoff (and send slower);
 * - `transient` — the service or the network failed: retry with backoff;
 * - `expiredCredentials` — the credentials expired: retry after the provider refreshes them;
 * - `fatal` — the request itself is wrong (missing resource, bad input, access denied): do not retry.
 */
export type AwsErrorKind = 'throttled' | 'transient' | 'expiredCredentials' | 'fatal';

/** The verdict of {@link classifyAwsError}. */
export interface AwsErrorClassification {
  readonly kind: AwsErrorKind;
  /** Whether a retry can succeed: every kind but `fatal`. */
  readonly retryable: boolean;
  /** The AWS error code (`ResourceNotFoundException`), the network code (`ECONNRESET`), or `UnknownError`. */
  readonly code: string;
  /** The HTTP status of the answer, when there was one. */
  readonly httpStatusCode?: number;
}

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly retryable?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: { readonly throttling?: boolean } | undefined;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

// A network error from another realm (jest's vm context) can fail the SDK's `instanceof Error` and be
// re-wrapped as a plain Error whose message alone still names the code.
const NETWORK_CODE_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_ERROR_CODES].join('|')})\\b`);

/** Classifies an error code alone: a PutRecords or PutRecordBatch entry's `ErrorCode`, or an SDK error's `name`. Unknown codes are `transient`. */
export function classifyAwsErrorCode(code: string): AwsErrorKind {
  if (THROTTLED_CODES.has(code)) return 'throttled';
  if (EXPIRED_CREDENTIALS_CODES.has(code)) return 'expiredCredentials';
  if (FATAL_CODES.has(code)) return 'fatal';
  return 'transient';
}

/**
 * The one AWS error classifier of kinesis-toolkit. Reads, in order: a kinesis-toolkit error's own
 * `retryable`; the error name against the tables of known codes (Kinesis, DynamoDB, S3, Firehose,
 * CloudWatch, STS); the SDK's `$retryable` hint; network error codes (also through `cause`); the HTTP
 * status (429 throttled, 5xx transient, other 4xx fatal); `$fault`. What is left — an error with no
 * name, status or code we know, such as a socket torn down mid-answer — is `transient`: every retry
 * loop in kinesis-toolkit is bounded by attempts or a deadline, so retrying loses nothing, while
 * failing at once could drop a record for a hiccup.
 */
export function classifyAwsError(error: unknown): AwsErrorClassification {
  if (error === null || typeof error !== 'object') return verdict('transient', 'UnknownError');
  const err = error as ErrorShape;
  const status = typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : undefined;

  if (error instanceof AwsRequestError) return error.classification;
  // Ours already know: a deadline is transient, a bad argument fatal.
  if (isToolkitError(error)) return verdict(error.retryable ? 'transient' : 'fatal', error.code, status);

  const name = typeof err.name === 'string' ? err.name : '';
  const known = knownCode(name);
  if (known !== undefined) return verdict(known, name, status);

  const networkCode = networkCodeOf(err, 0);
  if (networkCode !== undefined) return verdict('transient', networkCode, status);

  const code = name !== '' && name !== 'Error' ? name : typeof err.code === 'string' ? err.code : 'UnknownError';
  if (typeof err.code === 'string') {
    const byCode = knownCode(err.code);
    if (byCode !== undefined) return verdict(byCode, err.code, status);
  }
  if (err.$retryable !== undefined) return verdict(err.$retryable.throttling === true ? 'throttled' : 'transient', code, status);
  if (status === 429) return verdict('throttled', code, status);
  if (status !== undefined && status >= 500) return verdict('transient', code, status);
  if (status !== undefined && status >= 400) return verdict('fatal', code, status);
  if (name === 'AbortError') return verdict('transient', 'AbortError', status);
  return verdict('transient', code, status);
}

function knownCode(code: string): AwsErrorKind | undefined {
  if (code === '') return undefined;
  if (THROTTLED_CODES.has(code)) return 'throttled';
  if (EXPIRED_CREDENTIALS_CODES.has(code)) return 'expiredCredentials';
  if (FATAL_CODES.has(code)) return 'fatal';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  return undefined;
}

function networkCodeOf(err: ErrorShape, depth: number): string | undefined {
  if (typeof err.code === 'string' && NETWORK_ERROR_CODES.has(err.code)) return err.code;
  if (typeof err.message === 'string') {
    const match = NETWORK_CODE_IN_MESSAGE.exec(err.message);
    if (match?.[1] !== undefined) return match[1];
  }
  if (depth < 4 && err.cause !== null && typeof err.cause === 'object') return networkCodeOf(err.cause as ErrorShape, depth + 1);
  return undefined;
}

function verdict(kind: AwsErrorKind, code: string, httpStatusCode?: number): AwsErrorClassification {
  return httpStatusCode === undefined ? { kind, retryable: kind !== 'fatal', code } : { kind, retryable: kind !== 'fatal', code, httpStatusCode };
}

/** The code to report for an error: the AWS code, the network code, or `UnknownError`. */
export function awsErrorCodeOf(error: unknown): string {
  return classifyAwsError(error).code;
}
