import { requireOneOf } from '@kinesis-toolkit/core';

/** The agent's `jsonFormat`: `COMPACT` (one line, the default) or `PRETTYPRINT` (indented). */
export type JsonFormat = 'COMPACT' | 'PRETTYPRINT';

/** Reads a processing option's `jsonFormat` (default `COMPACT`). */
export function resolveJsonFormat(name: string, value: unknown): JsonFormat {
  return value === undefined ? 'COMPACT' : requireOneOf(name, value, ['COMPACT', 'PRETTYPRINT'] as const);
}

/** Writes `value` as the agent's JSON printers do: compact, or indented by two spaces. */
export function printJson(value: unknown, format: JsonFormat): string {
  return format === 'PRETTYPRINT' ? JSON.stringify(value, null, 2) : JSON.stringify(value);
}
