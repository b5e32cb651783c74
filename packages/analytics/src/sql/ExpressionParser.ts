import type { BinaryOperator, Expression, Identifier, WindowReference, WindowSpec } from './ast';
import { parseIntervalBody, parseType } from './parseLiterals';
import { parseSpecialCall } from './parseSpecialCall';
import type { TokenCursor } from './TokenCursor';

const COMPARISONS = ['=', '<>', '!=', '<', '<=', '>', '>='];
const NO_PARENS_FUNCTIONS = new Set(['CURRENT_ROW_TIMESTAMP', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME']);

/** Recursive-descent parser of KDA SQL expressions, by precedence: OR, AND, NOT, comparison, +/-/||, * / %, unary. */
export class ExpressionParser {
  constructor(private readonly cursor: TokenCursor) {}

  parse(): Expression {
    return this.#or();
  }

  #or(): Expression {
    let left = this.#and();
    while (this.cursor.isKeyword('OR')) {
      const position = this.cursor.advance().position;
      left = { kind: 'binary', operator: 'OR', left, right: this.#and(), position };
    }
    return left;
  }

  #and(): Expression {
    let left = this.#not();
    while (this.cursor.isKeyword('AND')) {
      const position = this.cursor.advance().position;
      left = { kind: 'binary', operator: 'AND', left, right: this.#not(), position };
    }
    return left;
  }

  #not(): Expression {
    if (this.cursor.isKeyword('NOT')) {
      const position = this.cursor.advance().position;
      return { kind: 'unary', operator: 'NOT', operand: this.#not(), position };
    }
    return this.#comparison();
  }

  #comparison(): Expression {
    const c = this.cursor;
    let left = this.parseAdditive();
    for (;;) {
      const position = c.current.position;
      if (c.isOperator(...COMPARISONS)) {
        const text = c.advance().text;
        const operator = (text === '!=' ? '<>' : text) as BinaryOperator;
        left = { kind: 'binary', operator, left, right: this.parseAdditive(), position };
        continue;
      }
      if (c.isKeyword('IS')) {
        c.advance();
        const negated = c.acceptKeyword('NOT');
        if (c.isKeyword('TRUE', 'FALSE', 'UNKNOWN')) c.unsupported(`IS ${c.current.text}`);
        c.expectKeyword('NULL', 'IS NULL');
        left = { kind: 'isNull', operand: left, negated, position };
        continue;
      }
      const negated = c.isKeyword('NOT') && (c.isKeywordAt(1, 'LIKE') || c.isKeywordAt(1, 'BETWEEN') || c.isKeywordAt(1, 'IN') || c.isKeywordAt(1, 'SIMILAR'));
      if (negated) c.advance();
      if (c.acceptKeyword('LIKE')) {
        const pattern = this.parseAdditive();
        const escape = c.acceptKeyword('ESCAPE') ? this.parseAdditive() : undefined;
        left = { kind: 'like', operand: left, pattern, negated, escape, position };
        continue;
      }
      if (c.isKeyword('SIMILAR')) c.unsupported('SIMILAR TO');
      if (c.acceptKeyword('BETWEEN')) {
        if (c.isKeyword('SYMMETRIC', 'ASYMMETRIC')) c.unsupported(`BETWEEN ${c.current.text}`);
        const low = this.parseAdditive();
        c.expectKeyword('AND', 'BETWEEN');
        left = { kind: 'between', operand: left, low, high: this.parseAdditive(), negated, position };
        continue;
      }
      if (c.acceptKeyword('IN')) {
        c.expectOperator('(', 'IN list');
        if (c.isKeyword('SELECT')) c.unsupported('a subquery in IN');
        const list = [this.parse()];
        while (c.acceptOperator(',')) list.push(this.parse());
        c.expectOperator(')', 'IN list');
        left = { kind: 'in', operand: left, list, negated, position };
        continue;
      }
      return left;
    }
  }

  /** `a + b`, `a - b`, `a || b` and tighter: what POSITION's needle and LIKE's pattern are. */
  parseAdditive(): Expression {
    let left = this.#multiplicative();
    while (this.cursor.isOperator('+', '-', '||')) {
      const token = this.cursor.advance();
      left = { kind: 'binary', operator: token.text as BinaryOperator, left, right: this.#multiplicative(), position: token.position };
    }
    return left;
  }

  #multiplicative(): Expression {
    let left = this.#unary();
    while (this.cursor.isOperator('*', '/', '%')) {
      const token = this.cursor.advance();
      left = { kind: 'binary', operator: token.text as BinaryOperator, left, right: this.#unary(), position: token.position };
    }
    return left;
  }

  #unary(): Expression {
    if (this.cursor.isOperator('-', '+')) {
      const token = this.cursor.advance();
      return { kind: 'unary', operator: token.text as '-' | '+', operand: this.#unary(), position: token.position };
    }
    return this.#primary();
  }

  #primary(): Expression {
    const c = this.cursor;
    const token = c.current;
    const position = token.position;
    switch (token.kind) {
      case 'number': {
        c.advance();
        const isInteger = /^\d+$/.test(token.text);
        if (isInteger) {
          const value = Number(token.text);
          return Number.isSafeInteger(value) ? { kind: 'literal', type: 'INTEGER', value, position } : { kind: 'literal', type: 'DOUBLE', value, position };
        }
        return { kind: 'literal', type: /[eE]/.test(token.text) ? 'DOUBLE' : 'DECIMAL', value: Number(token.text), position };
      }
      case 'string':
        c.advance();
        return { kind: 'literal', type: 'CHAR', value: token.text, position };
      case 'binary':
        c.advance();
        return { kind: 'literal', type: 'VARBINARY', value: Buffer.from(token.text, 'hex'), position };
      case 'operator':
        if (token.text === '(') {
          c.advance();
          if (c.isKeyword('SELECT')) c.unsupported('a subquery');
          const inner = this.parse();
          c.expectOperator(')', 'parenthesised expression');
          return inner;
        }
        return c.fail(`expected an expression, got ${c.describe(token)}`, 'expression');
      case 'end':
        return c.fail('expected an expression, got the end of the text', 'expression');
      default:
        return this.#word();
    }
  }

  /** Identifiers and keyword-led expressions: literals, CASE, CAST, special-syntax functions, columns, calls. */
  #word(): Expression {
    const c = this.cursor;
    const token = c.current;
    const position = token.position;
    if (token.kind === 'identifier') {
      switch (token.text) {
        case 'NULL':
          c.advance();
          return { kind: 'literal', type: 'NULL', value: null, position };
        case 'TRUE':
        case 'FALSE':
          c.advance();
          return { kind: 'literal', type: 'BOOLEAN', value: token.text === 'TRUE', position };
        case 'INTERVAL': {
          c.advance();
          return { kind: 'interval', ...parseIntervalBody(c), position };
        }
        case 'CASE':
          return this.#case();
        case 'CAST': {
          c.advance();
          c.expectOperator('(', 'CAST');
          const operand = this.parse();
          c.expectKeyword('AS', 'CAST');
          const type = parseType(c);
          c.expectOperator(')', 'CAST');
          return { kind: 'cast', operand, type, position };
        }
        case 'EXISTS':
          return c.unsupported('EXISTS');
        case 'SELECT':
          return c.unsupported('a subquery');
      }
      if ((token.text === 'TIMESTAMP' || token.text === 'DATE' || token.text === 'TIME') && c.peek().kind === 'string') {
        c.advance();
        const literal = c.advance();
        return { kind: 'literal', type: token.text, value: literal.text, position };
      }
      if (c.peek().kind === 'operator' && c.peek().text === '(') {
        const special = parseSpecialCall(c, token.text, this);
        if (special !== undefined) return special;
      }
      if (NO_PARENS_FUNCTIONS.has(token.text) && !(c.peek().kind === 'operator' && c.peek().text === '(')) {
        c.advance();
        return { kind: 'call', name: token.text, args: [], distinct: false, star: false, position };
      }
    }
    const name = c.expectIdentifier('expression', 'an expression');
    if (c.isOperator('(')) return this.#call(name);
    if (c.acceptOperator('.')) {
      if (c.acceptOperator('*')) return { kind: 'star', qualifier: name, position };
      const column = c.expectIdentifier('column reference', 'a column name');
      if (c.isOperator('.')) c.unsupported('a three-part name', c.current.position);
      return { kind: 'column', qualifier: name, name: column, position };
    }
    return { kind: 'column', name, position };
  }

  #case(): Expression {
    const c = this.cursor;
    const position = c.advance().position;
    const operand = c.isKeyword('WHEN') ? undefined : this.parse();
    const whens: { when: Expression; then: Expression }[] = [];
    while (c.acceptKeyword('WHEN')) {
      const when = this.parse();
      c.expectKeyword('THEN', 'CASE');
      whens.push({ when, then: this.parse() });
    }
    if (whens.length === 0) c.fail(`expected WHEN, got ${c.describe(c.current)}`, 'CASE');
    const otherwise = c.acceptKeyword('ELSE') ? this.parse() : undefined;
    c.expectKeyword('END', 'CASE');
    return { kind: 'case', operand, whens, otherwise, position };
  }

  #call(name: Identifier): Expression {
    const c = this.cursor;
    c.expectOperator('(', `${name.text}()`);
    const construct = `${name.text}()`;
    let distinct = false;
    let star = false;
    const args: Expression[] = [];
    if (c.acceptOperator('*')) star = true;
    else if (!c.isOperator(')')) {
      distinct = c.acceptKeyword('DISTINCT');
      c.acceptKeyword('ALL');
      args.push(this.parse());
      while (c.acceptOperator(',')) args.push(this.parse());
    }
    c.expectOperator(')', construct);
    const over = c.acceptKeyword('OVER') ? this.#over() : undefined;
    return { kind: 'call', name: name.text, args, distinct, star, over, position: name.position };
  }

  #over(): WindowReference {
    const c = this.cursor;
    const position = c.current.position;
    if (c.acceptOperator('(')) {
      const spec = this.parseWindowSpecBody(position);
      c.expectOperator(')', 'OVER (…)');
      return { kind: 'inline', spec, position };
    }
    return { kind: 'named', name: c.expectIdentifier('OVER', 'a window name or ( … )'), position };
  }

  /** Inside `( … )` of a window: `[PARTITION BY e, …] RANGE INTERVAL '…' unit PRECEDING | ROWS n PRECEDING`. */
  parseWindowSpecBody(position: WindowSpec['position']): WindowSpec {
    const c = this.cursor;
    const construct = 'window specification';
    const partitionBy: Expression[] = [];
    if (c.acceptKeyword('PARTITION')) {
      c.expectKeyword('BY', construct);
      partitionBy.push(this.parse());
      while (c.acceptOperator(',')) partitionBy.push(this.parse());
    }
    if (c.isKeyword('ORDER')) c.unsupported('ORDER BY in a window (windows are ordered by ROWTIME)');
    if (c.acceptKeyword('RANGE')) {
      if (c.isKeyword('BETWEEN', 'UNBOUNDED', 'CURRENT')) c.unsupported(`RANGE ${c.current.text}`);
      c.expectKeyword('INTERVAL', construct);
      const interval = parseIntervalBody(c);
      if (c.isKeyword('FOLLOWING')) c.unsupported('a FOLLOWING window');
      c.expectKeyword('PRECEDING', construct);
      return { partitionBy, frame: { kind: 'range', ms: interval.ms, text: interval.text }, position };
    }
    if (c.acceptKeyword('ROWS')) {
      if (c.isKeyword('BETWEEN', 'UNBOUNDED', 'CURRENT')) c.unsupported(`ROWS ${c.current.text}`);
      const preceding = c.expectInteger(construct);
      if (c.isKeyword('FOLLOWING')) c.unsupported('a FOLLOWING window');
      c.expectKeyword('PRECEDING', construct);
      return { partitionBy, frame: { kind: 'rows', preceding }, position };
    }
    return c.fail(`expected RANGE INTERVAL … PRECEDING or ROWS n PRECEDING, got ${c.describe(c.current)}`, construct);
  }
}
