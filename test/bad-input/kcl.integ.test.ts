/**
 * The KCL Worker against the local stack when its input is wrong: a stream that does not exist,
 * a caller without permission (a stub server that denies every call: no emulator models IAM),
 * start() twice, checkpoint arguments of any type, a processor without shardEnded, and corrupt
 * bytes on a real stream. Each worker runs in a child process (support/workerScenario.ts, on the
 * built packages) that is killed when its bound passes, so a worker that never stops fails its
 * case instead of hanging the run; the child reports any unhandled rejection.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { createHash } from 'node:crypto';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { KPL_AGGREGATION_MAGIC } from '@kinesis-toolkit/aggregation';
import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { join } from 'node:path';
import { ForkedTestProcess } from '../support/ForkedTestProcess';
import { failOnUnhandledRejections } from './support/badInput';
import { startDenyingServer } from './support/denyingServer';
import { BAD_CHECKPOINTS, type ReportedOutcome, type Scenario, type ScenarioMessage } from './support/workerScenarioTypes';

failOnUnhandledRejections();

const BOUND_MS = 15_000;

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

/**
 * Runs a scenario in a child until `done(messages)` holds or BOUND_MS passes, kills the child
 * and returns what it reported. Fails on any unhandled rejection in the child.
 */
async function runScenario(scenario: Scenario, streamName: string, done: (messages: readonly ScenarioMessage[]) => boolean, endpoints = { kinesis: stack.kinesis.endpoint, dynamodb: stack.dynamodb.endpoint }) {
  const applicationName = uniqueName('bad-input-app');
  const child = new ForkedTestProcess<ScenarioMessage>({
    script: join(__dirname, 'support', 'workerScenario.ts'),
    config: { scenario, streamName, applicationName, kinesisEndpoint: endpoints.kinesis, dynamodbEndpoint: endpoints.dynamodb },
    cwd: join(__dirname, '..', '..'),
    name: `worker scenario ${scenario}`,
    builtPackages: ['core', 'aggregation', 'kcl', 'testing'],
  });
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, BOUND_MS);
      const stop = child.onMessage(() => {
        if (done(child.messages)) finish();
      });
      function finish(): void {
        clearTimeout(timer);
        stop();
        resolve();
      }
      void child.exited.then(finish);
    });
  } finally {
    await child.destroy();
  }
  const unhandled = child.of('unhandledRejection');
  if (unhandled.length > 0) throw new Error(`unhandled rejection in the worker: ${unhandled.map((m) => summarize(m.outcome)).join('; ')}`);
  return { messages: child.messages, applicationName, describeChild: () => child.describe() };
}

function summarize(outcome: ReportedOutcome | undefined): string {
  if (outcome === undefined) return 'nothing (no answer within the bound: a hang)';
  if (outcome.kind === 'returned' || outcome.kind === 'resolved') return `it ${outcome.kind} (accepted the bad input)`;
  return `it ${outcome.kind} ${outcome.name}${outcome.toolkit ? ` (code ${outcome.code}${outcome.retryable ? ', retryable' : ''})` : ' (not a KinesisToolkitError)'}: ${outcome.message?.split('\n')[0]}`;
}

/** The bad-input contract for a reported outcome: a non-retryable KinesisToolkitError whose code, message or context.streamName matches `pattern`. */
function expectTypedOutcome(outcome: ReportedOutcome | undefined, pattern: RegExp, what: string): void {
  const ok = outcome !== undefined && (outcome.kind === 'threw' || outcome.kind === 'rejected') && outcome.toolkit === true && outcome.retryable === false && pattern.test(`${outcome.code} ${outcome.message} ${outcome.streamName ?? ''}`);
  if (!ok) throw new Error(`expected ${what}: a non-retryable KinesisToolkitError matching ${pattern}, but ${summarize(outcome)}`);
}

const started = (messages: readonly ScenarioMessage[]) => messages.find((m): m is Extract<ScenarioMessage, { type: 'started' }> => m.type === 'started')?.outcome;

async function tableExists(name: string): Promise<boolean> {
  const { TableNames = [] } = await stack.dynamodb.client.send(new ListTablesCommand({}));
  return TableNames.includes(name);
}

it('Worker.start() on a stream that does not exist rejects with a typed error naming the stream, and leaves no lease table', async () => {
  const streamName = uniqueName('missing');
  const run = await runScenario('start', streamName, (messages) => started(messages) !== undefined);
  expectTypedOutcome(started(run.messages), new RegExp(streamName), 'start() to reject');
  expect(await tableExists(run.applicationName)).toBe(false);
});

it('Worker.start() when access is denied (a stub server that denies every call) rejects with a typed AccessDeniedException', async () => {
  const denying = await startDenyingServer();
  try {
    const run = await runScenario('start', uniqueName('denied'), (messages) => started(messages) !== undefined, { kinesis: denying.endpoint, dynamodb: denying.endpoint });
    expectTypedOutcome(started(run.messages), /AccessDenied/, 'start() to reject');
  } finally {
    await denying.stop();
  }
});

it('Worker.start() a second time rejects with a typed error, not a plain Error', async () => {
  const streamName = uniqueName('twice');
  await createStream(stack.kinesis.client, streamName, 1);
  const run = await runScenario('startTwice', streamName, (messages) => messages.some((m) => m.type === 'startedAgain'));
  expect(started(run.messages)).toMatchObject({ kind: 'resolved' });
  expectTypedOutcome(run.messages.find((m): m is Extract<ScenarioMessage, { type: 'startedAgain' }> => m.type === 'startedAgain')?.outcome, /start/, 'the second start() to reject');
});

it('a processor without shardEnded is refused when created: start() rejects or the worker emits a typed error naming shardEnded', async () => {
  const streamName = uniqueName('no-shard-ended');
  await createStream(stack.kinesis.client, streamName, 1);
  const named = (outcome: ReportedOutcome | undefined) => outcome?.toolkit === true && /shardEnded/.test(outcome.message ?? '');
  const run = await runScenario('noShardEnded', streamName, (messages) => messages.some((m) => (m.type === 'started' || m.type === 'event') && named(m.outcome)));
  const outcomes = run.messages.flatMap((m) => (m.type === 'started' || m.type === 'event' ? [m.outcome] : []));
  if (!outcomes.some(named)) throw new Error(`expected a KinesisToolkitError naming shardEnded; saw: ${outcomes.map(summarize).join('; ') || 'nothing'}`);
});

describe('checkpoint arguments of any type', () => {
  let messages: readonly ScenarioMessage[] = [];
  beforeAll(async () => {
    const streamName = uniqueName('checkpoints');
    await createStream(stack.kinesis.client, streamName, 1);
    await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('one') }));
    ({ messages } = await runScenario('checkpoints', streamName, (seen) => seen.filter((m) => m.type === 'checkpoint').length === BAD_CHECKPOINTS.length));
  }, BOUND_MS * 2);

  it.each(BAD_CHECKPOINTS.map(([name]) => [name]))('%s rejects with InvalidCheckpointError (a KinesisToolkitError), not a TypeError or SyntaxError', (name) => {
    const reported = messages.find((m): m is Extract<ScenarioMessage, { type: 'checkpoint' }> => m.type === 'checkpoint' && m.name === name);
    if (reported === undefined) throw new Error(`the processor never got to ${name}: no batch was delivered within ${BOUND_MS} ms`);
    expectTypedOutcome(reported.outcome, /checkpoint/i, name);
    expect(reported.outcome.name).toBe('InvalidCheckpointError');
  });
});

it('corrupt bytes on a real stream: a poison aggregate is delivered raw between the records around it, and no shard stops', async () => {
  const streamName = uniqueName('poison');
  await createStream(stack.kinesis.client, streamName, 1);
  const body = Buffer.alloc(10_000, 0x23);
  const poison = Buffer.concat([KPL_AGGREGATION_MAGIC, body, createHash('md5').update(body).digest()]);
  const sent = [Buffer.from('before'), poison, Buffer.from('after')];
  for (const data of sent) await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: data }));
  const run = await runScenario('deliver', streamName, (messages) => messages.filter((m) => m.type === 'delivered').length >= sent.length);
  const delivered = run.messages.flatMap((m) => (m.type === 'delivered' ? [Buffer.from(m.data, 'base64')] : []));
  const failures = run.messages.flatMap((m) => (m.type === 'event' ? [`${m.event}: ${summarize(m.outcome)}`] : []));
  if (delivered.length !== sent.length || delivered.some((data, i) => !data.equals(sent[i]!))) {
    throw new Error(`expected the 3 records in order (the poison one raw); delivered ${delivered.length}: ${delivered.map((d) => d.toString('latin1').slice(0, 8)).join(', ')}; events: ${failures.join('; ') || 'none'} ${run.describeChild()}`);
  }
  expect(failures).toEqual([]);
});
