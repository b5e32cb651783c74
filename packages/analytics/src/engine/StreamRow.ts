import type { SqlValue } from '../types/SqlType';

/**
 * A row of an in-application stream: its ROWTIME (epoch ms), its column values in declaration
 * order, and a deterministic id — the same input always yields the same id, so a consumer can
 * drop the duplicates a failover replays (at-least-once output).
 */
export interface StreamRow {
  readonly rowtime: number;
  readonly values: readonly SqlValue[];
  readonly id: string;
}
