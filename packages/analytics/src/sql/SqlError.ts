import { AnalyticsError } from '../errors/AnalyticsError';
import type { SourcePosition } from './SourcePosition';

/** What went wrong with the SQL text: it does not parse, or it names a construct not supported (yet). */
export type SqlErrorKind = 'syntax' | 'unsupported' | 'semantic';

/**
 * A problem in the application's SQL, at `line:column`. `message` is one line
 * (`line 3:14: …`); `excerpt` is the offending source line with a caret under the column;
 * `construct` names what was being parsed or is not supported (e.g. `CREATE FUNCTION`).
 */
export class SqlError extends AnalyticsError {
  readonly kind: SqlErrorKind;
  readonly line: number;
  readonly column: number;
  readonly construct: string;
  readonly excerpt: string;

  constructor(kind: SqlErrorKind, detail: string, construct: string, position: SourcePosition, source: string) {
    const code = kind === 'syntax' ? 'SQL_SYNTAX_ERROR' : kind === 'unsupported' ? 'SQL_UNSUPPORTED' : 'SQL_INVALID';
    super(code, `line ${position.line}:${position.column}: ${detail} (in ${construct})`, {
      context: { line: position.line, column: position.column, construct },
    });
    this.kind = kind;
    this.line = position.line;
    this.column = position.column;
    this.construct = construct;
    this.excerpt = excerptAt(source, position);
  }

  /** The message followed by the excerpt, for a terminal. */
  describe(): string {
    return `${this.message}\n${this.excerpt}`;
  }
}

/** The source line of `position` and a caret under its column. */
export function excerptAt(source: string, position: SourcePosition): string {
  const line = source.split(/\r?\n/)[position.line - 1] ?? '';
  const shown = line.replace(/\t/g, ' ');
  return `  ${shown}\n  ${' '.repeat(Math.max(0, position.column - 1))}^`;
}
