/** One column of a {@link formatTable} table. */
export interface TableColumn {
  /** The header text (printed as given, usually upper case). */
  readonly header: string;
  /** Numbers read best right-aligned. @defaultValue 'left' */
  readonly align?: 'left' | 'right';
}

/** A cell: `undefined` and `null` print as an empty cell. */
export type TableCell = string | number | bigint | boolean | null | undefined;

/** Options of {@link formatTable}; every field is optional. */
export interface TableOptions {
  /** Spaces between two columns. @defaultValue 2 */
  readonly gap?: number;
  /** Print a line of dashes under the headers. @defaultValue true */
  readonly underline?: boolean;
  /** Prefix of every line (e.g. an indent). @defaultValue `''` */
  readonly indent?: string;
}

/**
 * Renders rows as an aligned plain-text table, one line per row, each ending in `\n`, with no
 * trailing spaces. Widths count Unicode code points; control characters in cells are escaped
 * (`\n` → `\\n`) so that one row stays one line whatever the data holds.
 *
 * @example
 * ```ts
 * formatTable([{ header: 'SHARD' }, { header: 'COUNTER', align: 'right' }], [['shardId-000000000000', 7]]);
 * // SHARD                 COUNTER
 * // --------------------  -------
 * // shardId-000000000000        7
 * ```
 * @throws TypeError when a row has more cells than there are columns.
 */
export function formatTable(columns: readonly (TableColumn | string)[], rows: readonly (readonly TableCell[])[], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 2);
  const indent = options.indent ?? '';
  const specs = columns.map((column) => (typeof column === 'string' ? { header: column, align: 'left' as const } : { align: 'left' as const, ...column }));
  const cells = rows.map((row, index) => {
    if (row.length > specs.length) {
      throw new TypeError(`formatTable: row ${index} has ${row.length} cells, expected at most ${specs.length} (one per column)`);
    }
    return specs.map((_, column) => cellText(row[column]));
  });
  const widths = specs.map((spec, column) => Math.max(width(spec.header), ...cells.map((row) => width(row[column] as string))));
  const line = (texts: readonly string[]) =>
    `${indent}${texts
      .map((text, column) => {
        const padding = ' '.repeat((widths[column] as number) - width(text));
        return specs[column]?.align === 'right' ? padding + text : text + padding;
      })
      .join(gap)}`.trimEnd() + '\n';
  const header = line(specs.map((spec) => spec.header));
  const underline = options.underline === false ? '' : line(widths.map((w) => '-'.repeat(w)));
  return header + underline + cells.map(line).join('');
}

function cellText(cell: TableCell): string {
  if (cell === undefined || cell === null) return '';
  // Control characters would break the one-row-one-line layout.
  // eslint-disable-next-line no-control-regex
  return String(cell).replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function width(text: string): number {
  return Array.from(text).length;
}
