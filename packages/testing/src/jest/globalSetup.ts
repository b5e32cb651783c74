import { startLocalStack } from '../stack/startLocalStack';
import type { LocalStack } from '../stack/LocalStack';
import { readTestStackEndpoints, writeTestStackEndpoints } from './testStackEnv';

/** Where the stack is kept between global setup and teardown (they share one process and global scope). */
export const GLOBAL_STACK_KEY = Symbol.for('@kinesis-toolkit/testing/localStack');

type GlobalWithStack = typeof globalThis & { [GLOBAL_STACK_KEY]?: LocalStack };

/**
 * Jest global setup: starts the local AWS stack once for the whole run and publishes its
 * endpoints in the `KT_*_ENDPOINT` variables, which the test workers inherit. If all three are
 * already set (a stack started outside jest), it starts nothing and the tests use that one.
 */
export default async function globalSetup(): Promise<void> {
  if (readTestStackEndpoints() !== undefined) return;
  const stack = await startLocalStack();
  (globalThis as GlobalWithStack)[GLOBAL_STACK_KEY] = stack;
  writeTestStackEndpoints({ kinesis: stack.kinesis.endpoint, dynamodb: stack.dynamodb.endpoint, s3: stack.s3.endpoint });
}
