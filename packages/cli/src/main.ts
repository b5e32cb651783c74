import type { Command, CommandContext } from './CommandContext';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { CliError } from './CliError';
import { COMMANDS } from './commands';

// The package's own version; package.json sits next to src/ and dist/ alike.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require('../package.json') as { version: string }).version;

const TOP_USAGE = (commands: readonly Command[]) => `kinesis-toolkit — KPL, KCL and connectors for Node.js

Usage: kinesis-toolkit <command> [flags]   (kinesis-toolkit <command> --help for its flags)
       kinesis-toolkit --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
`;

/**
 * Runs one `kinesis-toolkit` invocation: picks the command, prints `--help`, turns `CliError`s
 * into a one-line message and exit code. Resolves with the process's exit code.
 */
export async function main(argv: readonly string[], context: Omit<CommandContext, 'argv'>, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(TOP_USAGE(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const what = name.startsWith('-') ? 'flag' : 'command';
    context.stderr.write(`kinesis-toolkit: unknown ${what} ${JSON.stringify(name)}. Commands: ${commands.map((c) => c.name).join(', ')}; run \`kinesis-toolkit --help\`.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run({ ...context, argv: rest });
  } catch (error) {
    if (error instanceof CliError) {
      context.stderr.write(`kinesis-toolkit ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // A bad option that reached a library: still a usage error, on one line.
    if (error instanceof InvalidArgumentError) {
      context.stderr.write(`kinesis-toolkit ${name}: ${error.message}. Run \`kinesis-toolkit ${name} --help\`.\n`);
      return 2;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // One line, as for CliErrors: the message is for a person at a terminal, not a stack trace.
    context.stderr.write(`kinesis-toolkit ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}
