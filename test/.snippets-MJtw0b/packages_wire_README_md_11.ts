import { GetRecordsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { createLogger } from '@kinesis-toolkit/core';
import { useWireProtocol } from '@kinesis-toolkit/wire';

declare const shardIterator: string;
const logger = createLogger({ level: 'info' });
const kinesis = new KinesisClient({ region: 'eu-west-1' });
const wire = useWireProtocol(kinesis, { logger });          // 'auto': CBOR to AWS, JSON elsewhere
wire.on('fallback', (event) => logger.warn({ ...event }, 'Kinesis refused CBOR; back to JSON'));

const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: 10_000 }));
page.Records?.[0]?.Data;                                    // Uint8Array, as always
export {};
