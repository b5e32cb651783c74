import { RetryPolicy, callAws, type AwsClientLike, type CommandOutputOf, type ErrorContext } from '@kinesis-toolkit/core';

/** The deadline of each attempt of a command's own AWS calls (checks, listings, the demo's set-up). */
export const CLI_REQUEST_TIMEOUT_MS = 10_000;

const RETRY = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 });

/**
 * One AWS call of a command itself (not of a library it runs), through core's `callAws`: a
 * deadline per attempt, core's classifier, up to 3 attempts for what is retryable, and an
 * `AwsRequestError` (which `explainAwsError` turns into one line) for what is not.
 */
export function awsCall<C extends object>(
  client: AwsClientLike,
  command: C,
  service: 'Kinesis' | 'DynamoDB' | 'S3' | 'Firehose',
  options: { readonly signal?: AbortSignal | undefined; readonly context?: ErrorContext } = {},
): Promise<CommandOutputOf<C>> {
  return callAws(client, command, { service, timeoutMs: CLI_REQUEST_TIMEOUT_MS, retry: RETRY, signal: options.signal, context: options.context });
}
