import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient, createStream, getTestStack, ManualClock, ShardLimitProxy, uniqueName } from '@kinesis-toolkit/testing';

const stack = getTestStack();
const clock = new ManualClock();                    // budgets refill only when the test says so
const proxy = await ShardLimitProxy.start({ target: stack.kinesis.endpoint, scale: 0.05, clock });
const kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
const StreamName = uniqueName('orders');
await createStream(kinesis, StreamName, 1);

const Records = Array.from({ length: 60 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') }));
const { FailedRecordCount } = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
// scale 0.05: 50 records/s per shard, so FailedRecordCount === 10 (the last ten entries)
await clock.advance(200);                           // 10 more records' worth
proxy.stats.streams[StreamName]['shardId-000000000000'];   // { recordsAccepted: 50, recordsThrottled: 10, … }
await proxy.stop();
export {};
