import type { Expression, Identifier } from '../sql/ast';
import { SqlError } from '../sql/SqlError';
import type { SqlType } from '../types/SqlType';

/** A stream or table visible in a query, its columns placed at `offset` in the evaluated row. */
export interface ScopeSource {
  /** What a qualifier must say: the alias, else the stream or table name. */
  readonly alias: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  readonly offset: number;
  /** Streams have ROWTIME; reference tables do not. */
  readonly isStream: boolean;
}

/** A resolved column: its slot in the row, or the row's ROWTIME. */
export type ResolvedColumn = { readonly kind: 'value'; readonly index: number; readonly type: SqlType; readonly name: string } | { readonly kind: 'rowtime'; readonly qualified: boolean };

const matches = (candidate: string, identifier: Identifier) =>
  candidate === identifier.text || (!identifier.quoted && candidate.toUpperCase() === identifier.text);

/**
 * Name resolution for one query. Quoted names match exactly; unquoted ones are upper-cased (as
 * KDA) and, when no column has that exact name, match a column whose name differs only in case
 * (so `ticker` finds a column discovered as "ticker").
 */
export class Scope {
  constructor(
    readonly sources: readonly ScopeSource[],
    private readonly sql: string,
  ) {}

  /** The total number of value slots. */
  get width(): number {
    const last = this.sources[this.sources.length - 1];
    return last === undefined ? 0 : last.offset + last.columns.length;
  }

  resolve(expression: Extract<Expression, { kind: 'column' }>): ResolvedColumn {
    const { qualifier, name } = expression;
    const candidates = qualifier === undefined ? this.sources : this.sources.filter((source) => this.#isQualifiedBy(source, qualifier));
    if (qualifier !== undefined && candidates.length === 0) this.fail(`unknown stream or alias ${qualifier.text}`, expression);
    if (name.text === 'ROWTIME' && !name.quoted) {
      if (candidates.some((source) => source.isStream)) return { kind: 'rowtime', qualified: qualifier !== undefined };
      this.fail(`reference table ${candidates[0]!.name} has no ROWTIME`, expression);
    }
    for (const exact of [true, false]) {
      const found = candidates.flatMap((source) =>
        source.columns.flatMap((column, i) => ((exact ? column.name === name.text : matches(column.name, name)) ? [{ source, column, index: source.offset + i }] : [])),
      );
      if (found.length > 1) this.fail(`column ${name.text} is ambiguous: qualify it (${found.map((f) => `${f.source.alias}.${f.column.name}`).join(', ')})`, expression);
      if (found.length === 1) return { kind: 'value', index: found[0]!.index, type: found[0]!.column.type, name: found[0]!.column.name };
      if (exact && name.quoted) break;
    }
    const known = candidates.flatMap((source) => source.columns.map((column) => column.name));
    return this.fail(`unknown column ${name.quoted ? `"${name.text}"` : name.text} (known: ${known.join(', ') || 'none'})`, expression);
  }

  /** The sources a `qualifier.*` or `qualifier.column` refers to. */
  sourceFor(qualifier: Identifier): ScopeSource | undefined {
    return this.sources.find((source) => this.#isQualifiedBy(source, qualifier));
  }

  #isQualifiedBy(source: ScopeSource, qualifier: Identifier): boolean {
    return matches(source.alias, qualifier) || matches(source.name, qualifier);
  }

  fail(detail: string, at: { position: Expression['position'] }, kind: 'semantic' | 'unsupported' = 'semantic', construct = 'expression'): never {
    throw new SqlError(kind, detail, construct, at.position, this.sql);
  }
}
