import { EventEmitter } from 'node:events';
import type { RecordPutter } from '../src/pipeline/RecordPipeline';

/** A put the test settles. */
export interface PendingPut {
  readonly partitionKey: string;
  readonly data: Buffer;
  acknowledge(): void;
  reject(error: unknown): void;
}

/**
 * A stand-in for `KinesisProducer` in unit tests: records every put; settles them at once
 * (`auto`) or when the test says. `flush()` resolves once every put made so far has settled.
 */
export class FakeProducer extends EventEmitter implements RecordPutter {
  readonly puts: PendingPut[] = [];
  /** Put errors by record text (auto mode rejects those and acknowledges the rest). */
  readonly failures = new Map<string, unknown>();
  hasCapacity = true;
  #unsettled = 0;
  #flushWaiters: (() => void)[] = [];

  constructor(readonly auto: boolean) {
    super();
  }

  /** The data of acknowledged puts, in acknowledgement order, without the terminator. */
  readonly acknowledged: string[] = [];

  put(record: { partitionKey: string; data: Buffer }): Promise<unknown> {
    this.#unsettled += 1;
    return new Promise((resolve, reject) => {
      const settle = () => {
        this.#unsettled -= 1;
        if (this.#unsettled === 0) for (const wake of this.#flushWaiters.splice(0)) wake();
      };
      const pending: PendingPut = {
        ...record,
        acknowledge: () => {
          this.acknowledged.push(record.data.toString().replace(/\n$/, ''));
          settle();
          resolve({ shardId: 'shardId-000000000000', sequenceNumber: '1', subSequenceNumber: 0 });
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      this.puts.push(pending);
      if (this.auto) {
        const failure = this.failures.get(record.data.toString().replace(/\n$/, ''));
        if (failure !== undefined) pending.reject(failure);
        else pending.acknowledge();
      }
    });
  }

  async flush(): Promise<void> {
    if (this.#unsettled > 0) await new Promise<void>((resolve) => this.#flushWaiters.push(resolve));
  }
}
