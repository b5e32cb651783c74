/**
 * Samples this process's resident set size on a timer and keeps the peak. A busy event loop
 * delays samples, so the peak is a lower bound; the interval is short enough for that not to
 * matter for memory that stays allocated for seconds.
 */
export class RssSampler {
  #peakBytes = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.intervalMs);
  }

  /** Stops sampling (after one last sample); returns the peak in bytes and the number of samples. */
  stop(): { peakBytes: number; samples: number } {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sample();
    return { peakBytes: this.#peakBytes, samples: this.#samples };
  }

  #sample(): void {
    this.#samples++;
    const rss = process.memoryUsage.rss();
    if (rss > this.#peakBytes) this.#peakBytes = rss;
  }
}
