import type { Expression } from './ast';
import { parseTimeUnit } from './parseLiterals';
import type { TokenCursor } from './TokenCursor';

/**
 * Functions with keywords inside their parentheses: FLOOR/CEIL … TO, STEP … BY, SUBSTRING … FROM,
 * POSITION … IN, TRIM, EXTRACT. The cursor is at the name, followed by `(`; undefined for any other name.
 */
export function parseSpecialCall(c: TokenCursor, name: string, expressions: { parse(): Expression; parseAdditive(): Expression }): Expression | undefined {
  const position = c.current.position;
  const construct = `${name}()`;
  switch (name) {
    case 'FLOOR':
    case 'CEIL':
    case 'CEILING': {
      c.advance();
      c.advance();
      const operand = expressions.parse();
      const fn = name === 'FLOOR' ? 'FLOOR' : 'CEIL';
      if (c.acceptKeyword('TO')) {
        const unit = parseTimeUnit(c, construct);
        c.expectOperator(')', construct);
        return { kind: 'floorTo', function: fn, operand, unit, position };
      }
      c.expectOperator(')', construct);
      return { kind: 'call', name: fn, args: [operand], distinct: false, star: false, position };
    }
    case 'STEP': {
      c.advance();
      c.advance();
      const operand = expressions.parse();
      c.expectKeyword('BY', construct);
      const by = expressions.parse();
      c.expectOperator(')', construct);
      return { kind: 'step', operand, by, position };
    }
    case 'SUBSTRING': {
      c.advance();
      c.advance();
      const operand = expressions.parse();
      const separated = c.acceptKeyword('FROM') || c.acceptOperator(',');
      if (!separated) c.fail(`expected FROM, got ${c.describe(c.current)}`, construct);
      const from = expressions.parse();
      const length = c.acceptKeyword('FOR') || c.acceptOperator(',') ? expressions.parse() : undefined;
      c.expectOperator(')', construct);
      return { kind: 'substring', operand, from, length, position };
    }
    case 'POSITION': {
      c.advance();
      c.advance();
      const needle = expressions.parseAdditive();
      c.expectKeyword('IN', construct);
      const haystack = expressions.parse();
      if (c.isKeyword('FROM')) c.unsupported('POSITION … FROM');
      c.expectOperator(')', construct);
      return { kind: 'position', needle, haystack, position };
    }
    case 'TRIM': {
      c.advance();
      c.advance();
      let mode: 'BOTH' | 'LEADING' | 'TRAILING' = 'BOTH';
      if (c.isKeyword('BOTH', 'LEADING', 'TRAILING')) mode = c.advance().text as typeof mode;
      let characters: Expression | undefined;
      let operand: Expression;
      if (c.acceptKeyword('FROM')) operand = expressions.parse();
      else {
        const first = expressions.parse();
        if (c.acceptKeyword('FROM')) {
          characters = first;
          operand = expressions.parse();
        } else operand = first;
      }
      c.expectOperator(')', construct);
      return { kind: 'trim', mode, characters, operand, position };
    }
    case 'EXTRACT': {
      c.advance();
      c.advance();
      const unit = parseTimeUnit(c, construct);
      c.expectKeyword('FROM', construct);
      const operand = expressions.parse();
      c.expectOperator(')', construct);
      return { kind: 'extract', unit, operand, position };
    }
    default:
      return undefined;
  }
}
