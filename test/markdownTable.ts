import { readFileSync } from 'node:fs';

/**
 * Reads the first markdown table after `heading` in a file and returns its rows as
 * { column → cell } maps, with inline-code backticks stripped. Used to keep README option
 * tables true to the code's DEFAULTS.
 */
export function readMarkdownTable(file: string, heading: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.replace(/^#+\s*/, '') === heading);
  if (start < 0) throw new Error(`${file}: no heading "${heading}"`);
  const tableLines: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) tableLines.push(line);
    else if (tableLines.length > 0) break;
  }
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1'));
  const [header, , ...rows] = tableLines;
  if (header === undefined) throw new Error(`${file}: no table under "${heading}"`);
  const columns = cells(header);
  return rows.map((row) => Object.fromEntries(cells(row).map((cell, i) => [columns[i], cell])));
}
