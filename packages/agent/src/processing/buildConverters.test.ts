import type { Ec2MetadataSource } from '../ec2/Ec2MetadataSource';
import type { InstanceMetadata } from '../ec2/Imds';
import { buildConverters, needsEc2Metadata, type DataProcessingOption } from './buildConverters';

const convert = (options: DataProcessingOption[], text: string, context = {}) => buildConverters(options, context).reduce((value, converter) => converter.convert(value), text);

const METADATA: InstanceMetadata = {
  privateIp: '10.0.0.7',
  availabilityZone: 'eu-west-1b',
  instanceId: 'i-0abc',
  instanceType: 'm5.large',
  accountId: '123456789012',
  imageId: 'ami-0def',
  region: 'eu-west-1',
  tags: { Name: 'web-1', Team: 'Payments' },
};
const source = { current: () => METADATA, fetchedAt: Date.UTC(2024, 4, 1, 13, 0, 0) } as unknown as Ec2MetadataSource;

describe('buildConverters', () => {
  it('builds the options in the order given', () => {
    const converters = buildConverters([{ optionName: 'SINGLELINE' }, { optionName: 'CSVTOJSON', customFieldNames: ['a'] }, { optionName: 'LOGTOJSON', logFormat: 'SYSLOG' }]);
    expect(converters.map((c) => c.optionName)).toEqual(['SINGLELINE', 'CSVTOJSON', 'LOGTOJSON']);
  });

  it('names the option and what is wrong with it', () => {
    expect(() => buildConverters([{ optionName: 'GZIP' } as unknown as DataProcessingOption])).toThrow(
      /dataProcessingOptions\[0\]\.optionName: expected one of SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS/,
    );
    expect(() => buildConverters([{ optionName: 'SINGLELINE', extra: 1 } as unknown as DataProcessingOption])).toThrow(/has no option "extra"/);
    expect(() => buildConverters([{ optionName: 'CSVTOJSON' } as unknown as DataProcessingOption])).toThrow(/dataProcessingOptions\[0\] \(CSVTOJSON\) customFieldNames/);
    expect(() => buildConverters([{ optionName: 'ADDMETADATA' } as unknown as DataProcessingOption])).toThrow(/\(ADDMETADATA\) metadata: expected an object/);
    expect(() => buildConverters([{ optionName: 'CSVTOJSON', customFieldNames: ['a'], jsonFormat: 'PRETTY' } as unknown as DataProcessingOption])).toThrow(/jsonFormat: expected one of "COMPACT", "PRETTYPRINT"/);
    expect(() => buildConverters([{ optionName: 'ADDEC2METADATA', metadataFields: ['hostname'] } as unknown as DataProcessingOption])).toThrow(/metadataFields\[0\]: expected one of/);
  });

  it('ADDBRACKETS wraps the record in braces', () => {
    expect(convert([{ optionName: 'ADDBRACKETS' }], 'hello there')).toBe('{hello there}');
  });

  it('ADDMETADATA sends the agent’s envelope {ts, metadata, data}', () => {
    const [converter] = buildConverters([{ optionName: 'ADDMETADATA', metadata: { env: 'prod', nested: { a: 1 } } }]);
    expect(JSON.parse(converter!.convert('a line'))).toEqual({ metadata: { env: 'prod', nested: { a: 1 } }, data: 'a line' });
    const withTs = JSON.parse(convert([{ optionName: 'ADDMETADATA', metadata: {}, timestamp: 'true' }], 'x')) as { ts: string };
    expect(withTs.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('jsonFormat PRETTYPRINT indents the JSON of CSVTOJSON', () => {
    expect(convert([{ optionName: 'CSVTOJSON', customFieldNames: ['a', 'b'], jsonFormat: 'PRETTYPRINT' }], '1,2')).toBe('{\n  "a": "1",\n  "b": "2"\n}');
  });

  it('LOGTOJSON reads RFC3339SYSLOG lines', () => {
    expect(JSON.parse(convert([{ optionName: 'LOGTOJSON', logFormat: 'RFC3339SYSLOG' }], '2024-01-15T10:30:00.123456+00:00 web-1 sshd[42]: Accepted key'))).toEqual({
      timestamp: '2024-01-15T10:30:00.123456+00:00',
      hostname: 'web-1',
      program: 'sshd',
      processid: '42',
      message: 'Accepted key',
    });
  });

  it('ADDEC2METADATA adds the instance identity and lower-cased tags to a JSON record (default fields)', () => {
    const out = JSON.parse(convert([{ optionName: 'CSVTOJSON', customFieldNames: ['n'] }, { optionName: 'ADDEC2METADATA', logFormat: 'RFC3339SYSLOG' }], '1', { ec2Metadata: source }));
    expect(out).toEqual({
      n: '1',
      privateIp: '10.0.0.7',
      availabilityZone: 'eu-west-1b',
      availabilityZoneInitial: 'b',
      instanceId: 'i-0abc',
      instanceType: 'm5.large',
      accountId: '123456789012',
      amiId: 'ami-0def',
      region: 'eu-west-1',
      metadataTimestamp: '2024-05-01T13:00:00+0000',
      tags: { name: 'web-1', team: 'Payments' },
    });
  });

  it('ADDEC2METADATA takes metadataFields and metadataPrefix, and fails a record that is not a JSON object', () => {
    const options: DataProcessingOption[] = [{ optionName: 'ADDEC2METADATA', metadataFields: ['instanceId', 'instanceName'], metadataPrefix: 'ec2_' }];
    expect(JSON.parse(convert(options, '{"a":1}', { ec2Metadata: source }))).toEqual({ a: 1, ec2_instanceId: 'i-0abc', ec2_instanceName: 'web-1' });
    expect(() => convert(options, 'plain text', { ec2Metadata: source })).toThrow(expect.objectContaining({ code: 'NotJsonObject' }));
    expect(needsEc2Metadata(options)).toBe(true);
    expect(needsEc2Metadata([{ optionName: 'SINGLELINE' }])).toBe(false);
  });
});
