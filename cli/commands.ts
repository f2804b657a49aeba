/**
 * Every `tidewatch` command. A new command (redrive, review, page-test) is one file exporting a
 * `Command`, added here: the dispatcher, help and `--json` handling need nothing else.
 */
import type { Command } from './command';
import { dlqPeekCommand } from './dlq-peek';
import { reviewCommand } from './review';
import { statusCommand } from './status';

export const COMMANDS: readonly Command[] = [statusCommand, dlqPeekCommand, reviewCommand];
