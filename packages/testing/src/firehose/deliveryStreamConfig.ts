import type { BufferThresholds, CompressionFormat, FirehoseS3EmitterOptions, FirehoseTransformFunction, S3BackupOptions, SchemaColumn } from '@kinesis-toolkit/connector';
import { FirehoseTimeZone, firehoseBufferThresholds, requireKmsKeyArn } from '@kinesis-toolkit/connector';
import { FirehoseApiError } from './FirehoseApiError';

/** The parts of CreateDeliveryStream's input the local endpoint reads (the SDK's shapes). */
export interface CreateDeliveryStreamInput {
  readonly DeliveryStreamName?: string;
  readonly DeliveryStreamType?: string;
  readonly ExtendedS3DestinationConfiguration?: ExtendedS3Configuration;
  readonly S3DestinationConfiguration?: ExtendedS3Configuration;
  readonly [other: string]: unknown;
}

interface ExtendedS3Configuration {
  readonly BucketARN?: string;
  readonly Prefix?: string;
  readonly ErrorOutputPrefix?: string;
  readonly BufferingHints?: { readonly SizeInMBs?: number; readonly IntervalInSeconds?: number };
  readonly CompressionFormat?: string;
  readonly FileExtension?: string;
  readonly CustomTimeZone?: string;
  readonly EncryptionConfiguration?: EncryptionConfiguration;
  readonly S3BackupMode?: string;
  readonly S3BackupConfiguration?: S3BackupConfiguration;
  readonly ProcessingConfiguration?: { readonly Enabled?: boolean; readonly Processors?: readonly { readonly Type?: string; readonly Parameters?: readonly { readonly ParameterName?: string; readonly ParameterValue?: string }[] }[] };
  readonly DynamicPartitioningConfiguration?: { readonly Enabled?: boolean };
  readonly DataFormatConversionConfiguration?: {
    readonly Enabled?: boolean;
    readonly SchemaConfiguration?: { readonly DatabaseName?: string; readonly TableName?: string };
    readonly OutputFormatConfiguration?: { readonly Serializer?: { readonly ParquetSerDe?: { readonly Compression?: string }; readonly OrcSerDe?: unknown } };
  };
  readonly [other: string]: unknown;
}

/** `S3BackupConfiguration` (the SDK's `S3DestinationConfiguration`). */
interface S3BackupConfiguration {
  readonly BucketARN?: string;
  readonly Prefix?: string;
  readonly ErrorOutputPrefix?: string;
  readonly BufferingHints?: { readonly SizeInMBs?: number; readonly IntervalInSeconds?: number };
  readonly CompressionFormat?: string;
  readonly EncryptionConfiguration?: EncryptionConfiguration;
}

interface EncryptionConfiguration {
  readonly NoEncryptionConfig?: string;
  readonly KMSEncryptionConfig?: { readonly AWSKMSKeyARN?: string };
}

/** What a delivery stream is built from. */
export interface DeliveryStreamPlan {
  readonly bucket: string;
  readonly emitter: Omit<FirehoseS3EmitterOptions, 'client' | 'deliveryStreamName'>;
  readonly buffer: Required<BufferThresholds>;
  /** The registered function of a Lambda processor, if any. */
  readonly transform: FirehoseTransformFunction | undefined;
  /** The destination as DescribeDeliveryStream echoes it. */
  readonly description: Record<string, unknown>;
}

/** What the local endpoint has in place of AWS Glue and Lambda. */
export interface LocalCatalog {
  /** Columns of `DATABASE.TABLE` (what Firehose reads from Glue for format conversion). */
  readonly glueTables: ReadonlyMap<string, readonly SchemaColumn[]>;
  /** Functions by Lambda ARN (what Firehose invokes for data transformation). */
  readonly lambdas: ReadonlyMap<string, FirehoseTransformFunction>;
}

const invalid = (message: string) => new FirehoseApiError('InvalidArgumentException', message);

/**
 * Reads a CreateDeliveryStream request for the local endpoint: a `DirectPut` stream with an
 * (Extended) S3 destination — prefixes, `CustomTimeZone`, `EncryptionConfiguration`, source record backup (`S3BackupMode` + `S3BackupConfiguration`), buffering hints, compression, file extension, dynamic
 * partitioning with a MetadataExtraction (jq) processor, a Lambda processor (a function
 * registered under its ARN), and JSON → Parquet conversion (columns from a table registered under
 * its Glue database and table name). Anything else is refused with InvalidArgumentException,
 * saying what the local endpoint does not do.
 */
export function planDeliveryStream(input: CreateDeliveryStreamInput, catalog: LocalCatalog): DeliveryStreamPlan {
  if (input.DeliveryStreamType !== undefined && input.DeliveryStreamType !== 'DirectPut') {
    throw invalid(`DeliveryStreamType ${input.DeliveryStreamType} is not supported by the local Firehose endpoint; use DirectPut`);
  }
  const others = ['ElasticsearchDestinationConfiguration', 'AmazonopensearchserviceDestinationConfiguration', 'RedshiftDestinationConfiguration', 'SplunkDestinationConfiguration', 'HttpEndpointDestinationConfiguration', 'KinesisStreamSourceConfiguration'];
  for (const key of others) if (input[key] !== undefined) throw invalid(`${key} is not supported by the local Firehose endpoint (S3 destinations only)`);
  const s3 = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration;
  if (s3 === undefined) throw invalid('an ExtendedS3DestinationConfiguration is required');
  const bucket = bucketOf('BucketARN', s3.BucketARN);
  const dynamic = s3.DynamicPartitioningConfiguration?.Enabled === true;
  const conversion = s3.DataFormatConversionConfiguration?.Enabled === true ? s3.DataFormatConversionConfiguration : undefined;
  const processors = s3.ProcessingConfiguration?.Enabled === true ? (s3.ProcessingConfiguration.Processors ?? []) : [];
  const parameter = (processor: (typeof processors)[number], name: string) => processor.Parameters?.find((p) => p.ParameterName === name)?.ParameterValue;
  let query: string | undefined;
  let transform: FirehoseTransformFunction | undefined;
  for (const processor of processors) {
    if (processor.Type === 'MetadataExtraction') {
      query = parameter(processor, 'MetadataExtractionQuery');
      const engine = parameter(processor, 'JsonParsingEngine');
      if (engine !== undefined && engine !== 'JQ-1.6') throw invalid(`JsonParsingEngine must be JQ-1.6, got ${engine}`);
    } else if (processor.Type === 'Lambda') {
      const arn = parameter(processor, 'LambdaArn') ?? '';
      transform = catalog.lambdas.get(arn);
      if (transform === undefined) throw invalid(`no local function is registered for LambdaArn ${arn} (LocalFirehose.registerLambda)`);
    } else if (processor.Type !== 'AppendDelimiterToRecord' && processor.Type !== 'RecordDeAggregation') {
      throw invalid(`processor type ${String(processor.Type)} is not supported by the local Firehose endpoint`);
    }
  }
  let formatConversion: FirehoseS3EmitterOptions['formatConversion'];
  if (conversion !== undefined) {
    if (conversion.OutputFormatConfiguration?.Serializer?.OrcSerDe !== undefined) throw invalid('OrcSerDe is not supported by the local Firehose endpoint (no well-kept JavaScript ORC writer); use ParquetSerDe');
    const table = `${conversion.SchemaConfiguration?.DatabaseName ?? ''}.${conversion.SchemaConfiguration?.TableName ?? ''}`;
    const columns = catalog.glueTables.get(table);
    if (columns === undefined) throw invalid(`no local Glue table ${table} is registered (LocalFirehose.registerGlueTable)`);
    const compression = conversion.OutputFormatConfiguration?.Serializer?.ParquetSerDe?.Compression ?? 'SNAPPY';
    formatConversion = { enabled: true, columns, compression: compression as 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED' };
  }
  try {
    FirehoseTimeZone.parse('CustomTimeZone', s3.CustomTimeZone);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const kmsKeyArn = kmsKeyOf('EncryptionConfiguration', s3.EncryptionConfiguration);
  const s3Backup = backupOf(s3.S3BackupMode, s3.S3BackupConfiguration);
  const hints = s3.BufferingHints ?? {};
  let buffer: Required<BufferThresholds>;
  try {
    buffer = firehoseBufferThresholds(
      { ...(hints.SizeInMBs !== undefined ? { sizeInMBs: hints.SizeInMBs } : {}), ...(hints.IntervalInSeconds !== undefined ? { intervalInSeconds: hints.IntervalInSeconds } : {}) },
      { dynamicPartitioning: dynamic, formatConversion: conversion !== undefined },
    );
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const emitter: DeliveryStreamPlan['emitter'] = {
    bucket,
    ...(s3.Prefix !== undefined ? { prefix: s3.Prefix } : {}),
    ...(s3.ErrorOutputPrefix !== undefined ? { errorOutputPrefix: s3.ErrorOutputPrefix } : {}),
    ...(s3.CompressionFormat !== undefined ? { compressionFormat: s3.CompressionFormat as FirehoseS3EmitterOptions['compressionFormat'] } : {}),
    ...(s3.FileExtension !== undefined ? { fileExtension: s3.FileExtension } : {}),
    ...(s3.CustomTimeZone !== undefined ? { customTimeZone: s3.CustomTimeZone } : {}),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
    ...(s3Backup !== undefined ? { s3Backup } : {}),
    ...(dynamic ? { dynamicPartitioning: { enabled: true, ...(query !== undefined ? { metadataExtractionQuery: query } : {}) } } : {}),
    ...(formatConversion !== undefined ? { formatConversion } : {}),
  };
  return {
    bucket,
    emitter,
    buffer,
    transform,
    description: {
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationDescription: {
        ...s3,
        BufferingHints: { SizeInMBs: buffer.maxBytes / 1024 / 1024, IntervalInSeconds: Math.round(buffer.maxAgeMs / 1000) },
        CompressionFormat: s3.CompressionFormat ?? 'UNCOMPRESSED',
        S3BackupMode: s3Backup === undefined ? 'Disabled' : 'Enabled',
        ...(s3.S3BackupConfiguration !== undefined ? { S3BackupDescription: { ...s3.S3BackupConfiguration, CompressionFormat: s3.S3BackupConfiguration.CompressionFormat ?? 'UNCOMPRESSED' } } : {}),
      },
    },
  };
}

/** The KMS key of an `EncryptionConfiguration` (undefined for `NoEncryptionConfig` or none), validated as Firehose does. */
function kmsKeyOf(field: string, config: EncryptionConfiguration | undefined): string | undefined {
  if (config === undefined) return undefined;
  const { NoEncryptionConfig: none, KMSEncryptionConfig: kms } = config;
  if (none !== undefined && kms !== undefined) throw invalid(`${field}: expected NoEncryptionConfig or KMSEncryptionConfig, not both`);
  if (none !== undefined) {
    if (none !== 'NoEncryption') throw invalid(`${field}.NoEncryptionConfig: expected NoEncryption, got ${JSON.stringify(none)}`);
    return undefined;
  }
  if (kms === undefined) return undefined;
  try {
    return requireKmsKeyArn(`${field}.KMSEncryptionConfig.AWSKMSKeyARN`, kms.AWSKMSKeyARN ?? '');
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

function bucketOf(field: string, arn: string | undefined): string {
  const bucket = /^arn:aws[\w-]*:s3:::([a-z0-9.-]{3,63})$/.exec(arn ?? '')?.[1];
  if (bucket === undefined) throw invalid(`${field} must be an S3 bucket ARN like arn:aws:s3:::my-bucket, got ${JSON.stringify(arn)}`);
  return bucket;
}

/**
 * `S3BackupMode` + `S3BackupConfiguration` as the emitter's `s3Backup`. The backup's buffering
 * hints are checked (no zero buffering for the backup) but the backup is written with the
 * destination's batches.
 */
function backupOf(mode: string | undefined, config: S3BackupConfiguration | undefined): S3BackupOptions | undefined {
  if (mode !== undefined && mode !== 'Disabled' && mode !== 'Enabled') throw invalid(`S3BackupMode: expected Disabled or Enabled, got ${JSON.stringify(mode)}`);
  if (mode !== 'Enabled') return undefined;
  if (config === undefined) throw invalid('S3BackupConfiguration is required when S3BackupMode is Enabled');
  const hints = config.BufferingHints ?? {};
  if (hints.IntervalInSeconds === 0) throw invalid('S3BackupConfiguration.BufferingHints.IntervalInSeconds: zero buffering is not available for the Amazon S3 backup');
  try {
    firehoseBufferThresholds({ ...(hints.SizeInMBs !== undefined ? { sizeInMBs: hints.SizeInMBs } : {}), ...(hints.IntervalInSeconds !== undefined ? { intervalInSeconds: hints.IntervalInSeconds } : {}) });
  } catch (error) {
    throw invalid(`S3BackupConfiguration.${(error as Error).message}`);
  }
  const kmsKeyArn = kmsKeyOf('S3BackupConfiguration.EncryptionConfiguration', config.EncryptionConfiguration);
  return {
    mode: 'Enabled',
    bucket: bucketOf('S3BackupConfiguration.BucketARN', config.BucketARN),
    ...(config.Prefix !== undefined ? { prefix: config.Prefix } : {}),
    ...(config.ErrorOutputPrefix !== undefined ? { errorOutputPrefix: config.ErrorOutputPrefix } : {}),
    ...(config.CompressionFormat !== undefined ? { compressionFormat: config.CompressionFormat as CompressionFormat } : {}),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
  };
}
