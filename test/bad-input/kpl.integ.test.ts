/**
 * The producer against real servers when the stream is wrong: a stream that does not exist
 * (kinesalite) and a caller without permission (a stub that denies every call, since no emulator
 * models IAM). put() must reject with a typed, non-retryable error naming the stream — well before
 * recordTtlMs (30 s) — and every put() must settle.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { isToolkitError, SDK_CLIENT_DEFAULTS } from '@kinesis-toolkit/core';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { createKinesisClient, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { describeOutcome, failOnUnhandledRejections, outcomeOf } from './support/badInput';
import { startDenyingServer } from './support/denyingServer';

failOnUnhandledRejections();

/** Well below the producer's default recordTtlMs of 30 s: the failure is fatal, not a timeout. */
const BOUND_MS = 10_000;

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

async function expectEveryPutRejectedNaming(endpoint: string, streamName: string, code: string): Promise<void> {
  const client = createKinesisClient(endpoint, SDK_CLIENT_DEFAULTS);
  const producer = new KinesisProducer({ streamName, kinesisClient: client });
  let closed;
  try {
    const puts = Array.from({ length: 5 }, (_, i) => producer.put({ partitionKey: `k${i}`, data: Buffer.from(`r${i}`) }));
    const outcomes = await Promise.all(puts.map((put) => outcomeOf(() => put, BOUND_MS)));
    for (const outcome of outcomes) {
      const error = outcome.kind === 'rejected' ? outcome.error : undefined;
      // The stream may be named in the message or, as a field, in the error's context.
      const namesStream = isToolkitError(error) && (error.message.includes(streamName) || error.context.streamName === streamName);
      if (!isToolkitError(error) || error.retryable || !namesStream || !`${error.code} ${error.message} ${String((error as { cause?: unknown }).cause)}`.includes(code)) {
        throw new Error(`expected put() to reject with a non-retryable KinesisToolkitError naming ${streamName} and ${code}, but ${describeOutcome(outcome)}`);
      }
    }
  } finally {
    closed = await outcomeOf(() => producer.close(), BOUND_MS);
    client.destroy();
  }
  if (closed.kind !== 'resolved') throw new Error(`close() did not finish: ${describeOutcome(closed)}`);
}

it('a stream that does not exist: every put() rejects with ResourceNotFoundException naming the stream', async () => {
  await expectEveryPutRejectedNaming(stack.kinesis.endpoint, uniqueName('missing'), 'ResourceNotFoundException');
});

it('access denied (a stub server that denies every call): every put() rejects with AccessDeniedException naming the stream', async () => {
  const denying = await startDenyingServer();
  try {
    await expectEveryPutRejectedNaming(denying.endpoint, uniqueName('denied'), 'AccessDeniedException');
  } finally {
    await denying.stop();
  }
});
