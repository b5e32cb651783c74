import { makeBatch } from '../../test/emitters/makeBatch';
import type { EmitBatch, Emitter } from './Emitter';
import { MappingEmitter } from './MappingEmitter';

describe('MappingEmitter', () => {
  it('maps items for the inner emitter, with their sources, and reports failures as the originals', async () => {
    const seen: EmitBatch<string>[] = [];
    const inner: Emitter<string> = {
      emit: async (batch) => (seen.push(batch), { failed: batch.items.filter((item) => item.includes('"id":2')) }),
    };
    const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const batch = makeBatch(items);

    const result = await new MappingEmitter(inner, (item: { id: number }) => JSON.stringify(item)).emit(batch);

    expect(result.failed).toEqual([items[1]]);
    expect(result.failed[0]).toBe(items[1]);
    expect(seen[0]!.items).toEqual(['{"id":1}', '{"id":2}', '{"id":3}']);
    expect(seen[0]!.sources).toEqual(batch.sources);
  });

  it('rejects an item whose map throws (InvalidItem, not retried) and sends the rest with the matching sources', async () => {
    const seen: EmitBatch<number>[] = [];
    const inner: Emitter<number> = { emit: async (batch) => (seen.push(batch), { failed: [] }) };
    const batch = makeBatch(['1', 'x', '3']);
    const emitter = new MappingEmitter(inner, (item: string) => {
      if (Number.isNaN(Number(item))) throw new Error('not a number');
      return Number(item);
    });

    const result = await emitter.emit(batch);
    expect(result.failed).toEqual([]);
    expect(result.rejected).toEqual([{ item: 'x', error: expect.objectContaining({ code: 'InvalidItem', retryable: false, message: 'items[1]: map threw: not a number' }) }]);
    expect(seen[0]!.items).toEqual([1, 3]);
    expect(seen[0]!.sources).toEqual([batch.sources[0], batch.sources[2]]);
  });

  it('forwards shutdown and fail, and rejects bad arguments', async () => {
    const calls: string[] = [];
    const inner: Emitter<string> = { emit: async () => ({ failed: [] }), fail: (items) => void calls.push(`fail ${items.join()}`), shutdown: () => void calls.push('shutdown') };
    const emitter = new MappingEmitter(inner, (item: number) => String(item * 2));
    await emitter.fail([1, 2], new Error('x'));
    await emitter.shutdown();
    expect(calls).toEqual(['fail 2,4', 'shutdown']);
    expect(() => new MappingEmitter({} as Emitter<string>, String)).toThrow(/inner\.emit: expected a function \(an Emitter has emit\)/);
    expect(() => new MappingEmitter(inner, 'nope' as unknown as () => string)).toThrow(/map: expected a function/);
  });

  it('fails one of two items that map to equal values when the inner emitter fails one', async () => {
    const inner: Emitter<string> = { emit: async (batch) => ({ failed: [batch.items[0]!] }) };
    const [a, b] = [{ n: 1 }, { n: 1 }];
    const result = await new MappingEmitter(inner, (item: { n: number }) => JSON.stringify(item)).emit(makeBatch([a, b]));
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toBe(a);
  });
});


describe('MappingEmitter passes rejections through', () => {
  it("reports the inner emitter's rejected items as the originals, with their errors", async () => {
    const refusal = new Error('row refused');
    const inner: Emitter<string> = { emit: async (batch) => ({ failed: [], rejected: [{ item: batch.items[1]!, error: refusal }] }) };
    const items = [{ id: 1 }, { id: 2 }];
    const result = await new MappingEmitter(inner, (item: { id: number }) => JSON.stringify(item)).emit(makeBatch(items));
    expect(result).toEqual({ failed: [], rejected: [{ item: items[1], error: refusal }] });
  });
});

describe('MappingEmitter with an inner emitter that receives every record', () => {
  it('receives every record when the inner emitter does: a batch whose items all failed to map, or that has none, still reaches it with its records', async () => {
    const seen: EmitBatch<number>[] = [];
    const inner: Emitter<number> = { receivesEveryRecord: true, emit: async (batch) => (seen.push(batch), { failed: [] }) };
    const toNumber = (item: string) => {
      if (Number.isNaN(Number(item))) throw new Error('not a number');
      return Number(item);
    };
    expect(new MappingEmitter({ emit: inner.emit }, toNumber).receivesEveryRecord).toBe(false);
    const emitter = new MappingEmitter(inner, toNumber);
    expect(emitter.receivesEveryRecord).toBe(true);
    const batch = makeBatch(['x', 'y']);
    const result = await emitter.emit({ ...batch, records: batch.sources });
    expect(result.rejected?.map((entry) => entry.item)).toEqual(['x', 'y']);
    await emitter.emit({ ...batch, items: [], sources: [], records: batch.sources });
    expect(seen.map((b) => [b.items, b.records])).toEqual([
      [[], batch.sources],
      [[], batch.sources],
    ]);
  });
});
