import { InvalidArgumentError } from '@kinesis-toolkit/core';

/**
 * A direction of traffic through a {@link FaultProxy}: `upstream` is client → server (requests),
 * `downstream` is server → client (responses); `both` means either.
 */
export type FaultDirection = 'upstream' | 'downstream' | 'both';

/** One of the two directions a byte can travel. */
export type Lane = 'upstream' | 'downstream';

/** The faults in force; read live by every connection, so a change applies at once. */
export interface FaultSettings {
  /** Added delay per chunk, in ms. */
  readonly latencyMs: Record<Lane, number>;
  /** Probability, per chunk, that the connection is reset. */
  readonly resetRate: Record<Lane, number>;
  /** Drop every chunk (and the end of stream), silently. */
  readonly blackhole: Record<Lane, boolean>;
}

/** Counters of a {@link FaultProxy} since it started. */
export interface FaultProxyStats {
  readonly connectionsAccepted: number;
  readonly connectionsActive: number;
  /** Bytes passed on, per direction. */
  readonly bytesForwarded: Readonly<Record<Lane, number>>;
  /** Bytes swallowed by a blackhole, per direction. */
  readonly bytesDropped: Readonly<Record<Lane, number>>;
  /** Connections reset on purpose (by a reset rate or `dropConnections`). */
  readonly resets: number;
}

/** Faults that do nothing. */
export function noFaults(): FaultSettings {
  return {
    latencyMs: { upstream: 0, downstream: 0 },
    resetRate: { upstream: 0, downstream: 0 },
    blackhole: { upstream: false, downstream: false },
  };
}

/** The lanes a direction covers. */
export function lanesOf(direction: FaultDirection): readonly Lane[] {
  switch (direction) {
    case 'upstream':
      return ['upstream'];
    case 'downstream':
      return ['downstream'];
    case 'both':
      return ['upstream', 'downstream'];
    default:
      throw new InvalidArgumentError('direction', "one of 'upstream', 'downstream', 'both'", direction);
  }
}
