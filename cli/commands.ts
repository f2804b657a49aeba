/**
 * Every `tidewatch` command. A new command (redrive, review, page-test) is one file exporting a
 * `Command`, added here: the dispatcher, help and `--json` handling need nothing else.
 */
import type { Command } from './command';
import { costCommand } from './cost';
import { dlqArchiveCommand } from './dlq-archive';
import { dlqPeekCommand } from './dlq-peek';
import { redriveCommand } from './redrive';
import { redriveHistoryCommand } from './redrive-history';
import { redriveCancelCommand, redriveStatusCommand } from './redrive-status';
import { reviewCommand } from './review';
import { statusCommand } from './status';

export const COMMANDS: readonly Command[] = [
  statusCommand,
  dlqPeekCommand,
  dlqArchiveCommand,
  redriveCommand,
  redriveStatusCommand,
  redriveCancelCommand,
  redriveHistoryCommand,
  reviewCommand,
  costCommand,
];
