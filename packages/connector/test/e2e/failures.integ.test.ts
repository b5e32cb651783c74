// End to end, failure handling: KinesisProducer → kinesalite → a real Worker → createPipeline →
// S3Emitter on s3rver behind a FaultProxy, with an S3FailureSink on s3rver.
// - S3 is down (every connection reset) for the first emits, then recovers: nothing is lost.
// - A record that is not JSON (the transformer rejects it) and a record the emitter rejects on
//   (not retryable: dead-lettered after one attempt) land in the failure sink, in Firehose's error format, with their error; the
//   lease table's checkpoint stays before each until the failure sink has accepted it.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Worker } from '@kinesis-toolkit/kcl';
import {
  createBucket,
  createS3Client,
  createStream,
  FaultProxy,
  getTestStack,
  uniqueName,
  waitFor,
  type TestStack,
} from '@kinesis-toolkit/testing';
import { EmitterError } from '../../src/emitters/EmitterError';
import { MappingEmitter } from '../../src/emitters/MappingEmitter';
import { S3Emitter } from '../../src/emitters/s3/S3Emitter';
import { S3FailureSink } from '../../src/emitters/s3/S3FailureSink';
import type { FailureRecord, FailureSink } from '../../src/failures/FailureRecord';
import { createPipeline } from '../../src/pipeline/createPipeline';
import { JsonTransformer } from '../../src/transformers/JsonTransformer';
import { lastPositions, leaseCheckpoints, orderJson, positionKey, produce, reached, type Position } from './e2eFixtures';

const RECORDS = 400;
const NOT_JSON = 150;
const REJECTED = 300;
/** Emits that fail while S3 is down; then it recovers. Fewer than the retry budget below. */
const OUTAGE_EMITS = 3;
const MAX_ATTEMPTS = 6;

let stack: TestStack;
let proxy: FaultProxy;
let proxiedS3: S3Client;

beforeAll(async () => {
  stack = getTestStack();
  const { hostname, port } = new URL(stack.s3.endpoint);
  proxy = await FaultProxy.start({ target: { host: hostname, port: Number(port) } });
  // No SDK retries: each emit is one PutObject, so an outage reaches the pipeline.
  proxiedS3 = createS3Client(proxy.endpoint, { maxAttempts: 1 });
});
afterAll(async () => {
  proxiedS3?.destroy();
  await proxy?.stop();
  stack?.destroy();
});

/** A put to the failure sink, with the shard's checkpoint read from the lease table just before and just after it. */
interface ObservedPut {
  readonly records: readonly FailureRecord[];
  readonly checkpointBefore: Position | undefined;
  readonly checkpointAfter: Position | undefined;
}

/** Wraps the real failure sink; reads the lease table around every put. */
class CheckpointObservingSink implements FailureSink {
  readonly puts: ObservedPut[] = [];
  constructor(
    private readonly inner: FailureSink,
    private readonly checkpointOf: (shardId: string) => Promise<Position | undefined>,
  ) {}

  async put(records: readonly FailureRecord[]): Promise<void> {
    const shardId = records[0]!.kinesisRecordMetadata.shardId;
    const checkpointBefore = await this.checkpointOf(shardId);
    await this.inner.put(records);
    // The pipeline has not been told yet that the put succeeded: the checkpoint must not have moved past these records.
    const checkpointAfter = await this.checkpointOf(shardId);
    this.puts.push({ records, checkpointBefore, checkpointAfter });
  }
}

async function readObjects(client: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  let continuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }));
    for (const { Key } of page.Contents ?? []) {
      objects.set(Key!, await (await client.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString());
    }
    continuationToken = page.NextContinuationToken;
  } while (continuationToken !== undefined);
  return objects;
}

describe('a failing sink and poisoned records, end to end', () => {
  it('loses nothing through an S3 outage, dead-letters the poisoned records with their errors, and checkpoints past them only after that', async () => {
    const streamName = uniqueName('conn-fail');
    const applicationName = uniqueName('conn-fail-app');
    const bucket = await createBucket(stack.s3.client, uniqueName('conn-fail').toLowerCase());
    await createStream(stack.kinesis.client, streamName, 1);
    const datas = Array.from({ length: RECORDS }, (_, id) => {
      if (id === NOT_JSON) return `{"id":${id},"name":`;
      if (id === REJECTED) return JSON.stringify({ id, name: 'poison', poison: true });
      return orderJson(id);
    });
    const produced = await produce(stack.kinesis.client, streamName, datas);

    const checkpointOf = async (shardId: string) => (await leaseCheckpoints(stack.dynamodb.client, applicationName)).get(shardId);
    const failureSink = new CheckpointObservingSink(new S3FailureSink({ client: stack.s3.client, bucket }), checkpointOf);
    // A schema check in front of the archive: the poisoned record is refused for good.
    const archive = new MappingEmitter(new S3Emitter({ client: proxiedS3, bucket, prefix: 'archive/', recordDelimiter: '\n' }), (json: string) => {
      if (json.includes('"poison":true')) throw new Error('schema check: poisoned order');
      return json;
    });
    const pipeline = createPipeline({
      streamName,
      transformer: new JsonTransformer(),
      emitter: archive,
      failureSink,
      buffer: { maxRecords: 100, maxAgeMs: 300 },
      retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 20, maxDelayMs: 100 },
    });
    let outageFailures = 0;
    pipeline.on('emitFailed', ({ error }) => {
      if (error instanceof EmitterError && error.code === 'S3WriteFailed' && ++outageFailures === OUTAGE_EMITS) proxy.reset();
    });
    // S3 is down: every connection through the proxy is reset.
    proxy.setResetRate(1, 'upstream');

    const worker = new Worker({
      streamName,
      applicationName,
      workerId: 'failures-e2e',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 3000,
      idleTimeBetweenReadsMs: 200,
      processorFactory: pipeline,
    });
    const [shardId, last] = [...lastPositions(produced)][0]!;
    let checkpoint: Position | undefined;
    await worker.start();
    try {
      await waitFor(async () => reached((checkpoint = await checkpointOf(shardId)), last), {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: `${shardId} checkpointed at its last record ${positionKey(last)}`,
      }).catch((error: Error) => {
        throw new Error(`${error.message}; checkpoint ${checkpoint && positionKey(checkpoint)}`);
      });
    } finally {
      await worker.shutdown();
      await pipeline.shutdown();
    }
    expect(outageFailures).toBe(OUTAGE_EMITS);
    expect(proxy.stats.resets).toBeGreaterThanOrEqual(OUTAGE_EMITS);

    // Every good record is in the archive once.
    const archived = [...(await readObjects(stack.s3.client, bucket, 'archive/')).values()].flatMap((body) => body.slice(0, -1).split('\n'));
    const good = produced.filter((_, id) => id !== NOT_JSON && id !== REJECTED).map((p) => p.data);
    expect(archived.sort()).toEqual(good.sort());

    // Both poisoned records are in the failure bucket, in Firehose's error format, with their errors.
    const errorObjects = await readObjects(stack.s3.client, bucket, 'errors/');
    for (const key of errorObjects.keys()) expect(key).toMatch(new RegExp(`^errors/processing-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${shardId}-\\d+-\\d+-\\d+-\\d+\\.jsonl$`));
    const failures = [...errorObjects.values()]
      .flatMap((body) => body.slice(0, -1).split('\n'))
      .map((line) => JSON.parse(line) as FailureRecord)
      .sort((a, b) => a.kinesisRecordMetadata.subsequenceNumber - b.kinesisRecordMetadata.subsequenceNumber);
    const expectedFailure = (id: number, attemptsMade: number, errorCode: string, errorMessage: RegExp) => ({
      attemptsMade,
      arrivalTimestamp: expect.any(Number),
      errorCode,
      errorMessage: expect.stringMatching(errorMessage),
      attemptEndingTimestamp: expect.any(Number),
      rawData: Buffer.from(datas[id]!).toString('base64'),
      kinesisRecordMetadata: {
        shardId,
        partitionKey: produced[id]!.partitionKey,
        sequenceNumber: produced[id]!.sequenceNumber,
        subsequenceNumber: produced[id]!.subSequenceNumber,
        approximateArrivalTimestamp: expect.any(Number),
      },
    });
    const inOrder = [NOT_JSON, REJECTED].sort((a, b) => produced[a]!.subSequenceNumber - produced[b]!.subSequenceNumber || a - b);
    expect(failures.map((f) => Buffer.from(f.rawData, 'base64').toString())).toEqual(inOrder.map((id) => datas[id]));
    expect(failures.find((f) => f.rawData === Buffer.from(datas[NOT_JSON]!).toString('base64'))).toEqual(expectedFailure(NOT_JSON, 0, 'InvalidJson', /not JSON/));
    // Refused for good (a retry cannot pass the schema check): dead-lettered at the first attempt
    // that reached the check — after the outage's thrown attempts at most, never after all MAX_ATTEMPTS.
    const rejected = failures.find((f) => f.rawData === Buffer.from(datas[REJECTED]!).toString('base64'));
    expect(rejected).toEqual(expectedFailure(REJECTED, rejected?.attemptsMade ?? -1, 'InvalidItem', /map threw: schema check: poisoned order/));
    expect(rejected!.attemptsMade).toBeLessThanOrEqual(OUTAGE_EMITS + 1);
    for (const failure of failures) {
      expect(failure.arrivalTimestamp).toBeGreaterThan(Date.now() - 120_000);
      expect(failure.attemptEndingTimestamp).toBeGreaterThanOrEqual(failure.arrivalTimestamp);
      expect(failure.kinesisRecordMetadata.approximateArrivalTimestamp).toBe(failure.arrivalTimestamp);
    }

    // Each failure record was put once, while the lease table's checkpoint was still before it.
    expect(failureSink.puts.flatMap((put) => put.records).length).toBe(2);
    for (const { records, checkpointBefore, checkpointAfter } of failureSink.puts) {
      for (const record of records) {
        const position = { sequenceNumber: record.kinesisRecordMetadata.sequenceNumber, subSequenceNumber: record.kinesisRecordMetadata.subsequenceNumber };
        expect({ record: positionKey(position), before: reached(checkpointBefore, position), after: reached(checkpointAfter, position) }).toEqual({
          record: positionKey(position),
          before: false,
          after: false,
        });
      }
    }
  }, 45_000);
});
