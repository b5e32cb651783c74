import type { EmitBatch } from '../Emitter';
import { requireBoolean, requireOneOf, givenOptions, rejectUnknownOptions } from '@kinesis-toolkit/core';
import type { RejectedItem } from '../Emitter';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';

/** How the debugging emitters ({@link StdoutEmitter}, {@link FileEmitter}) write each item as a line. */
export interface LineFormatOptions {
  /** `'utf8'` writes the item's text; `'base64'` its bytes in base64 (for binary data). @defaultValue `'utf8'` */
  readonly encoding?: 'utf8' | 'base64';
  /** Starts each line with `shardId sequenceNumber/subSequenceNumber `. @defaultValue false */
  readonly includePosition?: boolean;
}

/** Every default of {@link LineFormatOptions}. */
export const LINE_FORMAT_DEFAULTS = Object.freeze({ encoding: 'utf8' as 'utf8' | 'base64', includePosition: false });

/** Validates {@link LineFormatOptions}. @throws InvalidArgumentError naming the bad option. */
export function resolveLineFormatOptions(options: LineFormatOptions, otherKeys: readonly string[] = []): Readonly<Required<LineFormatOptions>> {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', given, [...Object.keys(LINE_FORMAT_DEFAULTS), ...otherKeys]);
  const merged = { ...LINE_FORMAT_DEFAULTS, ...given };
  requireOneOf('encoding', merged.encoding, ['utf8', 'base64']);
  requireBoolean('includePosition', merged.includePosition);
  return Object.freeze({ encoding: merged.encoding, includePosition: merged.includePosition });
}

/** The batch's valid items as one string of lines, and the items that are neither bytes nor text (rejected). */
export function formatLines<V extends ByteItem>(batch: EmitBatch<V>, format: Readonly<Required<LineFormatOptions>>): { text: string; rejected: RejectedItem<V>[] } {
  const { valid, rejected } = partitionByteItems(batch.items);
  const text = valid
    .map((index) => {
      const data = itemBytes(batch.items[index], index).toString(format.encoding);
      const source = batch.sources[index]!;
      return format.includePosition ? `${batch.shardId} ${source.sequenceNumber}/${source.subSequenceNumber} ${data}\n` : `${data}\n`;
    })
    .join('');
  return { text, rejected };
}
