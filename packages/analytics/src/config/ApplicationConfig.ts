import { InvalidConfigError, validateSourceSchema, type SourceSchema } from './SourceSchema';

/** Where an application's input comes from and how its records map to SOURCE_SQL_STREAM_001. */
export interface InputConfig {
  /** The Kinesis data stream (name or ARN). */
  readonly stream: string;
  /** The in-application stream is `${namePrefix}_001`. @defaultValue 'SOURCE_SQL_STREAM' */
  readonly namePrefix: string;
  readonly schema: SourceSchema;
  /** KDA's InputStartingPosition: NOW → LATEST, TRIM_HORIZON, LAST_STOPPED_POINT (the KCL checkpoint, else TRIM_HORIZON). */
  readonly startingPosition: 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';
}

/** A reference table loaded from an S3 object. */
export interface ReferenceConfig {
  readonly tableName: string;
  readonly bucket: string;
  readonly key: string;
  readonly schema: SourceSchema;
}

/** An in-application stream written to a destination. */
export interface OutputConfig {
  /** The in-application stream (e.g. DESTINATION_SQL_STREAM). */
  readonly name: string;
  /** A Kinesis data stream (name or ARN); undefined for a destination we do not write (Firehose, Lambda): give an emitter or callback instead. */
  readonly stream?: string;
  readonly format: 'JSON' | 'CSV';
}

/** A KDA SQL application as `analytics run` runs it. */
export interface ApplicationConfig {
  readonly applicationName: string;
  readonly sql: string;
  readonly input: InputConfig;
  readonly references: readonly ReferenceConfig[];
  readonly outputs: readonly OutputConfig[];
}

/** The in-application input stream's name: `${namePrefix}_001` (one in-application stream: our InputParallelism is the KCL's). */
export const inputStreamName = (input: Pick<InputConfig, 'namePrefix'>): string => `${input.namePrefix}_001`;

/** The parts of describe-application's ApplicationDetail we read (the rest is ignored). */
interface InputDescription {
  readonly NamePrefix?: string;
  readonly InputSchema?: unknown;
  readonly KinesisStreamsInputDescription?: { readonly ResourceARN?: string };
  readonly KinesisFirehoseInputDescription?: unknown;
  readonly InputProcessingConfigurationDescription?: unknown;
  readonly InputStartingPositionConfiguration?: { readonly InputStartingPosition?: string };
}
interface ReferenceDescription {
  readonly TableName?: unknown;
  readonly S3ReferenceDataSourceDescription?: { readonly BucketARN?: string; readonly FileKey?: unknown };
  readonly ReferenceSchema?: unknown;
}
interface OutputDescription {
  readonly Name?: unknown;
  readonly KinesisStreamsOutputDescription?: { readonly ResourceARN?: string };
  readonly DestinationSchema?: { readonly RecordFormatType?: string };
}

const streamFromArn = (arn: string) => /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/(.+)$/.exec(arn)?.[1];

/**
 * Reads what `aws kinesisanalytics describe-application` prints (`{ "ApplicationDetail": … }`,
 * or the ApplicationDetail itself) into an {@link ApplicationConfig}.
 * @throws InvalidConfigError naming the field that is missing or wrong.
 */
export function fromDescribeApplication(json: unknown): ApplicationConfig {
  const root = json as { ApplicationDetail?: unknown };
  const detail = (root && typeof root === 'object' && 'ApplicationDetail' in root ? root.ApplicationDetail : json) as Record<string, unknown>;
  if (detail === null || typeof detail !== 'object') throw new InvalidConfigError('ApplicationDetail', 'expected the JSON that `aws kinesisanalytics describe-application` prints');
  const name = detail.ApplicationName;
  if (typeof name !== 'string' || name === '') throw new InvalidConfigError('ApplicationDetail.ApplicationName', `expected a name, got ${JSON.stringify(name)}`);
  const sql = detail.ApplicationCode;
  if (typeof sql !== 'string' || sql.trim() === '') throw new InvalidConfigError('ApplicationDetail.ApplicationCode', 'expected the application SQL; the application has no code');
  const inputs = (detail.InputDescriptions ?? []) as InputDescription[];
  if (!Array.isArray(inputs) || inputs.length !== 1) throw new InvalidConfigError('ApplicationDetail.InputDescriptions', `expected one input (a KDA application has at most one), got ${Array.isArray(inputs) ? inputs.length : JSON.stringify(inputs)}`);
  const input = inputs[0]!;
  const arn = input.KinesisStreamsInputDescription?.ResourceARN as string | undefined;
  if (arn === undefined) {
    const what = input.KinesisFirehoseInputDescription ? 'a Kinesis Data Firehose input' : 'an input without a Kinesis stream';
    throw new InvalidConfigError('ApplicationDetail.InputDescriptions[0]', `${what} cannot be read by the KCL; only KinesisStreamsInput is supported`);
  }
  const stream = streamFromArn(arn) ?? arn;
  if (input.InputProcessingConfigurationDescription !== undefined) {
    throw new InvalidConfigError('ApplicationDetail.InputDescriptions[0].InputProcessingConfigurationDescription', 'Lambda preprocessing is not supported: transform records before the stream, or in a pump');
  }
  const position = input.InputStartingPositionConfiguration?.InputStartingPosition ?? 'LAST_STOPPED_POINT';
  if (position !== 'NOW' && position !== 'TRIM_HORIZON' && position !== 'LAST_STOPPED_POINT') throw new InvalidConfigError('ApplicationDetail.InputDescriptions[0].InputStartingPositionConfiguration.InputStartingPosition', `expected NOW, TRIM_HORIZON or LAST_STOPPED_POINT, got ${JSON.stringify(position)}`);
  const references = ((detail.ReferenceDataSourceDescriptions ?? []) as ReferenceDescription[]).map((reference, i): ReferenceConfig => {
    const field = `ApplicationDetail.ReferenceDataSourceDescriptions[${i}]`;
    const s3 = reference.S3ReferenceDataSourceDescription;
    const bucket = /^arn:[^:]+:s3:::(.+)$/.exec(s3?.BucketARN ?? '')?.[1];
    if (bucket === undefined || s3 === undefined || typeof s3.FileKey !== 'string') throw new InvalidConfigError(`${field}.S3ReferenceDataSourceDescription`, 'expected BucketARN (arn:aws:s3:::bucket) and FileKey');
    if (typeof reference.TableName !== 'string') throw new InvalidConfigError(`${field}.TableName`, 'expected the in-application table name');
    return { tableName: reference.TableName, bucket, key: s3.FileKey as string, schema: validateSourceSchema(reference.ReferenceSchema, `${field}.ReferenceSchema`) };
  });
  const outputs = ((detail.OutputDescriptions ?? []) as OutputDescription[]).map((output, i): OutputConfig => {
    const field = `ApplicationDetail.OutputDescriptions[${i}]`;
    if (typeof output.Name !== 'string') throw new InvalidConfigError(`${field}.Name`, 'expected the in-application stream name');
    const format = output.DestinationSchema?.RecordFormatType ?? 'JSON';
    if (format !== 'JSON' && format !== 'CSV') throw new InvalidConfigError(`${field}.DestinationSchema.RecordFormatType`, `expected JSON or CSV, got ${JSON.stringify(format)}`);
    const outArn = output.KinesisStreamsOutputDescription?.ResourceARN;
    return { name: output.Name as string, stream: outArn === undefined ? undefined : (streamFromArn(outArn) ?? outArn), format };
  });
  return {
    applicationName: name,
    sql,
    input: { stream, namePrefix: typeof input.NamePrefix === 'string' ? input.NamePrefix : 'SOURCE_SQL_STREAM', schema: validateSourceSchema(input.InputSchema, 'ApplicationDetail.InputDescriptions[0].InputSchema'), startingPosition: position },
    references,
    outputs,
  };
}
