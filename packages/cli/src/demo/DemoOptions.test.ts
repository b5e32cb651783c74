import { DEMO_DEFAULTS, resolveDemoOptions } from './DemoOptions';

describe('resolveDemoOptions', () => {
  it('fills in every default for a local run', () => {
    const resolved = resolveDemoOptions();
    expect(resolved).toMatchObject({ ...DEMO_DEFAULTS, local: true, streamName: undefined });
    expect(resolved.chaos).toEqual(['split', 'merge', 'kill']);
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('against an existing stream only kills a worker unless told otherwise, and needs a sink', () => {
    expect(resolveDemoOptions({ streamName: 's', bucket: 'b' })).toMatchObject({ local: false, chaos: ['kill'], bucket: 'b' });
    expect(resolveDemoOptions({ streamName: 's', postgresUrl: 'postgres://x', chaos: [] }).chaos).toEqual([]);
    expect(() => resolveDemoOptions({ streamName: 's' })).toThrow('bucket / postgresUrl: against an existing stream the demo needs at least one sink, got neither');
    expect(() => resolveDemoOptions({ bucket: 'b' })).toThrow(/only with streamName/);
  });

  it('rejects bad values with what was expected and what came', () => {
    expect(() => resolveDemoOptions({ records: 0 })).toThrow('records: expected an integer from 1 to 100000000, got 0');
    expect(() => resolveDemoOptions({ shards: 1.5 })).toThrow(/shards: expected an integer/);
    expect(() => resolveDemoOptions({ failoverTimeMs: 100 })).toThrow(/failoverTimeMs: expected an integer from 500/);
    expect(() => resolveDemoOptions({ chaos: ['split', 'explode' as never] })).toThrow('chaos: expected a list of split, merge, kill (or none), got ["split","explode"]');
    expect(() => resolveDemoOptions({ workers: 1 })).toThrow(/'kill' needs at least 2 workers/);
    expect(resolveDemoOptions({ workers: 1, chaos: ['split'] }).workers).toBe(1);
  });
});
