import type { SourcePosition } from './SourcePosition';

/** Token kinds of the KDA SQL dialect. */
export type TokenKind = 'identifier' | 'quotedIdentifier' | 'string' | 'number' | 'binary' | 'operator' | 'end';

/**
 * One token. For an unquoted identifier `text` is upper-cased (KDA folds unquoted names to upper
 * case) and `raw` keeps what was written; a quoted identifier keeps its case.
 */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly raw: string;
  readonly position: SourcePosition;
}
