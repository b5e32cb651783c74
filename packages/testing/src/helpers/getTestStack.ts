import {
  createDynamoDBClient,
  createKinesisClient,
  createS3Client,
  resolveClientConfigOptions,
  TEST_CREDENTIALS,
  TEST_REGION,
  type ClientConfigOptions,
} from '../aws/clientConfig';
import { TestingError } from '../errors/TestingError';
import { readTestStackEndpoints, TEST_STACK_ENV } from '../jest/testStackEnv';
import type { AwsServices } from '../stack/LocalStack';

/** The shared local stack as a test sees it, from {@link getTestStack}. */
export interface TestStack extends AwsServices {
  /** Destroys this test's clients (the shared emulators keep running). */
  destroy(): void;
}

/**
 * Clients for the local stack that jest's global setup started for this run, found through the
 * {@link TEST_STACK_ENV} variables. Each call makes new clients; destroy them in `afterAll`.
 * Use your own stream, table and bucket names ({@link uniqueName}): the stack is shared by every
 * test file of the run.
 *
 * @example
 * ```ts
 * const stack = getTestStack();
 * afterAll(() => stack.destroy());
 * ```
 * @throws InvalidArgumentError for bad client options; TestingError (`NO_TEST_STACK`) when the variables are not set: the jest config lacks the global setup.
 */
export function getTestStack(clientOptions: ClientConfigOptions = {}): TestStack {
  // Bad options first: they are wrong whether or not a stack is running.
  resolveClientConfigOptions(clientOptions, 'clientOptions');
  const endpoints = readTestStackEndpoints();
  if (endpoints === undefined) {
    throw new TestingError(
      'NO_TEST_STACK',
      `No local AWS stack: ${Object.values(TEST_STACK_ENV).join(', ')} are not set. ` +
        "Add globalSetup: '@kinesis-toolkit/testing/jest/globalSetup' and globalTeardown: " +
        "'@kinesis-toolkit/testing/jest/globalTeardown' to the jest config, or call startLocalStack() yourself.",
    );
  }
  const kinesis = createKinesisClient(endpoints.kinesis, clientOptions);
  const dynamodb = createDynamoDBClient(endpoints.dynamodb, clientOptions);
  const s3 = createS3Client(endpoints.s3, clientOptions);
  return {
    kinesis: { endpoint: endpoints.kinesis, client: kinesis },
    dynamodb: { endpoint: endpoints.dynamodb, client: dynamodb },
    s3: { endpoint: endpoints.s3, client: s3 },
    region: clientOptions.region ?? TEST_REGION,
    credentials: clientOptions.credentials ?? TEST_CREDENTIALS,
    destroy: () => {
      kinesis.destroy();
      dynamodb.destroy();
      s3.destroy();
    },
  };
}
