import { formatOutputRow } from '../engine/formatOutputRow';
import type { AnalyticsOutput, OutputRow } from './AnalyticsOutput';

/** Calls a function with the rows (formatted as `analytics test` prints them, plus `id`). */
export class CallbackOutput implements AnalyticsOutput {
  constructor(private readonly callback: (rows: Record<string, unknown>[]) => void | Promise<void>) {}

  async write(rows: readonly OutputRow[]): Promise<void> {
    await this.callback(rows.map((row) => ({ ...formatOutputRow(row.stream, row.columns, row.row), id: row.row.id })));
  }
}
