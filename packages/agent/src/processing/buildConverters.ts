import { AddBracketsConverter } from './AddBracketsConverter';
import { AddEc2MetadataConverter, type AddEc2MetadataOptions } from './AddEc2MetadataConverter';
import { AddMetadataConverter, type AddMetadataOptions } from './AddMetadataConverter';
import { CsvToJsonConverter, type CsvToJsonOptions } from './CsvToJsonConverter';
import type { DataConverter } from './DataConverter';
import { LogToJsonConverter, type LogToJsonOptions } from './LogToJsonConverter';
import { SingleLineConverter } from './SingleLineConverter';
import type { Ec2MetadataSource } from '../ec2/Ec2MetadataSource';

/** One entry of the agent's `dataProcessingOptions`, applied in the order given. */
export type DataProcessingOption =
  | { readonly optionName: 'SINGLELINE' }
  | ({ readonly optionName: 'CSVTOJSON' } & CsvToJsonOptions)
  | ({ readonly optionName: 'LOGTOJSON' } & LogToJsonOptions)
  | ({ readonly optionName: 'ADDMETADATA' } & AddMetadataOptions)
  | ({ readonly optionName: 'ADDEC2METADATA' } & AddEc2MetadataOptions)
  | { readonly optionName: 'ADDBRACKETS' };

/** What some options need from outside: the EC2 metadata (fetched before the flows start). */
export interface ConverterContext {
  /** Required when an option is ADDEC2METADATA. */
  readonly ec2Metadata?: Ec2MetadataSource;
}

const KEYS: Record<string, readonly string[]> = {
  SINGLELINE: ['optionName'],
  CSVTOJSON: ['optionName', 'customFieldNames', 'delimiter', 'jsonFormat'],
  LOGTOJSON: ['optionName', 'logFormat', 'matchPattern', 'customFieldNames', 'jsonFormat'],
  ADDMETADATA: ['optionName', 'metadata', 'timestamp', 'jsonFormat'],
  ADDEC2METADATA: ['optionName', 'metadataFields', 'metadataPrefix', 'metadataTTL', 'logFormat', 'jsonFormat'],
  ADDBRACKETS: ['optionName'],
};

/** Whether the options include ADDEC2METADATA (the agent then reads the instance metadata before it starts). */
export function needsEc2Metadata(options: readonly DataProcessingOption[]): boolean {
  return options.some((option) => option?.optionName === 'ADDEC2METADATA');
}

/**
 * Builds the converters of `dataProcessingOptions`, in order.
 * @throws TypeError naming the option and what is wrong with it (unknown option or key, missing field names).
 */
export function buildConverters(options: readonly DataProcessingOption[], context: ConverterContext = {}): DataConverter[] {
  return options.map((option, index) => {
    const where = `dataProcessingOptions[${index}]`;
    if (option === null || typeof option !== 'object') throw new TypeError(`${where}: expected an object like {"optionName":"SINGLELINE"}, got ${JSON.stringify(option)}`);
    const known = KEYS[option.optionName];
    if (known === undefined) {
      throw new TypeError(`${where}.optionName: expected one of ${Object.keys(KEYS).join(', ')}, got ${JSON.stringify(option.optionName)}`);
    }
    for (const key of Object.keys(option)) {
      if (!known.includes(key)) throw new TypeError(`${where}: ${option.optionName} has no option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
    try {
      switch (option.optionName) {
        case 'SINGLELINE':
          return new SingleLineConverter();
        case 'CSVTOJSON':
          return new CsvToJsonConverter(option);
        case 'LOGTOJSON':
          return new LogToJsonConverter(option);
        case 'ADDMETADATA':
          return new AddMetadataConverter(option);
        case 'ADDBRACKETS':
          return new AddBracketsConverter();
        case 'ADDEC2METADATA':
          return new AddEc2MetadataConverter(option, context.ec2Metadata ?? placeholderSource());
      }
    } catch (error) {
      throw new TypeError(`${where} (${option.optionName}) ${(error as Error).message}`);
    }
  });
}

/** For validation only (no metadata read yet): converting with it is a bug, and says so. */
function placeholderSource(): Ec2MetadataSource {
  return {
    current() {
      throw new Error('ADDEC2METADATA: the EC2 metadata was not fetched before the flow started');
    },
    fetchedAt: 0,
  } as unknown as Ec2MetadataSource;
}
