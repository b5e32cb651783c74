import { InvalidArgumentError, ManualClock, type Logger } from '@kinesis-toolkit/core';
import { ServerStartError } from '../errors/ServerStartError';
import { startWithRetries } from './startWithRetries';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger = { warnings, debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_: object, message: string) => warnings.push(message), child: () => logger };
  return logger;
}

/** Runs `run` while advancing the clock until it settles (the retry waits are on the clock). */
async function settle<T>(clock: ManualClock, run: Promise<T>): Promise<PromiseSettledResult<T>> {
  let outcome: PromiseSettledResult<T> | undefined;
  void run.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  );
  for (let step = 0; step < 100 && outcome === undefined; step += 1) await clock.advance(50);
  if (outcome === undefined) throw new Error('did not settle within 5 s of clock time');
  return outcome;
}

describe('startWithRetries (core RetryPolicy)', () => {
  it('tries again after a failed start, with a warning, and resolves with the server', async () => {
    const clock = new ManualClock();
    const logger = recordingLogger();
    let calls = 0;
    const started = startWithRetries('kinesis-mock', 3, logger, async () => {
      calls += 1;
      if (calls < 3) throw new ServerStartError('kinesis-mock', 'EADDRINUSE');
      return 'server';
    }, clock);
    expect(await settle(clock, started)).toEqual({ status: 'fulfilled', value: 'server' });
    expect(calls).toBe(3);
    expect(logger.warnings).toEqual(['kinesis-mock did not start; retrying with new ports', 'kinesis-mock did not start; retrying with new ports']);
  });

  it('gives up after `attempts` with the last error', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const started = startWithRetries('postgres', 2, recordingLogger(), async () => {
      calls += 1;
      throw new ServerStartError('postgres', `attempt ${calls}`);
    }, clock);
    const outcome = await settle(clock, started);
    expect(calls).toBe(2);
    expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'postgres did not start: attempt 2' } });
  });

  it('does not retry an error of the family that says it is not retryable', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const started = startWithRetries('postgres', 3, recordingLogger(), async () => {
      calls += 1;
      throw new InvalidArgumentError('user', 'a non-empty string', '');
    }, clock);
    expect(await settle(clock, started)).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_ARGUMENT' } });
    expect(calls).toBe(1);
  });
});
