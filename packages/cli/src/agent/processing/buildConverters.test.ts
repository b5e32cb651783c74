import { buildConverters, type DataProcessingOption } from './buildConverters';

describe('buildConverters', () => {
  it('builds the options in the order given', () => {
    const converters = buildConverters([{ optionName: 'SINGLELINE' }, { optionName: 'CSVTOJSON', customFieldNames: ['a'] }, { optionName: 'LOGTOJSON', logFormat: 'SYSLOG' }]);
    expect(converters.map((c) => c.optionName)).toEqual(['SINGLELINE', 'CSVTOJSON', 'LOGTOJSON']);
  });

  it('names the option and what is wrong with it', () => {
    expect(() => buildConverters([{ optionName: 'ADDEC2METADATA' } as unknown as DataProcessingOption])).toThrow(/dataProcessingOptions\[0\]\.optionName: expected one of SINGLELINE, CSVTOJSON, LOGTOJSON/);
    expect(() => buildConverters([{ optionName: 'SINGLELINE', extra: 1 } as unknown as DataProcessingOption])).toThrow(/has no option "extra"/);
    expect(() => buildConverters([{ optionName: 'CSVTOJSON' } as unknown as DataProcessingOption])).toThrow(/dataProcessingOptions\[0\] \(CSVTOJSON\) customFieldNames/);
  });
});
