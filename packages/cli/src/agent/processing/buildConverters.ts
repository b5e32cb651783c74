import { CsvToJsonConverter } from './CsvToJsonConverter';
import type { DataConverter } from './DataConverter';
import { LogToJsonConverter } from './LogToJsonConverter';
import { SingleLineConverter } from './SingleLineConverter';

/** One entry of the agent's `dataProcessingOptions`, applied in the order given. */
export type DataProcessingOption =
  | { readonly optionName: 'SINGLELINE' }
  | { readonly optionName: 'CSVTOJSON'; readonly customFieldNames: readonly string[]; readonly delimiter?: string }
  | { readonly optionName: 'LOGTOJSON'; readonly logFormat: string; readonly matchPattern?: string; readonly customFieldNames?: readonly string[] };

const KEYS: Record<string, readonly string[]> = {
  SINGLELINE: ['optionName'],
  CSVTOJSON: ['optionName', 'customFieldNames', 'delimiter'],
  LOGTOJSON: ['optionName', 'logFormat', 'matchPattern', 'customFieldNames'],
};

/**
 * Builds the converters of `dataProcessingOptions`, in order.
 * @throws TypeError naming the option and what is wrong with it (unknown option or key, missing field names).
 */
export function buildConverters(options: readonly DataProcessingOption[]): DataConverter[] {
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
      }
    } catch (error) {
      throw new TypeError(`${where} (${option.optionName}) ${(error as Error).message}`);
    }
  });
}
