import { makeBatch, retryOf } from '../../test/emitters/makeBatch';
import type { EmitBatch, Emitter, EmitResult } from './Emitter';
import { EmitterError } from './EmitterError';
import { TeeEmitter } from './TeeEmitter';

interface Item {
  readonly id: number;
}

/** An in-memory emitter that records what it was sent and fails the items `refuse` picks (or throws). */
class RecordingEmitter implements Emitter<Item> {
  readonly sent: number[][] = [];
  readonly failedCalls: number[][] = [];
  shutdowns = 0;
  constructor(private readonly refuse: (item: Item, attempt: number) => boolean | 'throw' = () => false) {}

  async emit(batch: EmitBatch<Item>): Promise<EmitResult<Item>> {
    this.sent.push(batch.items.map((item) => item.id));
    if (batch.items.some((item) => this.refuse(item, batch.attempt) === 'throw')) {
      throw new EmitterError('S3WriteFailed', 'down', { retryable: true });
    }
    return { failed: batch.items.filter((item) => this.refuse(item, batch.attempt) === true) };
  }

  fail(items: readonly Item[]): void {
    this.failedCalls.push(items.map((item) => item.id));
  }

  shutdown(): void {
    this.shutdowns += 1;
  }
}

const items = (...ids: number[]): Item[] => ids.map((id) => ({ id }));

describe('TeeEmitter', () => {
  it('sends every batch to every emitter and succeeds when all do', async () => {
    const a = new RecordingEmitter();
    const b = new RecordingEmitter();
    await expect(new TeeEmitter([a, b]).emit(makeBatch(items(1, 2, 3)))).resolves.toEqual({ failed: [] });
    expect(a.sent).toEqual([[1, 2, 3]]);
    expect(b.sent).toEqual([[1, 2, 3]]);
  });

  it('fails an item any emitter failed (same objects, batch order), and retries only to the emitters that still need it', async () => {
    const archive = new RecordingEmitter();
    const database = new RecordingEmitter((item, attempt) => attempt === 1 && (item.id === 2 || item.id === 4));
    const tee = new TeeEmitter([archive, database]);
    const batch = makeBatch(items(1, 2, 3, 4));

    const result = await tee.emit(batch);
    expect(result.failed).toEqual([batch.items[1], batch.items[3]]);
    expect(result.failed[0]).toBe(batch.items[1]);

    await expect(tee.emit(retryOf(batch, [1, 3]))).resolves.toEqual({ failed: [] });
    expect(archive.sent).toEqual([[1, 2, 3, 4]]);
    expect(database.sent).toEqual([[1, 2, 3, 4], [2, 4]]);
  });

  it('passes each emitter the sources of the items it gets', async () => {
    const seen: string[][] = [];
    const spy: Emitter<Item> = { emit: async (batch) => (seen.push(batch.sources.map((source) => source.sequenceNumber)), { failed: [] }) };
    const flaky = new RecordingEmitter((item, attempt) => attempt === 1 && item.id === 3);
    const tee = new TeeEmitter([flaky, spy]);
    const batch = makeBatch(items(1, 2, 3));
    await tee.emit(batch);
    await tee.emit(retryOf(batch, [2]));
    expect(flaky.sent).toEqual([[1, 2, 3], [3]]);
    expect(seen).toEqual([batch.sources.map((source) => source.sequenceNumber)]);
  });

  it('counts a throwing emitter as failing all its items; throws only when nothing got through', async () => {
    const down = new RecordingEmitter(() => 'throw');
    const up = new RecordingEmitter();
    const tee = new TeeEmitter([up, down]);
    const batch = makeBatch(items(1, 2));
    const error = await tee.emit(batch).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'TeeEmitFailed', retryable: true, context: { batchId: batch.batchId } });
    expect((error as EmitterError).cause).toBeInstanceOf(EmitterError);

    // The retry goes only to the emitter that threw.
    await expect(tee.emit(retryOf(batch, [0, 1]))).rejects.toMatchObject({ code: 'TeeEmitFailed' });
    expect(up.sent).toEqual([[1, 2]]);
    expect(down.sent).toEqual([[1, 2], [1, 2]]);
  });

  it('forgets a batch once it fully succeeded, and at most maxRememberedBatches are kept', async () => {
    const flaky = new RecordingEmitter((item, attempt) => attempt === 1 && item.id === 1);
    const steady = new RecordingEmitter();
    const tee = new TeeEmitter([flaky, steady], { maxRememberedBatches: 1 });
    const first = makeBatch(items(1), { batchId: 'first' });
    const second = makeBatch(items(1), { batchId: 'second' });
    await tee.emit(first);
    await tee.emit(second);
    // 'first' was forgotten (limit 1): its retry goes to both emitters again.
    await tee.emit(retryOf(first, [0]));
    expect(steady.sent).toEqual([[1], [1], [1]]);
    // A re-emission of a batch that succeeded goes everywhere again (idempotent sinks).
    await tee.emit({ ...first, attempt: 1, items: items(5) });
    expect(steady.sent).toHaveLength(4);
  });

  it('forwards fail and shutdown to every emitter', async () => {
    const a = new RecordingEmitter();
    const b = new RecordingEmitter();
    const tee = new TeeEmitter([a, b]);
    await tee.fail(items(7), new Error('gave up'));
    await tee.shutdown();
    expect([a.failedCalls, b.failedCalls]).toEqual([[[7]], [[7]]]);
    expect([a.shutdowns, b.shutdowns]).toEqual([1, 1]);
  });

  it('rejects bad arguments with a TypeError', () => {
    expect(() => new TeeEmitter([])).toThrow(/emitters: expected a non-empty array/);
    expect(() => new TeeEmitter([{} as Emitter<Item>])).toThrow(/emitters\[0\]\.emit: expected a function \(an Emitter has emit\)/);
    expect(() => new TeeEmitter([new RecordingEmitter()], { maxRememberedBatches: -1 })).toThrow(/maxRememberedBatches/);
  });

  it('tells equal items apart: one of two identical texts failing fails one, and only it is retried', async () => {
    const sent: string[][] = [];
    let failOnce = true;
    const flaky: Emitter<string> = {
      async emit(batch) {
        sent.push([...batch.items]);
        // Refuses the second of the two equal lines, once.
        if (failOnce && batch.items.length === 3) {
          failOnce = false;
          return { failed: [batch.items[1]!] };
        }
        return { failed: [] };
      },
    };
    const archive: string[][] = [];
    const steady: Emitter<string> = {
      async emit(batch) {
        archive.push([...batch.items]);
        return { failed: [] };
      },
    };
    const tee = new TeeEmitter<string>([flaky, steady]);
    const batch = makeBatch(['same', 'same', 'other']);
    const first = await tee.emit(batch);
    expect(first.failed).toEqual(['same']);
    // Equal texts are interchangeable: the failure is charged to the first 'same' (as the pipeline
    // also maps it), and the pipeline retries that one item: only the flaky emitter gets it.
    const retry = { ...batch, items: ['same'], sources: [batch.sources[0]!], attempt: 2 };
    await expect(tee.emit(retry)).resolves.toEqual({ failed: [] });
    expect(sent).toEqual([['same', 'same', 'other'], ['same']]);
    expect(archive).toEqual([['same', 'same', 'other']]);
  });
});


describe('TeeEmitter and items refused for good', () => {
  it('rejects an item any emitter rejected, with that error, and fails (to retry) what another only failed', async () => {
    const refusal = new EmitterError('InvalidItem', 'row breaks a constraint');
    const rejecting: Emitter<Item> = { emit: async (batch) => ({ failed: [], rejected: batch.items.filter((item) => item.id === 2).map((item) => ({ item, error: refusal })) }) };
    const failing = new RecordingEmitter((item) => item.id === 3);
    const batch = makeBatch(items(1, 2, 3));
    const result = await new TeeEmitter([rejecting, failing]).emit(batch);
    expect(result).toEqual({ failed: [batch.items[2]], rejected: [{ item: batch.items[1], error: refusal }] });
  });

  it('rejects every item of an emitter that threw a non-retryable error, with that error', async () => {
    const denied = new EmitterError('S3WriteFailed', 'AccessDenied', { retryable: false });
    const deniedEmitter: Emitter<Item> = {
      emit: async () => {
        throw denied;
      },
    };
    const batch = makeBatch(items(1, 2));
    const mixed = await new TeeEmitter([new RecordingEmitter(), deniedEmitter]).emit(batch);
    expect(mixed).toEqual({ failed: [], rejected: batch.items.map((item) => ({ item, error: denied })) });
    await expect(new TeeEmitter([deniedEmitter]).emit(batch)).resolves.toEqual(mixed);
  });
});

describe('TeeEmitter with an emitter that receives every record', () => {
  it('receives every record when one of its emitters does: a batch without items goes to that emitter only, with its records; a throw there fails the batch', async () => {
    const plain = new RecordingEmitter();
    const seen: EmitBatch<Item>[] = [];
    let throws = 1;
    const backup: Emitter<Item> = {
      receivesEveryRecord: true,
      emit: async (batch) => {
        seen.push(batch);
        if (throws-- > 0) throw new EmitterError('S3WriteFailed', 'down', { retryable: true });
        return { failed: [] };
      },
    };
    expect(new TeeEmitter([plain, new RecordingEmitter()]).receivesEveryRecord).toBe(false);
    const tee = new TeeEmitter([plain, backup]);
    expect(tee.receivesEveryRecord).toBe(true);
    const full = makeBatch(items(1, 2));
    const bare = { ...full, items: [], sources: [], records: full.sources };
    await expect(tee.emit(bare)).rejects.toMatchObject({ code: 'TeeEmitFailed', retryable: true });
    await expect(tee.emit({ ...bare, attempt: 2 })).resolves.toEqual({ failed: [] });
    expect(plain.sent).toEqual([]);
    expect(seen.map((batch) => [batch.items.length, batch.records])).toEqual([
      [0, full.sources],
      [0, full.sources],
    ]);
  });
});
