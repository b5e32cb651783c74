import { memoryContext } from '../test/memoryContext';
import { CliError } from './CliError';
import type { Command } from './CommandContext';
import { COMMANDS } from './commands';
import { main } from './main';

const fake = (run: Command['run']): Command => ({ name: 'fake', summary: 'a fake command', usage: 'Usage: kinesis-toolkit fake\n', run });

describe('main', () => {
  it('prints the command list for --help (exit 0) and for no arguments (exit 2)', async () => {
    const help = memoryContext();
    expect(await main(['--help'], help)).toBe(0);
    for (const command of COMMANDS) expect(help.stdoutText()).toContain(`  ${command.name.padEnd(10)} ${command.summary}\n`);
    const none = memoryContext();
    expect(await main([], none)).toBe(2);
    expect(none.stdoutText()).toBe(help.stdoutText());
  });

  it('rejects an unknown command or top-level flag with one line on stderr and exit code 2', async () => {
    const context = memoryContext();
    expect(await main(['nope'], context, [fake(async () => 0)])).toBe(2);
    expect(context.stderrText()).toBe('kinesis-toolkit: unknown command "nope". Commands: fake; run `kinesis-toolkit --help`.\n');
    const flag = memoryContext();
    expect(await main(['--nope'], flag, [fake(async () => 0)])).toBe(2);
    expect(flag.stderrText()).toBe('kinesis-toolkit: unknown flag "--nope". Commands: fake; run `kinesis-toolkit --help`.\n');
  });

  it("prints a command's usage for --help without running it", async () => {
    const run = jest.fn(async () => 0);
    const context = memoryContext();
    expect(await main(['fake', '--stream', 'x', '--help'], context, [fake(run)])).toBe(0);
    expect(context.stdoutText()).toBe('Usage: kinesis-toolkit fake\n');
    expect(run).not.toHaveBeenCalled();
  });

  it.each(COMMANDS.map((command) => command.name))('%s has a --help that starts with its usage line', async (name) => {
    const context = memoryContext();
    expect(await main([name, '--help'], context)).toBe(0);
    expect(context.stdoutText()).toMatch(new RegExp(`^Usage: kinesis-toolkit ${name}\\b`));
  });

  it('passes argv after the command name and returns its exit code', async () => {
    const context = memoryContext();
    const seen: string[][] = [];
    expect(await main(['fake', 'a', '--b'], context, [fake(async ({ argv }) => (seen.push([...argv]), 3))])).toBe(3);
    expect(seen).toEqual([['a', '--b']]);
  });

  it("turns a CliError into one line with the command's name and the error's exit code", async () => {
    const context = memoryContext();
    const code = await main(['fake'], context, [
      fake(async () => {
        throw new CliError('--stream NAME is required.', 4);
      }),
    ]);
    expect(code).toBe(4);
    expect(context.stderrText()).toBe('kinesis-toolkit fake: --stream NAME is required.\n');
  });

  it('prints any other error on one line, without a stack trace, with exit code 1', async () => {
    const context = memoryContext();
    const code = await main(['fake'], context, [
      fake(async () => {
        throw new RangeError('first line\n   second line');
      }),
    ]);
    expect(code).toBe(1);
    expect(context.stderrText()).toBe('kinesis-toolkit fake: RangeError: first line second line\n');
  });

  it('prints the version', async () => {
    const context = memoryContext();
    expect(await main(['--version'], context)).toBe(0);
    expect(context.stdoutText()).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });
});
