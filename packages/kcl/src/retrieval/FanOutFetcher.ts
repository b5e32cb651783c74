import { GetRecordsCommand, GetShardIteratorCommand, SubscribeToShardCommand, type SubscribeToShardEventStream } from '@aws-sdk/client-kinesis';
import { sleep, withDeadline } from '@kinesis-toolkit/core';
import { BatchQueue } from './BatchQueue';
import type { FetchedBatch, FetcherSettings, RecordFetcher } from './PollingFetcher';
import { ReadFailures } from './ReadFailures';
import { startingPosition } from './startingPosition';

/** Quiet events (no records, caught up) before checking whether the shard has closed. */
const QUIET_EVENTS_BEFORE_END_CHECK = 3;

/** What a fan-out fetcher needs beyond a polling one. */
export interface FanOutSettings extends FetcherSettings {
  /** The registered enhanced fan-out consumer. */
  readonly consumerARN: string;
  /** A subscription silent for this long is abandoned and a new one opened (the worker's `subscriptionIdleTimeoutMs`). */
  readonly subscriptionIdleTimeoutMs: number;
}

/**
 * Reads one shard through enhanced fan-out: a SubscribeToShard subscription pushes records as
 * they arrive (a dedicated 2 MiB/s per consumer per shard). Subscriptions end after at most
 * five minutes; this resubscribes after the last continuation sequence number, so nothing is
 * read twice or skipped. At most `maxPrefetchedBatches` events are held ahead of the processor:
 * beyond that the event stream is not read, which holds the service back (HTTP/2 flow control).
 *
 * Bounded everywhere: opening a subscription has the worker's `requestTimeoutMs`, and a
 * subscription that delivers no event for `subscriptionIdleTimeoutMs` (the service sends empty
 * events while a shard is quiet) is abandoned and replaced. Errors — on opening or pushed down the
 * stream — go through core's classifier: throttled and transient ones (and ResourceInUseException,
 * the previous subscription not yet closed) resubscribe after a backoff, logged with the count of
 * failures in a row; fatal ones end the fetcher and `next()` rejects with them.
 */
export class FanOutFetcher implements RecordFetcher {
  readonly #queue: BatchQueue;
  readonly #abort = new AbortController();
  readonly #failures: ReadFailures;
  #continuation: string | undefined;
  #quietEvents = 0;

  constructor(private readonly settings: FanOutSettings) {
    this.#queue = new BatchQueue(settings.maxPrefetchedBatches);
    // The service allows one subscription per consumer and shard: ResourceInUseException means the previous one is still closing.
    this.#failures = new ReadFailures({ ...settings, operation: 'SubscribeToShard', retryableCodes: new Set(['ResourceInUseException']), minPauseMs: 0 });
    void this.#run();
  }

  next(): Promise<FetchedBatch | undefined> {
    return this.#queue.next();
  }

  stop(): void {
    this.#queue.close(true);
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    const s = this.settings;
    while (!this.#queue.closed) {
      try {
        const events = await this.#subscribe();
        if (this.#queue.closed) return;
        // The subscription ran its course (five minutes): subscribe again where it left off. One
        // that ended without a single event counts as a failure, so it cannot become a hot loop.
        if (events > 0) continue;
        throw Object.assign(new Error('the subscription ended without an event'), { name: 'EmptySubscription' });
      } catch (error) {
        if (this.#queue.closed) return;
        const pauseMs = this.#failures.next(error);
        if (pauseMs === undefined) {
          this.#queue.fail(error);
          return;
        }
        await sleep(pauseMs, { clock: s.clock, signal: this.#abort.signal }).catch(() => undefined);
      }
    }
  }

  /** One subscription, read until it ends, goes silent, fails or the shard ends. Returns how many events it delivered. */
  async #subscribe(): Promise<number> {
    const s = this.settings;
    const subscription = new AbortController();
    const stop = (): void => subscription.abort(this.#abort.signal.reason);
    this.#abort.signal.addEventListener('abort', stop, { once: true });
    let events = 0;
    try {
      const position = startingPosition(s.start, s.timestamp, this.#continuation);
      const command = new SubscribeToShardCommand({ ConsumerARN: s.consumerARN, ShardId: s.shardId, StartingPosition: position });
      const out = await withDeadline(
        'SubscribeToShard',
        s.api.settings.requestTimeoutMs,
        (deadline) => {
          deadline.addEventListener('abort', () => subscription.abort(deadline.reason), { once: true });
          return s.api.settings.client.send(command, { abortSignal: subscription.signal });
        },
        { clock: s.clock, signal: this.#abort.signal, context: { shardId: s.shardId } },
      );
      const stream = out.EventStream?.[Symbol.asyncIterator]();
      if (stream === undefined) return 0;
      for (;;) {
        const next = await withDeadline('SubscribeToShard event', s.subscriptionIdleTimeoutMs, () => stream.next(), {
          clock: s.clock,
          signal: this.#abort.signal,
          context: { shardId: s.shardId },
        });
        if (next.done === true || this.#queue.closed) return events;
        events++;
        if (await this.#onEvent(next.value)) return events;
        await this.#queue.waitForRoom();
      }
    } finally {
      this.#abort.signal.removeEventListener('abort', stop);
      // Whatever ended it (the end of the stream, silence, an error, stop): close the HTTP/2 stream.
      subscription.abort();
    }
  }

  /** Handles one event; returns whether the shard has ended. */
  async #onEvent(event: SubscribeToShardEventStream): Promise<boolean> {
    const shardEvent = event.SubscribeToShardEvent;
    if (shardEvent === undefined) {
      // Any other member of the union is an error the service pushed down the stream.
      const [name, detail] = Object.entries(event).find(([, value]) => value !== undefined) ?? ['UnknownEvent', undefined];
      if (detail instanceof Error) throw detail;
      throw Object.assign(new Error(`${name}: ${(detail as { message?: string } | undefined)?.message ?? ''}`), { name });
    }
    this.#failures.reset();
    const records = shardEvent.Records ?? [];
    this.#quietEvents = records.length === 0 && shardEvent.MillisBehindLatest === 0 ? this.#quietEvents + 1 : 0;
    if (this.#quietEvents >= QUIET_EVENTS_BEFORE_END_CHECK && shardEvent.ContinuationSequenceNumber) {
      this.#quietEvents = 0;
      if (await this.#confirmEnd(shardEvent.ContinuationSequenceNumber)) return true;
    }
    // The service marks a shard's end with child shards (and, on AWS, no continuation).
    const ended =
      (shardEvent.ChildShards?.length ?? 0) > 0 || shardEvent.ContinuationSequenceNumber === undefined || shardEvent.ContinuationSequenceNumber === null;
    if (!ended) this.#continuation = shardEvent.ContinuationSequenceNumber;
    if (records.length > 0 || ended) {
      this.#queue.push({ records, millisBehindLatest: shardEvent.MillisBehindLatest, shardEnded: ended, childShards: shardEvent.ChildShards });
    }
    if (ended) this.#queue.close();
    return ended;
  }

  /**
   * Some services (kinesis-mock) never end a subscription on a closed shard. When one has gone
   * quiet, ask ListShards whether the shard is still open; if not, one GetRecords after the
   * continuation confirms the end and brings the child shards. Returns whether the shard ended.
   */
  async #confirmEnd(continuation: string): Promise<boolean> {
    const s = this.settings;
    const signal = this.#abort.signal;
    const open = await s.api.listShards({ signal, openOnly: true });
    if (open.some((shard) => shard.ShardId === s.shardId)) return false;
    const { streamName, streamARN } = s.api.settings;
    const iterator = await s.api.send(
      new GetShardIteratorCommand({
        StreamName: streamARN === undefined ? streamName : undefined,
        StreamARN: streamARN,
        ShardId: s.shardId,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: continuation,
      }),
      { signal, shardId: s.shardId },
    );
    const out = await s.api.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, StreamARN: streamARN }), { signal, shardId: s.shardId });
    const ended = out.NextShardIterator === undefined || out.NextShardIterator === null;
    const records = out.Records ?? [];
    if (records.length > 0) this.#continuation = records[records.length - 1]!.SequenceNumber;
    if (records.length > 0 || ended) this.#queue.push({ records, millisBehindLatest: out.MillisBehindLatest, shardEnded: ended, childShards: out.ChildShards });
    if (ended) this.#queue.close();
    return ended;
  }
}
