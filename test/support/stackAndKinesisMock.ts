import { getTestStack, startKinesisMock, type KinesisMock, type TestStack } from '@kinesis-toolkit/testing';

/** The servers of a test file that runs on both Kinesis emulators. */
export interface StackAndKinesisMock {
  /** The shared local stack (kinesalite, dynalite, s3rver), from the integ project's global setup. */
  readonly stack: TestStack;
  /** A kinesis-mock started for this file. */
  readonly mock: KinesisMock;
}

/**
 * Registers the file's `beforeAll`/`afterAll`: takes the local stack and starts a kinesis-mock
 * (the faithful emulator: ShardFilter, UpdateShardCount, ChildShards, enhanced fan-out), and stops
 * both after the file. Read the servers from the returned object inside tests, once `beforeAll` ran.
 */
export function useStackAndKinesisMock(): StackAndKinesisMock {
  const servers = {} as { stack: TestStack; mock: KinesisMock };
  beforeAll(async () => {
    servers.stack = getTestStack();
    servers.mock = await startKinesisMock();
  }, 30_000);
  afterAll(async () => {
    servers.stack?.destroy();
    await servers.mock?.stop();
  });
  return servers;
}
