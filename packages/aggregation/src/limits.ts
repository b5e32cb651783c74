/**
 * Kinesis Data Streams limits this package checks against (AWS documentation:
 * PutRecords API reference and "Quotas and limits").
 */

/** A partition key has 1 to 256 characters (Unicode code points). */
export const MAX_PARTITION_KEY_LENGTH = 256;

/** Default maximum of one record's data plus its partition key: 1 MiB. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** The four bytes that open every KPL aggregated record. */
export const KPL_AGGREGATION_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the MD5 trailer of an aggregated record. */
export const MD5_DIGEST_BYTES = 16;

/** The partition key the KPL gives every aggregate of two or more records. */
export const AGGREGATE_PARTITION_KEY = 'a';
