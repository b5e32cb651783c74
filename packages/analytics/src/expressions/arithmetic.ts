import { EvaluationError } from '../errors/EvaluationError';
import { fitNumber } from '../types/cast';
import { INTERVAL, isDatetimeType, isIntegerType, isNumericType, numericResultType, type SqlType, type SqlValue } from '../types/SqlType';
import type { Compiled } from './Compiled';

/** Orders two non-null values of comparable types (numbers, strings, booleans, buffers). */
export function compareValues(a: Exclude<SqlValue, null>, b: Exclude<SqlValue, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

type Arithmetic = '+' | '-' | '*' | '/' | '%';

/**
 * `+ - * / %` on numbers (integer division truncates; dividing by zero is a DivisionByZero error
 * for every numeric type, as KDA), and TIMESTAMP ± INTERVAL, TIMESTAMP − TIMESTAMP (an INTERVAL),
 * INTERVAL ± INTERVAL, INTERVAL × number.
 */
export function compileArithmetic(operator: string, left: Compiled, right: Compiled, fail: (detail: string) => never): Compiled {
  const op = operator as Arithmetic;
  const l = left.evaluate;
  const r = right.evaluate;
  const lt = left.type;
  const rt = right.type;
  const numeric = (t: SqlType) => isNumericType(t) || t.name === 'NULL';
  if (numeric(lt) && numeric(rt)) {
    const type = numericResultType(lt, rt);
    const integer = isIntegerType(type);
    const decimal = type.name === 'DECIMAL';
    const apply = numericOperation(op, integer);
    return {
      type,
      evaluate: (v, t) => {
        const a = l(v, t);
        if (a === null) return null;
        const b = r(v, t);
        if (b === null) return null;
        const result = apply(a as number, b as number);
        return decimal ? fitNumber(result, { name: 'DECIMAL', length: 38, scale: Math.max(type.scale ?? 0, 10) }) : result;
      },
    };
  }
  const datetime = (t: SqlType) => isDatetimeType(t);
  const interval = (t: SqlType) => t.name === 'INTERVAL';
  const nullable = (f: (a: number, b: number) => number) => (v: readonly SqlValue[], t: number) => {
    const a = l(v, t);
    const b = r(v, t);
    return a === null || b === null ? null : f(a as number, b as number);
  };
  if (datetime(lt) && interval(rt) && (op === '+' || op === '-')) return { type: lt, evaluate: nullable(op === '+' ? (a, b) => a + b : (a, b) => a - b) };
  if (interval(lt) && datetime(rt) && op === '+') return { type: rt, evaluate: nullable((a, b) => a + b) };
  if (datetime(lt) && datetime(rt) && op === '-') return { type: INTERVAL, evaluate: nullable((a, b) => a - b) };
  if (interval(lt) && interval(rt) && (op === '+' || op === '-')) return { type: INTERVAL, evaluate: nullable(op === '+' ? (a, b) => a + b : (a, b) => a - b) };
  if (interval(lt) && isNumericType(rt) && (op === '*' || op === '/')) return { type: INTERVAL, evaluate: nullable(numericOperation(op, false)) };
  if (isNumericType(lt) && interval(rt) && op === '*') return { type: INTERVAL, evaluate: nullable((a, b) => a * b) };
  return fail(`cannot apply ${op} to ${lt.name} and ${rt.name}`);
}

function numericOperation(op: Arithmetic, integer: boolean): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => {
        if (b === 0) throw new EvaluationError('DivisionByZero', 'division by zero');
        return integer ? Math.trunc(a / b) || 0 : a / b;
      };
    case '%':
      return (a, b) => {
        if (b === 0) throw new EvaluationError('DivisionByZero', 'division by zero (MOD)');
        return a % b || 0;
      };
  }
}
