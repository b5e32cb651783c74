import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerStartError } from '../errors/ServerStartError';
import { formatHost } from '../net/formatHost';
import { answerAtTimestampAsKinesis } from './kinesaliteAtTimestamp';

/** An emulator running as an HTTP server inside this process. */
export interface InProcessServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts kinesalite (Kinesis API, in memory) on a free port of `host`. Stream state changes
 * (CREATING → ACTIVE, UPDATING, DELETING) take no time. GetShardIterator AT_TIMESTAMP answers as
 * Kinesis does when no record is at or after the timestamp (see kinesaliteAtTimestamp.ts).
 */
export async function startKinesalite(host: string, shardLimit: number): Promise<InProcessServer> {
  answerAtTimestampAsKinesis();
  // Loaded on demand: users who only want the fault proxy or the helpers do not pay for it.
  const kinesalite = (await import('kinesalite')).default;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
  return listen('kinesalite', server, host);
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

