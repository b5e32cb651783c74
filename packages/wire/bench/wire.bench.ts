/**
 * The CBOR wire protocol against JSON, in process (no emulator, so the CPU measured is the
 * client's own), every ratio from the same run:
 *
 * 1. Codecs — decoding a 10 MB GetRecords page and encoding a 5 MiB PutRecords: @smithy/core's
 *    CBOR codec (the one this package uses), cbor-x, and JSON + base64 (what the SDK does).
 * 2. Through the SDK — a real KinesisClient on a scripted request handler that answers with the
 *    same records in JSON or in CBOR: consumer CPU per user record (GetRecords + de-aggregation
 *    as the KCL Worker does it) and producer CPU per user record (aggregation + PutRecords).
 *
 * Targets are printed, never enforced; a wrong result fails the run.
 *
 *   npm run bench -- wire
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { GetRecordsCommand, KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { cbor as smithyCbor } from '@smithy/core/cbor';
import { aggregate, deaggregate, type KinesisRecordOutput } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { decodeResponse, encodeRequest, useWireProtocol } from '@kinesis-toolkit/wire';
import { Encoder as CborXEncoder, Decoder as CborXDecoder, isNativeAccelerationEnabled } from 'cbor-x';
import cborXPackage from 'cbor-x/package.json';
import smithyPackage from '@smithy/core/package.json';
import { check, compare, describeEnvironment, formatRatio, formatTable, type Comparison } from '../../../scripts/bench-harness';
import { RecordFactory } from '../../../scripts/RecordFactory';
import { ScriptedHttpHandler } from '../test/ScriptedHttpHandler';
import { CborWriter } from '../src/cbor/CborWriter';

/** Consumer CPU per user record with CBOR should be at most this share of the JSON path's. */
const CONSUMER_CPU_TARGET = 0.4;
const USER_DATA_BYTES = 100;
const KEY_LENGTH = 16;
/** The KPL's default aggregate size (`aggregationMaxBytes`). */
const AGGREGATE_BYTES = 51_200;
const SEQUENCE_BASE = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;
const ARRIVAL_MS = 1_787_036_486_712;

interface PageRecord {
  readonly SequenceNumber: string;
  readonly ApproximateArrivalTimestamp: number;
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
}

/** A GetRecords answer as AWS sends it in CBOR (tag 1 milliseconds, byte strings) and in JSON (seconds, base64). */
function pageBodies(records: readonly PageRecord[]): { cbor: Uint8Array; json: Uint8Array } {
  const writer = new CborWriter(records.reduce((sum, r) => sum + r.Data.byteLength + 160, 256)).startMap().text('Records').startArray();
  for (const r of records) {
    writer.startMap().text('SequenceNumber').text(r.SequenceNumber).text('ApproximateArrivalTimestamp').epochMillis(r.ApproximateArrivalTimestamp);
    writer.text('Data').bytesValue(r.Data).text('PartitionKey').text(r.PartitionKey).end();
  }
  writer.end().text('NextShardIterator').text('AAAAAAAAAAH'.padEnd(224, 'x')).text('MillisBehindLatest').unsigned(0).end();
  const json = JSON.stringify({
    Records: records.map((r) => ({ SequenceNumber: r.SequenceNumber, ApproximateArrivalTimestamp: r.ApproximateArrivalTimestamp / 1000, Data: Buffer.from(r.Data).toString('base64'), PartitionKey: r.PartitionKey })),
    NextShardIterator: 'AAAAAAAAAAH'.padEnd(224, 'x'),
    MillisBehindLatest: 0,
  });
  return { cbor: Uint8Array.from(writer.bytes()), json: Buffer.from(json, 'utf8') };
}

function pageOf(kinesisRecords: readonly KinesisRecordOutput[] | readonly { data: Uint8Array; partitionKey: string }[]): PageRecord[] {
  return kinesisRecords.map((record, i) => ({
    SequenceNumber: (SEQUENCE_BASE + BigInt(i) * 1_000n).toString(),
    ApproximateArrivalTimestamp: ARRIVAL_MS + i,
    Data: new Uint8Array(record.data),
    PartitionKey: record.partitionKey,
  }));
}

function scriptedClient(answer: () => { contentType: string; body: Uint8Array }): KinesisClient {
  const handler = new ScriptedHttpHandler(() => {
    const { contentType, body } = answer();
    return { statusCode: 200, headers: { 'content-type': contentType }, body };
  });
  return new KinesisClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1, requestHandler: handler });
}

const ms = (callsPerSec: number): string => (1000 / callsPerSec).toFixed(2);
const usPer = (callsPerSec: number, items: number): string => ((1e6 / callsPerSec / items) * 1000).toFixed(0);

async function codecs(): Promise<string> {
  // 1. Decoding a 10 MB page, two kinds of records.
  const rows: string[][] = [];
  const decodeComparisons: [string, Comparison][] = [];
  const users = new RecordFactory(USER_DATA_BYTES, KEY_LENGTH, 11);
  const aggregated = aggregate(users.many(100_000), { maxBytes: AGGREGATE_BYTES }).slice(0, 200);
  const plain = new RecordFactory(1000, KEY_LENGTH, 12).many(10_000).map((u) => ({ data: u.data, partitionKey: u.partitionKey }));
  // int64AsNumber: without it cbor-x reads AWS's 8-byte tag-1 milliseconds as a BigInt and its tag-1 handler throws
  // ("Cannot mix BigInt and other types"); with it, tag 1 becomes a Date of the value as seconds (×1000 off).
  const cborX = new CborXDecoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as ConstructorParameters<typeof CborXDecoder>[0]);
  for (const [label, records] of [
    [`${aggregated.length} aggregates of ~50 KiB`, pageOf(aggregated)],
    ['10,000 records of 1 KB', pageOf(plain)],
  ] as const) {
    const { cbor, json } = pageBodies(records);
    const expected = records.length;
    const comparison = await compare({
      candidate: { name: '@smithy/core cbor.deserialize', run: () => (smithyCbor.deserialize(cbor) as { Records: unknown[] }).Records.length },
      baseline: { name: 'cbor-x decode', run: () => (cborX.decode(cbor) as { Records: unknown[] }).Records.length },
      references: [
        { name: 'this package: deserialize + SDK shape', run: () => (decodeResponse('GetRecords', smithyCbor.deserialize(cbor)).Records as unknown[]).length },
        {
          name: 'JSON.parse + base64 per record (JSON path, before SDK shaping)',
          run: () => {
            const parsed = JSON.parse(Buffer.from(json).toString('utf8')) as { Records: { Data: string }[] };
            for (const record of parsed.Records) Buffer.from(record.Data, 'base64');
            return parsed.Records.length;
          },
        },
      ],
    });
    check((decodeResponse('GetRecords', smithyCbor.deserialize(cbor)).Records as unknown[]).length === expected, 'decoded record count');
    decodeComparisons.push([label, comparison]);
    rows.push([`decode ${(cbor.byteLength / 1e6).toFixed(1)} MB page (${label}): @smithy/core`, ms(comparison.candidate.callsPerSec), formatRatio(comparison.candidate)]);
    rows.push(['  cbor-x', ms(comparison.baselineCallsPerSec), '1.00×']);
    for (const reference of comparison.references) rows.push([`  ${reference.name}`, ms(reference.callsPerSec), formatRatio(reference)]);
  }

  // 2. Encoding a 5 MiB PutRecords: 100 aggregates of ~50 KiB.
  const entries: PutRecordsRequestEntry[] = aggregate(new RecordFactory(USER_DATA_BYTES, KEY_LENGTH, 13).many(60_000), { maxBytes: AGGREGATE_BYTES })
    .slice(0, 100)
    .map((record) => ({ Data: new Uint8Array(record.data), PartitionKey: record.partitionKey }));
  const input = { StreamName: 'orders', Records: entries };
  const cborXEncoder = new CborXEncoder({ useRecords: false, tagUint8Array: false });
  const encode = await compare({
    candidate: { name: 'this package (Java form: indefinite maps)', run: () => encodeRequest('PutRecords', input)!.byteLength },
    baseline: { name: 'cbor-x encode', run: () => cborXEncoder.encode(input).byteLength },
    references: [
      { name: '@smithy/core cbor.serialize', run: () => smithyCbor.serialize(input).byteLength },
      { name: 'JSON.stringify with base64 Data (JSON path)', run: () => JSON.stringify({ ...input, Records: entries.map((e) => ({ ...e, Data: Buffer.from(e.Data!).toString('base64') })) }).length },
    ],
  });
  const bytes = encodeRequest('PutRecords', input)!.byteLength;
  rows.push([`encode ${(bytes / 1048576).toFixed(1)} MiB PutRecords (100 × ~50 KiB): this package`, ms(encode.candidate.callsPerSec), formatRatio(encode.candidate)]);
  rows.push(['  cbor-x', ms(encode.baselineCallsPerSec), '1.00×']);
  for (const reference of encode.references) rows.push([`  ${reference.name}`, ms(reference.callsPerSec), formatRatio(reference)]);
  return [
    `1) codecs: @smithy/core ${smithyPackage.version} vs cbor-x ${cborXPackage.version} (native string extraction: ${isNativeAccelerationEnabled ? 'on' : 'off'}); speed vs cbor-x, median (q1–q3) over interleaved rounds`,
    formatTable(['work', 'ms/call', 'speed vs cbor-x'], rows),
  ].join('\n');
}

async function throughTheSdk(): Promise<string> {
  const rows: string[][] = [];
  // Consumer: a 10 MB page of aggregates of 100 B user records, fetched and de-aggregated as the Worker does.
  const users = new RecordFactory(USER_DATA_BYTES, KEY_LENGTH, 21).many(100_000);
  const aggregates = aggregate(users, { maxBytes: AGGREGATE_BYTES }).slice(0, 200);
  const page = pageOf(aggregates);
  const userRecords = aggregates.reduce((sum, a) => sum + a.userRecordCount, 0);
  const { cbor, json } = pageBodies(page);
  const jsonClient = scriptedClient(() => ({ contentType: 'application/x-amz-json-1.1', body: json }));
  const cborClient = scriptedClient(() => ({ contentType: 'application/x-amz-cbor-1.1', body: cbor }));
  useWireProtocol(cborClient, { wireProtocol: 'cbor' });
  const range = { startingHashKey: '0', endingHashKey: MAX_HASH_KEY.toString() };
  const consume = (client: KinesisClient, deaggregated: boolean) => async (): Promise<number> => {
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator: 'iterator', Limit: 10_000 }));
    if (!deaggregated) return Records.length;
    let count = 0;
    for (const record of Records) count += deaggregate(record as never, { shardHashKeyRange: range }).records.length;
    return count;
  };
  check((await consume(cborClient, true)()) === userRecords && (await consume(jsonClient, true)()) === userRecords, 'both clients de-aggregate every user record');
  const consumer = await compare({
    candidate: { name: 'CBOR: GetRecords + de-aggregation', run: consume(cborClient, true) },
    baseline: { name: 'JSON: GetRecords + de-aggregation', run: consume(jsonClient, true) },
    references: [
      { name: 'CBOR: GetRecords only', run: consume(cborClient, false) },
      { name: 'JSON: GetRecords only', run: consume(jsonClient, false) },
    ],
  });
  const share = consumer.baselineCallsPerSec / consumer.candidate.callsPerSec;
  rows.push([`consumer, ${userRecords} user records in ${page.length} aggregates (${(cbor.byteLength / 1e6).toFixed(1)} MB): CBOR`, usPer(consumer.candidate.callsPerSec, userRecords), formatRatio(consumer.candidate)]);
  rows.push(['  JSON (the SDK as it comes)', usPer(consumer.baselineCallsPerSec, userRecords), '1.00×']);
  for (const reference of consumer.references) rows.push([`  ${reference.name}`, usPer(reference.callsPerSec, userRecords), formatRatio(reference)]);

  // Producer: 5 MiB PutRecords of aggregates (the KPL's default 50 KiB) of 100 B user records.
  const toSend = new RecordFactory(USER_DATA_BYTES, KEY_LENGTH, 22).many(50_000);
  const answer = (n: number) => ({ FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: (SEQUENCE_BASE + BigInt(i)).toString() })) });
  const produced = aggregate(toSend, { maxBytes: AGGREGATE_BYTES });
  const jsonAnswer = Buffer.from(JSON.stringify(answer(produced.length)));
  const cborWriter = new CborWriter().startMap().text('FailedRecordCount').unsigned(0).text('Records').startArray();
  for (const entry of answer(produced.length).Records) cborWriter.startMap().text('ShardId').text(entry.ShardId).text('SequenceNumber').text(entry.SequenceNumber).end();
  const cborAnswer = Uint8Array.from(cborWriter.end().end().bytes());
  const jsonProducer = scriptedClient(() => ({ contentType: 'application/x-amz-json-1.1', body: jsonAnswer }));
  const cborProducer = scriptedClient(() => ({ contentType: 'application/x-amz-cbor-1.1', body: cborAnswer }));
  useWireProtocol(cborProducer, { wireProtocol: 'cbor' });
  const produce = (client: KinesisClient, aggregating: boolean) => async (): Promise<number> => {
    const records = aggregating ? aggregate(toSend, { maxBytes: AGGREGATE_BYTES }) : produced;
    const output = await client.send(new PutRecordsCommand({ StreamName: 'orders', Records: records.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey, ExplicitHashKey: r.explicitHashKey })) }));
    return output.Records!.length;
  };
  check((await produce(cborProducer, false)()) === produced.length, 'the CBOR PutRecords answer is read whole');
  const producer = await compare({
    candidate: { name: 'CBOR: aggregation + PutRecords', run: produce(cborProducer, true) },
    baseline: { name: 'JSON: aggregation + PutRecords', run: produce(jsonProducer, true) },
    references: [
      { name: 'CBOR: PutRecords only', run: produce(cborProducer, false) },
      { name: 'JSON: PutRecords only', run: produce(jsonProducer, false) },
    ],
  });
  rows.push([`producer, ${toSend.length} user records in ${produced.length} aggregates per PutRecords: CBOR`, usPer(producer.candidate.callsPerSec, toSend.length), formatRatio(producer.candidate)]);
  rows.push(['  JSON (the SDK as it comes)', usPer(producer.baselineCallsPerSec, toSend.length), '1.00×']);
  for (const reference of producer.references) rows.push([`  ${reference.name}`, usPer(reference.callsPerSec, toSend.length), formatRatio(reference)]);
  for (const client of [jsonClient, cborClient, jsonProducer, cborProducer]) client.destroy();
  return [
    `2) through a real KinesisClient (scripted answers, no network); CPU per user record, speed vs the JSON path`,
    formatTable(['work', 'ns/user record', 'speed vs JSON'], rows),
    `consumer CPU per user record, CBOR / JSON: ${(share * 100).toFixed(0)}% (target ≤ ${CONSUMER_CPU_TARGET * 100}%: ${share <= CONSUMER_CPU_TARGET ? 'PASS' : 'BELOW'})`,
    `producer CPU per user record, CBOR / JSON: ${((producer.baselineCallsPerSec / producer.candidate.callsPerSec) * 100).toFixed(0)}%`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log('wire bench: the CBOR wire protocol against JSON, in process');
  console.log(describeEnvironment());
  const sections = [await codecs(), await throughTheSdk()];
  for (const section of sections) console.log(`\n${section}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
