import { FlushEpochs } from './FlushEpochs';

/** Whether `promise` has resolved, after the microtasks queued so far ran. */
async function isResolved(promise: Promise<void>): Promise<boolean> {
  let resolved = false;
  void promise.then(() => (resolved = true));
  await Promise.resolve();
  await Promise.resolve();
  return resolved;
}

describe('FlushEpochs', () => {
  it('closing an epoch with nothing unsettled needs no wait', () => {
    const epochs = new FlushEpochs();
    expect(epochs.close()).toBeUndefined();
    epochs.added();
    epochs.settled(epochs.current);
    expect(epochs.hasUnsettled).toBe(false);
    expect(epochs.close()).toBeUndefined();
  });

  it('a flush resolves when the last record put before it settles, not before', async () => {
    const epochs = new FlushEpochs();
    epochs.added();
    epochs.added();
    const flushed = epochs.close()!;
    expect(flushed).toBeInstanceOf(Promise);
    epochs.settled(0);
    expect(await isResolved(flushed)).toBe(false);
    epochs.settled(0);
    expect(await isResolved(flushed)).toBe(true);
    expect(epochs.hasUnsettled).toBe(false);
  });

  it('records put after a flush do not hold it back', async () => {
    const epochs = new FlushEpochs();
    epochs.added();
    const flushed = epochs.close()!;
    epochs.added();
    expect(epochs.current).toBe(1);
    epochs.settled(0);
    expect(await isResolved(flushed)).toBe(true);
    expect(epochs.hasUnsettled).toBe(true);
  });

  it('a later flush waits for earlier epochs too, and an earlier flush does not wait for later ones', async () => {
    const epochs = new FlushEpochs();
    epochs.added();
    const first = epochs.close()!;
    epochs.added();
    const second = epochs.close()!;
    epochs.settled(1);
    expect(await isResolved(second)).toBe(false);
    expect(await isResolved(first)).toBe(false);
    epochs.settled(0);
    expect(await isResolved(first)).toBe(true);
    expect(await isResolved(second)).toBe(true);
  });
});
