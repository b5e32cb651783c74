/**
 * @kinesis-toolkit/cli — the `kinesis-toolkit` command. The programmatic entry (`main`) is what
 * the binary runs; tests and embedders may call it with their own streams.
 * @packageDocumentation
 */
export { main } from './main';
export { CliError } from './CliError';
export type { Command, CommandContext } from './CommandContext';
