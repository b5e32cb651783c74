import { ManualClock } from '../time/ManualClock';
import { RetryPolicy } from '../retry/RetryPolicy';
import { callAws, type AwsClientLike } from './callAws';
import { AwsRequestError } from './AwsRequestError';
import { DeadlineExceededError } from '../errors/DeadlineExceededError';
import { AbortedError } from '../errors/AbortedError';

// A scripted client (no AWS behaviour is claimed here: the classifier's verdicts are tested against
// the SDK's own exception classes in classifyAwsError.test.ts). Each send takes the next script step.
class ListThingsCommand {
  constructor(readonly input: { Name: string }) {}
}
type Step = 'hang' | Error | string;
function scriptedClient(steps: Step[]): AwsClientLike & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    send(_command: unknown, options?: { abortSignal?: AbortSignal }) {
      signals.push(options?.abortSignal as AbortSignal);
      const step = steps.shift() ?? 'hang';
      if (step === 'hang') return new Promise(() => undefined);
      return step instanceof Error ? Promise.reject(step) : Promise.resolve({ answer: step });
    },
  };
}
const sdkError = (name: string, status: number): Error => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('callAws', () => {
  it('gives each attempt its own deadline and retries an attempt that hung', async () => {
    const clock = new ManualClock();
    const client = scriptedClient(['hang', 'done']);
    const result = callAws(client, new ListThingsCommand({ Name: 'x' }), { service: 'Test', timeoutMs: 1_000, retry: new RetryPolicy({}, { clock, random: () => 0.5 }) });
    await clock.advance(1_000);
    expect(client.signals[0]?.aborted).toBe(true);
    await clock.advance(100);
    await expect(result).resolves.toEqual({ answer: 'done' });
  });

  it('fails a fatal error at once as an AwsRequestError naming service, operation, code and context', async () => {
    const client = scriptedClient([sdkError('ResourceNotFoundException', 400), 'never']);
    const error = (await callAws(client, new ListThingsCommand({ Name: 'x' }), {
      service: 'Kinesis',
      timeoutMs: 1_000,
      retry: new RetryPolicy({ maxAttempts: 5 }, { clock: new ManualClock() }),
      context: { streamName: 'orders' },
    }).catch((e: unknown) => e)) as AwsRequestError;
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('ResourceNotFoundException');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.operation).toBe('ListThings');
    expect(error.context).toMatchObject({ service: 'Kinesis', streamName: 'orders' });
    expect(error.message).toBe('Kinesis ListThings failed with ResourceNotFoundException: ResourceNotFoundException happened — not retried (the request itself is wrong)');
    expect((error.cause as Error).name).toBe('ResourceNotFoundException');
  });

  it('gives up after the policy\'s attempts with the last error and the attempt count', async () => {
    const clock = new ManualClock();
    const client = scriptedClient([sdkError('ThrottlingException', 400), sdkError('ThrottlingException', 400), 'hang']);
    const settled = callAws(client, new ListThingsCommand({ Name: 'x' }), { service: 'DynamoDB', timeoutMs: 500, retry: new RetryPolicy({ maxAttempts: 3 }, { clock, random: () => 0.5 }) }).catch((e: unknown) => e);
    await clock.advance(2_000);
    const error = (await settled) as AwsRequestError;
    expect(error.attempts).toBe(3);
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.cause).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toContain('gave up after 3 attempts (transient)');
  });

  it('without a retry policy makes exactly one attempt, still under its deadline', async () => {
    const clock = new ManualClock();
    const client = scriptedClient(['hang']);
    const settled = callAws(client, new ListThingsCommand({ Name: 'x' }), { service: 'S3', timeoutMs: 300, clock }).catch((e: unknown) => e);
    await clock.advance(300);
    expect(((await settled) as AwsRequestError).code).toBe('DEADLINE_EXCEEDED');
    expect(client.signals).toHaveLength(1);
  });

  it('rejects with the abort reason, not an AwsRequestError, when its signal fires', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const settled = callAws(scriptedClient(['hang']), new ListThingsCommand({ Name: 'x' }), { service: 'S3', timeoutMs: 300, clock, signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await settled).toBeInstanceOf(AbortedError);
  });

  it('logs throttled retries at debug and other retries at warn, with the code and the attempt', async () => {
    const clock = new ManualClock();
    const lines: Array<[string, Record<string, unknown>, string]> = [];
    const log = (level: string) => (context: Record<string, unknown>, message: string) => lines.push([level, context, message]);
    const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
    const client = scriptedClient([sdkError('ThrottlingException', 400), sdkError('InternalServerError', 500), 'ok']);
    const result = callAws(client, new ListThingsCommand({ Name: 'x' }), { service: 'DynamoDB', timeoutMs: 500, logger, retry: new RetryPolicy({ maxAttempts: 3 }, { clock, random: () => 0.5 }) });
    await clock.advance(1_000);
    await result;
    expect(lines.map(([level, context]) => [level, context['code'], context['attempt']])).toEqual([
      ['debug', 'ThrottlingException', 1],
      ['warn', 'InternalServerError', 2],
    ]);
  });
});
