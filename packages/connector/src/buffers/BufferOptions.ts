import { rejectUnknownOptions, requireInteger, givenOptions } from '@kinesis-toolkit/core';
import type { BufferThresholds } from './RecordBuffer';

/** The thresholds of {@link BufferThresholds}, resolved: every field set and checked. */
export type ResolvedBufferOptions = Readonly<Required<BufferThresholds>>;

/** Every buffer default in one place (the README's table is checked against it). */
export const BUFFER_DEFAULTS: ResolvedBufferOptions = Object.freeze({
  maxRecords: 1000,
  maxBytes: 5 * 1024 * 1024,
  maxAgeMs: 60000,
});

/**
 * Validates buffer thresholds once and fills in the defaults.
 * @throws InvalidArgumentError naming the threshold (`buffer.maxRecords`), what was expected and what came.
 */
export function resolveBufferOptions(options: BufferThresholds = {}): ResolvedBufferOptions {
  const given = givenOptions('buffer', options);
  rejectUnknownOptions('buffer', options, Object.keys(BUFFER_DEFAULTS));
  const resolved = { ...BUFFER_DEFAULTS, ...given };
  return Object.freeze({
    maxRecords: requireInteger('buffer.maxRecords', resolved.maxRecords, 1, 10_000_000),
    maxBytes: requireInteger('buffer.maxBytes', resolved.maxBytes, 1, 2 ** 40),
    // Timers cannot wait longer than 2^31 - 1 ms.
    maxAgeMs: requireInteger('buffer.maxAgeMs', resolved.maxAgeMs, 1, 2 ** 31 - 1),
  });
}
