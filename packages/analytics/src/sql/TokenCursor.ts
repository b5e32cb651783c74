import type { Identifier } from './ast';
import { SqlError } from './SqlError';
import type { SourcePosition } from './SourcePosition';
import type { Token } from './Token';

/**
 * Words that cannot be unquoted names, because they start or separate clauses. Anything else
 * (STEP, FLOOR, TIMESTAMP, CHANGE, …) may name a column when it is not followed by what its
 * other meaning needs.
 */
const RESERVED = new Set([
  'SELECT', 'STREAM', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'WINDOW', 'WINDOWED', 'JOIN', 'LEFT', 'RIGHT', 'FULL', 'INNER',
  'OUTER', 'CROSS', 'ON', 'AS', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST', 'INSERT', 'INTO',
  'CREATE', 'OVER', 'PARTITION', 'LIKE', 'BETWEEN', 'IN', 'DISTINCT', 'TRUE', 'FALSE', 'UNION', 'ORDER', 'LIMIT', 'INTERVAL',
  'VALUES', 'WITH', 'EXISTS', 'ALL',
]);

/** Reading position over the token list, with the helpers every parser needs. */
export class TokenCursor {
  #index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly source: string,
  ) {}

  get current(): Token {
    return this.tokens[this.#index]!;
  }

  /** Whether every token has been read. */
  atEnd(): boolean {
    return this.current.kind === 'end';
  }

  peek(ahead = 1): Token {
    return this.tokens[Math.min(this.#index + ahead, this.tokens.length - 1)]!;
  }

  advance(): Token {
    const token = this.current;
    if (token.kind !== 'end') this.#index++;
    return token;
  }

  /** Whether the current token is the unquoted keyword (or one of them). */
  isKeyword(...words: string[]): boolean {
    return this.current.kind === 'identifier' && words.includes(this.current.text);
  }

  isKeywordAt(ahead: number, word: string): boolean {
    const token = this.peek(ahead);
    return token.kind === 'identifier' && token.text === word;
  }

  isOperator(...operators: string[]): boolean {
    return this.current.kind === 'operator' && operators.includes(this.current.text);
  }

  /** Consumes the keyword when it is next; says whether it did. */
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.advance();
    return true;
  }

  acceptOperator(operator: string): boolean {
    if (!this.isOperator(operator)) return false;
    this.advance();
    return true;
  }

  expectKeyword(word: string, construct: string): Token {
    if (!this.isKeyword(word)) this.fail(`expected ${word}, got ${this.describe(this.current)}`, construct);
    return this.advance();
  }

  expectOperator(operator: string, construct: string): Token {
    if (!this.isOperator(operator)) this.fail(`expected '${operator}', got ${this.describe(this.current)}`, construct);
    return this.advance();
  }

  /** Whether the current token can be a name (a quoted identifier, or an unquoted non-reserved word). */
  isIdentifier(): boolean {
    const token = this.current;
    return token.kind === 'quotedIdentifier' || (token.kind === 'identifier' && !RESERVED.has(token.text));
  }

  expectIdentifier(construct: string, what = 'a name'): Identifier {
    if (!this.isIdentifier()) this.fail(`expected ${what}, got ${this.describe(this.current)}`, construct);
    const token = this.advance();
    return { text: token.text, quoted: token.kind === 'quotedIdentifier', position: token.position };
  }

  /** A positive integer literal (lengths, ROWS n). */
  expectInteger(construct: string): number {
    const token = this.current;
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) this.fail(`expected an integer, got ${this.describe(token)}`, construct);
    this.advance();
    return Number(token.text);
  }

  fail(detail: string, construct: string, position: SourcePosition = this.current.position): never {
    throw new SqlError('syntax', detail, construct, position, this.source);
  }

  unsupported(what: string, position: SourcePosition = this.current.position): never {
    throw new SqlError('unsupported', `${what} is not supported`, what, position, this.source);
  }

  describe(token: Token): string {
    if (token.kind === 'end') return 'the end of the text';
    if (token.kind === 'string') return `'${token.text}'`;
    return JSON.stringify(token.raw);
  }
}
