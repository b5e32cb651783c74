import type { Transformer } from '@kinesis-toolkit/connector';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import { toDemoRecord, type DemoRecord } from './DemoRecord';

/**
 * Parses a user record's data as a {@link DemoRecord}. Anything else (not JSON, fields missing)
 * throws, and the pipeline sends the record to its failure sink — nothing is dropped silently.
 */
export class DemoRecordTransformer implements Transformer<DemoRecord, DemoRecord> {
  toItem(record: UserRecord): DemoRecord {
    return toDemoRecord(JSON.parse(record.data.toString('utf8')));
  }

  toEmittable(item: DemoRecord): DemoRecord {
    return item;
  }
}
