import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { AnalyticsWorker, CallbackOutput } from '@kinesis-toolkit/analytics';
import { createDynamoDBClient, createKinesisClient } from '@kinesis-toolkit/testing';
import { check, formatRate, seconds } from '../../../scripts/bench-harness';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { writeBacklog } from '../../../scripts/writeBacklog';
import { benchRecords, INPUT_SCHEMA, TUMBLING_SQL } from './benchRecords';

export interface EndToEndResult {
  readonly records: number;
  readonly shards: number;
  readonly ms: number;
  readonly rowsOut: number;
}

/** A backlog of 100 B JSON records (KPL-aggregated) on a local stream, read from TRIM_HORIZON by one AnalyticsWorker running the tumbling query. */
export async function runEndToEndBench(stack: LocalStackProcess, records: number, shards: number): Promise<EndToEndResult> {
  const kinesis = createKinesisClient(stack.endpoint);
  const dynamo = createDynamoDBClient(stack.dynamodbEndpoint);
  const stream = `analytics-bench-${Date.now()}`;
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: stream });
    const input = benchRecords(records, 0, 0);
    await writeBacklog(kinesis, stream, input.map((r, i) => ({ partitionKey: `p${i % 997}`, data: r.data })), 51_200);
    let rowsOut = 0;
    const worker = new AnalyticsWorker({
      config: {
        applicationName: `${stream}-app`,
        sql: TUMBLING_SQL,
        input: { stream, namePrefix: 'SOURCE_SQL_STREAM', schema: INPUT_SCHEMA, startingPosition: 'TRIM_HORIZON' },
        references: [],
        outputs: [],
      },
      kinesisClient: kinesis,
      dynamoClient: dynamo,
      outputs: { DESTINATION_SQL_STREAM: new CallbackOutput((rows) => void (rowsOut += rows.length)) },
      worker: { idleTimeBetweenReadsMs: 200, failoverTimeMs: 10_000 },
      application: { idleWindowCloseMs: 0 },
    });
    const started = performance.now();
    await worker.start();
    while (worker.application.rowsIn < records) await new Promise((resolve) => setTimeout(resolve, 20));
    const ms = performance.now() - started;
    await worker.shutdown();
    check(worker.application.rowsIn === records, `read ${worker.application.rowsIn} rows, expected ${records}`);
    return { records, shards, ms, rowsOut };
  } finally {
    kinesis.destroy();
    dynamo.destroy();
  }
}

export function describeEndToEnd(result: EndToEndResult): string {
  const rate = (result.records * 1000) / result.ms;
  return [
    `3. End to end: ${result.records} records (100 B JSON, KPL-aggregated) on a ${result.shards}-shard local stream → one AnalyticsWorker (KCL, from TRIM_HORIZON, lease table included) → tumbling query`,
    `   ${formatRate(rate)} input rows/s (${seconds(result.ms)} s from start() to the last row) — target ≥ 100 k rows/s: ${rate >= 100_000 ? 'PASS' : 'BELOW'}`,
  ].join('\n');
}
