import type { Expression } from '../sql/ast';

const name = (identifier: { text: string; quoted: boolean }) => (identifier.quoted && identifier.text !== identifier.text.toUpperCase() ? `"${identifier.text}"` : identifier.text);

/** A compact SQL rendering of an expression, for `explain` and messages. */
export function formatExpression(e: Expression): string {
  switch (e.kind) {
    case 'literal':
      return e.type === 'CHAR' ? `'${String(e.value)}'` : e.type === 'NULL' ? 'NULL' : e.type === 'TIMESTAMP' || e.type === 'DATE' || e.type === 'TIME' ? `${e.type} '${String(e.value)}'` : String(e.value);
    case 'interval':
      return e.text;
    case 'column':
      return e.qualifier ? `${name(e.qualifier)}.${name(e.name)}` : name(e.name);
    case 'star':
      return e.qualifier ? `${name(e.qualifier)}.*` : '*';
    case 'unary':
      return e.operator === 'NOT' ? `NOT ${formatExpression(e.operand)}` : `${e.operator}${formatExpression(e.operand)}`;
    case 'binary':
      return `${formatExpression(e.left)} ${e.operator} ${formatExpression(e.right)}`;
    case 'isNull':
      return `${formatExpression(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'cast':
      return `CAST(${formatExpression(e.operand)} AS ${e.type.name})`;
    case 'call':
      return `${e.name}(${e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${e.args.map(formatExpression).join(', ')}`})${e.over ? (e.over.kind === 'named' ? ` OVER ${name(e.over.name)}` : ' OVER (…)') : ''}`;
    case 'floorTo':
      return `${e.function}(${formatExpression(e.operand)} TO ${e.unit})`;
    case 'step':
      return `STEP(${formatExpression(e.operand)} BY ${formatExpression(e.by)})`;
    default:
      return `${e.kind.toUpperCase()}(…)`;
  }
}
