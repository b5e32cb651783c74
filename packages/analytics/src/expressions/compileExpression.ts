import { EvaluationError } from '../errors/EvaluationError';
import type { Expression } from '../sql/ast';
import { castValue, toText } from '../types/cast';
import { parseTime, parseTimestamp, roundToUnit, extractField } from '../types/datetime';
import { BOOLEAN, INTERVAL, isDatetimeType, isIntegerType, isNumericType, isStringType, NULL_TYPE, TIMESTAMP, typeOf, VARCHAR, type SqlType, type SqlValue } from '../types/SqlType';
import type { Compiled } from './Compiled';
import { compareValues, compileArithmetic } from './arithmetic';
import { comparable, compileCase } from './compileCase';
import { likePattern } from './likePattern';
import { compileScalarCall } from './scalarFunctions';
import type { Scope } from './Scope';

/** How a query kind changes compilation: group keys and aggregates become slots; bare columns may be refused. */
export interface CompileHooks {
  /** A compiled replacement for this subtree (a group key, an aggregate's slot), or undefined. */
  substitute?(expression: Expression): Compiled | undefined;
  /** Called for a column that no substitute took; throw to refuse it (e.g. not in GROUP BY). */
  checkColumn?(expression: Extract<Expression, { kind: 'column' }>): void;
  /** The time CURRENT_ROW_TIMESTAMP reads (epoch ms). */
  readonly wallClock: () => number;
}

/** Compiles an expression against a scope into a typed closure. @throws SqlError for unknown names, type mismatches, misplaced aggregates. */
export function compileExpression(expression: Expression, scope: Scope, hooks: CompileHooks): Compiled {
  const compile = (e: Expression): Compiled => compileExpression(e, scope, hooks);
  const substituted = hooks.substitute?.(expression);
  if (substituted !== undefined) return substituted;
  switch (expression.kind) {
    case 'literal':
      return literal(expression, scope);
    case 'interval':
      return constant(INTERVAL, expression.ms);
    case 'column': {
      hooks.checkColumn?.(expression);
      const resolved = scope.resolve(expression);
      if (resolved.kind === 'rowtime') return { type: TIMESTAMP, evaluate: (_values, rowtime) => rowtime };
      const index = resolved.index;
      return { type: resolved.type, evaluate: (values) => values[index] ?? null };
    }
    case 'star':
      return scope.fail('* is only allowed as a whole select item or in COUNT(*)', expression);
    case 'unary': {
      const operand = compile(expression.operand);
      const f = operand.evaluate;
      if (expression.operator === 'NOT') {
        requireType(scope, operand, BOOLEAN, expression, 'NOT');
        return fold({ type: BOOLEAN, evaluate: (v, t) => negate(f(v, t)) }, operand);
      }
      if (!isNumericType(operand.type) && operand.type.name !== 'INTERVAL' && operand.type.name !== 'NULL') scope.fail(`unary ${expression.operator} needs a number, got ${operand.type.name}`, expression);
      if (expression.operator === '+') return operand;
      return fold({ type: operand.type, evaluate: (v, t) => { const x = f(v, t); return x === null ? null : -(x as number) || 0; } }, operand);
    }
    case 'binary':
      return compileBinary(expression, compile(expression.left), compile(expression.right), scope);
    case 'isNull': {
      const f = compile(expression.operand).evaluate;
      return expression.negated ? { type: BOOLEAN, evaluate: (v, t) => f(v, t) !== null } : { type: BOOLEAN, evaluate: (v, t) => f(v, t) === null };
    }
    case 'like': {
      const operand = compile(expression.operand);
      const pattern = compile(expression.pattern);
      const escape = expression.escape === undefined ? undefined : compile(expression.escape);
      for (const part of [operand, pattern, ...(escape ? [escape] : [])]) if (!isStringType(part.type) && part.type.name !== 'NULL') scope.fail(`LIKE needs strings, got ${part.type.name}`, expression);
      const cache = new Map<string, RegExp>();
      const negated = expression.negated;
      return {
        type: BOOLEAN,
        evaluate: (v, t) => {
          const text = operand.evaluate(v, t);
          const p = pattern.evaluate(v, t);
          const e = escape?.evaluate(v, t);
          if (text === null || p === null || e === null) return null;
          const key = `${p as string}\u0000${(e as string | undefined) ?? ''}`;
          let regex = cache.get(key);
          if (regex === undefined) cache.set(key, (regex = likePattern(p as string, e as string | undefined)));
          return regex.test(text as string) !== negated;
        },
      };
    }
    case 'between': {
      const operand = compile(expression.operand);
      const low = compileBinary({ ...expression, kind: 'binary', operator: '>=', left: expression.operand, right: expression.low }, operand, compile(expression.low), scope);
      const high = compileBinary({ ...expression, kind: 'binary', operator: '<=', left: expression.operand, right: expression.high }, operand, compile(expression.high), scope);
      const negated = expression.negated;
      return { type: BOOLEAN, evaluate: (v, t) => { const r = and(low.evaluate(v, t), high.evaluate(v, t)); return negated ? negate(r) : r; } };
    }
    case 'in': {
      const operand = compile(expression.operand);
      const tests = expression.list.map((item) => compileBinary({ ...expression, kind: 'binary', operator: '=', left: expression.operand, right: item }, operand, compile(item), scope).evaluate);
      const negated = expression.negated;
      return {
        type: BOOLEAN,
        evaluate: (v, t) => {
          let result: SqlValue = false;
          for (const test of tests) result = or(result, test(v, t));
          return negated ? negate(result) : result;
        },
      };
    }
    case 'case':
      return compileCase(expression, compile, scope);
    case 'cast': {
      const operand = compile(expression.operand);
      const to = typeOf(expression.type);
      const f = operand.evaluate;
      return fold({ type: to, evaluate: (v, t) => castValue(f(v, t), operand.type, to) }, operand);
    }
    case 'call':
      if (expression.over !== undefined) scope.fail(`${expression.name}(…) OVER … is only allowed in the select list`, expression);
      if (['COUNT', 'SUM', 'AVG', 'MIN', 'MAX'].includes(expression.name)) {
        scope.fail(`aggregate ${expression.name}() needs GROUP BY, WINDOWED BY STAGGER or OVER a window`, expression);
      }
      return compileScalarCall(expression, expression.args.map(compile), scope, hooks.wallClock);
    case 'floorTo': {
      const operand = compile(expression.operand);
      if (!isDatetimeType(operand.type) && operand.type.name !== 'NULL') scope.fail(`${expression.function}(… TO ${expression.unit}) needs a TIMESTAMP, got ${operand.type.name}`, expression);
      const { unit } = expression;
      const direction = expression.function;
      const f = operand.evaluate;
      return fold({ type: operand.type.name === 'NULL' ? TIMESTAMP : operand.type, evaluate: (v, t) => { const x = f(v, t); return x === null ? null : roundToUnit(x as number, unit, direction); } }, operand);
    }
    case 'step': {
      const operand = compile(expression.operand);
      const by = compile(expression.by);
      if (!by.constant) scope.fail('STEP(… BY …) needs a literal interval or integer', expression.by);
      const size = by.evaluate([], 0) as number;
      if (!(size > 0)) scope.fail('STEP(… BY …) needs a positive size', expression.by);
      if (isDatetimeType(operand.type) && by.type.name !== 'INTERVAL') scope.fail('STEP on a TIMESTAMP needs BY INTERVAL …', expression.by);
      if (isIntegerType(operand.type) && !isIntegerType(by.type)) scope.fail('STEP on an integer needs BY an integer', expression.by);
      if (!isDatetimeType(operand.type) && !isIntegerType(operand.type)) scope.fail(`STEP needs a TIMESTAMP or an integer, got ${operand.type.name}`, expression);
      const f = operand.evaluate;
      return fold({ type: operand.type, evaluate: (v, t) => { const x = f(v, t); return x === null ? null : Math.floor((x as number) / size) * size; } }, operand);
    }
    case 'substring': {
      const operand = compile(expression.operand);
      const from = compile(expression.from);
      const length = expression.length === undefined ? undefined : compile(expression.length);
      return {
        type: { name: 'VARCHAR', length: operand.type.length ?? VARCHAR.length },
        evaluate: (v, t) => {
          const text = operand.evaluate(v, t);
          const start = from.evaluate(v, t);
          const count = length?.evaluate(v, t);
          if (text === null || start === null || count === null) return null;
          const s = Math.trunc(start as number);
          if (count === undefined) return (text as string).slice(Math.max(0, s - 1));
          if ((count as number) < 0) throw new EvaluationError('InvalidArgument', `SUBSTRING length must not be negative, got ${count as number}`);
          const end = s + Math.trunc(count as number);
          return (text as string).slice(Math.max(0, s - 1), Math.max(0, end - 1));
        },
      };
    }
    case 'position': {
      const needle = compile(expression.needle).evaluate;
      const haystack = compile(expression.haystack).evaluate;
      return { type: { name: 'INTEGER' }, evaluate: (v, t) => { const n = needle(v, t); const h = haystack(v, t); return n === null || h === null ? null : (h as string).indexOf(n as string) + 1; } };
    }
    case 'trim': {
      const operand = compile(expression.operand);
      const characters = expression.characters === undefined ? undefined : compile(expression.characters).evaluate;
      const { mode } = expression;
      return {
        type: { name: 'VARCHAR', length: operand.type.length ?? VARCHAR.length },
        evaluate: (v, t) => {
          const text = operand.evaluate(v, t);
          const chars = characters === undefined ? ' ' : characters(v, t);
          if (text === null || chars === null) return null;
          let start = 0;
          let end = (text as string).length;
          const set = chars as string;
          if (mode !== 'TRAILING') while (start < end && set.includes((text as string)[start]!)) start++;
          if (mode !== 'LEADING') while (end > start && set.includes((text as string)[end - 1]!)) end--;
          return (text as string).slice(start, end);
        },
      };
    }
    case 'extract': {
      const operand = compile(expression.operand);
      const { unit } = expression;
      const f = operand.evaluate;
      if (operand.type.name === 'INTERVAL') scope.fail('EXTRACT from an INTERVAL', expression, 'unsupported', 'EXTRACT');
      return fold({ type: unit === 'SECOND' ? { name: 'DECIMAL', length: 5, scale: 3 } : { name: 'BIGINT' }, evaluate: (v, t) => { const x = f(v, t); return x === null ? null : extractField(x as number, unit); } }, operand);
    }
  }
}

function literal(expression: Extract<Expression, { kind: 'literal' }>, scope: Scope): Compiled {
  switch (expression.type) {
    case 'NULL':
      return constant(NULL_TYPE, null);
    case 'CHAR':
      return constant({ name: 'CHAR', length: (expression.value as string).length }, expression.value as string);
    case 'TIMESTAMP':
    case 'DATE': {
      const ms = parseTimestamp(expression.value as string);
      if (ms === undefined) scope.fail(`not a ${expression.type} literal: '${expression.value as string}'`, expression);
      return constant({ name: expression.type }, expression.type === 'DATE' ? Math.floor(ms! / 86_400_000) * 86_400_000 : ms!);
    }
    case 'TIME': {
      const ms = parseTime(expression.value as string);
      if (ms === undefined) scope.fail(`not a TIME literal: '${expression.value as string}'`, expression);
      return constant({ name: 'TIME' }, ms!);
    }
    case 'DECIMAL': {
      const text = String(expression.value);
      const scale = text.includes('.') ? text.split('.')[1]!.length : 0;
      return constant({ name: 'DECIMAL', length: 38, scale }, expression.value as number);
    }
    default:
      return constant({ name: expression.type }, expression.value as SqlValue);
  }
}

export const constant = (type: SqlType, value: SqlValue): Compiled => ({ type, evaluate: () => value, constant: true });

/** Precomputes an expression whose inputs are all constant. */
function fold(result: Compiled, ...inputs: Compiled[]): Compiled {
  if (!inputs.every((input) => input.constant)) return result;
  try {
    return constant(result.type, result.evaluate([], 0));
  } catch {
    return result; // an error in a constant (1/0) is raised per row, into error_stream, as KDA does
  }
}

function requireType(scope: Scope, compiled: Compiled, type: SqlType, at: Expression, what: string): void {
  if (compiled.type.name !== type.name && compiled.type.name !== 'NULL') scope.fail(`${what} needs ${type.name}, got ${compiled.type.name}`, at);
}

const negate = (x: SqlValue): SqlValue => (x === null ? null : !x);
const and = (a: SqlValue, b: SqlValue): SqlValue => (a === false || b === false ? false : a === null || b === null ? null : true);
const or = (a: SqlValue, b: SqlValue): SqlValue => (a === true || b === true ? true : a === null || b === null ? null : false);

function compileBinary(expression: Extract<Expression, { kind: 'binary' }>, left: Compiled, right: Compiled, scope: Scope): Compiled {
  const op = expression.operator;
  const l = left.evaluate;
  const r = right.evaluate;
  if (op === 'AND' || op === 'OR') {
    requireType(scope, left, BOOLEAN, expression, op);
    requireType(scope, right, BOOLEAN, expression, op);
    return op === 'AND'
      ? fold({ type: BOOLEAN, evaluate: (v, t) => { const a = l(v, t); return a === false ? false : and(a, r(v, t)); } }, left, right)
      : fold({ type: BOOLEAN, evaluate: (v, t) => { const a = l(v, t); return a === true ? true : or(a, r(v, t)); } }, left, right);
  }
  if (op === '||') {
    return fold({
      type: { name: 'VARCHAR', length: (left.type.length ?? 0) + (right.type.length ?? 0) || VARCHAR.length },
      evaluate: (v, t) => { const a = l(v, t); const b = r(v, t); return a === null || b === null ? null : toText(a, left.type) + toText(b, right.type); },
    }, left, right);
  }
  if (op === '=' || op === '<>' || op === '<' || op === '<=' || op === '>' || op === '>=') {
    const [lc, rc] = comparable(left, right, scope, expression);
    const compare = compareValues;
    const test: (c: number) => boolean = { '=': (c: number) => c === 0, '<>': (c: number) => c !== 0, '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[op];
    return fold({ type: BOOLEAN, evaluate: (v, t) => { const a = lc(v, t); const b = rc(v, t); return a === null || b === null ? null : test(compare(a, b)); } }, left, right);
  }
  return fold(compileArithmetic(op, left, right, (detail) => scope.fail(detail, expression)), left, right);
}
