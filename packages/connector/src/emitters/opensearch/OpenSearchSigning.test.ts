import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { resolveOpenSearchEmitterOptions, type OpenSearchEmitterOptions } from './OpenSearchEmitterOptions';

const base = { endpoint: 'https://search-x.eu-west-1.es.amazonaws.com', indexName: 'logs', s3Backup: { bucket: 'b' } };
const KEY = { accessKeyId: 'AKID', secretAccessKey: 'SECRET-VALUE' };

describe('OpenSearchEmitter signing option (validated at the boundary)', () => {
  it('defaults to service es, keeps the region and the credentials; absent: no signing', () => {
    expect(resolveOpenSearchEmitterOptions({ ...base, signing: { region: 'eu-west-1' } }).signing).toEqual({ region: 'eu-west-1', service: 'es', credentials: undefined });
    expect(resolveOpenSearchEmitterOptions({ ...base, signing: { region: 'us-east-1', service: 'aoss', credentials: KEY } }).signing).toEqual({ region: 'us-east-1', service: 'aoss', credentials: KEY });
    const provider = async () => KEY;
    expect(resolveOpenSearchEmitterOptions({ ...base, signing: { region: 'us-east-1', credentials: provider } }).signing!.credentials).toBe(provider);
    expect(resolveOpenSearchEmitterOptions(base).signing).toBeUndefined();
  });

  it.each([
    [{ signing: {} }, /^signing\.region: expected an AWS region like eu-west-1, got undefined/],
    [{ signing: { region: 'Europe' } }, /^signing\.region: expected an AWS region/],
    [{ signing: { region: 'eu-west-1', service: 'opensearch' } }, /^signing\.service: expected one of "es", "aoss"/],
    [{ signing: { region: 'eu-west-1', regoin: 'x' } }, /^signing\.regoin: expected no such option/],
    [{ signing: { region: 'eu-west-1', credentials: { accessKeyId: 'AKID' } } }, /^signing\.credentials\.secretAccessKey: expected a non-empty string, got "undefined"/],
    [{ signing: { region: 'eu-west-1', credentials: { secretAccessKey: 'SECRET-VALUE' } } }, /^signing\.credentials\.accessKeyId: expected/],
    [{ signing: { region: 'eu-west-1', credentials: { ...KEY, sessionToken: 7 } } }, /^signing\.credentials\.sessionToken: expected a string/],
    [{ signing: 'eu-west-1' }, /^signing: expected an object/],
    [{ signing: { region: 'eu-west-1' }, headers: { Authorization: 'Basic SECRET-VALUE' } }, /^headers\.Authorization: expected not set with signing/],
    [{ signing: { region: 'eu-west-1' }, headers: { 'X-Amz-Date': '20240101T000000Z' } }, /^headers\.X-Amz-Date: expected not set with signing/],
  ])('%j is an InvalidArgumentError naming the field (never echoing a secret)', (extra, message) => {
    let error: unknown;
    try {
      resolveOpenSearchEmitterOptions({ ...base, ...extra } as OpenSearchEmitterOptions);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('SECRET-VALUE');
  });
});
