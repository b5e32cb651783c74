import { EvaluationError } from '../errors/EvaluationError';
import type { TimeUnit } from '../sql/ast';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_ONLY = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/**
 * Parses a timestamp as KDA accepts it ('1992-02-14 18:35:44.0', ISO 8601 with T and an
 * optional zone; no zone means UTC) into epoch milliseconds, or undefined.
 */
export function parseTimestamp(text: string): number | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fraction ? Math.floor(Number(fraction) * 1000) : 0);
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** 'HH:MM[:SS[.fff]]' to milliseconds since midnight, or undefined. */
export function parseTime(text: string): number | undefined {
  const match = TIME_ONLY.exec(text.trim());
  if (!match) return undefined;
  const [, h, mi, s = '0', fraction = ''] = match;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + (fraction ? Math.floor(Number(fraction) * 1000) : 0);
}

/** ISO 8601 with milliseconds and Z: how timestamps leave the engine. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** Rounds epoch milliseconds down (FLOOR) or up (CEIL) to a whole unit, in UTC. */
export function roundToUnit(ms: number, unit: TimeUnit, direction: 'FLOOR' | 'CEIL'): number {
  const date = new Date(ms);
  let floored: number;
  switch (unit) {
    case 'SECOND':
      floored = Math.floor(ms / 1000) * 1000;
      break;
    case 'MINUTE':
      floored = Math.floor(ms / 60_000) * 60_000;
      break;
    case 'HOUR':
      floored = Math.floor(ms / 3_600_000) * 3_600_000;
      break;
    case 'DAY':
      floored = Math.floor(ms / 86_400_000) * 86_400_000;
      break;
    case 'MONTH':
      floored = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      break;
    case 'YEAR':
      floored = Date.UTC(date.getUTCFullYear(), 0, 1);
      break;
  }
  if (direction === 'FLOOR' || floored === ms) return floored;
  switch (unit) {
    case 'MONTH':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    case 'YEAR':
      return Date.UTC(date.getUTCFullYear() + 1, 0, 1);
    default:
      return floored + { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 }[unit];
  }
}

/** EXTRACT(unit FROM timestamp): the field, in UTC. SECOND includes the milliseconds as a fraction. */
export function extractField(ms: number, unit: TimeUnit): number {
  const date = new Date(ms);
  switch (unit) {
    case 'YEAR':
      return date.getUTCFullYear();
    case 'MONTH':
      return date.getUTCMonth() + 1;
    case 'DAY':
      return date.getUTCDate();
    case 'HOUR':
      return date.getUTCHours();
    case 'MINUTE':
      return date.getUTCMinutes();
    case 'SECOND':
      return date.getUTCSeconds() + date.getUTCMilliseconds() / 1000;
  }
}

/** Throws the error_stream error for a string that is no timestamp. */
export function requireTimestamp(text: string): number {
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new EvaluationError('CoercionError', `cannot convert '${text}' to TIMESTAMP`);
  return ms;
}
