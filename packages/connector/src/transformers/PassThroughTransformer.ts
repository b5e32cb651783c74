import type { UserRecord } from '@kinesis-toolkit/kcl';
import type { Transformer } from './Transformer';

/**
 * Each record's bytes, emitted unchanged. The item is a view into the fetched record (no copy),
 * held only until the batch is emitted.
 */
export class PassThroughTransformer implements Transformer<Buffer, Buffer> {
  toItem(record: UserRecord): Buffer {
    return record.data;
  }

  toEmittable(item: Buffer): Buffer {
    return item;
  }
}
