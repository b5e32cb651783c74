// Fakes for the pipeline's unit tests: scripted emitters, failure sinks and checkpointers, and
// user records with realistic (equal-length) sequence numbers.
import type { ManualClock } from '@kinesis-toolkit/core';
import type { Checkpointer, ProcessRecordsInput, UserRecord } from '@kinesis-toolkit/kcl';
import type { EmitBatch, EmitResult, Emitter } from '../src/emitters/Emitter';
import type { FailureRecord, FailureSink } from '../src/failures/FailureRecord';
import type { FirehoseTransformationEvent } from '../src/transformers/FirehoseTransformer';

/** A sequence number for `n`: same length for every n, so they order as numbers. */
export function seq(n: number): string {
  return (10n ** 30n + BigInt(n)).toString();
}

/** A user record at position n (sub-sequence `sub`), its data `data` (default `r<n>`). */
export function record(n: number, data: string | Buffer = `r${n}`, sub = 0, arrivalMs = 1_700_000_000_000 + n): UserRecord {
  return {
    partitionKey: `key-${n % 7}`,
    data: Buffer.isBuffer(data) ? data : Buffer.from(data),
    sequenceNumber: seq(n),
    subSequenceNumber: sub,
    aggregated: sub > 0,
    approximateArrivalTimestamp: new Date(arrivalMs),
  };
}

/** Records n = from … from+count-1. */
export function records(from: number, count: number): UserRecord[] {
  return Array.from({ length: count }, (_, i) => record(from + i));
}

/** A promise with its resolve/reject handles. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Records every batch. `throwTimes` next emits throw; `failItem` decides per item whether it
 * fails; `gate`, when set, makes `emit` wait for it.
 */
export class ScriptedEmitter<U> implements Emitter<U> {
  readonly batches: EmitBatch<U>[] = [];
  readonly written: U[] = [];
  readonly failCalls: { items: readonly U[]; error: Error }[] = [];
  shutdownCalls = 0;
  throwTimes = 0;
  failItem: ((item: U, batch: EmitBatch<U>) => boolean) | undefined;
  gate: Promise<void> | undefined;

  async emit(batch: EmitBatch<U>): Promise<EmitResult<U>> {
    this.batches.push({ ...batch, items: [...batch.items], sources: [...batch.sources] });
    if (this.gate) await this.gate;
    if (this.throwTimes > 0) {
      this.throwTimes--;
      throw new Error('sink unavailable');
    }
    const failed = batch.items.filter((item) => this.failItem?.(item, batch) ?? false);
    this.written.push(...batch.items.filter((item) => !failed.includes(item)));
    return { failed };
  }

  fail(items: readonly U[], error: Error): void {
    this.failCalls.push({ items, error });
  }

  shutdown(): void {
    this.shutdownCalls++;
  }
}

/** A failure sink that throws `throwTimes` times, optionally waits for `gate`, then keeps records. */
export class ScriptedFailureSink implements FailureSink {
  readonly records: FailureRecord[] = [];
  calls = 0;
  throwTimes = 0;
  gate: Promise<void> | undefined;

  async put(records: readonly FailureRecord[]): Promise<void> {
    this.calls++;
    if (this.gate) await this.gate;
    if (this.throwTimes > 0) {
      this.throwTimes--;
      throw new Error('dead-letter bucket unavailable');
    }
    this.records.push(...records);
  }
}

/** What a fake checkpointer was asked to write: `seq/sub` strings, or `SHARD_END`. */
export class FakeCheckpointer {
  readonly checkpoints: string[] = [];
  throwTimes = 0;

  async checkpoint(position?: string, subSequenceNumber = 0): Promise<void> {
    if (this.throwTimes > 0) {
      this.throwTimes--;
      throw new Error('lease table unavailable');
    }
    this.checkpoints.push(position === undefined ? 'SHARD_END' : `${position}/${subSequenceNumber}`);
  }

  /** As the KCL's type (the pipeline only calls `checkpoint`). */
  get asCheckpointer(): Checkpointer {
    return this as unknown as Checkpointer;
  }

  input(batch: readonly UserRecord[]): ProcessRecordsInput {
    return { records: batch, millisBehindLatest: 0, checkpointer: this.asCheckpointer };
  }
}

/** The checkpoint string for record n. */
export function at(n: number, sub = 0): string {
  return `${seq(n)}/${sub}`;
}

/** Runs `work` while advancing the clock until it settles (backoff waits run on the manual clock). */
export async function settle<R>(clock: ManualClock, work: Promise<R>): Promise<R> {
  let done = false;
  const tracked = work.finally(() => (done = true));
  tracked.catch(() => undefined);
  for (let i = 0; i < 100 && !done; i++) await clock.advance(1000);
  return tracked;
}

/** A Firehose transformation function: records whose data starts with `drop` are Dropped, with `fail` ProcessingFailed, the rest upper-cased (Ok). */
export function dropOrFailLambda(event: FirehoseTransformationEvent) {
  return {
    records: event.records.map(({ recordId, data }) => {
      const text = Buffer.from(data, 'base64').toString();
      if (text.startsWith('drop')) return { recordId, result: 'Dropped' as const };
      if (text.startsWith('fail')) return { recordId, result: 'ProcessingFailed' as const };
      return { recordId, result: 'Ok' as const, data: Buffer.from(text.toUpperCase()).toString('base64') };
    }),
  };
}
