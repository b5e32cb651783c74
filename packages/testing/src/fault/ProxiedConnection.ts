import type { Socket } from 'node:net';
import type { Logger } from '@kinesis-toolkit/core';
import type { FaultSettings, Lane } from './faults';

/** What a connection needs from its proxy: the live faults, randomness and counters. */
export interface ConnectionContext {
  readonly faults: () => FaultSettings;
  readonly random: () => number;
  readonly logger: Logger;
  readonly onForwarded: (lane: Lane, bytes: number) => void;
  readonly onDropped: (lane: Lane, bytes: number) => void;
  readonly onReset: () => void;
  readonly onClosed: (connection: ProxiedConnection) => void;
}

/** Above this many delayed bytes a lane pauses its source until the queue drains. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * One client connection and its connection to the target, joined by two {@link FaultLane}s.
 * Internal to {@link FaultProxy}.
 */
export class ProxiedConnection {
  readonly #client: Socket;
  readonly #server: Socket;
  readonly #context: ConnectionContext;
  readonly #lanes: FaultLane[];
  #closed = false;

  constructor(client: Socket, server: Socket, context: ConnectionContext) {
    this.#client = client;
    this.#server = server;
    this.#context = context;
    this.#lanes = [
      new FaultLane('upstream', client, server, this, context),
      new FaultLane('downstream', server, client, this, context),
    ];
    for (const socket of [client, server]) {
      socket.setNoDelay(true);
      // A socket error (the target refused us, a peer reset) is passed on as a reset.
      socket.on('error', (error: NodeJS.ErrnoException) => {
        context.logger.debug({ code: error.code, side: socket === client ? 'client' : 'server' }, 'fault proxy: socket error');
        this.destroy(true);
      });
      socket.on('close', () => this.#onSocketClosed());
    }
  }

  /** Resets both sides now (TCP RST), as a network fault would. */
  reset(): void {
    this.#context.onReset();
    this.destroy(true);
  }

  /** Tears the connection down, with an RST when `hard`, else by closing both sockets. */
  destroy(hard: boolean): void {
    for (const lane of this.#lanes) lane.dispose();
    for (const socket of [this.#client, this.#server]) {
      if (socket.destroyed) continue;
      // resetAndDestroy needs a connected TCP handle; a socket still connecting is just destroyed.
      if (hard && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.#markClosed();
  }

  #onSocketClosed(): void {
    if (this.#client.destroyed && this.#server.destroyed) {
      for (const lane of this.#lanes) lane.dispose();
      this.#markClosed();
    }
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#context.onClosed(this);
  }
}

interface QueuedChunk {
  readonly chunk: Buffer;
  readonly dueAt: number;
}

/** One direction of a connection: reads `source`, applies the faults of its lane, writes `destination`. */
class FaultLane {
  readonly #lane: Lane;
  readonly #source: Socket;
  readonly #destination: Socket;
  readonly #connection: ProxiedConnection;
  readonly #context: ConnectionContext;
  readonly #queue: QueuedChunk[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #sourceEnded = false;
  #disposed = false;

  constructor(lane: Lane, source: Socket, destination: Socket, connection: ProxiedConnection, context: ConnectionContext) {
    this.#lane = lane;
    this.#source = source;
    this.#destination = destination;
    this.#connection = connection;
    this.#context = context;
    source.on('data', (chunk: Buffer) => this.#onData(chunk));
    source.on('end', () => this.#onEnd());
    destination.on('drain', () => this.#resumeIfRoom());
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  #onData(chunk: Buffer): void {
    if (this.#disposed) return;
    const faults = this.#context.faults();
    if (faults.blackhole[this.#lane]) {
      this.#context.onDropped(this.#lane, chunk.length);
      return;
    }
    const rate = faults.resetRate[this.#lane];
    if (rate > 0 && this.#context.random() < rate) {
      this.#context.logger.debug({ lane: this.#lane }, 'fault proxy: resetting a connection');
      this.#connection.reset();
      return;
    }
    // Chunks keep their order even when the latency is lowered while some are still queued.
    const last = this.#queue[this.#queue.length - 1];
    const dueAt = Math.max(performance.now() + faults.latencyMs[this.#lane], last?.dueAt ?? 0);
    this.#queue.push({ chunk, dueAt });
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > MAX_QUEUED_BYTES) this.#source.pause();
    this.#flush();
  }

  #onEnd(): void {
    // A blackhole swallows the end of the stream (the FIN) too.
    if (this.#disposed || this.#context.faults().blackhole[this.#lane]) return;
    this.#sourceEnded = true;
    this.#flush();
  }

  #flush(): void {
    if (this.#disposed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = performance.now();
    while (this.#queue.length > 0 && this.#queue[0]!.dueAt <= now) {
      const { chunk } = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      if (this.#destination.destroyed) continue;
      this.#context.onForwarded(this.#lane, chunk.length);
      if (!this.#destination.write(chunk)) this.#source.pause();
    }
    const next = this.#queue[0];
    if (next !== undefined) {
      this.#timer = setTimeout(() => this.#flush(), Math.max(next.dueAt - now, 0));
    } else if (this.#sourceEnded && !this.#destination.destroyed) {
      this.#destination.end();
    }
    this.#resumeIfRoom();
  }

  #resumeIfRoom(): void {
    if (this.#disposed || !this.#source.isPaused()) return;
    if (this.#queuedBytes <= MAX_QUEUED_BYTES && !this.#destination.writableNeedDrain) this.#source.resume();
  }
}
