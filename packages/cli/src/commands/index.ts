import type { Command, CommandContext } from '../CommandContext';
import { demoCommand } from './demo';
import { testingInstalled, testingMissing } from '../optional/testingPackage';
import { produceCommand } from './produce';
import { agentCommand } from './agent';
import { consumeCommand } from './consume';
import { leasesCommand } from './leases';
import { benchCommand } from './bench';
import { analyticsCommand } from './analytics';
import { dashboardCommand } from './dashboard';

/**
 * `local` runs the local stack of `@kinesis-toolkit/testing`, an optional peer dependency: its
 * module (which imports that package) is loaded only when `local` runs or shows its help.
 */
const lazyLocalCommand: Command = {
  name: 'local',
  summary: 'run the local AWS stack (Kinesis, DynamoDB, S3, Firehose; --postgres) until Ctrl-C',
  get usage(): string {
    if (!testingInstalled()) return `Usage: kinesis-toolkit local [flags]\n\n${testingMissing('local').message}\n`;
    return loadLocal().usage;
  },
  run(context: CommandContext): Promise<number> {
    if (!testingInstalled()) throw testingMissing('local');
    return loadLocal().run(context);
  },
};

function loadLocal(): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./local') as { localCommand: Command }).localCommand;
}

/**
 * Every sub-command, in `--help` order (demo, local, produce, agent, consume, leases, bench, analytics, dashboard). Each
 * lives in its own module under `commands/` and is registered here with one import line and
 * one entry line.
 */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  lazyLocalCommand,
  produceCommand,
  agentCommand,
  consumeCommand,
  leasesCommand,
  benchCommand,
  analyticsCommand,
  dashboardCommand,
];
