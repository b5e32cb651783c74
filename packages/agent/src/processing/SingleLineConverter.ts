import type { DataConverter } from './DataConverter';

/**
 * `SINGLELINE`: makes a multi-line record one line by trimming each line's leading and trailing
 * whitespace and joining them without a separator — exactly what the Kinesis Agent does, so that
 * records match what an existing agent pipeline sends.
 */
export class SingleLineConverter implements DataConverter {
  readonly optionName = 'SINGLELINE';

  convert(text: string): string {
    return text
      .split('\n')
      .map((line) => line.trim())
      .join('');
  }
}
