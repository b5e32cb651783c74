import { DescribeStreamSummaryCommand, ListShardsCommand, PutRecordCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';

// What the resharding integration tests share: a producer that keeps writing while shards split
// and merge, and the stream's shards as ListShards gives them.

/**
 * Writes `${key}:${n}` records, one PutRecord at a time per key (so per key, every record is
 * acknowledged before the next is sent: sequence order = n order, across reshards too), all keys
 * concurrently, until stopped. `produced` holds the acknowledged n per key.
 */
export class KeyedProducer {
  readonly produced = new Map<string, number[]>();
  readonly errors: string[] = [];
  #stopped = false;
  #loops: Promise<void>[] = [];
  #wakes = new Set<() => void>();

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly keys: readonly string[],
    private readonly pauseMs = 40,
  ) {}

  get total(): number {
    let total = 0;
    for (const ns of this.produced.values()) total += ns.length;
    return total;
  }

  start(): void {
    this.#loops = this.keys.map((key) => this.#run(key));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#wakes) wake();
    await Promise.all(this.#loops);
  }

  async #run(key: string): Promise<void> {
    const acked: number[] = [];
    this.produced.set(key, acked);
    let n = 0;
    while (!this.#stopped) {
      try {
        await this.kinesis.send(new PutRecordCommand({ StreamName: this.streamName, PartitionKey: key, Data: Buffer.from(`${key}:${n}`) }));
        acked.push(n);
        n++;
      } catch (error) {
        // Not acknowledged: retried with the same n (a put that failed yet landed would show up
        // as a duplicate below, and this list says why).
        this.errors.push(`${key}:${n}: ${String(error)}`);
      }
      // Pacing between puts (not a wait for a condition); stop() cuts it short.
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#wakes.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, this.pauseMs);
        this.#wakes.add(wake);
      });
    }
  }
}

export async function listShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

export const isOpen = (shard: Shard): boolean => shard.SequenceNumberRange?.EndingSequenceNumber === undefined;

export async function activeWithOpenShards(kinesis: KinesisClient, streamName: string, open: number): Promise<boolean> {
  const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  if (summary?.StreamStatus !== 'ACTIVE') return false;
  return (await listShards(kinesis, streamName)).filter(isOpen).length === open;
}
