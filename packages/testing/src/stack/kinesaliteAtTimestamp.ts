// kinesalite's GetShardIterator with ShardIteratorType AT_TIMESTAMP looks for the shard's first
// record at or after the timestamp and answers with an iterator there — but when the shard holds
// no such record (it is empty, or every record is older) it never answers: its lazy stream ends
// without an item and the callback is never called, so the request hangs until the client gives
// up. Kinesis answers with an iterator from which the records put next are read. A consumer
// started AT_TIMESTAMP before the first record of a shard (the demo against a stream it did not
// create, the KCL's tests) then waits a request deadline — or, without one, forever.
//
// This wraps the action so that it answers as Kinesis does. It must run before kinesalite is
// first loaded: kinesalite builds its table of actions from `require` when it loads.

/** kinesalite's action signature: the store, the validated request, a node-style callback. */
type Action = (store: KinesaliteStore, data: Record<string, unknown>, cb: (error: unknown, result?: unknown) => void) => void;

interface KinesaliteStore {
  getStreamDb(name: string): { createReadStream(options: { gt: string; lt: string }): NodeJS.EventEmitter };
}

interface KinesaliteDb {
  resolveShardId(shardId: string): { shardIx: number };
  shardIxToHex(shardIx: number): string;
}

const PATCHED = Symbol.for('@kinesis-toolkit/testing/kinesaliteAtTimestamp');

/**
 * Makes kinesalite's GetShardIterator answer AT_TIMESTAMP requests that find no record at or after
 * the timestamp: with an iterator after the shard's last record (at its start when it is empty),
 * which returns the records put next — as Kinesis does. Idempotent.
 */
export function answerAtTimestampAsKinesis(): void {
  // The module's own require (not createRequire): under jest it is jest's module registry, the one
  // kinesalite is then loaded from too.
  const actionPath = require.resolve('kinesalite/actions/getShardIterator');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const original = require(actionPath) as Action & { [PATCHED]?: true };
  if (original[PATCHED]) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('kinesalite/db') as KinesaliteDb;
  const patched: Action & { [PATCHED]?: true } = (store, data, cb) => {
    const timestampSeconds = data.Timestamp as number | undefined;
    // kinesalite's own checks (a missing or future timestamp, a bad shard id) stay as they are.
    if (data.ShardIteratorType !== 'AT_TIMESTAMP' || typeof timestampSeconds !== 'number' || timestampSeconds * 1000 > Date.now()) return original(store, data, cb);
    let shardIx: number;
    try {
      shardIx = db.resolveShardId(data.ShardId as string).shardIx;
    } catch {
      return original(store, data, cb);
    }
    let found = false;
    let last: string | undefined;
    store
      .getStreamDb(data.StreamName as string)
      .createReadStream({ gt: db.shardIxToHex(shardIx), lt: db.shardIxToHex(shardIx + 1) })
      .on('data', (item: { key: string; value: { ApproximateArrivalTimestamp: number } }) => {
        last = item.key.split('/')[1];
        if (item.value.ApproximateArrivalTimestamp >= timestampSeconds) found = true;
      })
      .on('error', () => original(store, data, cb))
      .on('end', () => {
        if (found) return original(store, data, cb);
        const { Timestamp: _timestamp, ...rest } = data;
        original(store, last === undefined ? { ...rest, ShardIteratorType: 'TRIM_HORIZON' } : { ...rest, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: last }, cb);
      });
  };
  patched[PATCHED] = true;
  require.cache[actionPath]!.exports = patched;
}
