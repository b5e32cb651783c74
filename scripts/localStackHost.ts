/**
 * The child side of {@link LocalStackProcess}: runs the local stack (kinesalite, dynalite) and,
 * on request, a ShardLimitProxy in front of kinesalite, in a process of its own, answering the
 * parent over IPC.
 *
 * Not a benchmark (no `.bench.ts` suffix): the benchmarks fork it through `LocalStackProcess`.
 * Keeping the emulators out of the measuring process means the contender's CPU and RSS are its
 * own — kinesalite keeps every record in memory and burns a core on base64 JSON.
 */
import { ShardLimitProxy, startLocalStack, type LocalStack } from '@kinesis-toolkit/testing';
import type { HostEndpoints, HostReply, HostRequest, HostUsage } from './LocalStackProcess';

let stack: LocalStack | undefined;
let proxy: ShardLimitProxy | undefined;

function usage(): HostUsage {
  const { user, system } = process.cpuUsage();
  return { cpuMicros: user + system, rssBytes: process.memoryUsage().rss, atMs: performance.now() };
}

async function handle(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'startProxy':
      await proxy?.stop();
      proxy = await ShardLimitProxy.start({ target: stack!.kinesis.endpoint, scale: request.scale });
      return proxy.endpoint;
    case 'proxyStats':
      if (proxy === undefined) throw new Error('no proxy is running');
      return proxy.stats;
    case 'stopProxy':
      await proxy?.stop();
      proxy = undefined;
      return null;
    case 'usage':
      return usage();
  }
}

function reply(message: HostReply): void {
  process.send!(message);
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('localStackHost must be forked with an IPC channel');
  stack = await startLocalStack();
  process.on('message', (request: HostRequest) => {
    handle(request).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) => reply({ id: request.id, ok: false, error: String((error as Error)?.stack ?? error) }),
    );
  });
  // The parent closing the channel (normally or by dying) ends us.
  process.on('disconnect', () => {
    void Promise.allSettled([proxy?.stop(), stack?.stop()]).then(() => process.exit(0));
  });
  const endpoints: HostEndpoints = { kinesis: stack.kinesis.endpoint, dynamodb: stack.dynamodb.endpoint };
  reply({ id: 0, ok: true, value: endpoints });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
