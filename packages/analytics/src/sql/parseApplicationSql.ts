import { requireString } from '@kinesis-toolkit/core';
import type { ApplicationAst, ColumnDefinition, CreatePumpStatement, CreateStreamStatement, Identifier, JoinClause, SelectItem, SelectStatement, Statement, TableReference, WindowSpec } from './ast';
import { ExpressionParser } from './ExpressionParser';
import { parseIntervalBody, parseType } from './parseLiterals';
import { TokenCursor } from './TokenCursor';
import { tokenize } from './tokenize';

/**
 * Parses a KDA SQL application: `CREATE [OR REPLACE] STREAM` and `CREATE [OR REPLACE] PUMP … AS
 * INSERT INTO … SELECT STREAM …` statements separated by semicolons.
 * @throws SqlError with `line:column`, an excerpt and the construct's name.
 */
export function parseApplicationSql(source: string): ApplicationAst {
  requireString('sql', source, { minLength: 0, expected: 'the application SQL text (a string)' });
  const cursor = new TokenCursor(tokenize(source), source);
  const statements: Statement[] = [];
  while (!cursor.atEnd()) {
    if (cursor.acceptOperator(';')) continue;
    statements.push(parseStatement(cursor));
    if (!cursor.atEnd()) cursor.expectOperator(';', 'statement');
  }
  return { statements, source };
}

function parseStatement(cursor: TokenCursor): Statement {
  const position = cursor.current.position;
  if (cursor.isKeyword('SELECT')) cursor.unsupported('a top-level SELECT (write it as a pump: CREATE OR REPLACE PUMP … AS INSERT INTO … SELECT STREAM …)');
  if (!cursor.isKeyword('CREATE')) {
    if (cursor.isKeyword('INSERT', 'DROP', 'ALTER', 'SET', 'DELETE', 'UPDATE')) cursor.unsupported(`a top-level ${cursor.current.text} statement`);
    cursor.fail(`expected CREATE STREAM or CREATE PUMP, got ${cursor.describe(cursor.current)}`, 'statement');
  }
  cursor.advance();
  if (cursor.acceptKeyword('OR')) cursor.expectKeyword('REPLACE', 'CREATE OR REPLACE');
  if (cursor.acceptKeyword('STREAM')) return parseCreateStream(cursor, position);
  if (cursor.acceptKeyword('PUMP')) return parseCreatePump(cursor, position);
  if (cursor.isKeyword('FUNCTION', 'VIEW', 'TABLE', 'JAR', 'SCHEMA', 'FOREIGN', 'SERVER', 'TYPE')) cursor.unsupported(`CREATE ${cursor.current.text}`);
  return cursor.fail(`expected STREAM or PUMP after CREATE, got ${cursor.describe(cursor.current)}`, 'CREATE');
}

function parseCreateStream(cursor: TokenCursor, position: CreateStreamStatement['position']): CreateStreamStatement {
  const construct = 'CREATE STREAM';
  const name = cursor.expectIdentifier(construct, 'a stream name');
  cursor.expectOperator('(', construct);
  const columns: ColumnDefinition[] = [];
  do {
    const columnName = cursor.expectIdentifier(construct, 'a column name');
    const type = parseType(cursor);
    let notNull = false;
    if (cursor.acceptKeyword('NOT')) {
      cursor.expectKeyword('NULL', construct);
      notNull = true;
    } else cursor.acceptKeyword('NULL');
    if (columns.some((column) => column.name.text === columnName.text)) cursor.fail(`column ${columnName.text} is declared twice`, construct, columnName.position);
    columns.push({ name: columnName, type, notNull, position: columnName.position });
  } while (cursor.acceptOperator(','));
  cursor.expectOperator(')', construct);
  if (cursor.acceptKeyword('DESCRIPTION')) {
    if (cursor.current.kind !== 'string') cursor.fail('expected a quoted description', construct);
    cursor.advance();
  }
  return { kind: 'createStream', name, columns, position };
}

function parseCreatePump(cursor: TokenCursor, position: CreatePumpStatement['position']): CreatePumpStatement {
  const construct = 'CREATE PUMP';
  const name = cursor.expectIdentifier(construct, 'a pump name');
  if (cursor.isKeyword('STARTED', 'STOPPED')) cursor.advance();
  cursor.expectKeyword('AS', construct);
  cursor.expectKeyword('INSERT', construct);
  cursor.expectKeyword('INTO', construct);
  const target = cursor.expectIdentifier(construct, 'a stream name');
  let targetColumns: Identifier[] | undefined;
  if (cursor.acceptOperator('(')) {
    targetColumns = [cursor.expectIdentifier(construct, 'a column name')];
    while (cursor.acceptOperator(',')) targetColumns.push(cursor.expectIdentifier(construct, 'a column name'));
    cursor.expectOperator(')', construct);
  }
  const select = parseSelect(cursor);
  return { kind: 'createPump', name, target, targetColumns, select, position };
}

function parseSelect(cursor: TokenCursor): SelectStatement {
  const construct = 'SELECT';
  const position = cursor.expectKeyword('SELECT', construct).position;
  cursor.acceptKeyword('STREAM');
  if (cursor.isKeyword('DISTINCT')) cursor.unsupported('SELECT DISTINCT on a stream');
  cursor.acceptKeyword('ALL');
  const expressions = new ExpressionParser(cursor);
  const items: SelectItem[] = [];
  do {
    const itemPosition = cursor.current.position;
    if (cursor.acceptOperator('*')) {
      items.push({ expression: { kind: 'star', position: itemPosition }, position: itemPosition });
      continue;
    }
    const expression = expressions.parse();
    let alias: Identifier | undefined;
    if (cursor.acceptKeyword('AS')) alias = cursor.expectIdentifier(construct, 'an alias');
    else if (cursor.isIdentifier() && !cursor.isKeyword('FROM')) alias = cursor.expectIdentifier(construct, 'an alias');
    items.push({ expression, alias, position: itemPosition });
  } while (cursor.acceptOperator(','));

  cursor.expectKeyword('FROM', construct);
  const from = parseTableReference(cursor);
  const joins: JoinClause[] = [];
  for (;;) {
    const joinPosition = cursor.current.position;
    if (cursor.isKeyword('RIGHT', 'FULL', 'CROSS', 'NATURAL')) cursor.unsupported(`${cursor.current.text} JOIN`);
    if (cursor.isOperator(',')) cursor.unsupported('a comma join (use JOIN … ON …)');
    let type: JoinClause['type'];
    if (cursor.acceptKeyword('LEFT')) {
      cursor.acceptKeyword('OUTER');
      type = 'LEFT';
    } else if (cursor.acceptKeyword('INNER')) type = 'INNER';
    else if (cursor.isKeyword('JOIN')) type = 'INNER';
    else break;
    cursor.expectKeyword('JOIN', 'JOIN');
    const table = parseTableReference(cursor);
    if (cursor.isKeyword('USING')) cursor.unsupported('JOIN … USING');
    cursor.expectKeyword('ON', 'JOIN');
    joins.push({ type, table, on: expressions.parse(), position: joinPosition });
  }
  const where = cursor.acceptKeyword('WHERE') ? expressions.parse() : undefined;
  let groupBy: SelectStatement['groupBy'];
  let stagger: SelectStatement['stagger'];
  if (cursor.acceptKeyword('GROUP')) {
    cursor.expectKeyword('BY', 'GROUP BY');
    const keys = [expressions.parse()];
    while (cursor.acceptOperator(',')) keys.push(expressions.parse());
    groupBy = keys;
  } else if (cursor.isKeyword('WINDOWED')) {
    const staggerPosition = cursor.advance().position;
    cursor.expectKeyword('BY', 'WINDOWED BY');
    if (!cursor.acceptKeyword('STAGGER')) cursor.unsupported(`WINDOWED BY ${cursor.current.raw}`);
    cursor.expectOperator('(', 'WINDOWED BY STAGGER');
    cursor.expectKeyword('PARTITION', 'WINDOWED BY STAGGER');
    cursor.expectKeyword('BY', 'WINDOWED BY STAGGER');
    const partitionBy = [expressions.parse()];
    while (cursor.acceptOperator(',')) partitionBy.push(expressions.parse());
    cursor.expectKeyword('RANGE', 'WINDOWED BY STAGGER');
    cursor.expectKeyword('INTERVAL', 'WINDOWED BY STAGGER');
    const interval = parseIntervalBody(cursor);
    cursor.expectOperator(')', 'WINDOWED BY STAGGER');
    stagger = { position: staggerPosition, partitionBy, ms: interval.ms, text: interval.text };
  }
  const having = cursor.acceptKeyword('HAVING') ? expressions.parse() : undefined;
  const windows = new Map<string, WindowSpec>();
  if (cursor.acceptKeyword('WINDOW')) {
    do {
      const name = cursor.expectIdentifier('WINDOW', 'a window name');
      cursor.expectKeyword('AS', 'WINDOW');
      const specPosition = cursor.expectOperator('(', 'WINDOW').position;
      if (windows.has(name.text)) cursor.fail(`window ${name.text} is defined twice`, 'WINDOW', name.position);
      windows.set(name.text, expressions.parseWindowSpecBody(specPosition));
      cursor.expectOperator(')', 'WINDOW');
    } while (cursor.acceptOperator(','));
  }
  if (cursor.isKeyword('UNION', 'EXCEPT', 'INTERSECT')) cursor.unsupported(cursor.current.text);
  if (cursor.isKeyword('ORDER')) cursor.unsupported('ORDER BY on a stream');
  if (cursor.isKeyword('LIMIT', 'FETCH', 'OFFSET')) cursor.unsupported(`${cursor.current.text} on a stream`);
  return { items, from, joins, where, groupBy, stagger, having, windows, position };
}

function parseTableReference(cursor: TokenCursor): TableReference {
  const position = cursor.current.position;
  if (cursor.isOperator('(')) cursor.unsupported('a subquery in FROM');
  if (cursor.isKeyword('TABLE')) cursor.unsupported('TABLE(…) in FROM');
  const name = cursor.expectIdentifier('FROM', 'a stream or table name');
  if (cursor.isOperator('.')) cursor.unsupported('a schema-qualified name');
  if (cursor.isKeyword('OVER')) cursor.unsupported('a windowed stream in FROM (stream-to-stream JOIN)');
  let alias: Identifier | undefined;
  if (cursor.acceptKeyword('AS')) alias = cursor.expectIdentifier('FROM', 'an alias');
  else if (cursor.isIdentifier() && !cursor.isKeyword('ON', 'USING')) alias = cursor.expectIdentifier('FROM', 'an alias');
  return { name, alias, position };
}
