import { EvaluationError } from '../errors/EvaluationError';
import type { Expression } from '../sql/ast';
import { BIGINT, DOUBLE, isIntegerType, isNumericType, isStringType, TIMESTAMP, type SqlType, type SqlValue } from '../types/SqlType';
import type { Compiled } from './Compiled';
import { commonType } from './compileCase';
import { compileArithmetic } from './arithmetic';
import type { Scope } from './Scope';

type Call = Extract<Expression, { kind: 'call' }>;

/** Every scalar function by name (special-syntax ones — FLOOR … TO, STEP, SUBSTRING, POSITION, TRIM, EXTRACT — are compiled elsewhere). */
export const SCALAR_FUNCTIONS = [
  'UPPER', 'LOWER', 'CHAR_LENGTH', 'CHARACTER_LENGTH', 'INITCAP', 'ABS', 'MOD', 'ROUND', 'FLOOR', 'CEIL', 'POWER', 'SQRT', 'LN', 'EXP', 'LOG10',
  'TSDIFF', 'TO_TIMESTAMP', 'UNIX_TIMESTAMP', 'CURRENT_ROW_TIMESTAMP', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'COALESCE', 'NULLIF',
] as const;

/** A scalar function call, its arguments already compiled. */
export function compileScalarCall(call: Call, args: readonly Compiled[], scope: Scope, wallClock: () => number): Compiled {
  const arity = (min: number, max = min) => {
    if (call.star || call.distinct) scope.fail(`${call.name}(${call.star ? '*' : 'DISTINCT …'}) is only for aggregates`, call);
    if (args.length < min || args.length > max) scope.fail(`${call.name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`, call);
  };
  const want = (index: number, test: (t: SqlType) => boolean, what: string) => {
    const type = args[index]!.type;
    if (type.name !== 'NULL' && !test(type)) scope.fail(`${call.name}() argument ${index + 1} must be ${what}, got ${type.name}`, call.args[index] ?? call);
  };
  const unary = (type: SqlType, f: (x: SqlValue & {}) => SqlValue): Compiled => {
    const a = args[0]!.evaluate;
    return { type, evaluate: (v, t) => { const x = a(v, t); return x === null ? null : f(x); } };
  };
  const binary = (type: SqlType, f: (x: SqlValue & {}, y: SqlValue & {}) => SqlValue): Compiled => {
    const a = args[0]!.evaluate;
    const b = args[1]!.evaluate;
    return { type, evaluate: (v, t) => { const x = a(v, t); if (x === null) return null; const y = b(v, t); return y === null ? null : f(x, y); } };
  };
  const text = (t: SqlType) => isStringType(t);
  const number = (t: SqlType) => isNumericType(t);
  const time = (t: SqlType) => t.name === 'TIMESTAMP' || isIntegerType(t);
  switch (call.name) {
    case 'UPPER':
    case 'LOWER':
      arity(1);
      want(0, text, 'a string');
      return unary(args[0]!.type, call.name === 'UPPER' ? (x) => (x as string).toUpperCase() : (x) => (x as string).toLowerCase());
    case 'INITCAP':
      arity(1);
      want(0, text, 'a string');
      return unary(args[0]!.type, (x) => (x as string).toLowerCase().replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()));
    case 'CHAR_LENGTH':
    case 'CHARACTER_LENGTH':
      arity(1);
      want(0, text, 'a string');
      return unary({ name: 'INTEGER' }, (x) => (x as string).length);
    case 'ABS':
      arity(1);
      want(0, number, 'a number');
      return unary(args[0]!.type, (x) => Math.abs(x as number));
    case 'MOD':
      arity(2);
      want(0, isIntegerType, 'an integer');
      want(1, isIntegerType, 'an integer');
      return compileArithmetic('%', args[0]!, args[1]!, (detail) => scope.fail(detail, call));
    case 'ROUND': {
      arity(1, 2);
      want(0, number, 'a number');
      if (args[1] !== undefined) want(1, isIntegerType, 'an integer');
      const type = args[0]!.type;
      const places = args[1]?.evaluate;
      const a = args[0]!.evaluate;
      return {
        type: type.name === 'DECIMAL' && places === undefined ? { ...type, scale: 0 } : type,
        evaluate: (v, t) => {
          const x = a(v, t);
          const n = places === undefined ? 0 : places(v, t);
          if (x === null || n === null) return null;
          const factor = 10 ** (n as number);
          // Half away from zero, as SQL rounds.
          return (Math.sign(x as number) * Math.round(Math.abs(x as number) * factor + 1e-9)) / factor || 0;
        },
      };
    }
    case 'FLOOR':
    case 'CEIL':
      arity(1);
      want(0, number, 'a number');
      return unary(args[0]!.type.name === 'DECIMAL' ? { ...args[0]!.type, scale: 0 } : args[0]!.type, call.name === 'FLOOR' ? (x) => Math.floor(x as number) : (x) => Math.ceil(x as number) || 0);
    case 'POWER':
      arity(2);
      want(0, number, 'a number');
      want(1, number, 'a number');
      return binary(DOUBLE, (x, y) => (x as number) ** (y as number));
    case 'SQRT':
    case 'LN':
    case 'EXP':
    case 'LOG10': {
      arity(1);
      want(0, number, 'a number');
      const f = { SQRT: Math.sqrt, LN: Math.log, EXP: Math.exp, LOG10: Math.log10 }[call.name];
      return unary(DOUBLE, (x) => {
        const result = f(x as number);
        if (Number.isNaN(result)) throw new EvaluationError('InvalidArgument', `${call.name}(${x as number}) is undefined`);
        return result;
      });
    }
    case 'TSDIFF':
      arity(2);
      want(0, time, 'a TIMESTAMP or BIGINT milliseconds');
      want(1, time, 'a TIMESTAMP or BIGINT milliseconds');
      return binary(BIGINT, (x, y) => (x as number) - (y as number));
    case 'TO_TIMESTAMP':
      arity(1);
      want(0, number, 'BIGINT milliseconds since 1970-01-01');
      return unary(TIMESTAMP, (x) => Math.trunc(x as number));
    case 'UNIX_TIMESTAMP':
      arity(1);
      want(0, (t) => t.name === 'TIMESTAMP', 'a TIMESTAMP');
      return unary(BIGINT, (x) => x as number);
    case 'CURRENT_ROW_TIMESTAMP':
    case 'CURRENT_TIMESTAMP':
    case 'LOCALTIMESTAMP':
      arity(0);
      return { type: TIMESTAMP, evaluate: () => Math.floor(wallClock()) };
    case 'COALESCE': {
      if (args.length === 0) scope.fail('COALESCE() needs at least one argument', call);
      const type = args.map((a) => a.type).reduce((a, b) => commonType(a, b, () => scope.fail(`COALESCE() arguments have incompatible types ${a.name} and ${b.name}`, call)));
      const fs = args.map((a) => a.evaluate);
      return { type, evaluate: (v, t) => { for (const f of fs) { const x = f(v, t); if (x !== null) return x; } return null; } };
    }
    case 'NULLIF': {
      arity(2);
      const a = args[0]!.evaluate;
      const b = args[1]!.evaluate;
      return { type: args[0]!.type, evaluate: (v, t) => { const x = a(v, t); const y = b(v, t); return x !== null && y !== null && x === y ? null : x; } };
    }
    default:
      return scope.fail(`unknown function ${call.name}() (user-defined functions are not supported)`, call, 'unsupported', `${call.name}()`);
  }
}
