import type { UserRecord } from '@kinesis-toolkit/kcl';
import { decodeUtf8 } from './decodeUtf8';
import type { Transformer } from './Transformer';

/**
 * Each record's data as UTF-8 text, emitted unchanged. Data that is not valid UTF-8 throws a
 * `TransformError` (`InvalidUtf8`), so the record goes to the failure sink instead of being
 * written with replacement characters.
 */
export class StringTransformer implements Transformer<string, string> {
  toItem(record: UserRecord): string {
    return decodeUtf8(record);
  }

  toEmittable(item: string): string {
    return item;
  }
}
