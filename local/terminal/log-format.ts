/**
 * Function output as a person reads it in `npm start`: one line per log record, `time LEVEL message`,
 * then the record's own keys and last its correlation ids. Lines that are not for reading here are left
 * out: EMF documents (metrics: the local CloudWatch shows them), Powertools' warning that an invocation
 * published no metrics (written after every invocation of a function without metrics) and the AWS SDK's
 * warnings (about the SDK, not the function). Pure: a line in, the text to print (or undefined) out.
 *
 * Hand-written: pretty printers for Powertools' JSON (pino-pretty and the like) know neither the Lambda
 * platform's lines (REPORT, the runtime's tab-separated lines) nor which lines to leave out.
 */
import { styleText } from 'node:util';
import { isEmfDocument } from '../cloudwatch/emf';

export interface ReadableLogOptions {
  /** ANSI colours (level, dim time and ids). @default false */
  readonly colour?: boolean;
  /** The time shown for a line that carries none of its own. @default the current time */
  readonly now?: () => Date;
}

/** Correlation ids, shown last, in this order (Powertools' `function_request_id` as `requestId`). */
const CORRELATION_IDS = ['jobId', 'fileId', 'messageId', 'correlation_id', 'requestId'] as const;

/**
 * Keys every Powertools record carries (PowertoolsLogFormatter's base attributes; the request id is
 * shown as a correlation id), and `stage`, a persistent key that is always the local stage here.
 */
const HIDDEN_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'tenant_id',
  'stage',
]);

/** Powertools Metrics' warning after an invocation that added no metric. */
const EMPTY_METRICS_WARNING = 'No application metrics to publish.';
/** How the AWS SDK's own warnings begin (its packages name themselves; the Node-version warning does not). */
const SDK_WARNING = /^(?:@aws-sdk\/|@smithy\/|AWS SDK Warning|(?:\(node:\d+\) )?NodeVersionSupportWarning)/;
/** A line of the Lambda runtime: `<ISO time> <request id> [LEVEL] <message>`, tab- (or space-) separated. */
const RUNTIME_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)[\t ]([0-9a-f]{8}-[0-9a-f-]{27})[\t ](?:([A-Z]+)\t)?(.*)$/;

type Paint = (format: Parameters<typeof styleText>[0], text: string) => string;

/** The readable form of one output line of a function, or undefined for a line not worth printing. */
export function readableLogLine(line: string, options: ReadableLogOptions = {}): string | undefined {
  const paint: Paint = options.colour ? (format, text) => styleText(format, text, { validateStream: false }) : (_, text) => text;
  const now = options.now ?? (() => new Date());
  const record = jsonObject(line);
  if (record) {
    if (isEmfDocument(record)) return undefined;
    if (typeof record.level === 'string' && typeof record.message === 'string') return powertoolsRecord(record, paint, now);
    return `${clock(now(), paint)} ${line}`;
  }
  if (line.startsWith(EMPTY_METRICS_WARNING) || SDK_WARNING.test(line)) return undefined;
  if (line.startsWith('REPORT RequestId: ')) return report(line, paint, now);
  const runtime = RUNTIME_LINE.exec(line);
  if (runtime) {
    const [, time, requestId, level = '', message] = runtime;
    return compose(paint, new Date(time), level, message.split('\t').map(errorPart).join(' '), [], [['requestId', requestId]]);
  }
  return `${clock(now(), paint)} ${line}`;
}

function powertoolsRecord(record: Record<string, unknown>, paint: Paint, now: () => Date): string {
  const fields: Record<string, unknown> = { ...record, requestId: record.function_request_id ?? record.requestId };
  const ids = CORRELATION_IDS.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]] as const);
  const details = Object.entries(record).filter(([key]) => !HIDDEN_KEYS.has(key) && !(CORRELATION_IDS as readonly string[]).includes(key));
  const time = typeof record.timestamp === 'string' && !Number.isNaN(Date.parse(record.timestamp)) ? new Date(record.timestamp) : now();
  return compose(paint, time, record.level as string, record.message as string, details, ids);
}

/** Lambda's REPORT line, condensed: duration, cold start, and the error type of a failed invocation. */
function report(line: string, paint: Paint, now: () => Date): string {
  const fields = new Map(line.slice('REPORT '.length).split('\t').map((field) => field.split(': ') as [string, string]));
  const errorType = fields.get('Error Type');
  const init = fields.get('Init Duration');
  const summary = [fields.get('Duration'), ...(init ? [`init ${init}`] : []), ...(errorType ? [errorType] : [])].join(', ');
  return compose(paint, now(), 'REPORT', errorType ? paint('red', summary) : summary, [], [['requestId', fields.get('RequestId')]]);
}

function compose(paint: Paint, time: Date, level: string, message: string, details: readonly (readonly [string, unknown])[], ids: readonly (readonly [string, unknown])[]): string {
  const keys = (pairs: readonly (readonly [string, unknown])[]) => pairs.map(([key, value]) => `${key}=${valueText(value)}`);
  const detailText = keys(details).map((pair) => ` ${pair}`).join('');
  const idText = ids.length > 0 ? `  ${paint('dim', keys(ids).join(' '))}` : '';
  return `${clock(time, paint)} ${levelText(level, paint)} ${message}${detailText}${idText}`;
}

function clock(time: Date, paint: Paint): string {
  return paint('dim', time.toISOString().slice(11, 23));
}

function levelText(level: string, paint: Paint): string {
  const padded = level.padEnd(5);
  if (['ERROR', 'CRITICAL', 'FATAL'].includes(level)) return paint(['red', 'bold'], padded);
  if (level === 'WARN') return paint('yellow', padded);
  if (level === 'INFO') return paint('green', padded);
  return paint('dim', padded);
}

/** A key's value on one line: bare when it needs no quotes, an error as `Name: message`, else JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  const error = errorText(value);
  if (error !== undefined) return JSON.stringify(error);
  return JSON.stringify(value) ?? String(value);
}

/** An error as Powertools (`name`), the project's failure records (`class`) or Lambda (`errorType`) write it. */
function errorText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, class: className, errorType, message, errorMessage } = value as Record<string, unknown>;
  const type = [name, className, errorType].find((candidate) => typeof candidate === 'string');
  const text = [message, errorMessage].find((candidate) => typeof candidate === 'string');
  return type !== undefined && text !== undefined ? `${type as string}: ${text as string}` : undefined;
}

/** A tab-separated part of a runtime line: a JSON error (the runtime's `Invoke Error`) as `Type: message`. */
function errorPart(part: string): string {
  return errorText(jsonObject(part)) ?? part.trim();
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
