import type { Expression } from '../sql/ast';
import { castValue } from '../types/cast';
import { DOUBLE, isDatetimeType, isNumericType, isStringType, numericResultType, type SqlType, type SqlValue } from '../types/SqlType';
import { compareValues } from './arithmetic';
import type { Compiled, Evaluate } from './Compiled';
import type { Scope } from './Scope';

/** Both sides of a comparison made comparable: a string literal against a datetime is read as one. */
export function comparable(left: Compiled, right: Compiled, scope: Scope, at: Expression): [Evaluate, Evaluate] {
  const kind = (type: SqlType) => (isNumericType(type) ? 'number' : isStringType(type) ? 'string' : isDatetimeType(type) ? 'datetime' : type.name);
  const lk = kind(left.type);
  const rk = kind(right.type);
  if (lk === rk || lk === 'NULL' || rk === 'NULL') return [left.evaluate, right.evaluate];
  if (lk === 'datetime' && rk === 'string') return [left.evaluate, (v, t) => castValue(right.evaluate(v, t), right.type, left.type)];
  if (lk === 'string' && rk === 'datetime') return [(v, t) => castValue(left.evaluate(v, t), left.type, right.type), right.evaluate];
  if (left.type.name === 'INTERVAL' && rk === 'number') return [left.evaluate, right.evaluate];
  return scope.fail(`cannot compare ${left.type.name} with ${right.type.name}`, at);
}

export function compileCase(expression: Extract<Expression, { kind: 'case' }>, compile: (e: Expression) => Compiled, scope: Scope): Compiled {
  const operand = expression.operand === undefined ? undefined : compile(expression.operand);
  const whens = expression.whens.map(({ when, then }) => ({ when: compile(when), then: compile(then) }));
  const otherwise = expression.otherwise === undefined ? undefined : compile(expression.otherwise);
  const results = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
  const type = results.map((r) => r.type).reduce((a, b) => commonType(a, b, () => scope.fail(`CASE branches have incompatible types ${a.name} and ${b.name}`, expression)));
  const conditions = whens.map(({ when }) => {
    if (operand === undefined) {
      if (when.type.name !== 'BOOLEAN' && when.type.name !== 'NULL') scope.fail(`CASE WHEN needs BOOLEAN, got ${when.type.name}`, expression);
      return when.evaluate;
    }
    const [lc, rc] = comparable(operand, when, scope, expression);
    return (v: readonly SqlValue[], t: number) => { const a = lc(v, t); const b = rc(v, t); return a !== null && b !== null && compareValues(a, b) === 0; };
  });
  const thens = whens.map((w) => w.then.evaluate);
  const fallback = otherwise?.evaluate;
  return {
    type,
    evaluate: (v, t) => {
      for (let i = 0; i < conditions.length; i++) if (conditions[i]!(v, t) === true) return thens[i]!(v, t);
      return fallback === undefined ? null : fallback(v, t);
    },
  };
}

/** The type two branches share: the wider number, the longer string, or the same type. */
export function commonType(a: SqlType, b: SqlType, onMismatch: () => never): SqlType {
  if (a.name === 'NULL') return b;
  if (b.name === 'NULL') return a;
  if (isNumericType(a) && isNumericType(b)) return a.name === b.name ? a : a.name === 'DOUBLE' || b.name === 'DOUBLE' || a.name === 'REAL' || b.name === 'REAL' ? DOUBLE : numericResultType(a, b);
  if (isStringType(a) && isStringType(b)) return { name: 'VARCHAR', length: Math.max(a.length ?? 0, b.length ?? 0) };
  if (a.name === b.name) return a;
  return onMismatch();
}
