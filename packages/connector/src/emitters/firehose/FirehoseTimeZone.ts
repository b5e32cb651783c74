import { InvalidArgumentError } from '@kinesis-toolkit/core';

// One formatter per zone for the whole process: building an Intl.DateTimeFormat is costly, using one is not.
const formatters = new Map<string, Intl.DateTimeFormat>();

// Firehose's CustomTimeZone pattern (`^$|[a-zA-Z/_]+`) and length limit.
const NAME = /^[A-Za-z_]+(\/[A-Za-z_]+)*$/;
const MAX_NAME_LENGTH = 50;

/**
 * Firehose's `CustomTimeZone`: the zone `!{timestamp:…}` expressions, the default
 * `yyyy/MM/dd/HH/` prefix and the object name's time are evaluated in (UTC by default). Names
 * are IANA identifiers as Firehose accepts them — letters, `/` and `_`, at most 50 characters, no
 * three-letter abbreviations (`EST`, `PST`; `UTC` is the default) — and must be known to ICU.
 */
export class FirehoseTimeZone {
  /** Firehose's default. */
  static readonly UTC = new FirehoseTimeZone('UTC', undefined);

  readonly #format: Intl.DateTimeFormat | undefined;

  private constructor(
    /** The zone's name as configured (`UTC` for the default). */
    readonly name: string,
    format: Intl.DateTimeFormat | undefined,
  ) {
    this.#format = format;
  }

  /**
   * Validates a `CustomTimeZone` (`''` and `UTC` are UTC).
   * @throws InvalidArgumentError naming `optionName`.
   */
  static parse(optionName: string, value: unknown): FirehoseTimeZone {
    if (value === undefined || value === '' || value === 'UTC') return FirehoseTimeZone.UTC;
    const expected = `an IANA time zone name Firehose supports, such as Asia/Tokyo (letters, / and _, at most ${MAX_NAME_LENGTH} characters, no three-letter abbreviations)`;
    if (typeof value !== 'string' || value.length > MAX_NAME_LENGTH || !NAME.test(value) || /^[A-Za-z]{3}$/.test(value)) throw new InvalidArgumentError(optionName, expected, value);
    let format = formatters.get(value);
    if (format === undefined) {
      try {
        format = new Intl.DateTimeFormat('en-US', { timeZone: value, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      } catch {
        throw new InvalidArgumentError(optionName, expected, value);
      }
      formatters.set(value, format);
    }
    return new FirehoseTimeZone(value, format);
  }

  /**
   * The wall-clock time of `instant` in this zone, as a Date whose UTC fields are that wall clock
   * (what the UTC-field formatters of prefixes and object names then print).
   */
  wallClock(instant: Date): Date {
    const format = this.#format;
    if (format === undefined) return instant;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of format.formatToParts(instant)) {
      const value = Number(part.value);
      if (part.type === 'year') year = value;
      else if (part.type === 'month') month = value;
      else if (part.type === 'day') day = value;
      else if (part.type === 'hour') hour = value;
      else if (part.type === 'minute') minute = value;
      else if (part.type === 'second') second = value;
    }
    const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, instant.getUTCMilliseconds()));
    wall.setUTCFullYear(year);
    return wall;
  }
}
