import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { rejectUnknownOptions, requireBoolean, requireFunction, requireInteger, requireNumber, requireObject, requireString, withoutUndefined } from '@kinesis-toolkit/core';
import { requireLogger } from '@kinesis-toolkit/core';
import { formatHost } from '../net/formatHost';
import { lanesOf, noFaults, type FaultDirection, type FaultProxyStats, type FaultSettings, type Lane } from './faults';
import { ProxiedConnection } from './ProxiedConnection';

/** Where a {@link FaultProxy} forwards connections to. */
export interface FaultProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link FaultProxy.start}; all but `target` are optional. */
export interface FaultProxyOptions {
  /** The server to put the proxy in front of. */
  readonly target: FaultProxyTarget;
  /** The address the proxy listens on. @defaultValue `'127.0.0.1'` */
  readonly host?: string;
  /** The port the proxy listens on; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /**
   * A source of numbers in [0, 1) that decides, per chunk, whether a reset rate fires. Pass a
   * scripted one to make reset tests deterministic. @defaultValue `Math.random`
   */
  readonly random?: () => number;
  /** Receives connection and fault events at debug level. @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link FaultProxyOptions}. */
export const FAULT_PROXY_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  random: Math.random,
  logger: NOOP_LOGGER,
});

/** Added delays per direction; a field left out keeps its current value. */
export interface LatencyOptions {
  /** Delay of every chunk from client to server, in ms. */
  readonly upstreamMs?: number;
  /** Delay of every chunk from server to client, in ms. */
  readonly downstreamMs?: number;
}

/**
 * A TCP proxy to put between a client and a server, which injects network faults on demand:
 * latency, connection resets (TCP RST, which clients see as `ECONNRESET`) and blackholes (bytes
 * vanish, nothing answers, clients time out) — each per direction, `upstream` being client →
 * server. Faults apply at once to new and open connections; `reset()` clears them all.
 *
 * It works on bytes and knows no protocol, so a fault hits whole TCP chunks: a reset rate is a
 * probability per chunk read, and a blackhole lifted mid-stream leaves that stream corrupt.
 *
 * @example
 * ```ts
 * const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: 4567 } });
 * const kinesis = new KinesisClient(clientConfigFor(proxy.endpoint, { requestTimeoutMs: 500 }));
 * proxy.setBlackhole(true); // calls now time out
 * proxy.reset();            // and now they work again
 * await proxy.stop();
 * ```
 */
export class FaultProxy {
  readonly #server: Server;
  readonly #target: FaultProxyTarget;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #connections = new Set<ProxiedConnection>();
  #faults: FaultSettings = noFaults();
  #stats = {
    connectionsAccepted: 0,
    bytesForwarded: { upstream: 0, downstream: 0 },
    bytesDropped: { upstream: 0, downstream: 0 },
    resets: 0,
  };
  #stopping: Promise<void> | undefined;

  /** The port the proxy listens on. */
  readonly port: number;
  /** The address the proxy listens on. */
  readonly host: string;

  private constructor(server: Server, config: Readonly<Required<FaultProxyOptions>>) {
    this.#server = server;
    this.#target = config.target;
    this.#random = config.random;
    this.#logger = config.logger;
    this.host = config.host;
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (client: Socket) => this.#accept(client));
  }

  /**
   * Starts a proxy that listens on `host:port` and forwards every connection to `target`.
   * @throws InvalidArgumentError (a TypeError) for bad options; the listen error when the port cannot be bound.
   */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const config = resolveFaultProxyOptions(options);
    // allowHalfOpen: the proxy passes each end of stream on itself, after any delayed bytes.
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FaultProxy(server, config);
  }

  /** `http://HOST:PORT` of the proxy, to use as an SDK client's endpoint. */
  get endpoint(): string {
    return `http://${formatHost(this.host)}:${this.port}`;
  }

  /** A snapshot of the counters. */
  get stats(): FaultProxyStats {
    return {
      connectionsAccepted: this.#stats.connectionsAccepted,
      connectionsActive: this.#connections.size,
      bytesForwarded: { ...this.#stats.bytesForwarded },
      bytesDropped: { ...this.#stats.bytesDropped },
      resets: this.#stats.resets,
    };
  }

  /** The faults in force now. */
  get faults(): FaultSettings {
    return structuredClone(this.#faults);
  }

  /**
   * Delays every chunk by a fixed time per direction (a round trip gains both). Order is kept.
   * @throws InvalidArgumentError (a TypeError) for a negative or non-finite delay or an unknown field.
   */
  setLatency(latency: LatencyOptions): void {
    requireObject('latency', latency);
    rejectUnknownOptions('latency', latency, ['upstreamMs', 'downstreamMs']);
    const upstream = latency.upstreamMs ?? this.#faults.latencyMs.upstream;
    const downstream = latency.downstreamMs ?? this.#faults.latencyMs.downstream;
    requireNumber('upstreamMs', upstream, 0);
    requireNumber('downstreamMs', downstream, 0);
    this.#faults = { ...this.#faults, latencyMs: { upstream, downstream } };
  }

  /**
   * Resets the connection (RST to both client and server) with probability `probability` for
   * each chunk read in `direction`; 1 resets every connection at its first chunk, 0 turns it off.
   * @throws InvalidArgumentError (a TypeError) for a probability outside [0, 1] or an unknown direction.
   */
  setResetRate(probability: number, direction: FaultDirection = 'both'): void {
    requireNumber('probability', probability, 0, 1);
    const resetRate = { ...this.#faults.resetRate };
    for (const lane of lanesOf(direction)) resetRate[lane] = probability;
    this.#faults = { ...this.#faults, resetRate };
  }

  /**
   * Turns a blackhole on or off in `direction`: while on, bytes (and ends of stream) in that
   * direction are dropped without a trace, so requests hang until the client's own timeout.
   * @throws InvalidArgumentError (a TypeError) for an unknown direction or an `on` that is not a boolean.
   */
  setBlackhole(on: boolean, direction: FaultDirection = 'both'): void {
    requireBoolean('on', on);
    const blackhole = { ...this.#faults.blackhole };
    for (const lane of lanesOf(direction)) blackhole[lane] = on;
    this.#faults = { ...this.#faults, blackhole };
  }

  /** Clears every fault: no latency, no resets, no blackholes. Open connections stay open. */
  reset(): void {
    this.#faults = noFaults();
  }

  /** Resets every open connection now (each counts in `stats.resets`). */
  dropConnections(): void {
    for (const connection of [...this.#connections]) connection.reset();
  }

  /** Stops listening and closes every open connection. Safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const connection of [...this.#connections]) connection.destroy(false);
    });
    return this.#stopping;
  }

  #accept(client: Socket): void {
    this.#stats.connectionsAccepted += 1;
    const server = connect({ host: this.#target.host, port: this.#target.port, allowHalfOpen: true });
    const connection = new ProxiedConnection(client, server, {
      faults: () => this.#faults,
      random: this.#random,
      logger: this.#logger,
      onForwarded: (lane: Lane, bytes: number) => (this.#stats.bytesForwarded[lane] += bytes),
      onDropped: (lane: Lane, bytes: number) => (this.#stats.bytesDropped[lane] += bytes),
      onReset: () => (this.#stats.resets += 1),
      onClosed: (closed) => this.#connections.delete(closed),
    });
    this.#connections.add(connection);
    this.#logger.debug({ target: `${this.#target.host}:${this.#target.port}` }, 'fault proxy: connection accepted');
  }
}

function resolveFaultProxyOptions(options: FaultProxyOptions): Readonly<Required<FaultProxyOptions>> {
  requireObject('options', options);
  rejectUnknownOptions('', options, ['target', ...Object.keys(FAULT_PROXY_DEFAULTS)]);
  const target = requireObject('target', (options as Partial<FaultProxyOptions>).target);
  rejectUnknownOptions('target', target, ['host', 'port']);
  requireString('target.host', target.host);
  requireInteger('target.port', target.port, 1, 65_535);
  const resolved = { ...FAULT_PROXY_DEFAULTS, ...withoutUndefined(options), target: target as unknown as FaultProxyTarget };
  requireString('host', resolved.host);
  requireInteger('port', resolved.port, 0, 65_535);
  requireFunction('random', resolved.random);
  requireLogger('logger', resolved.logger);
  return Object.freeze(resolved);
}
