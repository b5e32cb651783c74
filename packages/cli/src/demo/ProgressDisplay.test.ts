import { Writable } from 'node:stream';
import { ManualClock } from '@kinesis-toolkit/testing';
import { ProgressDisplay, renderBar, renderFrame, renderPlainLine, type ProgressSnapshot } from './ProgressDisplay';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

const snapshot = (over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  elapsedMs: 12_300,
  phase: 'producing',
  produced: 45_000,
  target: 200_000,
  delivered: 30_000,
  workers: ['w1:3', 'w2:dead'],
  ...over,
});

describe('progress rendering', () => {
  it('draws a bar with counts and percentage', () => {
    const bar = renderBar('produced', 50, 200, 60);
    expect(bar).toBe(`produced  [${'█'.repeat(8)}${'░'.repeat(23)}]   50 / 200   25%`);
    expect(Array.from(bar)).toHaveLength(60);
    expect(renderBar('x', 0, 0, 60)).toContain('0 / 0    0%');
    // Over-delivery (duplicates) does not overflow the bar.
    expect(renderBar('x', 300, 200, 60)).toContain('█'.repeat(10));
    expect(renderBar('x', 300, 200, 60)).not.toContain('░');
  });

  it('renders a plain line with no control characters', () => {
    const line = renderPlainLine(snapshot());
    expect(line).toBe('[12.30 s] producing: produced 45,000/200,000 (22%), delivered 30,000 (66% of produced); workers w1:3 w2:dead');
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  it('fits a terminal frame to its width', () => {
    const frame = renderFrame(snapshot(), 70);
    expect(frame).toHaveLength(3);
    for (const line of frame) expect(Array.from(line).length).toBeLessThanOrEqual(70);
  });
});

describe('ProgressDisplay', () => {
  it('without a terminal prints a plain line every interval and event lines at once, never ANSI codes', async () => {
    const out = new Capture();
    const clock = new ManualClock();
    const display = new ProgressDisplay({ out, tty: false, plainIntervalMs: 5000, clock });
    let produced = 0;
    display.start(() => snapshot({ produced }));
    expect(out.text).toBe('');
    produced = 10_000;
    await clock.advance(5000);
    display.log('split shardId-000000000000');
    produced = 20_000;
    await clock.advance(4999);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(2);
    await clock.advance(1);
    display.stop();
    const lines = out.text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('produced 10,000/200,000');
    expect(lines[1]).toBe('split shardId-000000000000');
    expect(lines[2]).toContain('produced 20,000/200,000');
    expect(out.text).not.toContain('\x1b');
    await clock.advance(60_000);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('on a terminal redraws in place at most every 100 ms and keeps event lines above the bars', async () => {
    const clearLines = (text: string) => text.split('\x1b[2K').length - 1;
    const out = new Capture();
    const clock = new ManualClock();
    const display = new ProgressDisplay({ out, tty: true, columns: 80, clock });
    display.start(() => snapshot());
    expect(clearLines(out.text)).toBe(3);
    await clock.advance(99);
    expect(clearLines(out.text)).toBe(3);
    await clock.advance(1);
    // Second frame: cursor up over the three lines, clear, redraw.
    expect(out.text).toContain('\x1b[3F\x1b[J');
    expect(clearLines(out.text)).toBe(6);
    out.text = '';
    display.log('worker w2 killed (SIGKILL)');
    expect(out.text.startsWith('\x1b[3F\x1b[Jworker w2 killed (SIGKILL)\n\x1b[2K')).toBe(true);
    display.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses to redraw faster than 10 times a second', () => {
    expect(() => new ProgressDisplay({ out: new Capture(), tty: true, ttyIntervalMs: 50 })).toThrow('ttyIntervalMs: expected at least 100 (10 redraws a second), got 50');
  });
});
