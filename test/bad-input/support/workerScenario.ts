/**
 * A child process for the bad-input suite's Worker cases (kcl.integ.test.ts): runs one scenario
 * against the built packages and reports every outcome over IPC. The parent kills it when it has
 * seen enough or its bound passed, so a worker that never stops cannot hang the test run.
 *
 * argv[2]: JSON { scenario, streamName, applicationName, kinesisEndpoint, dynamodbEndpoint }.
 */
import { isToolkitError, SDK_CLIENT_DEFAULTS } from '@kinesis-toolkit/core';
import { Worker, type Checkpointer, type RecordProcessor, type UserRecord } from '@kinesis-toolkit/kcl';
import { createDynamoDBClient, createKinesisClient } from '@kinesis-toolkit/testing';
import { BAD_CHECKPOINTS, type ReportedOutcome, type ScenarioConfig, type ScenarioMessage } from './workerScenarioTypes';

const ERROR_EVENTS = ['processorError', 'shardError', 'workerError', 'error'];

function report(message: ScenarioMessage): void {
  process.send?.(message);
}

function describeError(kind: 'threw' | 'rejected', error: unknown): ReportedOutcome {
  if (!(error instanceof Error)) return { kind, message: String(error) };
  const fields = error as Error & { code?: unknown; retryable?: unknown; context?: { streamName?: unknown } };
  const streamName = typeof fields.context?.streamName === 'string' ? fields.context.streamName : undefined;
  return { kind, name: error.name, code: String(fields.code), retryable: fields.retryable === true, toolkit: isToolkitError(error), message: error.message, ...(streamName === undefined ? {} : { streamName }) };
}

async function outcomeOf(run: () => unknown): Promise<ReportedOutcome> {
  try {
    const value = run();
    if (value === null || typeof (value as Promise<unknown> | undefined)?.then !== 'function') return { kind: 'returned' };
    await value;
    return { kind: 'resolved' };
  } catch (error) {
    return describeError('threw', error);
  }
}

async function main(config: ScenarioConfig): Promise<void> {
  process.on('unhandledRejection', (reason) => report({ type: 'unhandledRejection', outcome: describeError('rejected', reason) }));
  let triedCheckpoints = false;
  const processor = (): RecordProcessor => ({
    processRecords: async ({ records, checkpointer }: { records: readonly UserRecord[]; checkpointer: Checkpointer }) => {
      for (const record of records) report({ type: 'delivered', data: record.data.toString('base64'), sequenceNumber: record.sequenceNumber });
      if (config.scenario !== 'checkpoints' || triedCheckpoints || records.length === 0) return;
      triedCheckpoints = true;
      for (const [name, argument] of BAD_CHECKPOINTS) report({ type: 'checkpoint', name, outcome: await outcomeOf(() => checkpointer.checkpoint(argument as never)) });
    },
    shardEnded: ({ checkpointer }) => checkpointer.checkpoint(),
  });
  const worker = new Worker({
    streamName: config.streamName,
    applicationName: config.applicationName,
    kinesisClient: createKinesisClient(config.kinesisEndpoint, SDK_CLIENT_DEFAULTS),
    dynamoClient: createDynamoDBClient(config.dynamodbEndpoint, SDK_CLIENT_DEFAULTS),
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: 1500,
    idleTimeBetweenReadsMs: 200,
    processorFactory: config.scenario === 'noShardEnded' ? () => ({ processRecords: () => undefined }) as never : processor,
  });
  for (const event of ERROR_EVENTS) {
    (worker as unknown as NodeJS.EventEmitter).on(event, (error: unknown) => report({ type: 'event', event, outcome: describeError('rejected', error) }));
  }
  report({ type: 'started', outcome: await outcomeOf(() => worker.start()) });
  if (config.scenario === 'startTwice') report({ type: 'startedAgain', outcome: await outcomeOf(() => worker.start()) });
}

main(JSON.parse(process.argv[2] ?? '{}') as ScenarioConfig).catch((error: unknown) => {
  report({ type: 'unhandledRejection', outcome: describeError('rejected', error) });
});
