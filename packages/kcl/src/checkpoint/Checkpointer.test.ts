import { KinesisToolkitError } from '@kinesis-toolkit/core';
import { InvalidCheckpointError } from '../errors';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import { LeaseLostError } from '../leases/errors';
import { Checkpointer, type CheckpointProgress, type CheckpointTarget } from './Checkpointer';

/** A lease handle that records the writes it is asked for (or fails them). */
class RecordingTarget implements CheckpointTarget {
  readonly shardId = 'shardId-0';
  readonly writes: Array<{ kind: 'checkpoint' | 'prepare'; position: ExtendedSequenceNumber; state?: Uint8Array }> = [];
  failWith: Error | undefined;

  async checkpoint(position: ExtendedSequenceNumber): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.writes.push({ kind: 'checkpoint', position });
  }

  async prepare(position: ExtendedSequenceNumber, state?: Uint8Array): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.writes.push(state === undefined ? { kind: 'prepare', position } : { kind: 'prepare', position, state });
  }
}

const SEQ = (n: number) => String(49_000_000_000n + BigInt(n));
const record = (n: number, subSequenceNumber = 0) => ({ sequenceNumber: SEQ(n), subSequenceNumber, partitionKey: 'k', data: Buffer.alloc(0), aggregated: false });

function setup(progress: Partial<CheckpointProgress> = {}): { target: RecordingTarget; progress: CheckpointProgress; checkpointer: Checkpointer } {
  const target = new RecordingTarget();
  const full: CheckpointProgress = {
    lastDelivered: { sequenceNumber: SEQ(10), subSequenceNumber: 3 },
    lastCheckpoint: { sequenceNumber: SEQ(5), subSequenceNumber: 0 },
    shardEnded: false,
    ...progress,
  };
  return { target, progress: full, checkpointer: new Checkpointer(target, full) };
}

async function rejection(call: () => Promise<unknown>): Promise<InvalidCheckpointError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidCheckpointError);
  expect(error).toBeInstanceOf(KinesisToolkitError);
  return error as InvalidCheckpointError;
}

describe('Checkpointer', () => {
  it('checkpoints the last record delivered, a given record, or a sequence number and sub-sequence number', async () => {
    const { target, progress, checkpointer } = setup();
    await checkpointer.checkpoint(record(6, 1));
    await checkpointer.checkpoint(SEQ(7), 2);
    await checkpointer.checkpoint();
    expect(target.writes.map((w) => w.position)).toEqual([
      { sequenceNumber: SEQ(6), subSequenceNumber: 1 },
      { sequenceNumber: SEQ(7), subSequenceNumber: 2 },
      { sequenceNumber: SEQ(10), subSequenceNumber: 3 },
    ]);
    expect(progress.lastCheckpoint).toEqual({ sequenceNumber: SEQ(10), subSequenceNumber: 3 });
  });

  it.each<[string, unknown[], string, string]>([
    ['a number', [123], 'position', 'expected a delivered UserRecord, a sequence number string, or nothing (the last record delivered), got 123'],
    ['null', [null], 'position', 'got null'],
    ['true', [true], 'position', 'got true'],
    ['an array', [[SEQ(6)]], 'position', 'got an array of 1'],
    ['a record whose sequence number is not one', [{ sequenceNumber: 'abc' }], 'position.sequenceNumber', 'expected a Kinesis sequence number (decimal digits, no leading zeros), got "abc"'],
    ['a record without a sequence number', [{ subSequenceNumber: 1 }], 'position.sequenceNumber', 'got undefined'],
    ['a record with a NaN sub-sequence number', [{ sequenceNumber: SEQ(6), subSequenceNumber: NaN }], 'position.subSequenceNumber', 'expected an integer >= 0, got NaN'],
    ['a string that is not a sequence number', ['12abc'], 'position', 'got "12abc"'],
    ['a sequence number with leading zeros', ['007'], 'position', 'got "007"'],
    ['a NaN sub-sequence number', [SEQ(6), NaN], 'subSequenceNumber', 'expected an integer >= 0, got NaN'],
    ['a negative sub-sequence number', [SEQ(6), -1], 'subSequenceNumber', 'got -1'],
    ['a fractional sub-sequence number', [SEQ(6), 0.5], 'subSequenceNumber', 'got 0.5'],
    ['a string sub-sequence number', [SEQ(6), '1'], 'subSequenceNumber', 'got "1"'],
  ])('rejects %s with an InvalidCheckpointError naming the argument, writing nothing', async (_what, args, argument, message) => {
    const { target, checkpointer } = setup();
    const error = await rejection(() => (checkpointer.checkpoint as (...a: unknown[]) => Promise<void>)(...args));
    expect(error.argument).toBe(argument);
    expect(error.context).toMatchObject({ shardId: 'shardId-0', argument });
    expect(error.message).toContain(`shardId-0: checkpoint ${argument}: `);
    expect(error.message).toContain(message);
    expect(error.retryable).toBe(false);
    expect(target.writes).toEqual([]);
  });

  it('rejects positions before the last checkpoint or past the last record delivered', async () => {
    const { checkpointer } = setup();
    expect((await rejection(() => checkpointer.checkpoint(SEQ(4)))).message).toBe(`shardId-0: checkpoint position: ${SEQ(4)}/0 is before the last checkpoint ${SEQ(5)}/0`);
    expect((await rejection(() => checkpointer.checkpoint(SEQ(10), 4))).message).toBe(`shardId-0: checkpoint position: ${SEQ(10)}/4 is past the last record delivered (${SEQ(10)}/3)`);
    // A longer decimal is a later sequence number, whatever its first digits.
    await rejection(() => checkpointer.checkpoint('100000000000000000'));
  });

  it('refuses to checkpoint before anything was delivered, and SHARD_END before the shard ended', async () => {
    const fresh = setup({ lastDelivered: undefined });
    expect((await rejection(() => fresh.checkpointer.checkpoint())).message).toContain('nothing has been delivered yet');
    const ended = setup({ shardEnded: true });
    await ended.checkpointer.checkpoint();
    expect(ended.target.writes[0]?.position).toEqual({ sequenceNumber: 'SHARD_END', subSequenceNumber: 0 });
  });

  it('prepares a pending checkpoint with state, commits it later, and refuses state that is not bytes', async () => {
    const { target, progress, checkpointer } = setup();
    const prepared = await checkpointer.prepareCheckpoint(SEQ(8), 0, Uint8Array.from([1]));
    expect(target.writes).toEqual([{ kind: 'prepare', position: { sequenceNumber: SEQ(8), subSequenceNumber: 0 }, state: Uint8Array.from([1]) }]);
    await prepared.checkpoint();
    expect(progress.lastCheckpoint).toEqual({ sequenceNumber: SEQ(8), subSequenceNumber: 0 });
    const error = await rejection(() => checkpointer.prepareCheckpoint(SEQ(9), 0, 'state' as unknown as Uint8Array));
    expect(error.argument).toBe('state');
  });

  it('does not move its idea of the last checkpoint when the write fails (a lost lease)', async () => {
    const { target, progress, checkpointer } = setup();
    target.failWith = new LeaseLostError('shardId-0', 'checkpoint');
    await expect(checkpointer.checkpoint()).rejects.toBeInstanceOf(LeaseLostError);
    expect(progress.lastCheckpoint).toEqual({ sequenceNumber: SEQ(5), subSequenceNumber: 0 });
  });
});
