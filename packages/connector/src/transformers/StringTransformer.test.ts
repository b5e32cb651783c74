import { record } from '../../test/pipelineFakes';
import { StringTransformer } from './StringTransformer';

describe('StringTransformer', () => {
  it('reads UTF-8 text and emits it unchanged', () => {
    const transformer = new StringTransformer();
    expect(transformer.toItem(record(1, 'héllo ✓'))).toBe('héllo ✓');
    expect(transformer.toEmittable('x')).toBe('x');
  });

  it('rejects bytes that are not UTF-8 instead of writing replacement characters', () => {
    expect(() => new StringTransformer().toItem(record(1, Buffer.from([0xc3, 0x28])))).toThrow(expect.objectContaining({ name: 'TransformError', code: 'InvalidUtf8' }));
  });
});
