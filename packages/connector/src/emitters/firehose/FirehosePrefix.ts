import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { timestampFormatter } from '../s3/KeyPrefix';

/** Firehose's `!{firehose:error-output-type}` values. */
export type ErrorOutputType = 'processing-failed' | 'format-conversion-failed' | 'AmazonOpenSearchService-failed' | 'http-endpoint-failed' | 'splunk-failed';

/** What a {@link FirehosePrefix} expression is replaced with. */
export interface PrefixValues {
  /**
   * The approximate arrival time of the oldest record of the object, as a Date whose UTC fields
   * are the wall clock in the stream's time zone (`FirehoseTimeZone.wallClock`; the instant itself for UTC).
   */
  readonly timestamp: Date;
  /** `!{firehose:random-string}`: 11 characters (stable for one object, so a retried write overwrites it). */
  readonly randomString: string;
  /** `!{firehose:error-output-type}` (error prefixes only). */
  readonly errorOutputType?: ErrorOutputType;
  /** `!{partitionKeyFromQuery:NAME}` values. */
  readonly queryKeys?: Readonly<Record<string, string>>;
  /** `!{partitionKeyFromLambda:NAME}` values. */
  readonly lambdaKeys?: Readonly<Record<string, string>>;
}

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timestamp'; readonly format: (date: Date) => string }
  | { readonly kind: 'randomString' }
  | { readonly kind: 'errorOutputType' }
  | { readonly kind: 'query' | 'lambda'; readonly name: string };

/** Firehose's longest prefix, as configured (the API's limit is 1,024; the evaluated prefix 512). */
export const MAX_PREFIX_LENGTH = 1024;
/** The longest evaluated prefix: an object whose prefix evaluates longer goes to the error prefix. */
export const MAX_EVALUATED_PREFIX_LENGTH = 512;
/** What Firehose appends to a prefix without a `!{timestamp:…}` expression. */
export const DEFAULT_TIME_PREFIX = 'yyyy/MM/dd/HH/';

const EXPRESSION = /!\{([^}]*)\}/g;

/**
 * An S3 prefix with Amazon Data Firehose's expressions and rules:
 *
 * - `!{timestamp:PATTERN}` (Java `DateTimeFormatter` letters, in the stream's time zone), every use the same instant;
 * - `!{firehose:random-string}`; `!{firehose:error-output-type}` only in an error prefix;
 * - `!{partitionKeyFromQuery:NAME}` and `!{partitionKeyFromLambda:NAME}` only in the prefix of a
 *   stream with dynamic partitioning, never in the error prefix;
 * - a prefix without a `!{timestamp:…}` expression gets `yyyy/MM/dd/HH/` appended (Firehose's
 *   default), except with dynamic partitioning, where the partition keys lay out the objects;
 * - at most 1,024 characters as configured; an evaluated prefix longer than 512 characters is
 *   refused (the records go to the error prefix).
 */
export class FirehosePrefix {
  readonly #parts: readonly Part[];
  /** The prefix as configured. */
  readonly source: string;
  /** Names used in `!{partitionKeyFromQuery:…}` and `!{partitionKeyFromLambda:…}`. */
  readonly queryKeys: readonly string[];
  readonly lambdaKeys: readonly string[];

  private constructor(source: string, parts: readonly Part[]) {
    this.source = source;
    this.#parts = parts;
    this.queryKeys = parts.flatMap((p) => (p.kind === 'query' ? [p.name] : []));
    this.lambdaKeys = parts.flatMap((p) => (p.kind === 'lambda' ? [p.name] : []));
  }

  /**
   * Parses a prefix.
   * @param kind - `prefix` (the data prefix) or `errorPrefix`.
   * @param dynamicPartitioning - whether partition-key expressions are allowed (and the default time prefix is left out).
   * @throws InvalidArgumentError naming `name`: an unknown or misplaced expression, a bad timestamp pattern, too long.
   */
  static parse(name: string, prefix: unknown, kind: 'prefix' | 'errorPrefix', dynamicPartitioning = false): FirehosePrefix {
    if (typeof prefix !== 'string') throw new InvalidArgumentError(name, 'a string', prefix);
    if (prefix.length > MAX_PREFIX_LENGTH) throw new InvalidArgumentError(name, `at most ${MAX_PREFIX_LENGTH} characters`, `${prefix.length} characters`);
    const parts: Part[] = [];
    let last = 0;
    for (const match of prefix.matchAll(EXPRESSION)) {
      if (match.index > last) parts.push({ kind: 'text', text: prefix.slice(last, match.index) });
      parts.push(parseExpression(name, match[1]!, kind, dynamicPartitioning));
      last = match.index + match[0].length;
    }
    const rest = prefix.slice(last);
    if (rest.includes('!{')) throw new InvalidArgumentError(name, 'a prefix whose every !{ expression is closed with }', prefix);
    if (rest.length > 0) parts.push({ kind: 'text', text: rest });
    const hasTimestamp = parts.some((part) => part.kind === 'timestamp');
    if (!hasTimestamp && !(kind === 'prefix' && dynamicPartitioning)) parts.push({ kind: 'timestamp', format: timestampFormatter(name, DEFAULT_TIME_PREFIX) });
    if (kind === 'prefix' && dynamicPartitioning && !parts.some((part) => part.kind === 'query' || part.kind === 'lambda')) {
      throw new InvalidArgumentError(name, 'a prefix with at least one !{partitionKeyFromQuery:NAME} or !{partitionKeyFromLambda:NAME} when dynamic partitioning is enabled', prefix);
    }
    return new FirehosePrefix(prefix, parts);
  }

  /** Whether the prefix uses `!{firehose:error-output-type}`. */
  get hasErrorOutputType(): boolean {
    return this.#parts.some((part) => part.kind === 'errorOutputType');
  }

  /**
   * The prefix with every expression replaced.
   * @throws InvalidArgumentError when a partition key the prefix names has no value.
   */
  expand(values: PrefixValues): string {
    return this.#parts
      .map((part) => {
        switch (part.kind) {
          case 'text':
            return part.text;
          case 'timestamp':
            return part.format(values.timestamp);
          case 'randomString':
            return values.randomString;
          case 'errorOutputType':
            return values.errorOutputType ?? 'processing-failed';
          case 'query':
          case 'lambda': {
            const value = (part.kind === 'query' ? values.queryKeys : values.lambdaKeys)?.[part.name];
            if (value === undefined) throw new InvalidArgumentError(`partitionKeyFrom${part.kind === 'query' ? 'Query' : 'Lambda'}:${part.name}`, 'a value for the partition key', undefined);
            return value;
          }
        }
      })
      .join('');
  }
}

function parseExpression(name: string, body: string, kind: 'prefix' | 'errorPrefix', dynamicPartitioning: boolean): Part {
  const colon = body.indexOf(':');
  const namespace = colon < 0 ? body : body.slice(0, colon);
  const value = colon < 0 ? '' : body.slice(colon + 1);
  switch (namespace) {
    case 'timestamp':
      return { kind: 'timestamp', format: timestampFormatter(name, value) };
    case 'firehose':
      if (value === 'random-string') return { kind: 'randomString' };
      if (value === 'error-output-type') {
        if (kind === 'errorPrefix') return { kind: 'errorOutputType' };
        throw new InvalidArgumentError(name, 'no !{firehose:error-output-type} (it is allowed in the error prefix only)', `!{${body}}`);
      }
      throw new InvalidArgumentError(name, '!{firehose:random-string} or !{firehose:error-output-type}', `!{${body}}`);
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      if (kind === 'errorPrefix') throw new InvalidArgumentError(name, `no !{${namespace}:…} (partition keys cannot be used in the error prefix)`, `!{${body}}`);
      if (!dynamicPartitioning) throw new InvalidArgumentError(name, `no !{${namespace}:…} unless dynamic partitioning is enabled`, `!{${body}}`);
      if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new InvalidArgumentError(name, `a partition key name of letters, digits, _ and - in !{${namespace}:NAME}`, `!{${body}}`);
      return { kind: namespace === 'partitionKeyFromQuery' ? 'query' : 'lambda', name: value };
    default:
      throw new InvalidArgumentError(name, 'expressions in the namespaces timestamp, firehose, partitionKeyFromQuery, partitionKeyFromLambda', `!{${body}}`);
  }
}
