import type { Writable } from 'node:stream';
import { SYSTEM_CLOCK, type Clock, type TimerHandle } from '@kinesis-toolkit/core';
import { formatCount, formatDuration } from './statistics';

/** What the progress display shows; read from the run whenever it redraws. */
export interface ProgressSnapshot {
  /** Since the demo started. */
  readonly elapsedMs: number;
  /** What the run is doing now (`producing`, `draining`, …). */
  readonly phase: string;
  /** User records the producer has had acknowledged. */
  readonly produced: number;
  /** How many it will produce (the run may stop earlier at `--duration`). */
  readonly target: number;
  /** Acknowledged records the workers have written to the sinks at least once. */
  readonly delivered: number;
  /** One short word per worker: `w1:3` (leases held), `w2:dead`. */
  readonly workers: readonly string[];
}

/** Options of {@link ProgressDisplay}; every field but `out` is optional. */
export interface ProgressDisplayOptions {
  readonly out: Writable;
  /** Redraw bars in place (ANSI) — for a terminal; otherwise print plain lines. @defaultValue false */
  readonly tty?: boolean;
  /** Terminal width. @defaultValue 80 */
  readonly columns?: number;
  /** Redraw interval on a terminal (≥ 100: at most 10 Hz). @defaultValue 100 */
  readonly ttyIntervalMs?: number;
  /** Interval of plain progress lines. @defaultValue 5000 */
  readonly plainIntervalMs?: number;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
}

const BAR_FULL = '█';
const BAR_EMPTY = '░';

/** `label  [█████░░░░░]  45,000 / 200,000   22%` fitted to `width` columns. */
export function renderBar(label: string, done: number, total: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const numbers = `${formatCount(done).padStart(formatCount(total).length)} / ${formatCount(total)}  ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - numbers.length - 6));
  const filled = Math.round(fraction * barWidth);
  return `${label}  [${BAR_FULL.repeat(filled)}${BAR_EMPTY.repeat(barWidth - filled)}]  ${numbers}`;
}

/** The lines of one terminal frame: two bars and a status line. */
export function renderFrame(snapshot: ProgressSnapshot, columns: number): string[] {
  return [
    renderBar('produced ', snapshot.produced, snapshot.target, columns),
    renderBar('delivered', snapshot.delivered, Math.max(snapshot.produced, 1), columns),
    `${formatDuration(snapshot.elapsedMs).padEnd(9)} ${snapshot.phase}   workers ${snapshot.workers.join(' ')}`.slice(0, Math.max(20, columns - 1)),
  ];
}

/** One plain progress line, for logs and pipes. */
export function renderPlainLine(snapshot: ProgressSnapshot): string {
  const share = (part: number, whole: number) => (whole > 0 ? `${Math.floor((Math.min(part, whole) / whole) * 100)}%` : '0%');
  return (
    `[${formatDuration(snapshot.elapsedMs)}] ${snapshot.phase}: produced ${formatCount(snapshot.produced)}/${formatCount(snapshot.target)} ` +
    `(${share(snapshot.produced, snapshot.target)}), delivered ${formatCount(snapshot.delivered)} (${share(snapshot.delivered, snapshot.produced)} of produced); ` +
    `workers ${snapshot.workers.join(' ')}`
  );
}

/**
 * Shows the demo's progress while it runs. On a terminal: two progress bars and a status line,
 * redrawn in place at most every `ttyIntervalMs`, with event lines (`log`) scrolling above them.
 * Elsewhere (a pipe, a CI log): a plain line every `plainIntervalMs`, and event lines as they come.
 */
export class ProgressDisplay {
  readonly #out: Writable;
  readonly #tty: boolean;
  readonly #columns: number;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #read: (() => ProgressSnapshot) | undefined;
  #timer: TimerHandle | undefined;
  /** Lines of the frame now on screen (terminal only). */
  #drawn = 0;

  /** @throws TypeError for an interval below the minimum. */
  constructor(options: ProgressDisplayOptions) {
    this.#out = options.out;
    this.#tty = options.tty ?? false;
    this.#columns = Math.max(40, options.columns ?? 80);
    this.#intervalMs = this.#tty ? (options.ttyIntervalMs ?? 100) : (options.plainIntervalMs ?? 5000);
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs < 100) {
      throw new TypeError(`${this.#tty ? 'ttyIntervalMs' : 'plainIntervalMs'}: expected at least 100 (10 redraws a second), got ${this.#intervalMs}`);
    }
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Starts showing what `read` returns; a terminal gets its first frame at once. */
  start(read: () => ProgressSnapshot): void {
    this.#read = read;
    if (this.#tty) this.#draw();
    this.#schedule();
  }

  /** Prints an event line (above the bars on a terminal). */
  log(line: string): void {
    if (!this.#tty) {
      this.#out.write(`${line}\n`);
      return;
    }
    this.#erase();
    this.#out.write(`${line}\n`);
    if (this.#read !== undefined) this.#draw();
  }

  /** Stops redrawing and leaves the last frame (terminal) or a last line (plain) in place. */
  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#read === undefined) return;
    if (this.#tty) this.#draw();
    else this.#out.write(`${renderPlainLine(this.#read())}\n`);
    this.#read = undefined;
    this.#drawn = 0;
  }

  #schedule(): void {
    this.#timer = this.#clock.setTimeout(() => {
      if (this.#read === undefined) return;
      if (this.#tty) this.#draw();
      else this.#out.write(`${renderPlainLine(this.#read())}\n`);
      this.#schedule();
    }, this.#intervalMs);
  }

  #draw(): void {
    const lines = renderFrame(this.#read!(), this.#columns);
    this.#erase();
    // Clear each line before writing it: a shorter line must not leave the old one's tail.
    this.#out.write(lines.map((line) => `\x1b[2K${line}\n`).join(''));
    this.#drawn = lines.length;
  }

  /** Moves the cursor to the top of the frame on screen and clears from there down. */
  #erase(): void {
    if (this.#drawn > 0) this.#out.write(`\x1b[${this.#drawn}F\x1b[J`);
    this.#drawn = 0;
  }
}
