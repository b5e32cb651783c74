import { lambdaPartitionKeysOf } from '../../../transformers/lambdaPartitionKeys';
import type { JqQuery } from './JqQuery';

/** The partition keys of one record, or why it has none. */
export type PartitionOutcome =
  | { readonly queryKeys: Readonly<Record<string, string>>; readonly lambdaKeys: Readonly<Record<string, string>> }
  | { readonly errorCode: string; readonly errorMessage: string };

/**
 * Evaluates dynamic partitioning for a batch: `!{partitionKeyFromQuery:NAME}` from the jq
 * metadata-extraction query (its output must be an object whose named values are scalars), and
 * `!{partitionKeyFromLambda:NAME}` from the transformation function's `metadata.partitionKeys`.
 * A record that is not JSON, that the query fails on, or that lacks a key the prefix names, gets
 * an error (its record goes to the error prefix).
 */
export async function partitionKeysOf(
  items: readonly unknown[],
  bodies: readonly Buffer[],
  query: JqQuery | undefined,
  names: { readonly query: readonly string[]; readonly lambda: readonly string[] },
): Promise<PartitionOutcome[]> {
  const parsed: (unknown | typeof NOT_JSON)[] = query === undefined ? [] : bodies.map(parseJson);
  const jsonIndexes = parsed.flatMap((value, index) => (value === NOT_JSON ? [] : [index]));
  const outputs = query === undefined ? [] : await query.run(jsonIndexes.map((index) => parsed[index]));
  const byIndex = new Map(jsonIndexes.map((index, i) => [index, outputs[i]!]));
  return items.map((item, index): PartitionOutcome => {
    const queryKeys: Record<string, string> = {};
    if (query !== undefined) {
      const outcome = byIndex.get(index);
      if (outcome === undefined) return { errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: 'the record is not JSON: the metadata extraction query cannot run on it' };
      if ('error' in outcome) return { errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: `jq: ${outcome.error}` };
      const value = outcome.value;
      for (const name of names.query) {
        const key = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
          return { errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: `partition key ${JSON.stringify(name)}: the query gave ${JSON.stringify(key) ?? 'nothing'}, not a string, number or boolean` };
        }
        queryKeys[name] = String(key);
      }
    }
    const lambdaKeys = lambdaPartitionKeysOf(item) ?? {};
    for (const name of names.lambda) {
      if (typeof lambdaKeys[name] !== 'string') return { errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: `partition key ${JSON.stringify(name)}: the transformation function returned no metadata.partitionKeys.${name}` };
    }
    return { queryKeys, lambdaKeys };
  });
}

const NOT_JSON = Symbol('not JSON');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}
