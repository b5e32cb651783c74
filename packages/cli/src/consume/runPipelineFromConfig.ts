import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createPipeline,
  DynamoDBEmitter,
  FileEmitter,
  HttpEndpointEmitter,
  JsonTransformer,
  PassThroughTransformer,
  PostgresEmitter,
  S3Emitter,
  S3FailureSink,
  StdoutEmitter,
  type Emitter,
  type FailureSink,
  type Transformer,
} from '@kinesis-toolkit/connector';
import { Worker, type WorkerOptions } from '@kinesis-toolkit/kcl';
import type { Logger } from '@kinesis-toolkit/core';
import type { EventEmitter } from 'node:events';
import { preflight } from './preflight';
import { explainAwsError } from '../awsErrors';
import { dynamoClientFor, kinesisClientFor, resolveAwsSettings, s3ClientFor, type AwsFlagValues, type AwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { CommandContext } from '../CommandContext';
import { JsonObjectTransformer } from './JsonObjectTransformer';
import { parsePipelineConfig, type EmitterType, type PipelineConfig } from './pipelineConfig';
import { startCliMetrics, type MetricsSettings } from '../metrics/cliMetrics';

/** Options as the config file and the command build them; each class validates its own. */
type Options = Record<string, unknown>;

/** The connector class behind each emitter type. */
const EMITTER_CLASSES: Record<EmitterType, new (options: Options) => Emitter<unknown>> = {
  s3: S3Emitter as unknown as new (options: Options) => Emitter<unknown>,
  dynamodb: DynamoDBEmitter as unknown as new (options: Options) => Emitter<unknown>,
  postgres: PostgresEmitter as unknown as new (options: Options) => Emitter<unknown>,
  http: HttpEndpointEmitter as unknown as new (options: Options) => Emitter<unknown>,
  stdout: StdoutEmitter as unknown as new (options: Options) => Emitter<unknown>,
  file: FileEmitter as unknown as new (options: Options) => Emitter<unknown>,
};

/**
 * `consume --config FILE`: a KCL `Worker` whose processors are a connector pipeline built from
 * the file (see {@link parsePipelineConfig}). Runs until Ctrl-C, then shuts the worker down
 * (every shard flushes and checkpoints, leases are released) and the pipeline (the emitter
 * closes), and resolves 0. Status goes to stderr: stdout may be the `stdout` emitter's.
 */
export async function runPipelineFromConfig(
  path: string,
  context: CommandContext,
  flags: AwsFlagValues,
  logger: Logger,
  /** Builds the worker (tests pass a stand-in). @defaultValue a KCL `Worker` */
  createWorker: (options: WorkerOptions) => Pick<Worker, 'start' | 'shutdown'> & Pick<EventEmitter, 'on'> = (options) => new Worker(options),
  /** `--metrics`: where the worker's and the pipeline's metrics go. @defaultValue none */
  metricsSettings: MetricsSettings = { targets: [], intervalMs: 60_000 },
): Promise<number> {
  const file = resolve(context.cwd, path);
  const config = parsePipelineConfig(await readJson(file, path), path);
  const settings = resolveAwsSettings(flags, context.env);
  const emitterOptions = config.emitter.options as Record<string, unknown>;
  // What the config names must be there before a worker starts: else every batch would fail, quietly.
  await preflight({
    config,
    file: path,
    settings,
    path: config.emitter.type === 'file' ? resolve(context.cwd, emitterOptions.path as string) : undefined,
    connectionString: config.emitter.type === 'postgres' ? secretFrom(context.env, emitterOptions.connectionStringEnv as string, `${path}: emitter.connectionStringEnv`) : undefined,
    signal: context.signal,
  });
  const metrics = await startCliMetrics(metricsSettings, { cwd: context.cwd, stdout: context.stdout, region: settings.region, env: context.env, logger });
  const pipeline = createPipeline<unknown, unknown>({
    streamName: config.stream,
    transformer: transformerFor(config),
    emitter: emitterFor(config, settings, context, path),
    buffer: config.buffer,
    retry: config.retry,
    logger: logger.child({ component: 'pipeline' }),
    ...(metrics.recorder !== undefined ? { metrics: metrics.recorder } : {}),
    ...(config.failures !== undefined ? { failureSink: failureSinkFor(config.failures, settings, path) } : {}),
  });
  const kinesisClient = kinesisClientFor(settings);
  const dynamoClient = dynamoClientFor(settings);
  const worker = createWorker({
    streamName: config.stream,
    applicationName: config.application,
    processorFactory: pipeline,
    kinesisClient,
    dynamoClient,
    initialPosition: config.initialPosition,
    logger: logger.child({ component: 'worker' }),
    ...(metrics.recorder !== undefined ? { metrics: metrics.recorder } : {}),
    ...(config.workerId !== undefined ? { workerId: config.workerId } : {}),
  });
  // A fatal error of the running worker (workerError) or a shard that stopped (shardError) ends
  // the command with one line and exit code 1 — never a worker that runs on silently.
  let fatal: unknown;
  const stop = new AbortController();
  const onFatal = (kind: string) => (error: unknown) => {
    logger.error({ kind, code: (error as { code?: unknown })?.code }, `${kind}: ${(error as Error)?.message ?? String(error)}`);
    fatal ??= error;
    stop.abort();
  };
  worker.on('workerError', onFatal('workerError'));
  worker.on('shardError', onFatal('shardError'));
  try {
    await worker.start().catch((error: unknown) => {
      throw explainAwsError(error, {
        service: 'Kinesis',
        endpointFlag: 'kinesis-endpoint',
        endpoint: settings.kinesisEndpoint,
        region: settings.region,
        resource: `stream "${config.stream}"`,
        whenMissing: 'create it',
      });
    });
    context.stderr.write(
      `kinesis-toolkit consume: running application "${config.application}" on stream "${config.stream}" into the ${config.emitter.type} emitter; Ctrl-C to stop.\n`,
    );
    const signal = AbortSignal.any([context.signal, stop.signal]);
    await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
    context.stderr.write('kinesis-toolkit consume: shutting down (flushing, checkpointing, releasing leases)…\n');
  } finally {
    await worker.shutdown();
    await pipeline.shutdown();
    kinesisClient.destroy();
    dynamoClient.destroy();
    await metrics.close();
  }
  if (fatal !== undefined) {
    throw new CliError(`the worker stopped on an error: ${((fatal as Error)?.message ?? String(fatal)).replace(/\s*\n\s*/g, ' ')}`, 1);
  }
  context.stderr.write('kinesis-toolkit consume: stopped.\n');
  return 0;
}

async function readJson(file: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --config ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--config ${shown} is not valid JSON: ${(error as Error).message}.`);
  }
}

function transformerFor(config: PipelineConfig): Transformer<unknown, unknown> {
  if (config.transformer === 'passthrough') return new PassThroughTransformer() as Transformer<unknown, unknown>;
  return (config.emitter.type === 'dynamodb' || config.emitter.type === 'postgres' ? new JsonObjectTransformer() : new JsonTransformer()) as Transformer<unknown, unknown>;
}

function emitterFor(config: PipelineConfig, settings: AwsSettings, context: CommandContext, file: string): Emitter<unknown> {
  const { type, options } = config.emitter;
  const { connectionStringEnv, accessKeyEnv, ...rest } = options as Record<string, unknown>;
  const built: Record<string, unknown> = { ...rest };
  if (type === 's3') built.client = s3ClientFor(settings);
  if (type === 'dynamodb') built.client = dynamoClientFor(settings);
  if (type === 'stdout') built.stream = context.stdout;
  if (type === 'file') built.path = resolve(context.cwd, rest.path as string);
  if (type === 'postgres') built.connectionString = secretFrom(context.env, connectionStringEnv as string, `${file}: emitter.connectionStringEnv`);
  if (type === 'http' && accessKeyEnv !== undefined) built.accessKey = secretFrom(context.env, accessKeyEnv as string, `${file}: emitter.accessKeyEnv`);
  return construct(EMITTER_CLASSES[type], built, `${file}: emitter`);
}

function failureSinkFor(failures: NonNullable<PipelineConfig['failures']>, settings: AwsSettings, file: string): FailureSink {
  return construct(S3FailureSink as unknown as new (options: Options) => FailureSink, { client: s3ClientFor(settings), ...failures }, `${file}: failures`);
}

/** Builds a connector class; its options TypeError (core's InvalidArgumentError) becomes a one-line CliError naming the config key. */
function construct<T>(Class: new (options: Options) => T, options: Options, where: string): T {
  try {
    return new Class(options);
  } catch (error) {
    // Never echo a secret value (a connection string with its password).
    if (error instanceof TypeError) throw new CliError(`${where}: ${error.message.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://…')}.`);
    throw error;
  }
}

function secretFrom(env: NodeJS.ProcessEnv, variable: string, where: string): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new CliError(`${where}: the environment variable ${variable} is not set.`);
  return value;
}
