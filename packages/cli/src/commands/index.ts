import type { Command } from '../CommandContext';

/**
 * Every sub-command, in `--help` order. Each lives in its own module under `commands/`
 * and is registered here.
 */
export const COMMANDS: readonly Command[] = [];
