import { KinesisClient } from '@aws-sdk/client-kinesis';
const kinesis = new KinesisClient({ region: 'eu-west-1' });   // no endpoint, no credentials: the default chain
export {};
