import { requireArray, requireInteger, requireOneOf, requireString } from '@kinesis-toolkit/core';
import type { Ec2MetadataSource } from '../ec2/Ec2MetadataSource';
import { RecordProcessingError } from '../pipeline/RecordProcessingError';
import type { DataConverter } from './DataConverter';
import { printJson, resolveJsonFormat, type JsonFormat } from './jsonFormat';
import { LOG_FORMATS } from './logFormats';

/** The fields ADDEC2METADATA can add (the agent's names). */
export const EC2_METADATA_FIELDS = [
  'privateIp',
  'availabilityZone',
  'availabilityZoneInitial',
  'instanceId',
  'instanceName',
  'instanceType',
  'accountId',
  'amiId',
  'region',
  'metadataTimestamp',
  'tags',
] as const;

/** The agent's default field list (every field but `instanceName`). */
const DEFAULT_FIELDS = EC2_METADATA_FIELDS.filter((field) => field !== 'instanceName');

/** Options of {@link AddEc2MetadataConverter}, as the agent's `ADDEC2METADATA` option names them. */
export interface AddEc2MetadataOptions {
  /** Which fields to add. @defaultValue every field but `instanceName` */
  readonly metadataFields?: readonly string[];
  /** Put before every added key. @defaultValue `''` */
  readonly metadataPrefix?: string;
  /** Seconds before the metadata is fetched again. @defaultValue 3600 */
  readonly metadataTTL?: number;
  /** Read and checked as the agent does (a LOGTOJSON format), but not used by it either. */
  readonly logFormat?: string;
  /** @defaultValue `COMPACT` */
  readonly jsonFormat?: JsonFormat;
}

/**
 * `ADDEC2METADATA`: adds the instance's identity (private IP, zone, instance id and type,
 * account, AMI, region, the time the metadata was read) and tags to each record, which must be a
 * JSON object (put CSVTOJSON or LOGTOJSON first). The metadata comes from IMDSv2 through an
 * {@link Ec2MetadataSource}. One difference from the Java agent: `availabilityZoneInitial` (the
 * zone's letter) is written under its own name — the agent writes it over `availabilityZone`.
 */
export class AddEc2MetadataConverter implements DataConverter {
  readonly optionName = 'ADDEC2METADATA';
  readonly #fields: ReadonlySet<string>;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #format: JsonFormat;

  constructor(
    options: AddEc2MetadataOptions,
    private readonly source: Ec2MetadataSource,
  ) {
    const fields = options.metadataFields === undefined ? DEFAULT_FIELDS : requireArray('metadataFields', options.metadataFields, (name, field) => requireOneOf(name, field, EC2_METADATA_FIELDS));
    this.#fields = new Set(fields as readonly string[]);
    this.#prefix = options.metadataPrefix === undefined ? '' : requireString('metadataPrefix', options.metadataPrefix, { minLength: 0 });
    this.#ttlMs = requireInteger('metadataTTL', options.metadataTTL ?? 3600, 1, 31_536_000) * 1000;
    if (options.logFormat !== undefined) requireOneOf('logFormat', options.logFormat, Object.keys(LOG_FORMATS));
    this.#format = resolveJsonFormat('jsonFormat', options.jsonFormat);
  }

  convert(text: string): string {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      record = undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new RecordProcessingError('NotJsonObject', 'ADDEC2METADATA: the record is not a JSON object (put CSVTOJSON or LOGTOJSON before it)');
    }
    return printJson({ ...(record as Record<string, unknown>), ...this.#metadata() }, this.#format);
  }

  #metadata(): Record<string, unknown> {
    const m = this.source.current(this.#ttlMs);
    const values: Record<string, unknown> = {
      privateIp: m.privateIp,
      availabilityZone: m.availabilityZone,
      availabilityZoneInitial: m.availabilityZone?.slice(-1),
      instanceId: m.instanceId,
      instanceName: m.tags.Name ?? Object.entries(m.tags).find(([key]) => key.toLowerCase() === 'name')?.[1],
      instanceType: m.instanceType,
      accountId: m.accountId,
      amiId: m.imageId,
      region: m.region,
      metadataTimestamp: javaTimestamp(this.source.fetchedAt),
      tags: Object.fromEntries(Object.entries(m.tags).map(([key, value]) => [key.toLowerCase(), value])),
    };
    const out: Record<string, unknown> = {};
    for (const field of EC2_METADATA_FIELDS) if (this.#fields.has(field) && values[field] !== undefined) out[`${this.#prefix}${field}`] = values[field];
    return out;
  }
}

/** `yyyy-MM-dd'T'HH:mm:ssZ` in UTC, as the agent formats `metadataTimestamp` (`2024-05-01T13:00:00+0000`). */
function javaTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}+0000`;
}

