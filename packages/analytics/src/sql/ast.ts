import type { SourcePosition } from './SourcePosition';

/** A data type as written: `DECIMAL(8,2)`, `VARCHAR(16)`, `TIMESTAMP`. */
export interface TypeSpec {
  readonly name: SqlTypeName;
  /** CHAR/VARCHAR/VARBINARY length, DECIMAL precision. */
  readonly length?: number;
  /** DECIMAL scale. */
  readonly scale?: number;
}

export type SqlTypeName =
  | 'BOOLEAN'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'DECIMAL'
  | 'REAL'
  | 'DOUBLE'
  | 'CHAR'
  | 'VARCHAR'
  | 'VARBINARY'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP';

/** Units of `INTERVAL '…' unit`, `FLOOR(x TO unit)` and `CEIL(x TO unit)`. */
export type TimeUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'MONTH' | 'YEAR';

interface Node {
  readonly position: SourcePosition;
}

/** A name as written: `text` is the folded name (upper case unless quoted). */
export interface Identifier extends Node {
  readonly text: string;
  readonly quoted: boolean;
}

export type Expression =
  | (Node & { readonly kind: 'literal'; readonly type: 'NULL' | 'BOOLEAN' | 'INTEGER' | 'DECIMAL' | 'DOUBLE' | 'CHAR' | 'VARBINARY' | 'DATE' | 'TIME' | 'TIMESTAMP'; readonly value: unknown })
  | (Node & { readonly kind: 'interval'; readonly ms: number; readonly text: string; readonly unit: TimeUnit })
  | (Node & { readonly kind: 'column'; readonly qualifier?: Identifier; readonly name: Identifier })
  | (Node & { readonly kind: 'star'; readonly qualifier?: Identifier })
  | (Node & { readonly kind: 'unary'; readonly operator: '-' | '+' | 'NOT'; readonly operand: Expression })
  | (Node & { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expression; readonly right: Expression })
  | (Node & { readonly kind: 'isNull'; readonly operand: Expression; readonly negated: boolean })
  | (Node & { readonly kind: 'like'; readonly operand: Expression; readonly pattern: Expression; readonly negated: boolean; readonly escape?: Expression })
  | (Node & { readonly kind: 'between'; readonly operand: Expression; readonly low: Expression; readonly high: Expression; readonly negated: boolean })
  | (Node & { readonly kind: 'in'; readonly operand: Expression; readonly list: readonly Expression[]; readonly negated: boolean })
  | (Node & { readonly kind: 'case'; readonly operand?: Expression; readonly whens: readonly { when: Expression; then: Expression }[]; readonly otherwise?: Expression })
  | (Node & { readonly kind: 'cast'; readonly operand: Expression; readonly type: TypeSpec })
  | (Node & { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[]; readonly distinct: boolean; readonly star: boolean; readonly over?: WindowReference })
  | (Node & { readonly kind: 'floorTo'; readonly function: 'FLOOR' | 'CEIL'; readonly operand: Expression; readonly unit: TimeUnit })
  | (Node & { readonly kind: 'step'; readonly operand: Expression; readonly by: Expression })
  | (Node & { readonly kind: 'substring'; readonly operand: Expression; readonly from: Expression; readonly length?: Expression })
  | (Node & { readonly kind: 'position'; readonly needle: Expression; readonly haystack: Expression })
  | (Node & { readonly kind: 'trim'; readonly mode: 'BOTH' | 'LEADING' | 'TRAILING'; readonly characters?: Expression; readonly operand: Expression })
  | (Node & { readonly kind: 'extract'; readonly unit: TimeUnit; readonly operand: Expression });

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** `OVER name` or `OVER (PARTITION BY … RANGE|ROWS …)`. */
export type WindowReference = (Node & { readonly kind: 'named'; readonly name: Identifier }) | (Node & { readonly kind: 'inline'; readonly spec: WindowSpec });

/** A sliding window: partition expressions and a frame of time or rows. */
export interface WindowSpec extends Node {
  readonly partitionBy: readonly Expression[];
  readonly frame: { readonly kind: 'range'; readonly ms: number; readonly text: string } | { readonly kind: 'rows'; readonly preceding: number };
}

export interface SelectItem extends Node {
  readonly expression: Expression;
  readonly alias?: Identifier;
}

/** A stream or reference table in FROM / JOIN. */
export interface TableReference extends Node {
  readonly name: Identifier;
  readonly alias?: Identifier;
}

export interface JoinClause extends Node {
  readonly type: 'INNER' | 'LEFT';
  readonly table: TableReference;
  readonly on: Expression;
}

export interface SelectStatement extends Node {
  readonly items: readonly SelectItem[];
  readonly from: TableReference;
  readonly joins: readonly JoinClause[];
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly stagger?: { readonly position: SourcePosition; readonly partitionBy: readonly Expression[]; readonly ms: number; readonly text: string };
  readonly having?: Expression;
  readonly windows: ReadonlyMap<string, WindowSpec>;
}

export interface ColumnDefinition extends Node {
  readonly name: Identifier;
  readonly type: TypeSpec;
  readonly notNull: boolean;
}

export interface CreateStreamStatement extends Node {
  readonly kind: 'createStream';
  readonly name: Identifier;
  readonly columns: readonly ColumnDefinition[];
}

export interface CreatePumpStatement extends Node {
  readonly kind: 'createPump';
  readonly name: Identifier;
  readonly target: Identifier;
  readonly targetColumns?: readonly Identifier[];
  readonly select: SelectStatement;
}

export type Statement = CreateStreamStatement | CreatePumpStatement;

/** A parsed application: its statements in order, and the text they came from (for error excerpts). */
export interface ApplicationAst {
  readonly statements: readonly Statement[];
  readonly source: string;
}
