/**
 * `tidewatch dlq peek [files|jobs] [--max N]`: a sample of each dead-letter queue's messages, left in
 * place, with the file or job each is about and why it failed (status, attempts, last error).
 */
import type { CommandContext, CommandOutput } from './command';
import { DeadLetterQueue } from '../handlers/redrive/dead-letter-queue';
import { statusItems } from '../handlers/redrive/status-items';
import { subjectsOf, type Subject } from './dead-letters';
import { integerFlag, PER_QUEUE_MAX } from './options';
import { readStackOutputs } from './stack-outputs';
import { formatTime, type Style } from './terminal';
import { queueDepth } from './queue-depth';
import { queueArgument, selectedQueues, workQueue, workQueueNames } from './work-queues';

const COMMAND_PATH = 'dlq peek';

/** What the status table says about a file or job; null when it has no item. */
export interface SubjectStatus extends Subject {
  readonly status: string | null;
  readonly attempts?: number;
  readonly lastError?: { readonly class: string; readonly message: string };
  readonly updatedAt?: string;
}

export interface PeekedMessage {
  readonly messageId: string;
  readonly sentAt: string | null;
  /** Receives so far, the worker's and every peek's. */
  readonly receiveCount: number | null;
  readonly about: readonly SubjectStatus[];
  /** Why the message names no file or job. */
  readonly unreadable?: string;
  readonly body: string;
}

export interface DeadLetterQueuePeek {
  readonly name: string;
  readonly deadLetterQueueUrl: string;
  /** Messages in the DLQ (visible or in flight) before the peek. */
  readonly depth: number;
  readonly messages: readonly PeekedMessage[];
}

export interface DlqPeekReport {
  readonly stack: string;
  readonly peekedAt: string;
  readonly queues: readonly DeadLetterQueuePeek[];
}

export async function peek(context: CommandContext): Promise<CommandOutput> {
  return present(await peekDeadLetterQueues(context));
}

async function peekDeadLetterQueues({ target, clients, args, flags, now }: CommandContext): Promise<DlqPeekReport> {
  const queue = queueArgument(args, COMMAND_PATH);
  const max = integerFlag(flags, 'max', PER_QUEUE_MAX, COMMAND_PATH);
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
  const names = selectedQueues(queue, workQueueNames(outputs), COMMAND_PATH);
  const tableName = outputs.require('StatusTableName');
  const sqs = await clients.sqs();
  const queues = await Promise.all(
    names.map(async (name) => {
      const { deadLetterQueueUrl } = workQueue(outputs, name);
      const depth = await queueDepth(sqs, deadLetterQueueUrl);
      // No more receives than the DLQ holds: each one counts on the messages, and an empty DLQ needs none.
      const messages = await new DeadLetterQueue(sqs, deadLetterQueueUrl).peek(Math.min(max, depth.visible + depth.inFlight));
      const parsed = messages.map((message) => ({ message, ...subjectsOf(message) }));
      const items = await statusItems(
        await clients.dynamoDb(),
        tableName,
        parsed.flatMap(({ subjects }) => subjects.map((subject) => subject.id)),
      );
      return {
        name,
        deadLetterQueueUrl,
        depth: depth.visible + depth.inFlight,
        messages: parsed.map(({ message, subjects, unreadable }): PeekedMessage => {
          const sent = Number(message.Attributes?.SentTimestamp);
          const receives = Number(message.Attributes?.ApproximateReceiveCount);
          return {
            messageId: message.MessageId ?? '',
            sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : null,
            receiveCount: Number.isFinite(receives) ? receives : null,
            about: subjects.map((subject): SubjectStatus => {
              const item = items.get(subject.id);
              if (!item) return { ...subject, status: null };
              return {
                ...subject,
                status: item.status,
                ...(item.attempts !== undefined ? { attempts: item.attempts } : {}),
                ...(item.lastError ? { lastError: { class: item.lastError.class, message: item.lastError.message } } : {}),
                updatedAt: item.updatedAt,
              };
            }),
            ...(unreadable ? { unreadable } : {}),
            body: message.Body ?? '',
          };
        }),
      };
    }),
  );
  return { stack: target.stackName, peekedAt: now.toISOString(), queues };
}

function present(report: DlqPeekReport): CommandOutput {
  return { json: report, exitCode: 0, human: (style) => renderDlqPeek(report, style) };
}

/** Longest part of an unreadable body shown in the human report (the JSON has all of it). */
const BODY_PREVIEW = 200;

export function renderDlqPeek(report: DlqPeekReport, style: Style): string {
  const now = new Date(report.peekedAt);
  const lines: string[] = [];
  for (const queue of report.queues) {
    const shown = queue.messages.length;
    const count = queue.depth === 0 ? 'empty' : `${queue.depth} message${queue.depth === 1 ? '' : 's'}${shown < queue.depth ? `, ${shown} shown` : ''}`;
    lines.push(`${style.bold(`${queue.name.toUpperCase()} DLQ`)}  ${queue.depth > 0 ? style.red(count) : count}  ${style.dim(queue.deadLetterQueueUrl)}`);
    for (const message of queue.messages) {
      for (const subject of message.about) lines.push(...subjectLines(subject, style));
      if (message.about.length === 0) lines.push(`  ${style.yellow('?')} ${message.unreadable ?? 'names no file or job'}: ${message.body.slice(0, BODY_PREVIEW)}`);
      const sent = message.sentAt ? `sent ${formatTime(new Date(message.sentAt), now)}` : 'sent at an unknown time';
      const receives = message.receiveCount === null ? '' : `, received ${message.receiveCount} time${message.receiveCount === 1 ? '' : 's'} (peeks included)`;
      lines.push(`    ${style.dim('message')}  ${message.messageId}  ${sent}${receives}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function subjectLines(subject: SubjectStatus, style: Style): string[] {
  const what = `${subject.kind} ${style.bold(subject.id)}${subject.s3Key ? ` (${subject.s3Key})` : ''}${subject.task ? ` task ${subject.task}` : ''}`;
  if (subject.status === null) return [`  ${what}  ${style.yellow('no status item')}`];
  const attempts = subject.attempts !== undefined ? ` after ${subject.attempts} attempt${subject.attempts === 1 ? '' : 's'}` : '';
  const status = subject.status === 'FAILED' ? style.red(subject.status) : subject.status;
  const lines = [`  ${what}  ${status}${attempts}`];
  if (subject.lastError) lines.push(`    ${style.dim('reason')}   ${subject.lastError.class}: ${subject.lastError.message}`);
  return lines;
}
