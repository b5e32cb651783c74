import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisToolkitError, NOOP_LOGGER } from '@kinesis-toolkit/core';
import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { CliError } from '../src/CliError';
import { runPipelineFromConfig } from '../src/consume/runPipelineFromConfig';
import { memoryContext } from './memoryContext';

// `consume --config` ends on a fatal error of the running worker instead of running on silently.
// The stream, file and clients are real (the preflight checks run against the local stack); the
// worker is a stand-in that emits the KCL's `workerError` / `shardError` events by name — once
// the KCL raises them itself for a deleted stream or denied access, a real worker can replace it.

let stack: TestStack;
let dir: string;
beforeAll(() => {
  stack = getTestStack();
  dir = mkdtempSync(join(tmpdir(), 'kt-consume-fatal-'));
});
afterAll(() => {
  stack.destroy();
  rmSync(dir, { recursive: true, force: true });
});

class StandInWorker extends EventEmitter {
  shutdowns = 0;
  async start(): Promise<void> {}
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

describe.each(['workerError', 'shardError'])('consume --config and a %s', (event) => {
  it('shuts the worker down and fails with one line (exit code 1)', async () => {
    const streamName = uniqueName('cli-fatal');
    await createStream(stack.kinesis.client, streamName, 1);
    const config = join(dir, `${event}.json`);
    writeFileSync(config, JSON.stringify({ stream: streamName, application: uniqueName('cli-fatal-app'), emitter: { type: 'file', path: join(dir, 'out.jsonl') } }));
    const worker = new StandInWorker();
    const context = memoryContext({ env: process.env });
    const running = runPipelineFromConfig(config, { ...context, argv: [] }, {}, NOOP_LOGGER, () => worker as never);
    await new Promise((resolve) => setImmediate(resolve));
    await waitUntilStarted(context);
    worker.emit(event, new KinesisToolkitError('AccessDeniedException', 'Kinesis GetRecords failed with AccessDeniedException — not retried'));
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 1, message: 'the worker stopped on an error: Kinesis GetRecords failed with AccessDeniedException — not retried' });
    expect(worker.shutdowns).toBe(1);
  });
});

/** Until the command says it is running (it prints that once the worker started). */
async function waitUntilStarted(context: ReturnType<typeof memoryContext>): Promise<void> {
  for (let i = 0; i < 500 && !context.stderrText().includes('running application'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(context.stderrText()).toContain('running application');
}
