/**
 * Stack assertions for the alarm stack (issue 4), on one synth with non-default alarm settings so every
 * value is seen to come from config: each catalogue alarm as the issue specifies it, paging (key policy
 * for CloudWatch, topic, subscriptions, ALARM and OK actions), the on-call dashboard and the outputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { references, resourcesOfType, synthesize, type Json } from '../stack/synth';
import { mathOf, metricStats, render, templateAlarms, type TemplateAlarm } from './template';

const CONTEXT = {
  stage: 'alarms1',
  workQueues: {
    files: { workerTimeoutSeconds: 50, maxMessageAgeSeconds: 240 },
    jobs: { workerTimeoutSeconds: 20, maxMessageAgeSeconds: 90 },
  },
  pagingEmails: ['oncall@example.com', 'backup@example.com'],
  pagingHttpsUrls: ['https://events.example.com/tidewatch'],
  runbookBaseUrl: 'https://runbooks.example.com/tidewatch',
  successSloPercent: 99.5,
  freshnessSloPercent: 98,
  freshnessSloSeconds: 600,
};

const synth = synthesize(CONTEXT);
afterAll(() => synth.dispose());
const { stack, json, template } = synth;
const { id, ref, arn } = references(stack);
const resolve = (value: unknown) => stack.resolve(value);

const alarms = templateAlarms(json);
const catalogue = stack.monitoring.catalogue;
const PREFIX = 'Tidewatch-alarms1';
const alarm = (alarmId: string): TemplateAlarm => {
  const found = alarms.get(`${PREFIX}-${alarmId}`);
  if (!found) throw new Error(`no alarm ${PREFIX}-${alarmId} in the template`);
  return found;
};
const pagingTopic = ref(stack.paging.topic);
const WINDOWS = ['1h', '5m', '6h', '30m'];

interface Expected {
  readonly severity: 'CRITICAL' | 'HIGH' | 'WARNING';
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  /** Single metric: namespace, name, statistic, dimensions. */
  readonly metric?: [string, string, string, Record<string, unknown>];
  /** Metric math: the expression and each id's namespace, name, statistic. */
  readonly math?: { expression: string; using: Record<string, [string, string, string]> };
}

const GT = 'GreaterThanThreshold';

/** The default work queues, their worker kinds and what counts a success, written out. */
const QUEUES = { files: { worker: 'file-worker', succeeded: 'FilesProcessed' }, jobs: { worker: 'job-worker', succeeded: 'JobsSucceeded' } } as const;
type WorkQueueName = keyof typeof QUEUES;
/** Every worker metric carries its queue: two queues run by the same worker code never share a series. */
const workerDimensions = (name: WorkQueueName) => ({ service: QUEUES[name].worker, stage: 'alarms1', queue: name });

/** What the issue asks of each work queue's alarms, written out (not read back from the catalogue). */
function expectedWorkQueueAlarms(name: WorkQueueName): Record<string, Expected> {
  const queue = stack.workQueues[name]!;
  const queueName = resolve(queue.queue.queueName);
  const timeoutMs = CONTEXT.workQueues[name].workerTimeoutSeconds * 1000;
  const lambda = { FunctionName: resolve(queue.worker.functionName) };
  return {
    [`${name}-dead-lettered`]: {
      severity: 'CRITICAL', period: 10, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 0, comparison: GT,
      metric: ['Tidewatch', 'DeadLettered', 'Sum', workerDimensions(name)],
    },
    [`${name}-dlq-not-empty`]: {
      severity: 'CRITICAL', period: 60, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 0, comparison: GT,
      metric: ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', { QueueName: resolve(queue.deadLetterQueue.queueName) }],
    },
    [`${name}-queue-age`]: {
      severity: 'HIGH', period: 60, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: CONTEXT.workQueues[name].maxMessageAgeSeconds, comparison: GT,
      metric: ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', { QueueName: queueName }],
    },
    [`${name}-stall`]: {
      severity: 'CRITICAL', period: 60, evaluationPeriods: 5, datapointsToAlarm: 5, threshold: 1, comparison: 'GreaterThanOrEqualToThreshold',
      math: {
        expression: 'IF(FILL(visible, 0) > 0 AND FILL(deleted, 0) == 0, 1, 0)',
        using: { visible: ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Minimum'], deleted: ['AWS/SQS', 'NumberOfMessagesDeleted', 'Sum'] },
      },
    },
    [`${name}-worker-errors`]: {
      severity: 'HIGH', period: 60, evaluationPeriods: 5, datapointsToAlarm: 5, threshold: 5, comparison: GT,
      math: {
        expression: 'IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / FILL(invocations, 0), 0)',
        using: { errors: ['AWS/Lambda', 'Errors', 'Sum'], invocations: ['AWS/Lambda', 'Invocations', 'Sum'] },
      },
    },
    [`${name}-worker-throttles`]: {
      severity: 'WARNING', period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 0, comparison: GT,
      metric: ['AWS/Lambda', 'Throttles', 'Sum', lambda],
    },
    [`${name}-worker-duration`]: {
      severity: 'WARNING', period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 0.8 * timeoutMs, comparison: GT,
      metric: ['AWS/Lambda', 'Duration', 'p99', lambda],
    },
  };
}

const EXPECTED: Record<string, Expected> = {
  ...expectedWorkQueueAlarms('files'),
  ...expectedWorkQueueAlarms('jobs'),
  'api-5xx': {
    severity: 'HIGH', period: 60, evaluationPeriods: 5, datapointsToAlarm: 5, threshold: 1, comparison: GT,
    math: {
      expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      using: { errors: ['AWS/ApiGateway', '5xx', 'Sum'], requests: ['AWS/ApiGateway', 'Count', 'Sum'] },
    },
  },
};
const BURN_RATE_IDS = (['files', 'jobs'] as const).flatMap((name) => [`${name}-success-slo-burn`, `${name}-freshness-slo-burn`]);

describe('the catalogue in the template', () => {
  it('holds exactly the issue’s alarms: per work queue, the API and the SLO burn rates', () => {
    expect(catalogue.map((entry) => entry.id).sort()).toEqual([...Object.keys(EXPECTED), ...BURN_RATE_IDS].sort());
  });

  it('has no other alarms than the catalogue’s and their burn-rate windows', () => {
    const windows = BURN_RATE_IDS.flatMap((burnId) => WINDOWS.map((window) => `${burnId}-${window}`));
    expect([...alarms.keys()].sort()).toEqual([...catalogue.map((entry) => entry.id), ...windows].map((name) => `${PREFIX}-${name}`).sort());
  });

  it.each(Object.entries(EXPECTED))('%s: period, evaluation, threshold, comparison and metric as specified', (alarmId, expected) => {
    const { props } = alarm(alarmId);
    expect(props).toMatchObject({
      EvaluationPeriods: expected.evaluationPeriods,
      DatapointsToAlarm: expected.datapointsToAlarm,
      Threshold: expected.threshold,
      ComparisonOperator: expected.comparison,
    });
    const stats = metricStats(props);
    for (const stat of stats) expect(stat.period).toBe(expected.period);
    if (expected.metric) {
      const [namespace, metricName, stat, dimensions] = expected.metric;
      expect(stats).toEqual([{ namespace, metricName, stat, dimensions, period: expected.period }]);
    } else {
      const math = mathOf(props);
      expect(math.expression).toBe(expected.math!.expression);
      expect(Object.fromEntries(Object.entries(math.using).map(([key, s]) => [key, [s.namespace, s.metricName, s.stat]]))).toEqual(expected.math!.using);
    }
  });

  it('watches each queue’s own resources: queue, DLQ, worker; the API by its id', () => {
    for (const name of ['files', 'jobs'] as const) {
      const queue = stack.workQueues[name]!;
      expect(mathOf(alarm(`${name}-stall`).props).using.deleted!.dimensions).toEqual({ QueueName: resolve(queue.queue.queueName) });
      expect(mathOf(alarm(`${name}-worker-errors`).props).using.errors!.dimensions).toEqual({ FunctionName: resolve(queue.worker.functionName) });
    }
    expect(mathOf(alarm('api-5xx').props).using.requests!.dimensions).toEqual({ ApiId: resolve(stack.httpApi.api.apiId) });
  });

  it.each(['files', 'jobs'] as const)('%s success SLO burn: (1 h AND 5 min above 14.4x) OR (6 h AND 30 min above 6x) of dead-lettered / all', (name) => {
    const burn = `${name}-success-slo-burn`;
    expect(compositeRule(burn)).toBe(`((ALARM(${PREFIX}-${burn}-1h) AND ALARM(${PREFIX}-${burn}-5m)) OR (ALARM(${PREFIX}-${burn}-6h) AND ALARM(${PREFIX}-${burn}-30m)))`);
    const windows = WINDOWS.map((window) => alarm(`${burn}-${window}`).props);
    expect(windows.map((props) => metricStats(props)[0]!.period)).toEqual([3600, 300, 21600, 1800]);
    expect(windows.map((props) => props.Threshold)).toEqual([14.4, 14.4, 6, 6]);
    for (const props of windows) {
      const { expression, using } = mathOf(props);
      // 99.5% success: the budget is 0.5% of items; a window counts only with more than one dead letter.
      expect(expression).toBe('IF(bad > 1, (IF(FILL(good, 0) + FILL(bad, 0) > 0, FILL(bad, 0) / (FILL(good, 0) + FILL(bad, 0)) / 0.005, 0)))');
      expect(using.bad).toMatchObject({ namespace: 'Tidewatch', metricName: 'DeadLettered', stat: 'Sum' });
      expect(using.bad).toMatchObject({ dimensions: workerDimensions(name) });
      expect(using.good).toMatchObject({ namespace: 'Tidewatch', metricName: QUEUES[name].succeeded, stat: 'Sum', dimensions: workerDimensions(name) });
      expect(props).toMatchObject({ EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: GT });
    }
  });

  it.each(['files', 'jobs'] as const)('%s freshness SLO burn: the percentile that crosses 600 s when 14.4x / 6x the 2% budget is late, with enough items', (name) => {
    const burn = `${name}-freshness-slo-burn`;
    expect(compositeRule(burn)).toBe(`((ALARM(${PREFIX}-${burn}-1h) AND ALARM(${PREFIX}-${burn}-5m)) OR (ALARM(${PREFIX}-${burn}-6h) AND ALARM(${PREFIX}-${burn}-30m)))`);
    const windows = WINDOWS.map((window) => mathOf(alarm(`${burn}-${window}`).props));
    // A window counts only with more than 1 / (factor × budget) items (3 at 28.8%, 8 at 12%): at least two late ones.
    expect(windows.map((math) => math.expression)).toEqual(['IF(sampleCount > 3, metric)', 'IF(sampleCount > 3, metric)', 'IF(sampleCount > 8, metric)', 'IF(sampleCount > 8, metric)']);
    expect(windows.map((math) => math.using.sampleCount!.stat)).toEqual(['SampleCount', 'SampleCount', 'SampleCount', 'SampleCount']);
    // 98% within 600 s: 14.4 × 2% = 28.8% late ⇔ p71.2 above 600 s; 6 × 2% = 12% late ⇔ p88 above it.
    expect(windows.map((math) => math.using.metric)).toEqual(
      [
        [3600, 'p71.2'],
        [300, 'p71.2'],
        [21600, 'p88'],
        [1800, 'p88'],
      ].map(([period, stat]) => ({
        namespace: 'Tidewatch',
        metricName: 'EndToEndLatency',
        dimensions: workerDimensions(name),
        stat,
        period,
      })),
    );
    for (const window of WINDOWS) {
      expect(alarm(`${burn}-${window}`).props).toMatchObject({ Threshold: 600_000, ComparisonOperator: GT, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    }
  });

  it('treats missing data as not breaching on every metric alarm, so a quiet pipeline is OK, not INSUFFICIENT_DATA', () => {
    for (const { name, type, props } of alarms.values()) {
      if (type === 'AWS::CloudWatch::Alarm') expect(props.TreatMissingData, name).toBe('notBreaching');
    }
    for (const entry of catalogue) {
      const reasons = entry.kind === 'metric' ? [entry.missingDataReason] : entry.windows.flatMap((w) => [w.long.missingDataReason, w.short.missingDataReason]);
      for (const reason of reasons) expect(reason.length, entry.id).toBeGreaterThan(20);
    }
  });
});

describe('paging actions and descriptions', () => {
  it.each(catalogue.map((entry) => [entry.id, entry.severity] as const))('%s pages on ALARM and on OK through the paging topic only', (alarmId, severity) => {
    const { props } = alarm(alarmId);
    expect(props.ActionsEnabled).toBe(true);
    expect(props.AlarmActions).toEqual([pagingTopic]);
    expect(props.OKActions).toEqual([pagingTopic]);
    expect(props.InsufficientDataActions).toBeUndefined();
    expect(props.Tags).toContainEqual({ Key: 'severity', Value: severity });
  });

  it.each(catalogue.map((entry) => [entry.id, entry.severity, entry.queue] as const))(
    '%s: one line of what is wrong, its queue, then its kind’s runbook link, within 1,024 characters',
    (alarmId, severity, queue) => {
      const description = alarm(alarmId).props.AlarmDescription as string;
      const lines = description.split('\n');
      const [what, ...rest] = lines;
      expect(what).toMatch(new RegExp(`^${severity.toUpperCase()}: \\S.*$`));
      // One runbook per alarm kind, for every queue: the kind is the id without its queue.
      const kind = queue ? alarmId.slice(queue.length + 1) : alarmId;
      expect(rest).toEqual([...(queue ? [`Queue: ${queue}`] : []), `Runbook: https://runbooks.example.com/tidewatch/${kind}.md`]);
      expect(description.length).toBeLessThanOrEqual(1024);
    },
  );

  it('matches the issue’s severities: dead letters, stalls and SLO burns are critical', () => {
    const severity = Object.fromEntries(catalogue.map((entry) => [entry.id, entry.severity]));
    for (const [alarmId, expected] of Object.entries(EXPECTED)) expect(severity[alarmId], alarmId).toBe(expected.severity.toLowerCase());
    for (const burnId of BURN_RATE_IDS) expect(severity[burnId]).toBe('critical');
  });

  it('leaves the burn-rate windows silent: only their composite pages', () => {
    for (const burnId of BURN_RATE_IDS) {
      for (const window of WINDOWS) {
        const { props } = alarm(`${burnId}-${window}`);
        expect(props.AlarmActions ?? []).toEqual([]);
        expect(props.OKActions ?? []).toEqual([]);
        expect(props.AlarmDescription).toContain(`${PREFIX}-${burnId}`);
      }
    }
  });
});

describe('the paging topic', () => {
  const key = stack.paging.key;

  it('is encrypted with a rotated customer-managed key that CloudWatch may use (GenerateDataKey*, Decrypt)', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arn(key) });
    const keyProps = json.Resources[id(key)].Properties;
    expect(keyProps.EnableKeyRotation).toBe(true);
    const forCloudWatch = (keyProps.KeyPolicy.Statement as Json[]).filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: '*' })]);
    expect([...forCloudWatch[0]!.Action].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('lets this account’s alarms publish, over TLS only', () => {
    const [policy] = Object.values(resourcesOfType(json, 'AWS::SNS::TopicPolicy')).filter((p) => p.Properties.Topics.some((t: Json) => t.Ref === id(stack.paging.topic)));
    const statements = policy!.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const publish = statements.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: pagingTopic });
    expect(render(publish!.Condition.ArnLike['aws:SourceArn'])).toMatch(/^arn:<.*Partition.*>:cloudwatch:<.*Region.*>:<.*AccountId.*>:alarm:\*$/);
  });

  it('subscribes exactly the configured emails and HTTPS URLs', () => {
    const subscriptions = Object.values(resourcesOfType(json, 'AWS::SNS::Subscription'))
      .map((s) => s.Properties)
      .filter((p) => p.TopicArn.Ref === id(stack.paging.topic))
      .map((p) => [p.Protocol, p.Endpoint]);
    expect(subscriptions.sort()).toEqual([
      ['email', 'backup@example.com'],
      ['email', 'oncall@example.com'],
      ['https', 'https://events.example.com/tidewatch'],
    ]);
  });
});

describe('the on-call overview dashboard', () => {
  const [dashboard] = Object.entries(resourcesOfType(json, 'AWS::CloudWatch::Dashboard'));
  const names = Object.fromEntries([...alarms.values()].map((a) => [a.logicalId, a.name]));
  const body = JSON.parse(render(dashboard![1].Properties.DashboardBody, names)) as { widgets: Json[] };
  const titles = body.widgets.map((w) => w.properties?.title as string | undefined);

  it('is named after the stack', () => {
    expect(dashboard![1].Properties.DashboardName).toBe(`${PREFIX}-on-call`);
  });

  it('opens with the state of every catalogue alarm', () => {
    const [first] = body.widgets;
    expect(first!.type).toBe('alarm');
    expect(first!.properties.alarms).toEqual(catalogue.map((entry) => `<${PREFIX}-${entry.id}>`));
  });

  it.each(['Files', 'Jobs'])('shows the %s work queue: depth, age, in flight, dead letters, sent vs deleted, worker and latency', (title) => {
    const section = body.widgets.findIndex((w) => JSON.stringify(w).includes(`${title} work queue`));
    expect(section).toBeGreaterThan(0);
    const next = body.widgets.findIndex((w, i) => i > section && w.type === 'text');
    const graphs = body.widgets.slice(section, next === -1 ? undefined : next).map((w) => w.properties?.title);
    expect(graphs).toEqual(
      expect.arrayContaining([
        'Depth (visible)',
        'Oldest message age (s)',
        'In flight',
        'Dead letters',
        'Sent vs deleted',
        'Worker errors',
        'Worker throttles',
        'Worker duration (ms)',
        'Worker concurrency',
        'End-to-end latency (ms)',
      ]),
    );
    const latency = body.widgets.slice(section).find((w) => w.properties?.title === 'End-to-end latency (ms)')!;
    expect(latency.properties.metrics.map((m: unknown[]) => (m.at(-1) as Json).stat)).toEqual(['p50', 'p99']);
    expect(latency.properties.annotations.horizontal).toContainEqual(expect.objectContaining({ value: 600_000 }));
  });

  it('shows the HTTP API', () => {
    expect(JSON.stringify(body.widgets)).toContain('HTTP API');
    expect(titles).toEqual(expect.arrayContaining(['TPS', 'Latency', 'Errors']));
  });

  it('ends with a text widget linking every runbook', () => {
    const text = body.widgets.at(-1)!;
    expect(text.type).toBe('text');
    for (const entry of catalogue) expect(text.properties.markdown).toContain(`(https://runbooks.example.com/tidewatch/${entry.runbook}.md)`);
  });
});

describe('outputs and security checks', () => {
  it('outputs PagingTopicArn and DashboardName', () => {
    expect(json.Outputs.PagingTopicArn.Value).toEqual(pagingTopic);
    expect(json.Outputs.DashboardName.Value).toEqual({ Ref: dashboard() });
  });

  it('has no unacknowledged cdk-nag finding with subscriptions configured', () => {
    expect(synth.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath)}`)).toEqual([]);
  });
});

function dashboard(): string {
  return Object.keys(resourcesOfType(json, 'AWS::CloudWatch::Dashboard'))[0]!;
}

/** A composite alarm's rule with the alarm ARNs replaced by their names. */
function compositeRule(alarmId: string): string {
  const names = Object.fromEntries([...alarms.values()].map((a) => [a.logicalId, a.name]));
  return render(alarm(alarmId).props.AlarmRule, names).replace(/ALARM\("<([^>]+)>"\)/g, 'ALARM($1)');
}
