import type { Command } from '../CommandContext';
import { demoCommand } from './demo';
import { localCommand } from './local';
import { produceCommand } from './produce';
import { consumeCommand } from './consume';
import { leasesCommand } from './leases';
import { benchCommand } from './bench';
import { analyticsCommand } from './analytics';

/**
 * Every sub-command, in `--help` order (demo, local, produce, consume, leases, bench, analytics). Each
 * lives in its own module under `commands/` and is registered here with one import line and
 * one entry line.
 */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  localCommand,
  produceCommand,
  consumeCommand,
  leasesCommand,
  benchCommand,
  analyticsCommand,
];
