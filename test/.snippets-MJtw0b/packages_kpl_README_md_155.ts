import { KinesisProducer } from '@kinesis-toolkit/kpl';

const producer = new KinesisProducer({ streamName: process.env.STREAM! });  // outside the handler: reused
const log = (error: Error) => console.error(error);
export const handler = async (event: { items: { id: string }[] }) => {
  for (const item of event.items) producer.put({ partitionKey: item.id, data: Buffer.from(JSON.stringify(item)) }).catch(log);
  await producer.flush();   // everything put above is acknowledged (or has failed) before we return
};
export {};
