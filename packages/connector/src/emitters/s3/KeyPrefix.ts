import { InvalidArgumentError } from '@kinesis-toolkit/core';

/** The values a {@link KeyPrefix} expression can be replaced with. */
export interface KeyPrefixValues {
  /** The instant `!{timestamp:…}` formats, in UTC. */
  readonly timestamp: Date;
  /** What `!{firehose:error-output-type}` becomes (error prefixes only). */
  readonly errorOutputType?: string;
}

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timestamp'; readonly fields: readonly DateField[] }
  | { readonly kind: 'errorOutputType' };

type DateField = { readonly literal: string } | { readonly pattern: keyof typeof FIELD_FORMATTERS };

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

// The Java DateTimeFormatter letters Firehose prefixes use most, all formatted in UTC.
const FIELD_FORMATTERS = {
  yyyy: (date: Date) => pad(date.getUTCFullYear(), 4),
  yy: (date: Date) => pad(date.getUTCFullYear() % 100, 2),
  MM: (date: Date) => pad(date.getUTCMonth() + 1, 2),
  dd: (date: Date) => pad(date.getUTCDate(), 2),
  HH: (date: Date) => pad(date.getUTCHours(), 2),
  mm: (date: Date) => pad(date.getUTCMinutes(), 2),
  ss: (date: Date) => pad(date.getUTCSeconds(), 2),
  SSS: (date: Date) => pad(date.getUTCMilliseconds(), 3),
} as const;

const EXPRESSION = /!\{([^}]*)\}/g;

/**
 * An S3 key prefix with Amazon Data Firehose's expressions: `!{timestamp:PATTERN}`, where
 * PATTERN uses the Java `DateTimeFormatter` letters `yyyy`, `yy`, `MM`, `dd`, `HH`, `mm`, `ss`,
 * `SSS` (always UTC), other characters as they are and `'quoted'` text literally (`''` is a
 * quote); and, when allowed (error prefixes), `!{firehose:error-output-type}`. The prefix is
 * parsed once, so a bad pattern is an `InvalidArgumentError` (a `TypeError`) when the emitter is built, not at the first emit.
 *
 * @example
 * ```ts
 * KeyPrefix.parse('prefix', 'logs/!{timestamp:yyyy/MM/dd/HH}/').expand({ timestamp: new Date(0) });
 * // 'logs/1970/01/01/00/'
 * ```
 */
export class KeyPrefix {
  readonly #parts: readonly Part[];
  /** The prefix as configured. */
  readonly source: string;

  private constructor(source: string, parts: readonly Part[]) {
    this.source = source;
    this.#parts = parts;
  }

  /**
   * Parses `prefix`; `optionName` is used in error messages.
   * @throws InvalidArgumentError for an unknown expression or pattern letter.
   */
  static parse(optionName: string, prefix: unknown, { allowErrorOutputType = false } = {}): KeyPrefix {
    if (typeof prefix !== 'string') throw new InvalidArgumentError(optionName, 'a string', prefix);
    const parts: Part[] = [];
    let last = 0;
    for (const match of prefix.matchAll(EXPRESSION)) {
      if (match.index > last) parts.push({ kind: 'text', text: prefix.slice(last, match.index) });
      parts.push(parseExpression(optionName, match[1]!, allowErrorOutputType));
      last = match.index + match[0].length;
    }
    const rest = prefix.slice(last);
    if (rest.includes('!{')) throw new InvalidArgumentError(optionName, 'a prefix whose every !{ expression is closed with }', prefix);
    if (rest.length > 0) parts.push({ kind: 'text', text: rest });
    return new KeyPrefix(prefix, parts);
  }

  /** Whether the prefix contains a `!{timestamp:…}` expression. */
  get hasTimestamp(): boolean {
    return this.#parts.some((part) => part.kind === 'timestamp');
  }

  /** The prefix with every expression replaced. */
  expand(values: KeyPrefixValues): string {
    if (!(values.timestamp instanceof Date) || Number.isNaN(values.timestamp.getTime())) throw new InvalidArgumentError('timestamp', 'a valid Date', values.timestamp);
    return this.#parts
      .map((part) => {
        if (part.kind === 'text') return part.text;
        if (part.kind === 'errorOutputType') return values.errorOutputType ?? 'processing-failed';
        return part.fields.map((field) => ('literal' in field ? field.literal : FIELD_FORMATTERS[field.pattern](values.timestamp))).join('');
      })
      .join('');
  }
}

/**
 * Parses a `!{timestamp:PATTERN}` pattern (Java `DateTimeFormatter` letters, UTC) into a formatter,
 * for other prefix grammars that share it (Firehose's).
 * @throws InvalidArgumentError naming `optionName` for an empty pattern, an unknown letter or an open quote.
 */
export function timestampFormatter(optionName: string, pattern: string): (date: Date) => string {
  const fields = parseDatePattern(optionName, pattern);
  return (date) => fields.map((field) => ('literal' in field ? field.literal : FIELD_FORMATTERS[field.pattern](date))).join('');
}

function parseExpression(optionName: string, body: string, allowErrorOutputType: boolean): Part {
  if (body === 'firehose:error-output-type') {
    if (allowErrorOutputType) return { kind: 'errorOutputType' };
    throw new InvalidArgumentError(optionName, '!{timestamp:PATTERN} expressions (!{firehose:error-output-type} is only allowed in an error prefix)', '!{firehose:error-output-type}');
  }
  if (!body.startsWith('timestamp:')) {
    throw new InvalidArgumentError(optionName, `!{timestamp:PATTERN}${allowErrorOutputType ? ' or !{firehose:error-output-type}' : ''}`, `!{${body}}`);
  }
  return { kind: 'timestamp', fields: parseDatePattern(optionName, body.slice('timestamp:'.length)) };
}

function parseDatePattern(optionName: string, pattern: string): DateField[] {
  if (pattern.length === 0) throw new InvalidArgumentError(optionName, 'a pattern in !{timestamp:…} such as yyyy/MM/dd/HH', '!{timestamp:}');
  const fields: DateField[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === "'") {
      // A quoted literal; two quotes in a row stand for one quote.
      let literal = '';
      index += 1;
      for (;;) {
        if (index >= pattern.length) throw new InvalidArgumentError(optionName, 'a timestamp pattern whose quotes are closed (unterminated quote)', pattern);
        if (pattern[index] === "'") {
          if (pattern[index + 1] === "'") {
            literal += "'";
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        literal += pattern[index];
        index += 1;
      }
      fields.push({ literal: literal.length === 0 ? "'" : literal });
    } else if (/[A-Za-z]/.test(char)) {
      let end = index;
      while (pattern[end] === char) end += 1;
      const run = pattern.slice(index, end);
      if (!(run in FIELD_FORMATTERS)) {
        throw new InvalidArgumentError(optionName, `timestamp pattern letters among ${Object.keys(FIELD_FORMATTERS).join(', ')} (quote literal letters: 'T'); unsupported letters in ${JSON.stringify(pattern)}`, run);
      }
      fields.push({ pattern: run as keyof typeof FIELD_FORMATTERS });
      index = end;
    } else {
      fields.push({ literal: char });
      index += 1;
    }
  }
  return fields;
}
