import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import type { FetchedBatch, FetcherSettings, RecordFetcher } from './PollingFetcher';
import { BatchQueue } from './BatchQueue';
import { startingPosition } from './startingPosition';

const MIN_RETRY_MS = 200;
/** Quiet events (no records, caught up) before checking whether the shard has closed. */
const QUIET_EVENTS_BEFORE_END_CHECK = 3;
const MAX_BACKOFF_MS = 10_000;

/**
 * Reads one shard through enhanced fan-out: a SubscribeToShard subscription pushes records as
 * they arrive (a dedicated 2 MiB/s per consumer per shard). Subscriptions end after at most
 * five minutes; this resubscribes after the last continuation sequence number, so nothing is
 * read twice or skipped. At most `maxPrefetchedBatches` events are held ahead of the processor:
 * beyond that the event stream is not read, which holds the service back (HTTP/2 flow control).
 */
export class FanOutFetcher implements RecordFetcher {
  readonly #queue: BatchQueue;
  #continuation: string | undefined;
  #failures = 0;
  #quietEvents = 0;
  #wake: (() => void) | undefined;
  #timer: unknown;
  readonly #abort = new AbortController();

  constructor(private readonly settings: FetcherSettings & { readonly consumerARN: string }) {
    this.#queue = new BatchQueue(settings.maxPrefetchedBatches);
    void this.#run();
  }

  next(): Promise<FetchedBatch | undefined> {
    return this.#queue.next();
  }

  stop(): void {
    this.#queue.close(true);
    this.#abort.abort();
    this.settings.clock.clearTimeout(this.#timer);
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const s = this.settings;
    while (!this.#queue.closed) {
      try {
        const position = startingPosition(s.start, s.timestamp, this.#continuation);
        const out = await s.client.send(
          new SubscribeToShardCommand({ ConsumerARN: s.consumerARN, ShardId: s.shardId, StartingPosition: position }),
          { abortSignal: this.#abort.signal },
        );
        for await (const event of out.EventStream ?? []) {
          if (this.#queue.closed) return;
          const shardEvent = event.SubscribeToShardEvent;
          if (shardEvent === undefined) {
            // Any other member of the union is an error the service pushed down the stream.
            const [name, detail] = Object.entries(event).find(([, value]) => value !== undefined) ?? ['UnknownEvent', undefined];
            throw Object.assign(new Error(`${name}: ${(detail as { message?: string })?.message ?? ''}`), { name });
          }
          this.#failures = 0;
          const records = shardEvent.Records ?? [];
          this.#quietEvents = records.length === 0 && shardEvent.MillisBehindLatest === 0 ? this.#quietEvents + 1 : 0;
          if (this.#quietEvents >= QUIET_EVENTS_BEFORE_END_CHECK && shardEvent.ContinuationSequenceNumber) {
            this.#quietEvents = 0;
            if (await this.#confirmEnd(shardEvent.ContinuationSequenceNumber)) return;
          }
          // The service marks a shard's end with child shards (and, on AWS, no continuation).
          const ended =
            (shardEvent.ChildShards?.length ?? 0) > 0 || shardEvent.ContinuationSequenceNumber === undefined || shardEvent.ContinuationSequenceNumber === null;
          if (!ended) this.#continuation = shardEvent.ContinuationSequenceNumber;
          if (records.length > 0 || ended) {
            this.#queue.push({ records, millisBehindLatest: shardEvent.MillisBehindLatest, shardEnded: ended, childShards: shardEvent.ChildShards });
          }
          if (ended) {
            this.#queue.close();
            return;
          }
          await this.#queue.waitForRoom();
        }
        // The subscription ran its course (five minutes): subscribe again where it left off.
      } catch (error) {
        if (this.#queue.closed) return;
        const name = (error as Error)?.name;
        this.#failures++;
        const ceiling = Math.min(MAX_BACKOFF_MS, MIN_RETRY_MS * 2 ** Math.min(this.#failures, 10));
        const pauseMs = Math.max(MIN_RETRY_MS, Math.floor(s.random() * ceiling));
        s.logger.warn({ shardId: s.shardId, error: name, message: (error as Error)?.message, pauseMs }, 'SubscribeToShard failed; resubscribing after a pause');
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = s.clock.setTimeout(resolve, pauseMs);
        });
        this.#wake = undefined;
      }
    }
  }

  /**
   * Some services (kinesis-mock) never end a subscription on a closed shard. When one has gone
   * quiet, ask ListShards whether the shard is still open; if not, one GetRecords after the
   * continuation confirms the end and brings the child shards. Returns whether the shard ended.
   */
  async #confirmEnd(continuation: string): Promise<boolean> {
    const s = this.settings;
    const open = await s.client.send(new ListShardsCommand({ StreamName: s.streamName, StreamARN: s.streamARN, ShardFilter: { Type: 'AT_LATEST' } }));
    if ((open.Shards ?? []).some((shard) => shard.ShardId === s.shardId)) return false;
    const { ShardIterator } = await s.client.send(
      new GetShardIteratorCommand({ StreamName: s.streamName, StreamARN: s.streamARN, ShardId: s.shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: continuation }),
    );
    const out = await s.client.send(new GetRecordsCommand({ ShardIterator, StreamARN: s.streamARN }));
    const ended = out.NextShardIterator === undefined || out.NextShardIterator === null;
    const records = out.Records ?? [];
    if (records.length > 0) this.#continuation = records[records.length - 1]!.SequenceNumber;
    if (records.length > 0 || ended) this.#queue.push({ records, millisBehindLatest: out.MillisBehindLatest, shardEnded: ended, childShards: out.ChildShards });
    if (ended) this.#queue.close();
    return ended;
  }
}
