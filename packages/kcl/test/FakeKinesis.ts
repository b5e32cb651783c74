import type { KinesisClient, SubscribeToShardEventStream, _Record } from '@aws-sdk/client-kinesis';
import { NOOP_LOGGER, type Clock, type LogContext, type Logger } from '@kinesis-toolkit/core';
import { KinesisApi } from '../src/retrieval/KinesisApi';

// Fakes for unit tests of the worker's own logic: a Kinesis client whose answers the test scripts
// per operation (no AWS behaviour is claimed: the integration tests run against kinesalite and
// kinesis-mock), an event stream the test feeds, and a logger that keeps its lines.

/** One call the fake client received. */
export interface FakeCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly signal: AbortSignal | undefined;
}

type Handler = (input: Record<string, unknown>, signal: AbortSignal | undefined) => unknown;

/** A Kinesis client with scripted answers: each operation's handler is called with the input. */
export class FakeKinesis {
  readonly calls: FakeCall[] = [];
  readonly #handlers = new Map<string, Handler>();

  /** Answers `operation` (`GetRecords`, `SubscribeToShard`…) with `handler` from now on. */
  on(operation: string, handler: Handler): this {
    this.#handlers.set(operation, handler);
    return this;
  }

  /** The calls of one operation. */
  callsOf(operation: string): FakeCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  readonly client = {
    send: (command: { input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
      const operation = command.constructor.name.replace(/Command$/, '');
      this.calls.push({ operation, input: command.input, signal: options?.abortSignal });
      const handler = this.#handlers.get(operation);
      if (handler === undefined) return Promise.reject(new Error(`FakeKinesis: no answer scripted for ${operation}`));
      return Promise.resolve().then(() => handler(command.input, options?.abortSignal));
    },
  } as unknown as KinesisClient;

  /** A KinesisApi on this client, as the worker builds it. */
  api(clock: Clock, options: { requestTimeoutMs?: number; logger?: Logger; random?: () => number } = {}): KinesisApi {
    return new KinesisApi({
      client: this.client,
      streamName: 'stream',
      streamARN: undefined,
      requestTimeoutMs: options.requestTimeoutMs ?? 1_000,
      clock,
      random: options.random ?? (() => 0.5),
      logger: options.logger ?? NOOP_LOGGER,
    });
  }
}

/** An answer that never comes (a blackholed connection); rejects like the SDK when the call is aborted. */
export function never(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }));
}

/** An error shaped as the AWS SDK throws it. */
export function sdkError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name}: scripted`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** A plain (not aggregated) Kinesis record. */
export function kinesisRecord(sequenceNumber: string, data = `r${sequenceNumber}`, partitionKey = 'key'): _Record {
  return { SequenceNumber: sequenceNumber, Data: Buffer.from(data), PartitionKey: partitionKey, ApproximateArrivalTimestamp: new Date(0) };
}

/** A SubscribeToShard event stream the test feeds: `push` events, `end()` it, or `fail()` it. */
export class ScriptedEventStream implements AsyncIterableIterator<SubscribeToShardEventStream> {
  readonly #queued: IteratorResult<SubscribeToShardEventStream>[] = [];
  #waiting: { resolve: (result: IteratorResult<SubscribeToShardEventStream>) => void; reject: (error: unknown) => void } | undefined;
  #error: unknown;
  returned = false;
  /** How many times the reader asked for the next event. */
  reads = 0;

  push(event: SubscribeToShardEventStream): void {
    this.#deliver({ value: event, done: false });
  }

  end(): void {
    this.#deliver({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.#waiting) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting.reject(error);
    } else this.#error = error;
  }

  next(): Promise<IteratorResult<SubscribeToShardEventStream>> {
    this.reads++;
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<SubscribeToShardEventStream>> {
    this.returned = true;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #deliver(result: IteratorResult<SubscribeToShardEventStream>): void {
    if (this.#waiting) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting.resolve(result);
    } else this.#queued.push(result);
  }
}

/** A logger that keeps every line, for tests that check what is logged and at which level. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; context: LogContext; message: string }[] = [];
  debug = (context: LogContext, message: string): void => void this.lines.push({ level: 'debug', context, message });
  info = (context: LogContext, message: string): void => void this.lines.push({ level: 'info', context, message });
  warn = (context: LogContext, message: string): void => void this.lines.push({ level: 'warn', context, message });
  error = (context: LogContext, message: string): void => void this.lines.push({ level: 'error', context, message });
  child = (): Logger => this;

  at(level: string): { level: string; context: LogContext; message: string }[] {
    return this.lines.filter((line) => line.level === level);
  }
}
