import { InvalidArgumentError } from '../errors/InvalidArgumentError';

/** A Kinesis sequence number: a decimal of up to 129 digits without leading zeros (the API's pattern `0|([1-9]\d{0,128})`). */
export const SEQUENCE_NUMBER_PATTERN = /^(0|[1-9]\d{0,128})$/;

/** The checkpoint sentinels before every record of a shard. */
export const STARTING_SENTINELS: ReadonlySet<string> = new Set(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']);

/** The checkpoint sentinel after every record of a closed shard. */
export const SHARD_END = 'SHARD_END';

/** A position in a shard: a sequence number (or a sentinel) and the sub-record inside an aggregate. */
export interface ExtendedSequenceNumber {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/** Whether `value` is a Kinesis sequence number (not a sentinel). */
export function isSequenceNumber(value: unknown): value is string {
  return typeof value === 'string' && SEQUENCE_NUMBER_PATTERN.test(value);
}

/** Checks a sequence number argument; throws {@link InvalidArgumentError} naming `name`. */
export function requireSequenceNumber(name: string, value: unknown): string {
  if (!isSequenceNumber(value)) throw new InvalidArgumentError(name, 'a Kinesis sequence number (decimal digits, no leading zeros)', value);
  return value;
}

/** Orders two sequence numbers numerically (-1, 0, 1) without BigInt: canonical decimals order by length, then text. */
export function compareSequenceNumbers(a: string, b: string): number {
  if (!SEQUENCE_NUMBER_PATTERN.test(a)) requireSequenceNumber('compareSequenceNumbers(a)', a);
  if (!SEQUENCE_NUMBER_PATTERN.test(b)) requireSequenceNumber('compareSequenceNumbers(b)', b);
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function rank(position: ExtendedSequenceNumber): number {
  if (STARTING_SENTINELS.has(position.sequenceNumber)) return 0;
  return position.sequenceNumber === SHARD_END ? 2 : 1;
}

/** Orders extended positions: starting sentinels < sequence numbers (then sub-sequence numbers) < `SHARD_END`. */
export function compareExtendedSequenceNumbers(a: ExtendedSequenceNumber, b: ExtendedSequenceNumber): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 1) return ra - rb;
  return compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber) || Math.sign(a.subSequenceNumber - b.subSequenceNumber);
}
