import type { ApplicationPlan } from './plan/ApplicationPlan';
import type { Catalog } from './plan/Catalog';
import { planApplication, type PlanOptions } from './plan/planApplication';
import { parseApplicationSql } from './sql/parseApplicationSql';

/**
 * Parses and plans a KDA SQL application against its inputs (input streams and reference tables).
 * @throws SqlError with `line:column`, a caret excerpt and the construct for anything that does not parse, is unknown or is not supported.
 */
export function compileApplication(sql: string, catalog: Catalog, options: PlanOptions = {}): ApplicationPlan {
  return planApplication(parseApplicationSql(sql), catalog, options);
}
