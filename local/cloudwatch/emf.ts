/**
 * CloudWatch Embedded Metric Format: turns one log line into the datapoints CloudWatch Logs would
 * extract from it. Lines that are not EMF are skipped before any JSON parsing.
 * Spec: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { DatapointInput, Dimension, MetricIdentity, StorageResolution } from './model';

export interface EmfDatapoint {
  readonly metric: MetricIdentity;
  readonly datapoint: DatapointInput;
}

/** An EMF line (it has `_aws.CloudWatchMetrics`) that CloudWatch would reject; the reason is the message. */
export class EmfFormatError extends Error {
  override readonly name = 'EmfFormatError';
}

const MAX_VALUES_PER_METRIC = 100;
const MAX_DIMENSIONS = 30;

/**
 * Parses one line. Returns `[]` for a line that is not EMF (plain logs, JSON logs without `_aws`);
 * throws `EmfFormatError` for an EMF document CloudWatch would not accept.
 */
export function parseEmfLine(line: string): EmfDatapoint[] {
  if (!line.includes('"_aws"')) return []; // cheap: most lines are ordinary logs
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch {
    return []; // a log message that merely mentions "_aws"
  }
  if (!isEmfDocument(document)) return [];
  const aws = document._aws;
  const timestamp = aws.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new EmfFormatError('_aws.Timestamp must be a number of epoch milliseconds');
  }
  if (!Array.isArray(aws.CloudWatchMetrics)) throw new EmfFormatError('_aws.CloudWatchMetrics must be an array');
  return aws.CloudWatchMetrics.flatMap((directive, index) =>
    parseDirective(document as Record<string, unknown>, directive, timestamp, `CloudWatchMetrics[${index}]`),
  );
}

/** An EMF document: a JSON object whose `_aws` holds `CloudWatchMetrics` (valid or not). */
export function isEmfDocument(document: unknown): document is Record<string, unknown> & { _aws: Record<string, unknown> } {
  return isObject(document) && isObject(document._aws) && 'CloudWatchMetrics' in document._aws;
}

function parseDirective(root: Record<string, unknown>, directive: unknown, timestamp: number, where: string): EmfDatapoint[] {
  if (!isObject(directive)) throw new EmfFormatError(`${where} must be an object`);
  const namespace = directive.Namespace;
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 1024) {
    throw new EmfFormatError(`${where}.Namespace must be a string of 1 to 1024 characters`);
  }
  if (!Array.isArray(directive.Metrics)) throw new EmfFormatError(`${where}.Metrics must be an array`);
  const dimensionSets = parseDimensionSets(root, directive.Dimensions, where);
  const result: EmfDatapoint[] = [];
  for (const [index, definition] of directive.Metrics.entries()) {
    const metricWhere = `${where}.Metrics[${index}]`;
    if (!isObject(definition) || typeof definition.Name !== 'string' || definition.Name.length === 0) {
      throw new EmfFormatError(`${metricWhere}.Name must be a non-empty string`);
    }
    const values = metricValues(root[definition.Name], `${metricWhere} (${definition.Name})`);
    const datapoint: DatapointInput = {
      timestamp,
      values,
      unit: typeof definition.Unit === 'string' ? definition.Unit : 'None',
      storageResolution: storageResolution(definition.StorageResolution, metricWhere),
    };
    for (const dimensions of dimensionSets) {
      result.push({ metric: { namespace, metricName: definition.Name, dimensions }, datapoint });
    }
  }
  return result;
}

function parseDimensionSets(root: Record<string, unknown>, sets: unknown, where: string): Dimension[][] {
  if (sets === undefined) return [[]];
  if (!Array.isArray(sets)) throw new EmfFormatError(`${where}.Dimensions must be an array of dimension sets`);
  if (sets.length === 0) return [[]];
  return sets.map((set, index) => {
    if (!Array.isArray(set) || set.length > MAX_DIMENSIONS) {
      throw new EmfFormatError(`${where}.Dimensions[${index}] must be an array of at most ${MAX_DIMENSIONS} names`);
    }
    return set.map((name) => {
      const value = typeof name === 'string' ? root[name] : undefined;
      if (typeof value !== 'string' || value.length === 0) {
        throw new EmfFormatError(`dimension ${String(name)} of ${where} has no string value in the document`);
      }
      return { name: name as string, value };
    });
  });
}

function metricValues(raw: unknown, where: string): number[] {
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0 || values.length > MAX_VALUES_PER_METRIC) {
    throw new EmfFormatError(`${where} must have 1 to ${MAX_VALUES_PER_METRIC} values`);
  }
  if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw new EmfFormatError(`${where} must be a number or an array of numbers`);
  }
  return values as number[];
}

function storageResolution(raw: unknown, where: string): StorageResolution {
  if (raw === undefined || raw === 60) return 60;
  if (raw === 1) return 1;
  throw new EmfFormatError(`${where}.StorageResolution must be 1 or 60`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
