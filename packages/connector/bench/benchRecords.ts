/**
 * The records the connector benchmark feeds: 100-byte JSON documents as the KCL hands them to a
 * record processor (de-aggregated user records with fresh, increasing positions on every call),
 * and the bookkeeping both contenders share.
 */
import type { Checkpointer, UserRecord } from '@kinesis-toolkit/kcl';

/** Bytes of each record's JSON data. */
export const RECORD_BYTES = 100;
/** User records per aggregate (the sub-sequence numbers run 0..this-1 under one sequence number). */
const RECORDS_PER_AGGREGATE = 50;
const POOL_SIZE = 997;

/** `{"id":…,"customer":"c-…","amount":…,"currency":"EUR","note":"xx…"}`, exactly {@link RECORD_BYTES} bytes. */
export function jsonRecordData(id: number): Buffer {
  const head = JSON.stringify({ id, customer: `c-${id % 1000}`, amount: (id % 10_000) / 100, currency: 'EUR', note: '' });
  const text = `${head.slice(0, -2)}${'x'.repeat(RECORD_BYTES - head.length)}"}`;
  if (Buffer.byteLength(text) !== RECORD_BYTES) throw new Error(`record data is ${Buffer.byteLength(text)} bytes, not ${RECORD_BYTES}`);
  return Buffer.from(text);
}

/**
 * Makes batches of user records for one contender: the data cycles through a fixed pool (parsed
 * fresh every time, as records from a stream are), the positions always grow, so a pipeline
 * never skips a batch as already seen. `base` keeps contenders' positions apart (same length).
 */
export class RecordBatches {
  readonly #pool: Buffer[];
  #next = 0;
  /** Records made so far. */
  made = 0;

  constructor(
    readonly batchSize: number,
    private readonly base: bigint,
  ) {
    this.#pool = Array.from({ length: POOL_SIZE }, (_, i) => jsonRecordData(i));
  }

  next(): UserRecord[] {
    const records = new Array<UserRecord>(this.batchSize);
    const arrival = new Date();
    for (let i = 0; i < this.batchSize; i++, this.#next++) {
      const n = this.#next;
      records[i] = {
        partitionKey: `pk-${n % 64}`,
        data: this.#pool[n % POOL_SIZE]!,
        sequenceNumber: (this.base + BigInt(Math.floor(n / RECORDS_PER_AGGREGATE))).toString(),
        subSequenceNumber: n % RECORDS_PER_AGGREGATE,
        aggregated: true,
        approximateArrivalTimestamp: arrival,
      };
    }
    this.made += this.batchSize;
    return records;
  }
}

/** A checkpointer that writes nothing and remembers what it was asked: the pipeline's own cost, not DynamoDB's. */
export class NoopCheckpointer {
  calls = 0;
  last: { sequenceNumber: string; subSequenceNumber: number } | undefined;

  async checkpoint(sequenceNumber?: unknown, subSequenceNumber = 0): Promise<void> {
    this.calls++;
    this.last = { sequenceNumber: String(sequenceNumber), subSequenceNumber };
  }

  get asCheckpointer(): Checkpointer {
    return this as unknown as Checkpointer;
  }
}
