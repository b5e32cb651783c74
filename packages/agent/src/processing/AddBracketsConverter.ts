import type { DataConverter } from './DataConverter';

/** `ADDBRACKETS`: wraps the record in braces — `hello there` becomes `{hello there}` — as the agent's example converter does. */
export class AddBracketsConverter implements DataConverter {
  readonly optionName = 'ADDBRACKETS';

  convert(text: string): string {
    return `{${text}}`;
  }
}
