/**
 * `tidewatch status`: is the pipeline healthy? Alarms firing (critical first, with their runbook), the
 * work queues and their dead-letter queues, and the pages of the last 24 hours. Exit 0 when healthy,
 * 2 while an alarm fires, 1 when part of the picture could not be read.
 */
import type { CommandContext, CommandOutput } from './command';
import { explainFailure } from './errors';
import { bySeverityThenAge, recentPages, stackAlarms, type AlarmStateChange, type StackAlarm } from './stack-alarms';
import { readStackOutputs } from './stack-outputs';
import { formatDuration, formatTime, table, type Style } from './terminal';
import { oldestMessageAges } from './oldest-message-age';
import { queueDepth } from './queue-depth';
import { workQueue, workQueueNames } from './work-queues';

const EXIT_ALARM_FIRING = 2;
const EXIT_INCOMPLETE = 1;

export interface QueueStatus {
  readonly name: string;
  readonly queueUrl: string;
  readonly visible: number;
  readonly inFlight: number;
  /** From the AWS/SQS metric; null when CloudWatch has no recent datapoint. */
  readonly oldestMessageAgeSeconds: number | null;
  readonly deadLetterQueueUrl: string;
  /** Messages in the DLQ, visible or being looked at. */
  readonly deadLetterDepth: number;
}

export interface StatusReport {
  readonly stack: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly checkedAt: string;
  /** No paging alarm firing and every part read. */
  readonly healthy: boolean;
  readonly queues: readonly QueueStatus[];
  /** null when the alarms could not be read (see `problems`). */
  readonly alarms: {
    readonly total: number;
    /** Paging alarms in ALARM, critical first. */
    readonly firing: readonly StackAlarm[];
    /** Alarms in ALARM that page nobody themselves (burn-rate windows, which page through their composite). */
    readonly inAlarmWithoutPaging: readonly string[];
  } | null;
  /** State changes of the paging alarms in the last 24 h, newest first, at most 10; null when unreadable. */
  readonly recentPages: readonly AlarmStateChange[] | null;
  /** What could not be read, in words. */
  readonly problems: readonly string[];
}

export async function showStatus(context: CommandContext): Promise<CommandOutput> {
  return present(await collectStatus(context));
}

async function collectStatus({ target, clients, now }: CommandContext): Promise<StatusReport> {
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
  const queues = workQueueNames(outputs).map((name) => workQueue(outputs, name));
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      problems.push(`${what}: ${explainFailure(error, target).message}`);
      return undefined;
    }
  };

  const sqs = await clients.sqs();
  const [depths, ages, alarms] = await Promise.all([
    // Without the queues there is no status worth showing: their failure fails the command.
    Promise.all(queues.map((queue) => Promise.all([queueDepth(sqs, queue.queueUrl), queueDepth(sqs, queue.deadLetterQueueUrl)]))),
    attempt('age of oldest message', async () => oldestMessageAges(await clients.cloudWatch(), queues.map((queue) => queue.queueUrl), now)),
    attempt('alarms', async () => stackAlarms(await clients.cloudWatch(), target.stackName)),
  ]);
  const pages = alarms ? await attempt('recent pages', async () => recentPages(await clients.cloudWatch(), alarms, { now })) : undefined;
  const inAlarm = alarms?.filter((alarm) => alarm.state === 'ALARM').sort(bySeverityThenAge);
  const firing = inAlarm?.filter((alarm) => alarm.pages);

  return {
    stack: target.stackName,
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    checkedAt: now.toISOString(),
    healthy: problems.length === 0 && firing?.length === 0,
    queues: queues.map((queue, index) => {
      const [depth, deadLetter] = depths[index]!;
      return {
        name: queue.name,
        queueUrl: queue.queueUrl,
        visible: depth.visible,
        inFlight: depth.inFlight,
        oldestMessageAgeSeconds: ages?.get(queue.queueUrl) ?? null,
        deadLetterQueueUrl: queue.deadLetterQueueUrl,
        deadLetterDepth: deadLetter.visible + deadLetter.inFlight,
      };
    }),
    alarms:
      alarms && inAlarm && firing
        ? { total: alarms.length, firing, inAlarmWithoutPaging: inAlarm.filter((alarm) => !alarm.pages).map((alarm) => alarm.name) }
        : null,
    recentPages: pages ?? null,
    problems,
  };
}

function present(report: StatusReport): CommandOutput {
  const exitCode = (report.alarms?.firing.length ?? 0) > 0 ? EXIT_ALARM_FIRING : report.problems.length > 0 ? EXIT_INCOMPLETE : 0;
  return { json: report, exitCode, human: (style) => renderStatus(report, style) };
}

export function renderStatus(report: StatusReport, style: Style): string {
  const now = new Date(report.checkedAt);
  const where = [report.endpoint, report.region].filter(Boolean).join(', ');
  const lines = [`${style.bold(report.stack)}  (${where})  ${report.checkedAt.slice(11, 19)}Z`, headline(report, style), ''];

  const firing = report.alarms?.firing ?? [];
  if (firing.length > 0) {
    lines.push(style.bold(`ALARMS FIRING (${firing.length} of ${report.alarms?.total})`));
    for (const alarm of firing) {
      const severity = (alarm.severity ?? 'alarm').toUpperCase().padEnd(8);
      const colour = alarm.severity === 'warning' ? style.yellow : style.red;
      lines.push(`  ${colour(style.bold(severity))}  ${style.bold(alarm.name)}${alarm.since ? `  since ${formatTime(alarm.since, now)}` : ''}`);
      if (alarm.summary) lines.push(`            ${alarm.summary}`);
      lines.push(`            Runbook: ${alarm.runbookUrl ?? style.dim('(none in the alarm description)')}`);
    }
  }
  const withoutPaging = report.alarms?.inAlarmWithoutPaging ?? [];
  if (withoutPaging.length > 0) lines.push(style.dim(`  Also in ALARM, paging nobody: ${withoutPaging.join(', ')}`));
  if (firing.length > 0 || withoutPaging.length > 0) lines.push('');

  lines.push(style.bold('QUEUES'));
  lines.push(
    ...table(
      [
        ['QUEUE', 'VISIBLE', 'IN FLIGHT', 'OLDEST', 'DLQ'].map(style.dim),
        ...report.queues.map((queue) => [
          queue.name,
          String(queue.visible),
          String(queue.inFlight),
          queue.oldestMessageAgeSeconds === null ? '-' : formatDuration(queue.oldestMessageAgeSeconds),
          queue.deadLetterDepth > 0 ? style.red(String(queue.deadLetterDepth)) : '0',
        ]),
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
    '',
  );

  lines.push(style.bold('RECENT PAGES (24 h)'));
  if (report.recentPages === null) lines.push(style.dim('  unknown'));
  else if (report.recentPages.length === 0) lines.push('  none');
  else {
    lines.push(
      ...table(
        report.recentPages.map((page) => {
          const to = page.to === 'ALARM' ? style.red(page.to) : page.to === 'OK' ? style.green(page.to) : (page.to ?? '?');
          return [formatTime(page.time, now), `${page.from ?? '?'} -> ${to}`, page.alarmName];
        }),
      ),
    );
  }

  if (report.problems.length > 0) {
    lines.push('', style.yellow(style.bold('COULD NOT READ')));
    lines.push(...report.problems.map((problem) => `  ${style.yellow(problem)}`));
  }
  return `${lines.join('\n')}\n`;
}

function headline(report: StatusReport, style: Style): string {
  const firing = report.alarms?.firing.length ?? 0;
  if (firing > 0) return style.red(style.bold(`${firing} ALARM${firing === 1 ? '' : 'S'} FIRING`));
  if (report.problems.length > 0) return style.yellow(style.bold('STATUS INCOMPLETE: see below'));
  return style.green(style.bold(`HEALTHY: no alarm firing (${report.alarms?.total ?? 0} alarms)`));
}
