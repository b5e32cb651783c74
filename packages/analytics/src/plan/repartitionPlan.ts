import { createHash } from 'node:crypto';
import { AnalyticsError } from '../errors/AnalyticsError';
import { valueKey } from '../operators/Accumulator';
import type { SqlValue } from '../types/SqlType';
import type { ApplicationPlan } from './ApplicationPlan';
import type { PartitionKey } from './partitionKeys';

/** How the input stream's rows are spread over workers when an application runs repartitioned. */
export interface RepartitionPlan {
  /** The keys (as SQL) the rows are partitioned by; empty: every row to one partition. */
  readonly keys: readonly string[];
  /** A row's partition key (1–256 characters): rows of one group always get the same one. */
  keyOf(values: readonly SqlValue[], rowtime: number): string;
}

/**
 * The repartitioning of an application's input: by the keys every stateful pump reading the
 * input stream can be partitioned by (see {@link partitionKeysOf}), so that each group (window
 * partition) is computed whole by one worker.
 * @throws AnalyticsError (REPARTITION_UNSUPPORTED) when a stateful pump reads another stream:
 *   its groups would be split by an upstream pump's rows, which are not repartitioned.
 */
export function repartitionPlanOf(plan: ApplicationPlan, inputStream: string): RepartitionPlan {
  const stateful = plan.pumps.filter((pump) => pump.query.partitionBy !== undefined);
  const downstream = stateful.find((pump) => pump.from !== inputStream);
  if (downstream !== undefined) {
    throw new AnalyticsError(
      'REPARTITION_UNSUPPORTED',
      `pump ${downstream.name} keeps windows over ${downstream.from}, which is not the input stream: only windows over ${inputStream} can be repartitioned; run this application on one worker`,
      { context: { pump: downstream.name } },
    );
  }
  const lists = stateful.map((pump) => pump.query.partitionBy!);
  const common: PartitionKey[] = lists.length === 0 ? [] : lists[0]!.filter((key) => lists.every((list) => list.some((other) => other.description === key.description)));
  const evaluators = common.map((key) => key.value.evaluate);
  return {
    keys: common.map((key) => key.description),
    keyOf: (values, rowtime) => {
      if (evaluators.length === 0) return 'all';
      let text = '';
      for (const evaluate of evaluators) text += `${valueKey(evaluate(values, rowtime))}|`;
      return text.length <= 256 ? text : createHash('md5').update(text).digest('hex');
    },
  };
}
