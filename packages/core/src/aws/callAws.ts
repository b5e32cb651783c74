import type { Clock } from '../time/Clock';
import type { ErrorContext } from '../errors/KinesisToolkitError';
import type { Logger } from '../logging/Logger';
import { RetryPolicy, type RetryEvent } from '../retry/RetryPolicy';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';
import { requireAbortSignal, requireAwsClient, requireNumber, requireObject, requireString } from '../validation/validators';
import { AwsRequestError } from './AwsRequestError';
import { classifyAwsError } from './classifyAwsError';
import { withDeadline } from './withDeadline';

/** Anything with the AWS SDK v3 client's `send(command, { abortSignal })`. */
export interface AwsClientLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's send is generic over its own command types
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** The output type of an AWS SDK v3 command instance (`ListShardsCommandOutput` for a `ListShardsCommand`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matching the SDK's Handler signature
export type CommandOutputOf<C> = C extends { resolveMiddleware(...args: any[]): (args: any) => Promise<{ output: infer O }> } ? O : unknown;

/** Options of {@link callAws}. */
export interface AwsCallOptions {
  /** The service, for messages and metrics: `Kinesis`, `DynamoDB`, `S3`. */
  readonly service: string;
  /** The operation; by default the command's class name without `Command`. */
  readonly operation?: string | undefined;
  /** Each attempt's deadline: the attempt is aborted and counts as failed (transient) after this. */
  readonly timeoutMs: number;
  /** Retries under this policy; without one, a single attempt. */
  readonly retry?: RetryPolicy | undefined;
  /** No retry starts after this reading of the retry policy's clock. */
  readonly deadlineAt?: number | undefined;
  /** The clock of the deadline when there is no retry policy. @defaultValue the retry policy's clock, or the system clock */
  readonly clock?: Clock | undefined;
  /** Aborts the call and any wait: rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Stream, shard, table…: carried into errors. */
  readonly context?: ErrorContext | undefined;
  /** Where retries are reported, at `debug` (throttled) or `warn`. */
  readonly logger?: Logger | undefined;
  /** Called before each retry (metrics, events). */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * The one way kinesis-toolkit sends an AWS command: every attempt has a deadline, failures go
 * through the one classifier, retryable ones are retried under the given {@link RetryPolicy}, and
 * what finally fails is an {@link AwsRequestError} that names the service, operation, AWS code,
 * attempts and context. A `signal` abort rejects with its reason, not an AwsRequestError.
 *
 * ```ts
 * const page = await callAws(client, new ListShardsCommand({ StreamName }), { service: 'Kinesis', timeoutMs: 5000, retry });
 * ```
 */
export async function callAws<C extends object>(client: AwsClientLike, command: C, options: AwsCallOptions): Promise<CommandOutputOf<C>> {
  requireAwsClient('client', client);
  requireObject('command', command);
  requireObject('options', options);
  requireString('service', options.service);
  requireNumber('timeoutMs', options.timeoutMs, 1);
  if (options.retry !== undefined && !(options.retry instanceof RetryPolicy)) throw new InvalidArgumentError('retry', 'a RetryPolicy', options.retry);
  if (options.signal !== undefined) requireAbortSignal('signal', options.signal);
  const operation = options.operation ?? command.constructor.name.replace(/Command$/, '');
  const clock = options.clock ?? options.retry?.clock;
  const attemptOnce = (): Promise<CommandOutputOf<C>> =>
    withDeadline(operation, options.timeoutMs, (abortSignal) => client.send(command, { abortSignal }) as Promise<CommandOutputOf<C>>, {
      clock,
      signal: options.signal,
      context: { service: options.service, ...options.context },
    });
  let attempts = 0;
  try {
    if (options.retry === undefined) {
      attempts = 1;
      return await attemptOnce();
    }
    return await options.retry.run(
      (attempt) => {
        attempts = attempt;
        return attemptOnce();
      },
      {
        signal: options.signal,
        deadlineAt: options.deadlineAt,
        onRetry: (event) => {
          const { kind, code } = classifyAwsError(event.error);
          const fields = { service: options.service, operation, code, kind, attempt: event.attempt, delayMs: event.delayMs, ...options.context };
          if (kind === 'throttled') options.logger?.debug(fields, `${options.service} ${operation}: ${code}, retrying`);
          else options.logger?.warn(fields, `${options.service} ${operation}: ${code}, retrying`);
          options.onRetry?.(event);
        },
      },
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof AwsRequestError) throw error;
    throw new AwsRequestError(error, classifyAwsError(error), { service: options.service, operation, attempts, context: options.context });
  }
}
