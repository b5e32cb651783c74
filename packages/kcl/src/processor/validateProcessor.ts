import { InvalidArgumentError } from '@kinesis-toolkit/core';
import type { RecordProcessor } from './RecordProcessor';

/** Each callback, whether it is required, and what a wrong one is told. */
const CALLBACKS: ReadonlyArray<readonly [name: keyof RecordProcessor, required: boolean, expected: string]> = [
  ['processRecords', true, 'a function (it is handed every batch)'],
  ['shardEnded', true, 'a function that checkpoints SHARD_END (without it the children of a split or merge never start)'],
  ['initialize', false, 'a function or nothing'],
  ['leaseLost', false, 'a function or nothing'],
  ['shutdownRequested', false, 'a function or nothing'],
];

/**
 * Checks a record processor as the worker's `processorFactory` made it, before any callback runs:
 * an object with `processRecords` and `shardEnded` functions, and the optional callbacks functions
 * if present. A processor without `shardEnded` could never checkpoint SHARD_END, and the children
 * of a split or merge would wait for it forever: it is refused here, naming what is missing.
 * @throws InvalidArgumentError naming the callback (`processor.shardEnded`), with the shard in its context
 */
export function validateProcessor(processor: unknown, shardId: string): RecordProcessor {
  const context = { context: { shardId } };
  if (processor === null || typeof processor !== 'object') throw new InvalidArgumentError('processorFactory(shardId)', 'a RecordProcessor object', processor, context);
  for (const [name, required, expected] of CALLBACKS) {
    const callback = (processor as Record<string, unknown>)[name];
    if (typeof callback === 'function' || (!required && callback === undefined)) continue;
    throw new InvalidArgumentError(`processor.${name}`, expected, callback, context);
  }
  return processor as RecordProcessor;
}
