/**
 * One of the agent's `dataProcessingOptions`: turns a record's text into the text sent.
 * The text comes without the record terminator (`\n`), and goes back without it.
 */
export interface DataConverter {
  /** The option's name, as in the agent's configuration: `SINGLELINE`, `CSVTOJSON`, `LOGTOJSON`. */
  readonly optionName: string;
  /** @throws RecordProcessingError when the record does not fit the option (a log line of another format). */
  convert(text: string): string;
}
