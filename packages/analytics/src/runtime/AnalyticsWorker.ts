import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { Worker, type WorkerOptions } from '@kinesis-toolkit/kcl';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import type { ApplicationConfig } from '../config/ApplicationConfig';
import { inputStreamName } from '../config/ApplicationConfig';
import { InvalidConfigError } from '../config/SourceSchema';
import type { AnalyticsOutput } from '../outputs/AnalyticsOutput';
import { KinesisStreamOutput } from '../outputs/KinesisStreamOutput';
import { repartitionPlanOf, type RepartitionPlan } from '../plan/repartitionPlan';
import { AnalyticsApplication } from './AnalyticsApplication';
import { RepartitionProcessor } from './RepartitionProcessor';
import type { ApplicationOptions } from './ApplicationOptions';
import { s3ReferenceLoader } from './s3ReferenceLoader';

/** What {@link AnalyticsWorker} needs besides the application's configuration. */
export interface AnalyticsWorkerOptions {
  readonly config: ApplicationConfig;
  readonly kinesisClient: KinesisClient;
  readonly dynamoClient: DynamoDBClient;
  /** For reference sources in S3. */
  readonly s3Client?: S3Client;
  /** Outputs by in-application stream; they replace (or add to) the Kinesis destinations of the config. */
  readonly outputs?: Readonly<Record<string, AnalyticsOutput>>;
  /** More KCL worker options (failoverTimeMs, workerId, …). The lease table is `config.applicationName`. */
  readonly worker?: Partial<Omit<WorkerOptions, 'processorFactory' | 'streamName' | 'kinesisClient' | 'dynamoClient'>>;
  /**
   * Run repartitioned, for several workers: input rows go through this intermediate Kinesis
   * stream keyed by the windows' grouping keys (a second KCL application, lease table
   * `${applicationName}-repartitioned`), so each group is computed whole by one worker and the
   * results equal one worker's. Create the stream first (as many shards as workers, or more).
   */
  readonly repartition?: { readonly stream: string };
  /** More application options (idleWindowCloseMs, rowtime, clock, …). */
  readonly application?: Partial<Omit<ApplicationOptions, 'sql' | 'inputSchema' | 'outputs' | 'referenceSources' | 'inputStreamName'>>;
}

/**
 * A KDA application run as a KCL application: an {@link AnalyticsApplication} whose record
 * processors a KCL {@link Worker} drives, reading the input stream, writing each destination
 * stream through a {@link KinesisProducer}. Start several (in several processes) to share the
 * shards; with `repartition`, their results equal one worker's.
 */
export class AnalyticsWorker {
  readonly application: AnalyticsApplication;
  readonly worker: Worker;
  /** With `repartition`: the KCL worker on the intermediate stream, whose shards feed the engine. */
  readonly repartitionedWorker: Worker | undefined;
  /** With `repartition`: the grouping keys the rows are spread by. */
  readonly repartitionPlan: RepartitionPlan | undefined;
  readonly #producers: KinesisProducer[] = [];

  /** @throws SqlError, InvalidConfigError or TypeError before anything starts. */
  constructor(options: AnalyticsWorkerOptions) {
    const { config } = options;
    const outputs: Record<string, AnalyticsOutput> = {};
    for (const output of config.outputs) {
      if (options.outputs?.[output.name] !== undefined) continue;
      if (output.stream === undefined) throw new InvalidConfigError(`outputs.${output.name}`, 'has no Kinesis stream destination (Firehose and Lambda destinations are not written): give an output for it');
      const producer = new KinesisProducer({ streamName: output.stream, kinesisClient: options.kinesisClient });
      this.#producers.push(producer);
      outputs[output.name] = new KinesisStreamOutput(producer, output.format);
    }
    Object.assign(outputs, options.outputs);
    if (config.references.length > 0 && options.s3Client === undefined) throw new InvalidConfigError('references', 'reference sources need an s3Client');
    this.application = new AnalyticsApplication({
      ...options.application,
      sql: config.sql,
      inputSchema: config.input.schema,
      inputStreamName: inputStreamName(config.input),
      outputs,
      referenceSources: config.references.map((reference) => ({ tableName: reference.tableName, schema: reference.schema, load: s3ReferenceLoader(options.s3Client!, reference.bucket, reference.key) })),
    });
    const initialPosition = config.input.startingPosition === 'NOW' ? 'LATEST' : 'TRIM_HORIZON';
    const applicationName = options.worker?.applicationName ?? config.applicationName;
    let processorFactory = this.application.processorFactory;
    if (options.repartition !== undefined) {
      const plan = repartitionPlanOf(this.application.plan, inputStreamName(config.input));
      const producer = new KinesisProducer({ streamName: options.repartition.stream, kinesisClient: options.kinesisClient, preserveOrder: true, recordMaxBufferedTimeMs: 20 });
      this.#producers.push(producer);
      this.repartitionPlan = plan;
      processorFactory = (shardId) => new RepartitionProcessor(shardId, this.application, producer, plan);
      this.repartitionedWorker = new Worker({
        ...options.worker,
        initialPosition: 'TRIM_HORIZON',
        workerId: options.worker?.workerId,
        applicationName: `${applicationName}-repartitioned`,
        streamName: options.repartition.stream,
        kinesisClient: options.kinesisClient,
        dynamoClient: options.dynamoClient,
        processorFactory: this.application.repartitionedProcessorFactory,
      });
    }
    this.worker = new Worker({
      initialPosition,
      ...options.worker,
      applicationName,
      streamName: config.input.stream,
      kinesisClient: options.kinesisClient,
      dynamoClient: options.dynamoClient,
      processorFactory,
    });
  }

  /** Loads reference tables, then starts the KCL worker. */
  async start(): Promise<void> {
    await this.application.start();
    await this.repartitionedWorker?.start();
    await this.worker.start();
  }

  /** Shuts the worker down (checkpoints what open windows allow, releases leases), then writes and closes the outputs. */
  async shutdown(): Promise<void> {
    await this.worker.shutdown();
    await Promise.all(this.#producers.map((producer) => producer.flush()));
    await this.repartitionedWorker?.shutdown();
    await this.application.stop();
    await Promise.all(this.#producers.map((producer) => producer.close()));
  }
}
