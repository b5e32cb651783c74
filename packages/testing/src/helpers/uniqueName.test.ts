import fc from 'fast-check';
import { uniqueName, UNIQUE_NAME_MAX_LENGTH } from './uniqueName';

// The rules of the three services a name must satisfy at once.
const KINESIS_STREAM = /^[a-zA-Z0-9_.-]{1,128}$/;
const DYNAMODB_TABLE = /^[a-zA-Z0-9_.-]{3,255}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function isValidEverywhere(name: string): boolean {
  return (
    KINESIS_STREAM.test(name) &&
    DYNAMODB_TABLE.test(name) &&
    S3_BUCKET.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

describe('uniqueName', () => {
  it('keeps a readable prefix', () => {
    expect(uniqueName('orders')).toMatch(/^orders-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/);
    expect(uniqueName('My Stream_Name')).toMatch(/^my-stream-name-/);
  });

  it('returns a name valid for Kinesis, DynamoDB and S3 for any prefix', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (prefix) => {
        const name = uniqueName(prefix);
        expect(name.length).toBeLessThanOrEqual(UNIQUE_NAME_MAX_LENGTH);
        expect(isValidEverywhere(name)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('avoids the prefixes S3 reserves', () => {
    expect(uniqueName('xn--abc')).toMatch(/^kt-xn-abc-/);
    expect(uniqueName('sthree-x')).toMatch(/^kt-sthree-x-/);
    expect(uniqueName('')).toMatch(/^kt-/);
    expect(uniqueName('---')).toMatch(/^kt-/);
  });

  it('never returns the same name twice', () => {
    const names = Array.from({ length: 5_000 }, () => uniqueName('same'));
    expect(new Set(names).size).toBe(names.length);
  });
});
