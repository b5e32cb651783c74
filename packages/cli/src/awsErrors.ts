import { NETWORK_ERROR_CODES, classifyAwsError } from '@kinesis-toolkit/core';
import { CliError } from './CliError';

/** Where a command was looking when an AWS call failed, for the one-line message. */
export interface AwsTarget {
  readonly service: 'Kinesis' | 'DynamoDB' | 'S3' | 'Firehose';
  /** The endpoint flag of that service, without dashes: `kinesis-endpoint`. */
  readonly endpointFlag: 'kinesis-endpoint' | 'dynamodb-endpoint' | 's3-endpoint' | 'firehose-endpoint';
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  /** The resource, as the message names it: `stream "clicks"`, `lease table "my-app"`. */
  readonly resource: string;
  /** What to do when it does not exist: `create it`, `check --app`. */
  readonly whenMissing: string;
}

/**
 * Turns the AWS failures a user can fix (missing resource, unreachable endpoint, no region, no
 * or rejected credentials) into a one-line {@link CliError} (exit code 1) that says what to do.
 * What a failure *is* comes from core's one classifier (`classifyAwsError`: the AWS error code,
 * network codes through `cause` chains, the HTTP status); this only chooses the words. Looks
 * through `cause` chains (an `AwsRequestError` or a `LeaseStoreError` wraps the SDK's error).
 * Anything else comes back unchanged. Never prints credentials: only the names of the variables
 * that hold them.
 */
export function explainAwsError(error: unknown, target: AwsTarget): unknown {
  const where = `in ${target.region ?? 'the default region'} at ${target.endpoint ?? `the AWS ${target.service} endpoint`}`;
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth += 1) {
    const { kind, code, httpStatusCode } = classifyAwsError(current);
    if (/NotFound|^NoSuch/.test(code)) {
      return new CliError(`${target.resource} not found ${where} — ${target.whenMissing} or check --region/--${target.endpointFlag}.`, 1);
    }
    if (NETWORK_ERROR_CODES.has(code) || code === 'DEADLINE_EXCEEDED') {
      const local = target.endpoint !== undefined ? ' (is `kinesis-toolkit local` running?)' : '';
      const what = code === 'DEADLINE_EXCEEDED' ? 'no answer in time' : code;
      return new CliError(`cannot reach ${target.service} at ${target.endpoint ?? 'AWS'}: ${what}${local} — check --${target.endpointFlag}.`, 1);
    }
    if (current.name === 'CredentialsProviderError') {
      return new CliError(
        `no AWS credentials found — set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or point --${target.endpointFlag} at a local endpoint.`,
        1,
      );
    }
    if (kind === 'expiredCredentials' || (kind === 'fatal' && (httpStatusCode === 403 || /AccessDenied|Unrecognized|Signature|AccessKey|ClientToken/.test(code)))) {
      return new CliError(`${target.service} rejected the request (${code}) — check the credentials in AWS_PROFILE / AWS_ACCESS_KEY_ID, their permissions and --region.`, 1);
    }
    if (/region is missing/i.test(current.message)) {
      return new CliError('no AWS region — pass --region or set AWS_REGION.', 1);
    }
  }
  return error;
}
