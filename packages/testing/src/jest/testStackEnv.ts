/**
 * The environment variables through which jest's global setup hands the local stack's
 * endpoints to the test workers (they are child processes and inherit its environment).
 */
export const TEST_STACK_ENV = Object.freeze({
  kinesisEndpoint: 'KT_KINESIS_ENDPOINT',
  dynamodbEndpoint: 'KT_DYNAMODB_ENDPOINT',
  s3Endpoint: 'KT_S3_ENDPOINT',
});

/** The endpoints of a running local stack. */
export interface TestStackEndpoints {
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
}

/** The endpoints in `env`, or undefined unless all three are set. */
export function readTestStackEndpoints(env: NodeJS.ProcessEnv = process.env): TestStackEndpoints | undefined {
  const kinesis = env[TEST_STACK_ENV.kinesisEndpoint];
  const dynamodb = env[TEST_STACK_ENV.dynamodbEndpoint];
  const s3 = env[TEST_STACK_ENV.s3Endpoint];
  if (!kinesis || !dynamodb || !s3) return undefined;
  return { kinesis, dynamodb, s3 };
}

/** Writes the endpoints into `env`. */
export function writeTestStackEndpoints(endpoints: TestStackEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  env[TEST_STACK_ENV.kinesisEndpoint] = endpoints.kinesis;
  env[TEST_STACK_ENV.dynamodbEndpoint] = endpoints.dynamodb;
  env[TEST_STACK_ENV.s3Endpoint] = endpoints.s3;
}

/** Removes the endpoints from `env`. */
export function clearTestStackEndpoints(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.values(TEST_STACK_ENV)) delete env[name];
}
