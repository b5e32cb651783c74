import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { readMarkdownTable } from '../../../../test/markdownTable';
import { resolveWorkerOptions, type WorkerOptions } from '../config/WorkerOptions';
import { BATCH_HANDLER_DEFAULTS, BATCH_HANDLER_OPTION_NAMES } from './BatchHandlerOptions';

const base = { streamName: 'stream', applicationName: 'app' };
const processorFactory = () => ({ processRecords: () => undefined, shardEnded: () => undefined });
const eachBatch = () => undefined;

function rejection(options: Record<string, unknown>): InvalidArgumentError {
  try {
    resolveWorkerOptions({ ...base, ...options } as WorkerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('accepted');
}

describe('the simple forms’ worker options', () => {
  it('run eachBatch, eachRecord or batches() through an adapter that is the worker’s processorFactory', () => {
    const viaEachBatch = resolveWorkerOptions({ ...base, eachBatch });
    expect(viaEachBatch.handlerAdapter?.options).toMatchObject({ handler: { kind: 'eachBatch', call: eachBatch }, autoCheckpoint: { everyMs: 0, everyRecords: 1 }, maxBatchAttempts: Infinity });
    expect(viaEachBatch.processorFactory).toBe(viaEachBatch.handlerAdapter!.processorFactory);
    expect(resolveWorkerOptions({ ...base }).handlerAdapter?.awaitingIterator).toBe(true);
    const given = resolveWorkerOptions({ ...base, processorFactory });
    expect({ adapter: given.handlerAdapter, factory: given.processorFactory }).toEqual({ adapter: undefined, factory: processorFactory });
    // The handler options are not part of the resolved worker options.
    for (const name of BATCH_HANDLER_OPTION_NAMES) expect(Object.keys(viaEachBatch)).not.toContain(name);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'two ways of consuming',
      { eachBatch, processorFactory },
      'eachBatch | processorFactory',
      'eachBatch | processorFactory: expected one of eachBatch, eachRecord or processorFactory (or none, to iterate worker.batches()), got "eachBatch and processorFactory"',
    ],
    ['eachBatch and eachRecord', { eachBatch, eachRecord: eachBatch }, 'eachBatch | eachRecord', expect.stringContaining('got "eachBatch and eachRecord"') as unknown as string],
    ['an eachBatch that is not a function', { eachBatch: 'save' }, 'eachBatch', 'eachBatch: expected a function, got "save"'],
    [
      'autoCheckpoint with a processorFactory',
      { processorFactory, autoCheckpoint: false },
      'autoCheckpoint',
      'autoCheckpoint: expected nothing with processorFactory (a record processor checkpoints and handles failures itself), got false',
    ],
    [
      'a finite maxBatchAttempts without onBatchFailed',
      { eachBatch, maxBatchAttempts: 3 },
      'onBatchFailed',
      'onBatchFailed: expected a function (maxBatchAttempts is 3: say what becomes of a batch that still fails, or leave maxBatchAttempts at Infinity), got undefined',
    ],
    [
      'onBatchFailed without maxBatchAttempts',
      { eachBatch, onBatchFailed: () => undefined },
      'maxBatchAttempts',
      'maxBatchAttempts: expected an integer >= 1 (onBatchFailed is called once a batch has failed that many times), got undefined',
    ],
    ['a zero maxBatchAttempts', { eachBatch, maxBatchAttempts: 0, onBatchFailed: () => undefined }, 'maxBatchAttempts', 'maxBatchAttempts: expected an integer >= 1 or Infinity, got 0'],
    ['an autoCheckpoint of the wrong kind', { eachBatch, autoCheckpoint: 'always' }, 'autoCheckpoint', 'autoCheckpoint: expected true, false or { everyMs?, everyRecords? }, got "always"'],
    ['an empty autoCheckpoint', { eachBatch, autoCheckpoint: {} }, 'autoCheckpoint', 'autoCheckpoint: expected true, false or { everyMs?, everyRecords? } with at least one of them, got an object'],
    ['a misspelt autoCheckpoint field', { eachBatch, autoCheckpoint: { everyMS: 100 } }, 'autoCheckpoint.everyMS', 'autoCheckpoint.everyMS: expected no such option — did you mean "everyMs"?, got 100'],
    ['a zero everyRecords', { eachBatch, autoCheckpoint: { everyRecords: 0 } }, 'autoCheckpoint.everyRecords', 'autoCheckpoint.everyRecords: expected an integer >= 1, got 0'],
  ])('rejects %s, naming the option', (_what, bad, argument, message) => {
    const error = rejection(bad);
    expect(error.argument).toBe(argument);
    expect(error.message).toEqual(message);
  });

  it('the README table of eachBatch / eachRecord options matches BATCH_HANDLER_DEFAULTS', () => {
    const rows = readMarkdownTable(join(__dirname, '../../README.md'), '`eachBatch` / `eachRecord` options');
    const documented = Object.fromEntries(rows.filter((row) => row.default !== '—').map((row) => [row.option, row.default]));
    expect(documented).toEqual(Object.fromEntries(Object.entries(BATCH_HANDLER_DEFAULTS).map(([key, value]) => [key, String(value)])));
    // Every option is in the table (those without a default marked —).
    expect(rows.map((row) => row.option).sort()).toEqual([...BATCH_HANDLER_OPTION_NAMES].sort());
    expect(readFileSync(join(__dirname, '../../README.md'), 'utf8')).toContain('## Advanced: the record processor');
  });
});
