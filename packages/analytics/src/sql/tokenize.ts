import { SqlError } from './SqlError';
import type { SourcePosition } from './SourcePosition';
import type { Token } from './Token';

const OPERATORS = ['<>', '!=', '<=', '>=', '||', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', ',', '.', ';'];

/**
 * Splits KDA SQL into tokens: identifiers (unquoted ones upper-cased), `"quoted"` identifiers,
 * `'strings'` (with `''` for a quote), numbers, `X'hex'` binary literals and operators. `--` and
 * `/* … *\/` comments are skipped.
 * @throws SqlError at the first character that starts no token, or an unterminated literal.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const at = (start: number): SourcePosition => ({ offset: start, line, column: start - lineStart + 1 });
  const fail = (detail: string, start: number): never => {
    throw new SqlError('syntax', detail, 'tokens', at(start), source);
  };
  const newlinesIn = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (source.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (offset < source.length) {
    const ch = source[offset]!;
    if (ch === '\n') {
      line++;
      offset++;
      lineStart = offset;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      offset++;
      continue;
    }
    if (ch === '-' && source[offset + 1] === '-') {
      while (offset < source.length && source[offset] !== '\n') offset++;
      continue;
    }
    // The docs' own examples use an en dash before a comment ("–- Create a stream"): accept it.
    if (ch === '\u2013' && (source[offset + 1] === '-' || source[offset + 1] === ' ')) {
      while (offset < source.length && source[offset] !== '\n') offset++;
      continue;
    }
    if (ch === '/' && source[offset + 1] === '*') {
      const end = source.indexOf('*/', offset + 2);
      if (end < 0) fail('unterminated /* comment', offset);
      newlinesIn(offset, end);
      offset = end + 2;
      continue;
    }
    const start = offset;
    const position = at(start);
    if ((ch === 'X' || ch === 'x') && source[offset + 1] === "'") {
      const { value, end } = quoted(source, offset + 1, "'", () => fail('unterminated binary literal', start));
      if (!/^([0-9a-fA-F]{2})*$/.test(value)) fail(`binary literal must be pairs of hex digits, got '${value}'`, start);
      tokens.push({ kind: 'binary', text: value.toLowerCase(), raw: source.slice(start, end), position });
      offset = end;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let end = offset + 1;
      while (end < source.length && /[A-Za-z0-9_$]/.test(source[end]!)) end++;
      const raw = source.slice(offset, end);
      tokens.push({ kind: 'identifier', text: raw.toUpperCase(), raw, position });
      offset = end;
      continue;
    }
    if (ch === '"') {
      const { value, end } = quoted(source, offset, '"', () => fail('unterminated quoted identifier', start));
      if (value === '') fail('empty quoted identifier', start);
      tokens.push({ kind: 'quotedIdentifier', text: value, raw: source.slice(start, end), position });
      newlinesIn(start, end);
      offset = end;
      continue;
    }
    if (ch === "'") {
      const { value, end } = quoted(source, offset, "'", () => fail('unterminated string literal', start));
      tokens.push({ kind: 'string', text: value, raw: source.slice(start, end), position });
      newlinesIn(start, end);
      offset = end;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[offset + 1] ?? ''))) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(offset, offset + 64))!;
      tokens.push({ kind: 'number', text: match[0], raw: match[0], position });
      offset += match[0].length;
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, offset));
    if (operator === undefined) fail(`unexpected character ${JSON.stringify(ch)}`, start);
    tokens.push({ kind: 'operator', text: operator!, raw: operator!, position });
    offset += operator!.length;
  }
  tokens.push({ kind: 'end', text: '', raw: '', position: at(offset) });
  return tokens;
}

/** A `quote`-delimited literal starting at `start`, with the quote doubled inside for itself. */
function quoted(source: string, start: number, quote: string, onUnterminated: () => never): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next < 0) onUnterminated();
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}
