import type { ListShardsCommandOutput } from '@aws-sdk/client-kinesis';
import { hashKeyOf, hashKeyDecimalOf, parseExplicitHashKey, ShardMap } from '@kinesis-toolkit/aggregation';

declare const listShardsPages: ListShardsCommandOutput[];         // every page of ListShards
declare const explicitHashKey: string | undefined;

hashKeyOf('user-42');            // 128-bit bigint: MD5 of the UTF-8 key, big-endian
hashKeyDecimalOf('user-42');     // the same as a decimal string (PutRecords' ExplicitHashKey form)
parseExplicitHashKey('123');     // 123n; throws InvalidRecordError unless 0 ≤ k ≤ 2^128 − 1, decimal digits only

const map = ShardMap.fromShards(listShardsPages.flatMap((page) => page.Shards ?? []));
map.shardFor(hashKeyOf('user-42'))?.shardId;                 // binary search over open shards
map.shardForRecord({ partitionKey: 'user-42', explicitHashKey });
export {};
