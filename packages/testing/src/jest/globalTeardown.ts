import type { LocalStack } from '../stack/LocalStack';
import { GLOBAL_STACK_KEY } from './globalSetup';
import { clearTestStackEndpoints } from './testStackEnv';

type GlobalWithStack = typeof globalThis & { [GLOBAL_STACK_KEY]?: LocalStack };

/** Jest global teardown: stops the stack that the global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithStack;
  const stack = holder[GLOBAL_STACK_KEY];
  if (stack === undefined) return;
  delete holder[GLOBAL_STACK_KEY];
  clearTestStackEndpoints();
  await stack.stop();
}
