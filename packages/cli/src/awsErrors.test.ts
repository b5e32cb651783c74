import { explainAwsError, type AwsTarget } from './awsErrors';
import { CliError } from './CliError';

const target: AwsTarget = {
  service: 'Kinesis',
  endpointFlag: 'kinesis-endpoint',
  endpoint: 'http://127.0.0.1:4567',
  region: 'us-east-1',
  resource: 'stream "clicks"',
  whenMissing: 'create it',
};

function named(name: string, message = 'boom', extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

describe('explainAwsError', () => {
  it('says which stream is missing where, and what to do', () => {
    const error = explainAwsError(named('ResourceNotFoundException'), target);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe('stream "clicks" not found in us-east-1 at http://127.0.0.1:4567 — create it or check --region/--kinesis-endpoint.');
    expect((error as CliError).exitCode).toBe(1);
  });

  it('looks through cause chains (a store error wrapping the SDK error)', () => {
    const wrapped = new Error('listLeases failed', { cause: named('ResourceNotFoundException') });
    expect((explainAwsError(wrapped, target) as CliError).message).toMatch(/^stream "clicks" not found/);
  });

  it('explains an unreachable endpoint', () => {
    const error = explainAwsError(named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), target) as CliError;
    expect(error.message).toBe('cannot reach Kinesis at http://127.0.0.1:4567: ECONNREFUSED (is `kinesis-toolkit local` running?) — check --kinesis-endpoint.');
  });

  it('explains missing and rejected credentials without printing any', () => {
    expect((explainAwsError(named('CredentialsProviderError'), target) as CliError).message).toMatch(/^no AWS credentials found — set AWS_ACCESS_KEY_ID/);
    expect((explainAwsError(named('UnrecognizedClientException', 'The security token included in the request is invalid.'), target) as CliError).message).toBe(
      'Kinesis rejected the request (UnrecognizedClientException) — check the credentials in AWS_PROFILE / AWS_ACCESS_KEY_ID, their permissions and --region.',
    );
  });

  it('explains a missing region', () => {
    expect((explainAwsError(new Error('Region is missing'), { ...target, region: undefined }) as CliError).message).toBe('no AWS region — pass --region or set AWS_REGION.');
  });

  it("reads core's AwsRequestError (callAws's failures): a deadline is an unreachable endpoint", async () => {
    const { callAws } = await import('@kinesis-toolkit/core');
    const hung = { send: () => new Promise<never>(() => undefined) };
    const error = await callAws(hung, { constructor: { name: 'ListShardsCommand' } }, { service: 'Kinesis', timeoutMs: 1 }).catch((caught: unknown) => caught);
    expect((explainAwsError(error, target) as CliError).message).toBe(
      'cannot reach Kinesis at http://127.0.0.1:4567: no answer in time (is `kinesis-toolkit local` running?) — check --kinesis-endpoint.',
    );
  });

  it('returns anything else unchanged', () => {
    const error = named('InternalFailure');
    expect(explainAwsError(error, target)).toBe(error);
    expect(explainAwsError('text', target)).toBe('text');
  });
});
