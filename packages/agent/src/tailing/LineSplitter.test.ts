import { LineSplitter } from './LineSplitter';

const text = (lines: { bytes: Buffer }[]) => lines.map((l) => l.bytes.toString());

describe('LineSplitter', () => {
  it('cuts lines across chunk boundaries and reports the offset after each newline', () => {
    const splitter = new LineSplitter(100);
    expect(splitter.push(Buffer.from('ab'))).toEqual([]);
    const lines = splitter.push(Buffer.from('c\nde\n\nf'));
    expect(text(lines)).toEqual(['abc', 'de', '']);
    expect(lines.map((l) => [l.startOffset, l.endOffset])).toEqual([[100, 104], [104, 107], [107, 108]]);
    expect(splitter.offset).toBe(109);
    expect(splitter.pendingBytes).toBe(1);
  });

  it('holds a partial last line until its newline, and gives it up on end()', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('one\ntw'));
    expect(splitter.pendingBytes).toBe(2);
    const last = splitter.end()!;
    expect(last.bytes.toString()).toBe('tw');
    expect([last.startOffset, last.endOffset]).toEqual([4, 6]);
    expect(splitter.end()).toBeUndefined();
  });

  it('keeps a CR before the newline (the agent does too)', () => {
    expect(text(new LineSplitter().push(Buffer.from('a\r\nb\r\n')))).toEqual(['a\r', 'b\r']);
  });

  it('keeps only the first maxLineBytes of a long line, marks it truncated and keeps the offsets exact', () => {
    const splitter = new LineSplitter(0, 4);
    splitter.push(Buffer.from('0123'));
    splitter.push(Buffer.from('456789'));
    const [long, short] = splitter.push(Buffer.from('ab\nxy\n'));
    expect(long).toMatchObject({ truncated: true, startOffset: 0, endOffset: 13 });
    expect(long!.bytes.toString()).toBe('0123');
    expect(short).toMatchObject({ truncated: false, startOffset: 13, endOffset: 16 });
  });

  it('does not keep a reference to the caller’s buffer', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.from('abc');
    splitter.push(chunk);
    chunk.write('xyz');
    expect(splitter.push(Buffer.from('\n'))[0]!.bytes.toString()).toBe('abc');
  });

  it('rejects bad arguments', () => {
    expect(() => new LineSplitter(-1)).toThrow(TypeError);
    expect(() => new LineSplitter(0, 0)).toThrow(/maxLineBytes/);
  });
});
