import { InvalidArgumentError } from '@kinesis-toolkit/core';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FailureRecord } from '../../failures/FailureRecord';
import { S3FailureSink, resolveS3FailureSinkOptions } from './S3FailureSink';

// Options and keys of the S3 failure sink (no S3 is called: what it sends is S3FailureSink.sse.integ.test.ts).

const client = { send: async () => ({}), config: {}, destroy: () => undefined } as unknown as S3Client;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function failure(sequenceNumber: string, arrivalMs: number): FailureRecord {
  return {
    attemptsMade: 0,
    arrivalTimestamp: arrivalMs,
    errorCode: 'ProcessingFailed',
    errorMessage: 'failed',
    attemptEndingTimestamp: arrivalMs + 5000,
    rawData: '',
    kinesisRecordMetadata: { shardId: 'shardId-000000000001', partitionKey: 'k', sequenceNumber, subsequenceNumber: 0, approximateArrivalTimestamp: arrivalMs },
  };
}

describe('S3FailureSink customTimeZone and kmsKeyArn', () => {
  it('evaluates !{timestamp:…} of the error prefix in customTimeZone (UTC by default)', () => {
    // 2024-05-01 20:30 UTC is 2024-05-02 02:00 in Kolkata (UTC+05:30).
    const records = [failure('11', Date.UTC(2024, 4, 1, 20, 30)), failure('12', Date.UTC(2024, 4, 1, 20, 31))];
    const errorPrefix = 'err/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/';
    expect(new S3FailureSink({ client, bucket: 'b', errorPrefix }).keyFor(records)).toBe('err/processing-failed/2024/05/01/20/shardId-000000000001-11-0-12-0.jsonl');
    expect(new S3FailureSink({ client, bucket: 'b', errorPrefix, customTimeZone: 'Asia/Kolkata' }).keyFor(records)).toBe('err/processing-failed/2024/05/02/02/shardId-000000000001-11-0-12-0.jsonl');
  });

  it('resolves the zone and the key, and refuses what Firehose refuses, naming the option', () => {
    const resolved = resolveS3FailureSinkOptions({ bucket: 'b', customTimeZone: 'America/New_York', kmsKeyArn: KEY });
    expect([resolved.timeZone.name, resolved.kmsKeyArn]).toEqual(['America/New_York', KEY]);
    expect([resolveS3FailureSinkOptions({ bucket: 'b' }).timeZone.name, resolveS3FailureSinkOptions({ bucket: 'b' }).kmsKeyArn]).toEqual(['UTC', undefined]);
    expect(() => resolveS3FailureSinkOptions({ bucket: 'b', customTimeZone: 'EST' })).toThrow(InvalidArgumentError);
    expect(() => resolveS3FailureSinkOptions({ bucket: 'b', customTimeZone: 'Mars/Olympus' })).toThrow(/^customTimeZone: expected an IANA time zone name/);
    expect(() => resolveS3FailureSinkOptions({ bucket: 'b', kmsKeyArn: 'alias/mine' })).toThrow(/^kmsKeyArn: expected a KMS key ARN/);
  });
});
