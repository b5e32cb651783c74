import { KinesisProducer } from '@kinesis-toolkit/kpl';

const order = { id: 'order-17', total: 9.5 };
const producer = new KinesisProducer({ streamName: 'orders' });     // or { streamARN }
const result = await producer.put({ partitionKey: order.id, data: Buffer.from(JSON.stringify(order)) });
// { shardId, sequenceNumber, subSequenceNumber, aggregated, attempts: [{ startedAt, durationMs, errorCode?, errorMessage? }] }
await producer.flush();   // send everything buffered; resolves when every earlier put() has settled
await producer.close();   // flush, then reject later puts with ProducerClosedError
export {};
