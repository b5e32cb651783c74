import type { ItemSource } from '../Emitter';

/** The approximate arrival time of the oldest record (Firehose's instant for prefixes and names); `currentTimeMs()` when none has one. */
export function oldestArrival(sources: readonly ItemSource[], currentTimeMs: () => number): Date {
  let oldest: number | undefined;
  for (const source of sources) {
    const time = source.approximateArrivalTimestamp?.getTime();
    if (time !== undefined && !Number.isNaN(time) && (oldest === undefined || time < oldest)) oldest = time;
  }
  return new Date(oldest ?? currentTimeMs());
}
