/** What the three producer benchmarks share: the record shape, the stack they run on, small helpers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { PRODUCER_DEFAULTS, type KinesisProducer } from '@kinesis-toolkit/kpl';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';

export const MiB = 1024 * 1024;
/** A shard's write limit in bytes (data plus partition key) per second. */
export const SHARD_BYTES_PER_SECOND = MiB;
/** Every benchmark sends records of this much data… */
export const DATA_BYTES = 100;
/** …under random partition keys of this many characters, so records spread over every shard. */
export const KEY_LENGTH = 16;
/** How long a producer may take to settle everything once its feeder stops: past every record's TTL. */
export const CLOSE_TIMEOUT_MS = PRODUCER_DEFAULTS.recordTtlMs + 15_000;

/** The stack a benchmark runs against, and a client straight to kinesalite for set-up and read-back. */
export interface BenchContext {
  readonly stack: LocalStackProcess;
  readonly admin: KinesisClient;
}

// Shared with the other packages' benchmarks.
export { check, gc, percent, seconds } from '../../../scripts/bench-harness';

const SHARD_MAP_TIMEOUT_MS = 10_000;

/** Resolves once `producer` has its first shard map (ListShards answered). */
export async function shardMapOf(producer: KinesisProducer): Promise<void> {
  const startedAt = performance.now();
  while (producer.shardMap === undefined) {
    if (performance.now() - startedAt > SHARD_MAP_TIMEOUT_MS) throw new Error(`the producer has no shard map after ${SHARD_MAP_TIMEOUT_MS} ms`);
    await sleep(2);
  }
}

/** Closes `producer`; resolves with whether `close()` finished within `timeoutMs`. */
export async function closeWithin(producer: KinesisProducer, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timedOut = sleep(timeoutMs, false, { signal: controller.signal }).catch(() => false);
  try {
    return await Promise.race([producer.close().then(() => true), timedOut]);
  } finally {
    // The timer must not keep the process alive after the producer closed.
    controller.abort();
  }
}

/** Deletes a benchmark's stream so kinesalite does not keep its records in memory. */
export async function deleteStream(admin: KinesisClient, streamName: string): Promise<void> {
  await admin.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
}
