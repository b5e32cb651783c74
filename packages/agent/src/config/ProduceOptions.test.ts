import { PRODUCE_DEFAULTS, resolveProduceOptions } from './ProduceOptions';

describe('resolveProduceOptions', () => {
  it('fills in every default and freezes the result', () => {
    const resolved = resolveProduceOptions({ streamName: 's' });
    expect(resolved).toEqual({ ...PRODUCE_DEFAULTS, streamName: 's', multiLineStartPattern: undefined });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('takes fileFooterPattern with files, and aggregatedRecordSizeBytes 0 for a stream', () => {
    expect(resolveProduceOptions({ streamName: 's', files: ['/a.log'], fileFooterPattern: '^END$', aggregatedRecordSizeBytes: 0 })).toMatchObject({ fileFooterPattern: '^END$', aggregatedRecordSizeBytes: 0 });
  });

  it.each([
    [{}, /streamName: expected the name of the stream/],
    [{ streamName: 's', pollIntervalMs: 0 }, /pollIntervalMs: expected an integer in \[1, 3600000\], got 0/],
    [{ streamName: 's', skipHeaderLines: 1.5 }, /skipHeaderLines/],
    [{ streamName: 's', partitionKey: 'md5' }, /partitionKey: expected random, deterministic or field:NAME/],
    [{ streamName: 's', multiLineStartPattern: '(' }, /multiLineStartPattern: expected a regular expression/],
    [{ streamName: 's', initialPosition: 'MIDDLE' }, /initialPosition: expected one of "START_OF_FILE", "END_OF_FILE"/],
    [{ streamName: 's', files: [''] }, /files: expected a list/],
    [{ streamName: 's', dataProcessingOptions: [{ optionName: 'CSVTOJSON' }] }, /customFieldNames/],
    [{ streamName: 's', truncatedRecordTerminator: 'xx', maxRecordBytes: 2 }, /truncatedRecordTerminator/],
    [{ streamName: 's', bogus: 1 }, /bogus: expected no such option/],
    [{ streamName: 's', fileFooterPattern: '[' }, /fileFooterPattern: expected a regular expression/],
    [{ streamName: 's', aggregatedRecordSizeBytes: 5120 }, /aggregatedRecordSizeBytes: expected 0 for a Kinesis stream \(records are joined into Firehose records for a delivery stream only/],
    [{ streamName: 's', fileFooterPattern: '^END$' }, /^fileFooterPattern: expected set with files to tail \(a footer line ends a file; stdin ends at its EOF\), got "\^END\$"$/],
    [{ deliveryStreamName: 'd', aggregatedRecordSizeBytes: 1_024_001 }, /aggregatedRecordSizeBytes: expected an integer in \[0, 1024000\], got 1024001/],
  ])('rejects %j with a TypeError that says what was expected', (options, message) => {
    expect(() => resolveProduceOptions(options as never)).toThrow(TypeError);
    expect(() => resolveProduceOptions(options as never)).toThrow(message);
  });
});
