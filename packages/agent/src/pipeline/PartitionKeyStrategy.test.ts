import { createHash } from 'node:crypto';
import { PartitionKeyStrategy } from './PartitionKeyStrategy';
import { RecordProcessingError } from './RecordProcessingError';

const data = (text: string) => Buffer.from(text);

describe('PartitionKeyStrategy', () => {
  it('random: a fresh 128-bit hex key per record', () => {
    let n = 0;
    const strategy = new PartitionKeyStrategy({ kind: 'random' }, (bytes) => Buffer.alloc(bytes, ++n));
    expect(strategy.keyFor(data('x'))).toBe('01'.repeat(16));
    expect(strategy.keyFor(data('x'))).toBe('02'.repeat(16));
    const real = new PartitionKeyStrategy({ kind: 'random' });
    expect(real.keyFor(data('x'))).toMatch(/^[0-9a-f]{32}$/);
    expect(real.keyFor(data('x'))).not.toBe(real.keyFor(data('x')));
  });

  it('deterministic: MD5 of the data, so equal records get equal keys', () => {
    const strategy = new PartitionKeyStrategy({ kind: 'deterministic' });
    expect(strategy.keyFor(data('hello\n'))).toBe(createHash('md5').update('hello\n').digest('hex'));
    expect(strategy.keyFor(data('hello\n'))).toBe(strategy.keyFor(data('hello\n')));
  });

  it('field: the value of a (nested) JSON field, numbers as text', () => {
    expect(new PartitionKeyStrategy({ kind: 'field', field: 'host' }).keyFor(data('{"host":"web-1","n":1}\n'))).toBe('web-1');
    expect(new PartitionKeyStrategy({ kind: 'field', field: 'user.id' }).keyFor(data('{"user":{"id":42}}'))).toBe('42');
  });

  it('field: a record that is not JSON, or lacks the field, fails with a typed error', () => {
    const strategy = new PartitionKeyStrategy({ kind: 'field', field: 'host' });
    for (const text of ['plain text', '{"other":1}', '{"host":""}', '{"host":null}', '{"host":{"a":1}}', '[1]', `{"host":"${'x'.repeat(257)}"}`]) {
      expect(() => strategy.keyFor(data(text))).toThrow(RecordProcessingError);
    }
    expect(() => strategy.keyFor(data('{}'))).toThrow(expect.objectContaining({ code: 'PartitionKeyUnavailable', retryable: false }));
  });

  it('parses the flag and the agent’s option names', () => {
    expect(PartitionKeyStrategy.parse('RANDOM')).toEqual({ kind: 'random' });
    expect(PartitionKeyStrategy.parse('Deterministic')).toEqual({ kind: 'deterministic' });
    expect(PartitionKeyStrategy.parse('field:Host')).toEqual({ kind: 'field', field: 'Host' });
    expect(() => PartitionKeyStrategy.parse('md5')).toThrow(/expected random, deterministic or field:NAME, got "md5"/);
    expect(() => new PartitionKeyStrategy({ kind: 'field', field: 'a..b' })).toThrow(TypeError);
  });
});
