import type { Line } from './LineSplitter';
import { MultiLineAssembler } from './MultiLineAssembler';

function lines(...texts: string[]): Line[] {
  let offset = 0;
  return texts.map((text) => {
    const bytes = Buffer.from(text);
    const line = { bytes, startOffset: offset, endOffset: offset + bytes.length + 1, truncated: false };
    offset = line.endOffset;
    return line;
  });
}

describe('MultiLineAssembler', () => {
  it('without a pattern, every line is a record', () => {
    const assembler = new MultiLineAssembler(undefined);
    const [a] = lines('a');
    expect(assembler.push(a!)).toMatchObject({ data: Buffer.from('a'), startOffset: 0, endOffset: 2, lineCount: 1 });
    expect(assembler.pending).toBe(false);
  });

  it('groups continuation lines with the line that starts the record, completing it when the next one starts', () => {
    const assembler = new MultiLineAssembler(/\d{4}-\d\d-\d\d/);
    const input = lines('2024-01-01 boom', '  at a()', '  at b()', '2024-01-02 ok', '2024-01-03 tail');
    const records = input.map((line) => assembler.push(line)).filter((r) => r !== undefined);
    expect(records.map((r) => r.data.toString())).toEqual(['2024-01-01 boom\n  at a()\n  at b()', '2024-01-02 ok']);
    expect(records[0]).toMatchObject({ startOffset: 0, endOffset: input[2]!.endOffset, lineCount: 3 });
    expect(assembler.pending).toBe(true);
    expect(assembler.pendingStartOffset).toBe(input[4]!.startOffset);
    expect(assembler.flush()!.data.toString()).toBe('2024-01-03 tail');
    expect(assembler.flush()).toBeUndefined();
  });

  it('matches at the start of a line only (the agent’s lookingAt)', () => {
    const assembler = new MultiLineAssembler(/ERROR/);
    const input = lines('ERROR one', 'not ERROR here', 'ERROR two');
    const records = input.map((line) => assembler.push(line)).filter((r) => r !== undefined);
    expect(records.map((r) => r.data.toString())).toEqual(['ERROR one\nnot ERROR here']);
  });

  it('sends lines before the first match as a record of their own', () => {
    const assembler = new MultiLineAssembler(/START/);
    const input = lines('orphan 1', 'orphan 2', 'START x');
    const records = input.map((line) => assembler.push(line)).filter((r) => r !== undefined);
    expect(records.map((r) => r.data.toString())).toEqual(['orphan 1\norphan 2']);
  });

  it('cuts a record longer than maxRecordBytes, marks it truncated, and still covers every line’s offsets', () => {
    const assembler = new MultiLineAssembler(/S/, 10);
    const input = lines('S123456', 'abcdef', 'ghijkl', 'S next');
    const records = input.map((line) => assembler.push(line)).filter((r) => r !== undefined);
    expect(records[0]!.data.toString()).toBe('S123456\nab');
    expect(records[0]).toMatchObject({ truncated: true, endOffset: input[2]!.endOffset, lineCount: 3 });
  });
});
