import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisProducer } from '@kinesis-toolkit/kpl';

export async function produceOrders(streamName: string, kinesisClient?: KinesisClient) {
  const producer = new KinesisProducer({ streamName, kinesisClient, recordMaxBufferedTimeMs: 100 });
  const puts = [];
  for (let orderId = 1; orderId <= 100; orderId++) {
    // put() resolves when Kinesis acknowledged the record; many puts share one aggregate.
    puts.push(producer.put({ partitionKey: `customer-${orderId % 7}`, data: Buffer.from(JSON.stringify({ orderId })) }));
  }
  const results = await Promise.all(puts);   // each: { shardId, sequenceNumber, subSequenceNumber, attempts }
  await producer.close();                    // flushes first; later puts are rejected
  return results;
}
export {};
