import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateStreamCommand, DeleteStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FirehoseTransformFunction, SchemaColumn } from '@kinesis-toolkit/connector';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { createKinesisClient, createS3Client } from '../aws/clientConfig';
import { formatHost } from '../net/formatHost';
import { planDeliveryStream, type CreateDeliveryStreamInput } from './deliveryStreamConfig';
import { FirehoseApiError } from './FirehoseApiError';
import { LocalDeliveryStream } from './LocalDeliveryStream';

/** Options of {@link LocalFirehose.start}. */
export interface LocalFirehoseOptions {
  /** The Kinesis endpoint that holds the backing streams (kinesalite of the local stack). */
  readonly kinesisEndpoint: string;
  /** The S3 endpoint delivery goes to (s3rver of the local stack). */
  readonly s3Endpoint: string;
  /** @defaultValue `'127.0.0.1'` */
  readonly host?: string;
  /** Shards of each backing stream. @defaultValue 1 */
  readonly shardsPerStream?: number;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
}

const TARGET_PREFIX = 'Firehose_20150804.';
// Firehose's limits for PutRecordBatch and PutRecord.
const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const MAX_RECORD_BYTES = 1_024_000;
const NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * A local Amazon Data Firehose endpoint: the Firehose API (`CreateDeliveryStream`,
 * `DescribeDeliveryStream`, `ListDeliveryStreams`, `DeleteDeliveryStream`, `PutRecord`,
 * `PutRecordBatch`) over its real protocol — AWS JSON 1.1, `X-Amz-Target: Firehose_20150804.*` —
 * so the unmodified `@aws-sdk/client-firehose` and the Kinesis Agent can write to it. Each
 * delivery stream is a {@link LocalDeliveryStream}: records are acknowledged once durable on a
 * backing Kinesis stream and delivered to S3 by a connector pipeline, exactly where Firehose would
 * put them. Glue tables (for format conversion) and Lambda functions (for data transformation) are
 * registered on the endpoint instead.
 */
export class LocalFirehose {
  readonly #streams = new Map<string, LocalDeliveryStream>();
  readonly #glueTables = new Map<string, readonly SchemaColumn[]>();
  readonly #lambdas = new Map<string, FirehoseTransformFunction>();
  readonly #kinesis: KinesisClient;
  readonly #s3: S3Client;
  #closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly options: LocalFirehoseOptions,
  ) {
    this.#kinesis = createKinesisClient(options.kinesisEndpoint);
    this.#s3 = createS3Client(options.s3Endpoint);
  }

  /** Starts the endpoint on a free port. */
  static async start(options: LocalFirehoseOptions): Promise<LocalFirehose> {
    const host = options.host ?? '127.0.0.1';
    const holder: { firehose?: LocalFirehose } = {};
    const server = createServer((request, response) => void holder.firehose!.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    holder.firehose = new LocalFirehose(server, `http://${formatHost(host)}:${(server.address() as AddressInfo).port}`, options);
    return holder.firehose;
  }

  /** Registers the columns of a Glue table, for `DataFormatConversionConfiguration.SchemaConfiguration`. */
  registerGlueTable(databaseName: string, tableName: string, columns: readonly SchemaColumn[]): void {
    this.#glueTables.set(`${databaseName}.${tableName}`, columns);
  }

  /** Registers a transformation function under a Lambda ARN, for a `Lambda` processor. */
  registerLambda(lambdaArn: string, fn: FirehoseTransformFunction): void {
    this.#lambdas.set(lambdaArn, fn);
  }

  /** Stops every delivery stream (flushing what its pipeline holds) and the endpoint. */
  stop(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#streams.values()].map((stream) => stream.stop()));
      this.#streams.clear();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.#kinesis.destroy();
      this.#s3.destroy();
    })();
    return this.#closing;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, type?: string) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...(type !== undefined ? { 'x-amzn-errortype': type } : {}) });
      response.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) throw new FirehoseApiError('UnknownOperationException', `expected a POST with X-Amz-Target: ${TARGET_PREFIX}<Operation>`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new FirehoseApiError('SerializationException', 'the request body is not JSON');
      }
      send(200, await this.#operation(target.slice(TARGET_PREFIX.length), input));
    } catch (error) {
      const apiError = error instanceof FirehoseApiError ? error : new FirehoseApiError('ServiceUnavailableException', (error as Error).message);
      if (!(error instanceof FirehoseApiError)) (this.options.logger ?? NOOP_LOGGER).error({ error: String(error) }, 'local Firehose request failed');
      send(apiError.status, { __type: apiError.type, message: apiError.message }, apiError.type);
    }
  }

  async #operation(operation: string, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'CreateDeliveryStream':
        return this.#create(input as CreateDeliveryStreamInput);
      case 'DescribeDeliveryStream':
        return { DeliveryStreamDescription: this.#describe(this.#stream(input.DeliveryStreamName)) };
      case 'ListDeliveryStreams': {
        const names = [...this.#streams.keys()].sort();
        const start = typeof input.ExclusiveStartDeliveryStreamName === 'string' ? names.filter((n) => n > (input.ExclusiveStartDeliveryStreamName as string)) : names;
        const limit = typeof input.Limit === 'number' ? input.Limit : 10;
        return { DeliveryStreamNames: start.slice(0, limit), HasMoreDeliveryStreams: start.length > limit };
      }
      case 'DeleteDeliveryStream': {
        const stream = this.#stream(input.DeliveryStreamName);
        this.#streams.delete(stream.name);
        await stream.stop();
        await this.#kinesis.send(new DeleteStreamCommand({ StreamName: stream.backingStream, EnforceConsumerDeletion: true }));
        return {};
      }
      case 'PutRecord': {
        const [result] = await this.#put(input.DeliveryStreamName, [(input.Record as { Data?: unknown } | undefined)?.Data]);
        if (result === undefined || 'errorCode' in result) throw new FirehoseApiError('ServiceUnavailableException', result?.errorMessage ?? 'the record was not stored');
        return { RecordId: result.recordId, Encrypted: false };
      }
      case 'PutRecordBatch': {
        const records = input.Records;
        if (!Array.isArray(records) || records.length === 0) throw new FirehoseApiError('InvalidArgumentException', 'Records: expected 1 to 500 records');
        const results = await this.#put(
          input.DeliveryStreamName,
          records.map((r) => (r as { Data?: unknown } | null)?.Data),
        );
        return {
          FailedPutCount: results.filter((r) => 'errorCode' in r).length,
          Encrypted: false,
          RequestResponses: results.map((r) => ('errorCode' in r ? { ErrorCode: r.errorCode, ErrorMessage: r.errorMessage } : { RecordId: r.recordId })),
        };
      }
      default:
        throw new FirehoseApiError('UnknownOperationException', `${operation} is not implemented by the local Firehose endpoint`);
    }
  }

  async #create(input: CreateDeliveryStreamInput): Promise<unknown> {
    const name = input.DeliveryStreamName;
    if (typeof name !== 'string' || !NAME.test(name)) throw new FirehoseApiError('InvalidArgumentException', `DeliveryStreamName: expected 1 to 64 letters, digits, _ . -, got ${JSON.stringify(name)}`);
    if (this.#streams.has(name)) throw new FirehoseApiError('ResourceInUseException', `Firehose ${name} under account 000000000000 already exists`);
    const plan = planDeliveryStream(input, { glueTables: this.#glueTables, lambdas: this.#lambdas });
    const backingStream = `firehose-${name}-${Date.now().toString(36)}`.slice(0, 128);
    await this.#kinesis.send(new CreateStreamCommand({ StreamName: backingStream, ShardCount: this.options.shardsPerStream ?? 1 }));
    await waitUntilStreamExists({ client: this.#kinesis, maxWaitTime: 30 }, { StreamName: backingStream });
    const stream = new LocalDeliveryStream(name, backingStream, plan, { kinesis: this.#kinesis, s3: this.#s3, ...(this.options.logger !== undefined ? { logger: this.options.logger } : {}) });
    try {
      await stream.start();
    } catch (error) {
      await stream.stop().catch(() => undefined);
      await this.#kinesis.send(new DeleteStreamCommand({ StreamName: backingStream })).catch(() => undefined);
      throw new FirehoseApiError('InvalidArgumentException', (error as Error).message);
    }
    this.#streams.set(name, stream);
    return { DeliveryStreamARN: stream.arn };
  }

  #describe(stream: LocalDeliveryStream): Record<string, unknown> {
    return {
      DeliveryStreamName: stream.name,
      DeliveryStreamARN: stream.arn,
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      CreateTimestamp: stream.createdAt.getTime() / 1000,
      Destinations: [stream.plan.description],
      HasMoreDestinations: false,
    };
  }

  #stream(name: unknown): LocalDeliveryStream {
    const stream = typeof name === 'string' ? this.#streams.get(name) : undefined;
    if (stream === undefined) throw new FirehoseApiError('ResourceNotFoundException', `Firehose ${String(name)} under account 000000000000 not found.`);
    return stream;
  }

  async #put(name: unknown, data: readonly unknown[]): Promise<({ recordId: string } | { errorCode: string; errorMessage: string })[]> {
    const stream = this.#stream(name);
    if (data.length > MAX_BATCH_RECORDS) throw new FirehoseApiError('InvalidArgumentException', `Records: at most ${MAX_BATCH_RECORDS} records per PutRecordBatch, got ${data.length}`);
    const records = data.map((value, index) => {
      if (typeof value !== 'string') throw new FirehoseApiError('InvalidArgumentException', `Records[${index}].Data: expected base64 data`);
      const bytes = Buffer.from(value, 'base64');
      if (bytes.length > MAX_RECORD_BYTES) throw new FirehoseApiError('InvalidArgumentException', `Records[${index}].Data: at most ${MAX_RECORD_BYTES} bytes (1,000 KiB), got ${bytes.length}`);
      return bytes;
    });
    const total = records.reduce((sum, bytes) => sum + bytes.length, 0);
    if (total > MAX_BATCH_BYTES) throw new FirehoseApiError('InvalidArgumentException', `Records: at most ${MAX_BATCH_BYTES} bytes (4 MiB) per PutRecordBatch, got ${total}`);
    return stream.put(records);
  }
}
