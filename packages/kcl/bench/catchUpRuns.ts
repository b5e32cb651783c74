/**
 * One timed catch-up per call: the Worker, or the hand-written loop (`readWithAwsKinesisAgg`),
 * reading a whole backlog from TRIM_HORIZON on a fresh client. Each run is measured the same
 * way: wall time from the first request to the last user record handed over, this process's CPU
 * time, the emulator process's CPU share, and every GetRecords (`GetRecordsLog`).
 */
import { DynamoDBLeaseStore, Worker, type ProcessRecordsInput, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { createDynamoDBClient, createKinesisClient, uniqueName } from '@kinesis-toolkit/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { check, gc } from '../../../scripts/bench-harness';
import { cpuShare, type LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { GetRecordsLog, type ShardFetchSummary } from './GetRecordsLog';
import { readWithAwsKinesisAgg } from './readWithAwsKinesisAgg';
import type { Backlog } from '../../../scripts/writeBacklog';

/** Who reads the backlog; ', cbor': its client speaks CBOR (@kinesis-toolkit/wire), else the SDK's JSON. */
export type Contender = 'worker' | 'worker, cbor' | 'naive' | 'naive, paced' | 'fetch only' | 'fetch only, cbor';

/** A client for the contender, on the wire protocol its name says. */
function clientFor(stack: LocalStackProcess, contender: Contender): ReturnType<typeof createKinesisClient> {
  const client = createKinesisClient(stack.endpoint);
  if (contender.endsWith(', cbor')) useWireProtocol(client, { wireProtocol: 'cbor' });
  return client;
}

/** The Worker's pause between GetRecords calls while catching up (`PollingFetcher`), copied by 'naive, paced'. */
export const WORKER_CALL_SPACING_MS = 200;
/** The Worker's `idleTimeBetweenReadsMs` here: its minimum, equal to its catching-up spacing. */
export const IDLE_TIME_BETWEEN_READS_MS = 200;
/** A run that has not caught up by then has hung: fail the benchmark. */
const RUN_TIMEOUT_MS = 120_000;

/** One timed read of the whole backlog. */
export interface CatchUpRun {
  readonly contender: Contender;
  readonly round: number;
  /** From the first request (the Worker: `start()`) to the last user record handed over. */
  readonly elapsedMs: number;
  /** This process's CPU time (user + system) during the run. */
  readonly cpuMs: number;
  /** The emulator process's CPU use during the run, in cores. */
  readonly emulatorCpu: number;
  readonly fetch: readonly ShardFetchSummary[];
  /** The Worker: from `start()` to its first GetRecords. */
  readonly startupMs?: number;
  /** The Worker: processRecords calls, each followed by a checkpoint. */
  readonly batches?: number;
}

/** What every run needs. */
export interface CatchUpTarget {
  readonly stack: LocalStackProcess;
  readonly streamName: string;
  readonly backlog: Backlog;
  /** GetRecords `Limit` (the Worker's `maxRecords`). */
  readonly maxRecords: number;
}

/** Counts what the processors are handed; resolves `caughtUp` when all of the backlog has been. */
class DeliveryTally {
  userRecords = 0;
  dataBytes = 0;
  batches = 0;
  readonly caughtUp: Promise<number>;
  #resolve!: (atMs: number) => void;

  constructor(private readonly expected: number) {
    this.caughtUp = new Promise((resolve) => (this.#resolve = resolve));
  }

  add(input: ProcessRecordsInput): void {
    this.batches++;
    this.userRecords += input.records.length;
    for (const record of input.records) this.dataBytes += record.data.length;
    if (this.userRecords >= this.expected) this.#resolve(performance.now());
  }
}

/** Does nothing with the records but count them; checkpoints at the end of every batch. */
class CountingProcessor implements RecordProcessor {
  constructor(private readonly tally: DeliveryTally) {}

  async processRecords(input: ProcessRecordsInput): Promise<void> {
    this.tally.add(input);
    await input.checkpointer.checkpoint();
  }

  async shardEnded({ checkpointer }: Parameters<RecordProcessor['shardEnded']>[0]): Promise<void> {
    await checkpointer.checkpoint();
  }
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  const controller = new AbortController();
  const timeout = sleep(RUN_TIMEOUT_MS, undefined, { signal: controller.signal }).then(() => {
    throw new Error(`${what} did not finish within ${RUN_TIMEOUT_MS} ms`);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    controller.abort();
    timeout.catch(() => undefined);
  }
}

/** A Worker (fresh application, lease table created before the clock starts) reads the backlog. */
export async function runWorker(target: CatchUpTarget, round: number, contender: 'worker' | 'worker, cbor' = 'worker'): Promise<CatchUpRun> {
  const { stack, streamName, backlog, maxRecords } = target;
  const kinesis = createKinesisClient(stack.endpoint);
  const dynamo = createDynamoDBClient(stack.dynamodbEndpoint);
  const log = GetRecordsLog.attach(kinesis);
  const applicationName = uniqueName('kcl-catchup');
  // The table's creation is the same fixed cost for any backlog: keep it out of the throughput.
  await new DynamoDBLeaseStore(dynamo, { tableName: applicationName, tableActivePollIntervalMs: 20 }).ensureTable();
  const tally = new DeliveryTally(backlog.userRecords);
  const worker = new Worker({
    streamName,
    applicationName,
    kinesisClient: kinesis,
    dynamoClient: dynamo,
    initialPosition: 'TRIM_HORIZON',
    idleTimeBetweenReadsMs: IDLE_TIME_BETWEEN_READS_MS,
    maxRecords,
    // 'auto' would pick JSON for the local endpoint: the CBOR contender asks for CBOR.
    wireProtocol: contender === 'worker, cbor' ? 'cbor' : 'json',
    processorFactory: () => new CountingProcessor(tally),
  });
  const problems: string[] = [];
  worker.on('recordsOutOfRange', (event) => problems.push(`${event.records.length} records out of range on ${event.shardId}`));
  worker.on('processorError', (error) => problems.push(error.message));
  worker.on('shardError', (error) => problems.push(error.message));
  try {
    gc?.();
    const hostBefore = await stack.usage();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await worker.start();
    const caughtUpAt = await within(tally.caughtUp, 'the Worker catch-up');
    const cpu = process.cpuUsage(cpuBefore);
    const hostAfter = await stack.usage();
    await worker.shutdown();
    check(problems.length === 0, `the Worker reported: ${problems.slice(0, 3).join('; ')}`);
    check(tally.userRecords === backlog.userRecords, `the Worker delivered ${tally.userRecords} user records, expected ${backlog.userRecords}`);
    check(tally.dataBytes === backlog.dataBytes, `the Worker delivered ${tally.dataBytes} data bytes, expected ${backlog.dataBytes}`);
    return {
      contender,
      round,
      elapsedMs: caughtUpAt - startedAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      emulatorCpu: cpuShare(hostBefore, hostAfter),
      fetch: log.summarize(),
      startupMs: (log.firstCallMs ?? caughtUpAt) - startedAt,
      batches: tally.batches,
    };
  } finally {
    await worker.shutdown();
    kinesis.destroy();
    dynamo.destroy();
  }
}

/** The hand-written loop reads the backlog: `naive`, `naive, paced` (the Worker's spacing) or `fetch only` (in JSON or CBOR). */
export async function runLoop(target: CatchUpTarget, contender: Exclude<Contender, 'worker' | 'worker, cbor'>, round: number): Promise<CatchUpRun> {
  const { stack, streamName, backlog, maxRecords } = target;
  const kinesis = clientFor(stack, contender);
  const log = GetRecordsLog.attach(kinesis);
  const options = { limit: maxRecords, pauseMs: contender === 'naive, paced' ? WORKER_CALL_SPACING_MS : 0, deaggregate: !contender.startsWith('fetch only') };
  try {
    gc?.();
    const hostBefore = await stack.usage();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const result = await within(readWithAwsKinesisAgg(kinesis, streamName, backlog.shardIds, options), `the ${contender} loop`);
    const cpu = process.cpuUsage(cpuBefore);
    const hostAfter = await stack.usage();
    check(result.kinesisRecords === backlog.aggregates, `${contender} read ${result.kinesisRecords} Kinesis records, expected ${backlog.aggregates}`);
    if (options.deaggregate) check(result.userRecords === backlog.userRecords, `${contender} de-aggregated ${result.userRecords} user records, expected ${backlog.userRecords}`);
    return {
      contender,
      round,
      elapsedMs: result.caughtUpAtMs - startedAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      emulatorCpu: cpuShare(hostBefore, hostAfter),
      fetch: log.summarize(),
    };
  } finally {
    kinesis.destroy();
  }
}
