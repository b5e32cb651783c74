import { record } from '../../test/pipelineFakes';
import { TransformError } from '../errors/TransformError';
import { JsonTransformer } from './JsonTransformer';

describe('JsonTransformer', () => {
  it('parses each record as one JSON item (an array stays one item) and emits compact JSON', () => {
    const transformer = new JsonTransformer();
    expect(transformer.toItem(record(1, ' {"a": [1, 2]} '))).toEqual([{ a: [1, 2] }]);
    expect(transformer.toItem(record(2, '[1,2]'))).toEqual([[1, 2]]);
    expect(transformer.toEmittable({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(new JsonTransformer({ appendNewline: true }).toEmittable('x')).toBe('"x"\n');
  });

  it('throws a TransformError for data that is not JSON or not UTF-8', () => {
    const transformer = new JsonTransformer();
    expect(() => transformer.toItem(record(1, '{nope'))).toThrow(expect.objectContaining({ code: 'InvalidJson', retryable: false }));
    expect(() => transformer.toItem(record(1, Buffer.from([0x22, 0xff, 0x22])))).toThrow(expect.objectContaining({ code: 'InvalidUtf8' }));
    expect(() => transformer.toEmittable(undefined)).toThrow(TransformError);
  });

  it('rejects bad options', () => {
    expect(() => new JsonTransformer({ appendNewline: 'yes' as never })).toThrow(/appendNewline: expected true or false/);
  });
});
