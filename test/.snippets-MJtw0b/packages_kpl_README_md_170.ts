import type { KinesisProducer } from '@kinesis-toolkit/kpl';
declare const producer: KinesisProducer;
declare const statsd: { histogram(name: string, value: number): void };

producer.on('metric', ({ name, value, unit, shardId, errorCode }) => statsd.histogram(`kpl.${name}`, value));
producer.on('drain', () => {});
producer.on('shardMapRefreshed', ({ reason, openShards, reroutedRecords }) => {});
export {};
