import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@kinesis-toolkit/core';
import { formatHost } from '../net/formatHost';
import { ChildServer } from '../process/ChildServer';
import type { InProcessServer } from './inProcessServers';

/**
 * Starts s3rver in a child node process run with `--openssl-legacy-provider` (its listing
 * continuation tokens use DES), storing objects in a fresh temporary directory that is
 * removed on close.
 */
export async function startS3rver(host: string, startTimeoutMs: number, logger: Logger): Promise<InProcessServer> {
  const directory = await mkdtemp(join(tmpdir(), 'kt-s3rver-'));
  let child: ChildServer<{ port: number }>;
  try {
    child = await ChildServer.start<{ port: number }>({
      name: 's3rver',
      script: join(__dirname, 's3rverProcess.js'),
      config: { host, directory },
      execArgv: ['--openssl-legacy-provider'],
      readyMessage: true,
      startTimeoutMs,
      stopTimeoutMs: 5_000,
      logger,
    });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://${formatHost(host)}:${child.ready.port}`,
    close: async () => {
      await child.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
