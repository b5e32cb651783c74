import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@kinesis-toolkit/core';
import { ServerStartError } from '../errors/ServerStartError';
import { ProtocolFront } from '../front/ProtocolFront';
import { formatHost } from '../net/formatHost';
import { answerAtTimestampAsKinesis } from './kinesaliteAtTimestamp';
import { applyKinesaliteCborFixes, type NodeCborEncoder } from './kinesaliteCborFixes';

/** An emulator running as an HTTP server inside this process. */
export interface InProcessServer {
  readonly endpoint: string;
  /** The HTTP/2 + HTTP/1.1 front, for a server that has one; `endpoint` is then the front's. */
  readonly front?: ProtocolFront;
  /** The server's own endpoint behind the front (HTTP/1.1 only): for benchmarks of the front. */
  readonly directEndpoint?: string;
  close(): Promise<void>;
}

/**
 * Starts kinesalite (Kinesis API, in memory) on a free port of `host`, behind a
 * {@link ProtocolFront} so that the endpoint speaks HTTP/2 (the AWS SDK Kinesis client's default)
 * as well as HTTP/1.1 (kinesalite's own). Stream state changes (CREATING → ACTIVE, UPDATING,
 * DELETING) take no time. Its CBOR bugs are fixed (`kinesaliteCborFixes`), so that CBOR writes
 * round-trip as on AWS, and GetShardIterator AT_TIMESTAMP answers as Kinesis does when no record
 * is at or after the timestamp (`kinesaliteAtTimestamp`).
 */
export async function startKinesalite(host: string, shardLimit: number, logger: Logger): Promise<InProcessServer> {
  // Before kinesalite loads: it builds its table of actions as it does.
  answerAtTimestampAsKinesis();
  // Loaded on demand: users who only want the fault proxy or the helpers do not pay for it.
  const kinesalite = (await import('kinesalite')).default;
  const kinesaliteRequire = createRequire(require.resolve('kinesalite'));
  applyKinesaliteCborFixes((await import('kinesalite/validations')).default, (kinesaliteRequire('cbor') as { Encoder: NodeCborEncoder }).Encoder);
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
  const inner = await listen('kinesalite', server, host);
  let front: ProtocolFront;
  try {
    front = await ProtocolFront.start({ name: 'kinesalite', host, target: { host, port: (server.address() as AddressInfo).port }, http1Server: server, logger });
  } catch (error) {
    await inner.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: front.endpoint,
    front,
    directEndpoint: inner.endpoint,
    close: () => {
      closing ??= front.stop().then(() => inner.close());
      return closing;
    },
  };
}

/** Starts dynalite (DynamoDB API, in memory) on a free port of `host`; table changes take no time. */
export async function startDynalite(host: string): Promise<InProcessServer> {
  const dynalite = (await import('dynalite')).default;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return listen('dynalite', server, host);
}

async function listen(name: string, server: Server, host: string): Promise<InProcessServer> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new ServerStartError(name, `could not listen on ${host}: ${(error as Error).message}`, { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${formatHost(host)}:${port}`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() waits for open keep-alive connections; clients may still hold some.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

