import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromDescribeApplication } from './ApplicationConfig';
import { RecordMapper } from './RecordMapper';
import { columnsOf } from './SourceSchema';

const describeApplication = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/describe-application.json'), 'utf8'));

describe('fromDescribeApplication', () => {
  it('reads the input stream, its schema, the reference source and the output from describe-application JSON', () => {
    const config = fromDescribeApplication(describeApplication);
    expect(config).toMatchObject({
      applicationName: 'ticker-stagger',
      input: { stream: 'ExampleInputStream', namePrefix: 'SOURCE_SQL_STREAM', startingPosition: 'NOW' },
      references: [{ tableName: 'CompanyName', bucket: 'example-reference', key: 'TickerReference.csv' }],
      outputs: [{ name: 'DESTINATION_SQL_STREAM', stream: 'ExampleOutputStream', format: 'JSON' }],
    });
    expect(columnsOf(config.input.schema, 'InputSchema')).toEqual([
      { name: 'EVENT_TIME', type: { name: 'TIMESTAMP' } },
      { name: 'TICKER', type: { name: 'VARCHAR', length: 4 } },
    ]);
  });

  it.each([
    [{ ApplicationDetail: { ...describeApplication.ApplicationDetail, ApplicationCode: '' } }, 'ApplicationDetail.ApplicationCode: expected the application SQL; the application has no code'],
    [{ ApplicationDetail: { ...describeApplication.ApplicationDetail, InputDescriptions: [{ ...describeApplication.ApplicationDetail.InputDescriptions[0], KinesisStreamsInputDescription: undefined, KinesisFirehoseInputDescription: {} }] } }, 'a Kinesis Data Firehose input cannot be read by the KCL'],
    [{ ApplicationDetail: { ...describeApplication.ApplicationDetail, InputDescriptions: [{ ...describeApplication.ApplicationDetail.InputDescriptions[0], InputSchema: { RecordFormat: { RecordFormatType: 'XML' }, RecordColumns: [] } }] } }, 'RecordFormatType: expected "JSON" or "CSV", got "XML"'],
  ])('names the field that is wrong (%#)', (json, message) => {
    expect(() => fromDescribeApplication(json)).toThrow(message);
  });
});

describe('RecordMapper', () => {
  it('maps JSON records by each column’s JSONPath and coerces by type', () => {
    const mapper = new RecordMapper(
      {
        RecordFormat: { RecordFormatType: 'JSON', MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } } },
        RecordColumns: [
          { Name: 'TICKER', SqlType: 'VARCHAR(4)', Mapping: '$.trade.ticker' },
          { Name: 'PRICE', SqlType: 'DECIMAL(5,2)', Mapping: "$['price']" },
          { Name: 'FIRST_TAG', SqlType: 'VARCHAR(8)', Mapping: '$.tags[0]' },
          { Name: 'ALL_TAGS', SqlType: 'VARCHAR(32)', Mapping: '$.tags[0:]' },
          { Name: 'OK', SqlType: 'BOOLEAN', Mapping: '$.ok' },
        ],
      },
      'InputSchema',
    );
    expect(mapper.rowsOf(Buffer.from(JSON.stringify({ trade: { ticker: 'AMZNX' }, price: '12.345', tags: ['a', 'b'], ok: 'TRUE' })))).toEqual([['AMZN', 12.35, 'a', 'a,b', true]]);
    expect(() => mapper.rowsOf(Buffer.from('{not json'))).toThrow(expect.objectContaining({ errorName: 'ParseError' }));
  });

  it('maps CSV records by position, rows split by the row delimiter', () => {
    const mapper = new RecordMapper(
      {
        RecordFormat: { RecordFormatType: 'CSV', MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: '|' } } },
        RecordColumns: [
          { Name: 'LastName', SqlType: 'VARCHAR(16)' },
          { Name: 'FirstName', SqlType: 'VARCHAR(16)' },
          { Name: 'CustomerId', SqlType: 'INTEGER' },
        ],
      },
      'InputSchema',
    );
    expect(mapper.rowsOf(Buffer.from('Doe|John|7\nRoe|Jane|\n'))).toEqual([
      ['Doe', 'John', 7],
      ['Roe', 'Jane', null],
    ]);
    expect(() => mapper.rowsOf(Buffer.from('Doe|John|x'))).toThrow(expect.objectContaining({ errorName: 'CoercionError' }));
  });
});
