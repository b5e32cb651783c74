import { RecordAggregator, type Aggregate } from './RecordAggregator';

// The cases of the Java agent's AggregationSplitterTest (hint 10 bytes), on whole records.
const payloads = (...lines: string[]) => lines.map((line) => Buffer.from(`${line}\n`));
function run(maxBytes: number, lines: string[]): string[][] {
  const aggregator = new RecordAggregator<string>(maxBytes);
  const out: Aggregate<string>[] = [];
  for (const [index, payload] of payloads(...lines).entries()) out.push(...aggregator.add(payload, lines[index]!));
  const last = aggregator.flush();
  if (last !== undefined) out.push(last);
  for (const aggregate of out) expect(aggregate.data.toString()).toBe(aggregate.parts.map((p) => `${p}\n`).join(''));
  return out.map((aggregate) => [...aggregate.parts]);
}

describe('RecordAggregator', () => {
  it('joins records that fit into one, with nothing between them (each keeps its own \\n)', () => {
    const aggregator = new RecordAggregator<number>(10);
    expect(aggregator.add(Buffer.from('AA\n'), 0)).toEqual([]);
    expect(aggregator.add(Buffer.from('BB\n'), 1)).toEqual([]);
    expect(aggregator.add(Buffer.from('CC\n'), 2)).toEqual([]);
    expect(aggregator.pending).toBe(3);
    const aggregate = aggregator.flush()!;
    expect(aggregate.data.toString()).toBe('AA\nBB\nCC\n');
    expect(aggregate.parts).toEqual([0, 1, 2]);
    expect(aggregator.flush()).toBeUndefined();
  });

  it('never passes the bound with two or more records: the one that would is the start of the next aggregate', () => {
    expect(run(10, ['AAAA', 'BBBB', 'CCCC'])).toEqual([['AAAA', 'BBBB'], ['CCCC']]);
  });

  it('sends a record bigger than the bound alone and whole (never cut)', () => {
    expect(run(10, ['AAAAAAAAAAAA', 'BBBBBBBBBBBB', 'CCCCCCCCCCCC'])).toEqual([['AAAAAAAAAAAA'], ['BBBBBBBBBBBB'], ['CCCCCCCCCCCC']]);
    expect(run(10, ['AA', 'BBBBBBBBBBBB', 'CC'])).toEqual([['AA'], ['BBBBBBBBBBBB'], ['CC']]);
  });

  it('hands an aggregate on as soon as it is exactly full', () => {
    const aggregator = new RecordAggregator<number>(6);
    expect(aggregator.add(Buffer.from('AA\n'), 0)).toEqual([]);
    expect(aggregator.add(Buffer.from('BB\n'), 1).map((a) => a.parts)).toEqual([[0, 1]]);
    expect(aggregator.pending).toBe(0);
  });

  it('loses and repeats nothing over many records of random sizes, and keeps each aggregate of 2+ records within the bound', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const lines = Array.from({ length: 2_000 }, (_, i) => `${i}-${'x'.repeat(Math.floor(random() * 300))}`);
    const aggregates = run(1_000, lines);
    expect(aggregates.flat()).toEqual(lines);
    for (const parts of aggregates) if (parts.length > 1) expect(parts.reduce((sum, p) => sum + p.length + 1, 0)).toBeLessThanOrEqual(1_000);
    expect(aggregates.length).toBeLessThan(lines.length / 4);
  });

  it('rejects a bound below 1', () => {
    expect(() => new RecordAggregator(0)).toThrow(/maxBytes: expected an integer ≥ 1, got 0/);
  });
});
