'use strict';
/**
 * The measured side of the memory benchmark, in plain node on the built package (dist/): the
 * process a user's service would be, without ts-node and the TypeScript compiler the benchmark
 * harness runs under (about 80 MiB of RSS that is not the producer's). Started by memoryBench.ts;
 * prints one JSON line with what it measured.
 *
 *   node --expose-gc memoryChild.js <kinesis endpoint> <stream> <records> <maxOutstandingBytes>
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { KinesisProducer } = require('@kinesis-toolkit/kpl');
const { createKinesisClient } = require('@kinesis-toolkit/testing');

const [endpoint, streamName, recordsArg, maxOutstandingBytesArg] = process.argv.slice(2);
const RECORDS = Number(recordsArg);
const DATA_BYTES = 100;
const KEY_LENGTH = 16;
const SAMPLE_MS = 100;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A small seeded generator (mulberry32), so every run puts the same records. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* records(count) {
  const random = seeded(3);
  const pool = Buffer.alloc(64 * 1024 + DATA_BYTES);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(random() * 256);
  for (let i = 0; i < count; i++) {
    let partitionKey = '';
    for (let k = 0; k < KEY_LENGTH; k++) partitionKey += KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)];
    const offset = Math.floor(random() * 64 * 1024);
    const data = Buffer.allocUnsafe(DATA_BYTES);
    pool.copy(data, 0, offset, offset + DATA_BYTES);
    yield { partitionKey, data };
  }
}

async function main() {
  const client = createKinesisClient(endpoint, { maxAttempts: 1 });
  const producer = new KinesisProducer({ streamName, kinesisClient: client, maxOutstandingBytes: Number(maxOutstandingBytesArg) });
  // The shard map first, so the run measures steady work.
  for (let i = 0; i < 200 && producer.shardMap === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  global.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  let peakOutstandingRecords = 0;
  let peakOutstandingBytes = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakOutstandingRecords = Math.max(peakOutstandingRecords, producer.outstandingRecords);
    peakOutstandingBytes = Math.max(peakOutstandingBytes, producer.outstandingBytes);
  }, SAMPLE_MS);
  let succeeded = 0;
  const failures = [];
  const startedAt = performance.now();
  await pipeline(
    Readable.from(records(RECORDS)),
    producer.createWriteStream({
      highWaterMark: 1000,
      onSettled: (_record, error) => {
        if (error === undefined) succeeded++;
        else if (failures.length < 5) failures.push(String(error));
      },
    }),
  );
  const elapsedMs = performance.now() - startedAt;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  await producer.close();
  client.destroy();
  process.stdout.write(`${JSON.stringify({ records: RECORDS, succeeded, failures, elapsedMs, baselineRss, peakRss, peakOutstandingRecords, peakOutstandingBytes })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
