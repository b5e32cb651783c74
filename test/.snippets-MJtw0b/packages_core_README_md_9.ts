import { callAws, RetryPolicy, createLogger, AwsRequestError } from '@kinesis-toolkit/core';
export {};
