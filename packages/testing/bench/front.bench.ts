// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- tsconfig.bench.json does not include src/, where the emulators' typings live
/// <reference path="../src/types/vendor.d.ts" />
/**
 * What the HTTP/2 + HTTP/1.1 front in front of kinesalite costs (it is on every integration
 * test's path): the same Kinesis calls, same kinesalite, in the same interleaved rounds —
 *
 * - baseline: an HTTP/1.1 client (`NodeHttpHandler`) straight to kinesalite's own port, the path
 *   before the front existed;
 * - HTTP/1.1 through the front: sniffing the first bytes, then the connection handed to
 *   kinesalite's server in this process (no second hop);
 * - HTTP/2 through the front: a default `KinesisClient` (`NodeHttp2Handler`), each stream
 *   forwarded to kinesalite as an HTTP/1.1 request on a kept-alive connection.
 *
 * - reference, HTTP/2 without forwarding: the same default client against an HTTP/2 server in this
 *   process that calls kinesalite's request handler itself (Node's compatibility API) — what
 *   HTTP/2 costs in Node with no second hop, to tell that cost from the front's.
 *
 * Rows: a small call (PutRecord of 100 bytes), one at a time and 16 in flight, and a large one
 * (PutRecords of 5 × 200 KiB). Ratios are calls per second against the baseline, from the same
 * run; nothing is enforced. A wrong answer fails the run.
 *
 *   npm run bench -- testing
 */
import { KinesisClient, PutRecordCommand, PutRecordsCommand, CreateStreamCommand, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { ProtocolFront } from '../src/front/ProtocolFront';
import { waitFor } from '../src/helpers/waitFor';
import { check, compare, describeEnvironment, formatRate, formatRatio, formatTable, type BenchSubject, type RelativeRate } from '../../../scripts/bench-harness';

const STREAM = 'front-bench';
const SMALL = Buffer.alloc(100, 1);
const LARGE_RECORDS = Array.from({ length: 5 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.alloc(200 * 1024, i) }));

/** Listens on a free loopback port; returns the endpoint. */
async function listen(server: { listen(port: number, host: string, done: () => void): unknown; address(): unknown }): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  console.log(describeEnvironment());
  // kinesalite and its front as startLocalStack wires them, plus the in-process HTTP/2 reference.
  const kinesalite = (await import('kinesalite')).default({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const directEndpoint = await listen(kinesalite);
  const front = await ProtocolFront.start({ name: 'kinesalite', host: '127.0.0.1', target: { host: '127.0.0.1', port: Number(new URL(directEndpoint).port) }, http1Server: kinesalite, logger: NOOP_LOGGER });
  const kinesaliteHandler = kinesalite.listeners('request')[0] as (request: IncomingMessage, response: ServerResponse) => void;
  // kinesalite sets Transfer-Encoding only on a 413 (HTTP/2 forbids it); nothing here sends one.
  const inProcessHttp2 = createHttp2Server((request: Http2ServerRequest, response: Http2ServerResponse) =>
    kinesaliteHandler(request as unknown as IncomingMessage, response as unknown as ServerResponse),
  );
  const inProcessEndpoint = await listen(inProcessHttp2);

  const base: KinesisClientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  const direct = new KinesisClient({ ...base, endpoint: directEndpoint, requestHandler: new NodeHttpHandler() });
  const frontHttp1 = new KinesisClient({ ...base, endpoint: front.endpoint, requestHandler: new NodeHttpHandler() });
  const frontHttp2 = new KinesisClient({ ...base, endpoint: front.endpoint });
  const referenceHttp2 = new KinesisClient({ ...base, endpoint: inProcessEndpoint });
  try {
    await direct.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitFor(() => direct.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: 'k', Data: SMALL })), { description: 'the stream' });

    const putOne = (client: KinesisClient) => async () => {
      const { SequenceNumber } = await client.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: 'k', Data: SMALL }));
      check(SequenceNumber !== undefined, 'PutRecord returned no sequence number');
    };
    const putSixteen = (client: KinesisClient) => () => Promise.all(Array.from({ length: 16 }, putOne(client)));
    const putLarge = (client: KinesisClient) => async () => {
      const { FailedRecordCount } = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records: LARGE_RECORDS }));
      check(FailedRecordCount === 0, 'PutRecords failed records');
    };
    const rows: string[][] = [];
    for (const [label, make] of [
      ['PutRecord 100 B, 1 in flight', putOne],
      ['PutRecord 100 B, 16 in flight', putSixteen],
      ['PutRecords 5 × 200 KiB', putLarge],
    ] as const) {
      const subject = (name: string, client: KinesisClient): BenchSubject => ({ name, run: make(client) });
      const result = await compare(
        {
          candidate: subject('HTTP/2 via front', frontHttp2),
          baseline: subject('HTTP/1.1 direct', direct),
          references: [subject('HTTP/1.1 via front', frontHttp1), subject('HTTP/2 in-process', referenceHttp2)],
        },
        { warmupMs: 400, rounds: 15, roundMs: 150 },
      );
      const [viaFrontHttp1, inProcess] = result.references;
      const cell = (rate: RelativeRate): string => `${formatRate(rate.callsPerSec)} (${formatRatio(rate)})`;
      rows.push([label, formatRate(result.baselineCallsPerSec), cell(viaFrontHttp1!), cell(result.candidate), cell(inProcess!)]);
    }
    console.log(`\ncalls/s, median of 15 rounds; (ratio to the direct HTTP/1.1 path in the same rounds, quartiles)\n`);
    console.log(formatTable(['call', 'HTTP/1.1 direct', 'HTTP/1.1 via front', 'HTTP/2 via front (default client)', 'reference: HTTP/2 in-process'], rows));
    const { connections } = front.stats;
    check(connections.h2 > 0 && connections['http/1.1'] > 0, 'the front saw no HTTP/2 or no HTTP/1.1 connection');
  } finally {
    for (const client of [direct, frontHttp1, frontHttp2, referenceHttp2]) client.destroy();
    await front.stop();
    await new Promise((resolve) => inProcessHttp2.close(resolve));
    kinesalite.closeAllConnections();
    await new Promise((resolve) => kinesalite.close(resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
