import type { AwsClientLike, Clock } from '@kinesis-toolkit/core';

const MINUTE_MS = 60_000;

/**
 * Counts the AWS calls the dashboard sends, by operation, over the last minute: the page shows
 * them, so what watching costs is never a guess.
 */
export class CallMeter {
  readonly #clock: Clock;
  readonly #calls = new Map<string, number[]>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * The same client, counting every request it sends (each attempt of a retried call too) by its
   * command's name (`ListShards`, `Scan`, `GetRecords`).
   */
  wrap<C extends AwsClientLike>(client: C): C {
    const send: AwsClientLike['send'] = (command, options) => {
      this.count(String((command as object).constructor.name).replace(/Command$/, ''));
      return client.send(command, options);
    };
    return new Proxy(client, { get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)) });
  }

  /** Counts one call of `operation` now. */
  count(operation: string): void {
    const times = this.#calls.get(operation) ?? [];
    times.push(this.#clock.now());
    this.#calls.set(operation, times);
    if (times.length > 4096) this.#prune(times);
  }

  /** Calls sent in the last minute, by operation name (operations with none left out). */
  perMinute(): { readonly operation: string; readonly perMinute: number }[] {
    return [...this.#calls.entries()]
      .map(([operation, times]) => {
        this.#prune(times);
        return { operation, perMinute: times.length };
      })
      .filter((entry) => entry.perMinute > 0)
      .sort((a, b) => (a.operation < b.operation ? -1 : 1));
  }

  #prune(times: number[]): void {
    const oldest = this.#clock.now() - MINUTE_MS;
    let drop = 0;
    while (drop < times.length && times[drop]! <= oldest) drop += 1;
    times.splice(0, drop);
  }
}
