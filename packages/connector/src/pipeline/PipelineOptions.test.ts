import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import { ManualClock } from '@kinesis-toolkit/testing';
import { MemoryBuffer } from '../buffers/MemoryBuffer';
import { StringTransformer } from '../transformers/StringTransformer';
import { ScriptedEmitter, record } from '../../test/pipelineFakes';
import { PIPELINE_DEFAULTS, resolvePipelineOptions } from './PipelineOptions';

const required = () => ({ transformer: new StringTransformer(), emitter: new ScriptedEmitter<string>() });

describe('resolvePipelineOptions', () => {
  it('fills in every default', () => {
    const resolved = resolvePipelineOptions(required());
    expect(resolved.retry).toEqual({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10000 });
    expect(resolved).toMatchObject({ streamName: '', logger: NOOP_LOGGER, clock: SYSTEM_CLOCK, random: Math.random, wallClock: Date.now, filter: undefined, failureSink: undefined });
    expect(resolved.itemBytes('x', record(1, 'abcd'))).toBe(4);
    const buffer = resolved.buffer({ shardId: 's', clock: new ManualClock() });
    expect(buffer).toBeInstanceOf(MemoryBuffer);
    expect(buffer.maxRecords).toBe(1000);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(PIPELINE_DEFAULTS.retry)).toBe(true);
  });

  it('merges partial retry options and takes buffer thresholds or a factory', () => {
    const resolved = resolvePipelineOptions({ ...required(), retry: { maxAttempts: 5 }, buffer: { maxRecords: 7 } });
    expect(resolved.retry).toEqual({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10000 });
    expect(resolved.buffer({ shardId: 's', clock: new ManualClock() }).maxRecords).toBe(7);
    const own = new MemoryBuffer<string>({ maxRecords: 2 }, new ManualClock());
    expect(resolvePipelineOptions({ ...required(), buffer: () => own }).buffer({ shardId: 's', clock: new ManualClock() })).toBe(own);
  });

  it.each([
    [{ transformer: undefined }, /transformer: expected a transformer \(with toItem, toEmittable\), got undefined/],
    [{ emitter: { write() {} } }, /emitter\.emit: expected a function \(an emitter has emit\)/],
    [{ filter: () => true }, /filter: expected a filter \(with keep\)/],
    [{ failureSink: {} }, /failureSink\.put: expected a function \(a failure sink has put\)/],
    [{ buffer: { maxBytes: 0 } }, /buffer.maxBytes: expected an integer/],
    [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts: expected an integer >= 1 or Infinity, got 0/],
    [{ retry: { maxAttempts: 1001 } }, /retry.maxAttempts: expected an integer in \[1, 1000\], got 1001/],
    [{ retry: { baseDelayMs: 500, maxDelayMs: 100 } }, /retry.maxDelayMs: expected a number in \[retry.baseDelayMs \(500\)/],
    [{ retry: { attempts: 2 } }, /retry.attempts: expected no such option \(known: baseDelayMs, maxDelayMs, maxAttempts\), got 2/],
    [{ streamName: 5 }, /streamName: expected a string of at least 0 characters, got 5/],
    [{ clock: {} }, /^clock\.now: expected a function \(a Clock has now, setTimeout, clearTimeout\), got undefined$/],
    [{ itemBytes: 3 }, /itemBytes: expected a function/],
    [{ emiter: 1 }, /emiter: expected no such option — did you mean "emitter"\?/],
  ])('rejects %p with an InvalidArgumentError naming the option', (bad, message) => {
    expect(() => resolvePipelineOptions({ ...required(), ...(bad as object) } as never)).toThrow(InvalidArgumentError);
    expect(() => resolvePipelineOptions({ ...required(), ...(bad as object) } as never)).toThrow(message);
  });
});
