import { randomBytes, randomUUID } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { FirehoseS3Emitter, FirehoseTransformer, PassThroughTransformer, S3FailureSink, createPipeline, type Pipeline } from '@kinesis-toolkit/connector';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { InMemoryLeaseStore, Worker } from '@kinesis-toolkit/kcl';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import type { DeliveryStreamPlan } from './deliveryStreamConfig';

/** What a {@link LocalDeliveryStream} runs on. */
export interface DeliveryStreamParts {
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly logger?: Logger;
}

/**
 * One delivery stream of the local Firehose endpoint, built from kinesis-toolkit's own parts:
 * `put` acknowledges a record only once it is durable on a backing Kinesis stream (through the
 * KPL); a KCL worker reads that stream into a connector pipeline whose buffer has the stream's
 * buffering hints and whose {@link FirehoseS3Emitter} writes to S3 with its prefixes, time zone,
 * partitioning, compression, format conversion, encryption and source record backup (a Lambda processor runs as a
 * `FirehoseTransformer`; records it fails go to the `processing-failed` error prefix, in the
 * stream's time zone and with its encryption).
 */
export class LocalDeliveryStream {
  readonly createdAt = new Date();
  readonly arn: string;
  #producer: KinesisProducer | undefined;
  #worker: Worker | undefined;
  #pipeline: Pipeline<Buffer, Buffer> | undefined;

  constructor(
    readonly name: string,
    readonly backingStream: string,
    readonly plan: DeliveryStreamPlan,
    private readonly parts: DeliveryStreamParts,
  ) {
    this.arn = `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`;
  }

  /** Starts the producer, the worker and the pipeline (the backing stream exists). */
  async start(): Promise<void> {
    const logger = (this.parts.logger ?? NOOP_LOGGER).child?.({ deliveryStream: this.name }) ?? this.parts.logger ?? NOOP_LOGGER;
    this.#producer = new KinesisProducer({ streamName: this.backingStream, kinesisClient: this.parts.kinesis, recordMaxBufferedTimeMs: 10, logger });
    const emitter = new FirehoseS3Emitter({ ...this.plan.emitter, client: this.parts.s3, deliveryStreamName: this.name, logger });
    await emitter.ready();
    const errorPrefix = (this.plan.emitter.errorOutputPrefix ?? '!{firehose:error-output-type}/') as string;
    this.#pipeline = createPipeline<Buffer, Buffer>({
      streamName: this.name,
      transformer: this.plan.transform === undefined ? new PassThroughTransformer() : new FirehoseTransformer(this.plan.transform, { deliveryStreamArn: this.arn, region: 'us-east-1' }),
      emitter,
      buffer: this.plan.buffer,
      // The Lambda's failed records: the destination's error prefix, time zone and encryption.
      failureSink: new S3FailureSink({
        client: this.parts.s3,
        bucket: this.plan.bucket,
        errorPrefix: /!\{timestamp:/.test(errorPrefix) ? errorPrefix : `${errorPrefix}!{timestamp:yyyy/MM/dd/HH}/`,
        ...(this.plan.emitter.customTimeZone !== undefined ? { customTimeZone: this.plan.emitter.customTimeZone } : {}),
        ...(this.plan.emitter.kmsKeyArn !== undefined ? { kmsKeyArn: this.plan.emitter.kmsKeyArn } : {}),
      }),
      retry: { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 2000 },
      logger,
    });
    this.#worker = new Worker(
      {
        streamName: this.backingStream,
        applicationName: `local-firehose-${this.name}-${randomUUID()}`,
        kinesisClient: this.parts.kinesis,
        processorFactory: this.#pipeline,
        initialPosition: 'TRIM_HORIZON',
        idleTimeBetweenReadsMs: 200,
        logger,
      },
      { leaseStore: new InMemoryLeaseStore() },
    );
    await this.#worker.start();
  }

  /**
   * Puts records durably: resolves with each record's id, or the error of each that failed
   * (after the KPL's retries), in order.
   */
  async put(records: readonly Buffer[]): Promise<({ recordId: string } | { errorCode: string; errorMessage: string })[]> {
    const producer = this.#producer;
    if (producer === undefined) throw new Error(`delivery stream ${this.name} is not running`);
    return Promise.all(
      records.map(async (data) => {
        try {
          const result = await producer.put({ partitionKey: randomBytes(8).toString('hex'), data });
          return { recordId: `${result.shardId}-${result.sequenceNumber}-${result.subSequenceNumber}` };
        } catch (error) {
          return { errorCode: 'ServiceUnavailableException', errorMessage: (error as Error).message };
        }
      }),
    );
  }

  /** Stops the worker (it flushes and checkpoints what it read) and the producer. */
  async stop(): Promise<void> {
    await this.#worker?.shutdown();
    await this.#pipeline?.shutdown();
    await this.#producer?.close();
  }
}
