import { EventEmitter } from 'node:events';
import type { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { ManualClock, MetricsRecorder, type MetricsSnapshot } from '@kinesis-toolkit/core';
import { FirehoseProducer } from '../destinations/FirehoseProducer';
import { AgentMetrics } from './AgentMetrics';

function recorder() {
  const snapshots: MetricsSnapshot[] = [];
  const metrics = new MetricsRecorder({ clock: new ManualClock(), sinks: [{ publish: (snapshot) => void snapshots.push(snapshot) }] });
  /** Published datums: "Namespace/Name/Destination" → [sum, count]. */
  const published = async () => {
    await metrics.flush();
    return Object.fromEntries(snapshots.flatMap((s) => s.datums).map((d) => [`${d.namespace}/${d.name}/${d.dimensions.map((x) => `${x.name}=${x.value}`).join(',')}`, [d.sum, d.count]]));
  };
  return { metrics, published };
}

describe('AgentMetrics (the Kinesis Agent metrics: namespace AWSKinesisAgent, dimension Destination)', () => {
  it('counts the user records of a KPL aggregate, not the Kinesis records: attempts and errors are the agent\u2019s records (lines)', async () => {
    const { metrics, published } = recorder();
    const producer = new EventEmitter();
    const agent = new AgentMetrics(metrics, AgentMetrics.destinationOf({ streamName: 'logs' }));
    agent.listenTo(producer);
    producer.emit('putRecords', { errorCode: undefined, records: [{ errorCode: undefined, bytes: 900, userRecords: 30 }, { errorCode: 'ProvisionedThroughputExceededException', bytes: 300, userRecords: 10 }] });
    agent.stop();
    const out = await published();
    expect(out['AWSKinesisAgent/RecordSendAttempts/Destination=KinesisStream:logs']).toEqual([40, 1]);
    expect(out['AWSKinesisAgent/RecordSendErrors/Destination=KinesisStream:logs']).toEqual([10, 1]);
    expect(out['AWSKinesisAgent/BytesSent/Destination=KinesisStream:logs']).toEqual([900, 1]);
  });

  it('with cloudwatch.tagInstance every metric carries InstanceId as well as Destination', async () => {
    const { metrics, published } = recorder();
    const agent = new AgentMetrics(metrics, AgentMetrics.destinationOf({ deliveryStreamName: 'd' }), undefined, [{ name: 'InstanceId', value: 'i-0abc' }]);
    agent.sendCall({ records: 3, failed: 1, bytesSent: 20, serviceError: false });
    const out = await published();
    expect(Object.keys(out).sort()).toEqual(
      ['BytesSent', 'RecordSendAttempts', 'RecordSendErrors', 'ServiceErrors'].map((name) => `AWSKinesisAgent/${name}/Destination=DeliveryStream:d,InstanceId=i-0abc`),
    );
    expect(out['AWSKinesisAgent/RecordSendAttempts/Destination=DeliveryStream:d,InstanceId=i-0abc']).toEqual([3, 1]);
  });

  it('counts each KPL PutRecords request: attempts, record errors, bytes of accepted records, and a whole-request failure as a service error', async () => {
    const { metrics, published } = recorder();
    const producer = new EventEmitter();
    const agent = new AgentMetrics(metrics, AgentMetrics.destinationOf({ streamName: 'logs' }));
    agent.listenTo(producer);
    producer.emit('putRecords', { errorCode: undefined, records: [{ errorCode: undefined, bytes: 100 }, { errorCode: 'ProvisionedThroughputExceededException', bytes: 50 }, { errorCode: undefined, bytes: 20 }] });
    producer.emit('putRecords', { errorCode: 'InternalFailure', records: [{ errorCode: 'InternalFailure', bytes: 50 }] });
    agent.stop();
    producer.emit('putRecords', { errorCode: undefined, records: [{ errorCode: undefined, bytes: 1 }] }); // after stop: not counted
    expect(await published()).toEqual({
      'AWSKinesisAgent/RecordSendAttempts/Destination=KinesisStream:logs': [4, 2],
      'AWSKinesisAgent/ServiceErrors/Destination=KinesisStream:logs': [1, 2],
      'AWSKinesisAgent/RecordSendErrors/Destination=KinesisStream:logs': [1, 1],
      'AWSKinesisAgent/BytesSent/Destination=KinesisStream:logs': [120, 1],
    });
  });

  it("counts the Firehose producer's PutRecordBatch calls under DeliveryStream:<name>", async () => {
    const { metrics, published } = recorder();
    let call = 0;
    // A FirehoseClient stand-in (no server): the first call fails whole, the second fails one entry of two, the third succeeds.
    const client = {
      send: async (command: PutRecordBatchCommand) => {
        call++;
        if (call === 1) throw Object.assign(new Error('busy'), { name: 'ServiceUnavailableException', $fault: 'server', $metadata: { httpStatusCode: 503 } });
        const records = command.input.Records ?? [];
        return { FailedPutCount: call === 2 ? 1 : 0, RequestResponses: records.map((_, i) => (call === 2 && i === 1 ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' } : { RecordId: `r${i}` })) };
      },
    } as unknown as FirehoseClient;
    const clock = new ManualClock();
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock, random: () => 0, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const agent = new AgentMetrics(metrics, AgentMetrics.destinationOf({ deliveryStreamName: 'd' }));
    agent.listenTo(producer);
    const puts = [producer.put({ data: Buffer.from('aaaa\n') }), producer.put({ data: Buffer.from('bb\n') })];
    const flushed = producer.flush();
    for (let i = 0; i < 20 && call < 3; i++) await clock.advance(10);
    await flushed;
    await Promise.all(puts);
    expect(await published()).toEqual({
      'AWSKinesisAgent/RecordSendAttempts/Destination=DeliveryStream:d': [2 + 2 + 1, 3],
      'AWSKinesisAgent/ServiceErrors/Destination=DeliveryStream:d': [1, 3],
      'AWSKinesisAgent/RecordSendErrors/Destination=DeliveryStream:d': [1, 2],
      'AWSKinesisAgent/BytesSent/Destination=DeliveryStream:d': [5 + 3, 2],
    });
  });
});
