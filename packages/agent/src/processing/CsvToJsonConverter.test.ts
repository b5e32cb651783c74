import { CsvToJsonConverter } from './CsvToJsonConverter';

describe('CsvToJsonConverter', () => {
  it('maps columns to the field names in order', () => {
    expect(new CsvToJsonConverter({ customFieldNames: ['f1', 'f2'] }).convert('v1,v2')).toBe('{"f1":"v1","f2":"v2"}');
  });

  it('gives missing columns null and leaves out extra columns (the agent’s rules)', () => {
    const converter = new CsvToJsonConverter({ customFieldNames: ['a', 'b', 'c'] });
    expect(JSON.parse(converter.convert('1,2'))).toEqual({ a: '1', b: '2', c: null });
    expect(JSON.parse(converter.convert('1,2,3,4'))).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('splits on a literal delimiter (a tab, a multi-character string, a regex metacharacter)', () => {
    expect(JSON.parse(new CsvToJsonConverter({ customFieldNames: ['a', 'b'], delimiter: '\t' }).convert('x\ty'))).toEqual({ a: 'x', b: 'y' });
    expect(JSON.parse(new CsvToJsonConverter({ customFieldNames: ['a', 'b'], delimiter: '||' }).convert('x||y'))).toEqual({ a: 'x', b: 'y' });
    expect(JSON.parse(new CsvToJsonConverter({ customFieldNames: ['a', 'b'], delimiter: '.' }).convert('x.y'))).toEqual({ a: 'x', b: 'y' });
  });

  it('drops the CR of a CRLF line and keeps empty columns as empty strings', () => {
    expect(JSON.parse(new CsvToJsonConverter({ customFieldNames: ['a', 'b', 'c'] }).convert('x,,z\r'))).toEqual({ a: 'x', b: '', c: 'z' });
  });

  it('rejects missing field names and an empty delimiter', () => {
    expect(() => new CsvToJsonConverter({ customFieldNames: [] })).toThrow(/customFieldNames/);
    expect(() => new CsvToJsonConverter({ customFieldNames: ['a'], delimiter: '' })).toThrow(/delimiter/);
  });
});
