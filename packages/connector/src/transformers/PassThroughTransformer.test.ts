import { record } from '../../test/pipelineFakes';
import { PassThroughTransformer } from './PassThroughTransformer';

describe('PassThroughTransformer', () => {
  it('passes the record bytes through, any bytes', () => {
    const data = Buffer.from([0, 0xff, 0x80]);
    const transformer = new PassThroughTransformer();
    const item = transformer.toItem(record(1, data));
    expect(item.equals(data)).toBe(true);
    expect(transformer.toEmittable(item)).toBe(item);
  });
});
