/** Where a token or construct starts in the SQL text (1-based line and column). */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}
