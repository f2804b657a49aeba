import { beforeAll, describe, expect, it } from 'vitest';
import { AlarmEngine, type PageEvent } from '../../../local/cloudwatch/alarm-engine';
import { AlarmHistory } from '../../../local/cloudwatch/alarm-history';
import { loadAlarms, UnsupportedAlarmError } from '../../../local/cloudwatch/alarm-loader';
import type { AlarmDefinition } from '../../../local/cloudwatch/alarm-model';
import { MetricStore } from '../../../local/cloudwatch/metric-store';
import type { MetricIdentity } from '../../../local/cloudwatch/model';
import { alarmNameOf, PAGING_TOPIC_ARN, SERVICE_DIMENSIONS, synthesizeAlarmFixture, type AlarmFixture } from './alarm-fixture';
import { ManualClock, templateResolver } from './helpers';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
let fixture: AlarmFixture;
beforeAll(() => {
  fixture = synthesizeAlarmFixture();
});

const deadLettered: MetricIdentity = {
  namespace: 'Tidewatch',
  metricName: 'DeadLettered',
  dimensions: Object.entries(SERVICE_DIMENSIONS).map(([name, value]) => ({ name, value })),
};
const queueMetric = (metricName: string, queue: string): MetricIdentity => ({ namespace: 'AWS/SQS', metricName, dimensions: [{ name: 'QueueName', value: queue }] });

type Publish = ConstructorParameters<typeof AlarmEngine>[0]['publish'];

/** An engine on a manual clock; `failingPublish` stands in for a topic that refuses every message. */
function setup(failingPublish?: Publish) {
  const clock = new ManualClock(T0);
  const store = new MetricStore({ clock });
  const history = new AlarmHistory(clock);
  const published: Array<{ topicArn: string; subject: string; message: Record<string, unknown> }> = [];
  const engine = new AlarmEngine({
    alarms: loadAlarms({ ...fixture, region: 'us-east-1', accountId: '000000000000' }),
    store,
    history,
    clock,
    region: 'us-east-1',
    accountId: '000000000000',
    publish:
      failingPublish ??
      (async (topicArn, subject, message) => {
        published.push({ topicArn, subject, message: JSON.parse(message) });
        return `message-${published.length}`;
      }),
  });
  const pages: PageEvent[] = [];
  engine.onPage((event) => pages.push(event));
  const alarm = (name: string): AlarmDefinition => engine.find(name)!;
  const stateOf = (name: string) => engine.status(alarm(name)).value;
  /** Moves the clock to `at` and evaluates as the ticker would there. */
  const evaluateAt = async (at: number) => {
    clock.set(at);
    await engine.evaluate(at);
  };
  return { clock, store, history, engine, published, pages, alarm, stateOf, evaluateAt };
}

describe('AlarmEngine', () => {
  it('starts every alarm in INSUFFICIENT_DATA, then settles a quiet pipeline on the first evaluation', async () => {
    const { engine, stateOf, evaluateAt, published } = setup();
    expect(engine.alarms.map((a) => engine.status(a).value)).toEqual(Array(5).fill('INSUFFICIENT_DATA'));
    expect(engine.status(engine.alarms[0]).reason).toBe('Unchecked: Initial alarm creation');

    await evaluateAt(T0);
    expect(stateOf('files-dead-lettered')).toBe('OK');
    expect(stateOf(alarmNameOf(fixture, 'FilesDlqNotEmpty'))).toBe('OK');
    expect(stateOf(alarmNameOf(fixture, 'FilesStalled'))).toBe('OK'); // FILL turns no data into real zeros
    expect(stateOf(alarmNameOf(fixture, 'FilesWorkerDuration'))).toBe('INSUFFICIENT_DATA'); // missing data stays unknown
    expect(stateOf('files-any-death')).toBe('OK');
    // Like CloudWatch, INSUFFICIENT_DATA -> OK runs the OK actions.
    expect(published.map((p) => [p.message.AlarmName, p.message.OldStateValue, p.message.NewStateValue])).toEqual([
      ['files-dead-lettered', 'INSUFFICIENT_DATA', 'OK'],
    ]);
  });

  it('pages on a high-resolution datapoint at the next 10-second boundary, then returns to OK with an OK page', async () => {
    const { store, history, stateOf, evaluateAt, published, pages } = setup();
    await evaluateAt(T0);
    published.length = 0;

    store.put(deadLettered, { timestamp: T0 + 12_300, values: [1], unit: 'Count', storageResolution: 1 });
    await evaluateAt(T0 + 10_000); // the datapoint's period has not ended yet
    expect(stateOf('files-dead-lettered')).toBe('OK');
    await evaluateAt(T0 + 20_000);
    expect(stateOf('files-dead-lettered')).toBe('ALARM');
    expect(stateOf('files-any-death')).toBe('ALARM');

    const page = published.find((p) => p.message.AlarmName === 'files-dead-lettered')!;
    expect(page.topicArn).toBe(PAGING_TOPIC_ARN);
    expect(page.subject).toBe('ALARM: "files-dead-lettered" in US East (N. Virginia)');
    expect(page.message).toMatchObject({
      AlarmDescription: 'A file was dead-lettered.\nRunbook: https://example.test/runbooks/files-dead-lettered.md',
      AWSAccountId: '000000000000',
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      Region: 'US East (N. Virginia)',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:files-dead-lettered',
      StateChangeTime: '2026-11-23T12:00:20.000+0000',
      Trigger: {
        MetricName: 'DeadLettered',
        Namespace: 'Tidewatch',
        StatisticType: 'Statistic',
        Statistic: 'SUM',
        Dimensions: [{ value: 'file-worker', name: 'service' }, { value: 'local', name: 'stage' }],
        Period: 10,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      },
    });
    expect(page.message.NewStateReason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (23/11/26 12:00:10)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
    const composite = published.find((p) => p.message.AlarmName === 'files-any-death')!;
    expect(composite.message).toMatchObject({ NewStateValue: 'ALARM', AlarmRule: expect.stringContaining('ALARM("arn:aws:cloudwatch') });
    expect(pages.filter((p) => p.newState === 'ALARM').map((p) => [p.alarmName, p.messageId !== undefined])).toEqual([
      ['files-dead-lettered', true],
      ['files-any-death', true],
    ]);

    // The datapoint stays in the evaluation range (N + 2 periods) for 30 s, then the alarm clears.
    for (const at of [30_000, 40_000]) {
      await evaluateAt(T0 + at);
      expect(stateOf('files-dead-lettered'), `at +${at}`).toBe('ALARM');
    }
    await evaluateAt(T0 + 50_000);
    expect(stateOf('files-dead-lettered')).toBe('OK');
    const ok = published.filter((p) => p.message.NewStateValue === 'OK');
    expect(ok.map((p) => p.message.AlarmName)).toEqual(['files-dead-lettered']);
    expect(ok[0].message.NewStateReason).toMatch(/^Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as \[NonBreaching\]\.$/);

    const updates = history.query({ alarmName: 'files-dead-lettered', historyItemType: 'StateUpdate', scanBy: 'TimestampAscending' });
    expect(updates.map((u) => u.historySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    const data = JSON.parse(updates[1].historyData);
    expect(data).toMatchObject({
      version: '1.0',
      oldState: { stateValue: 'OK' },
      newState: {
        stateValue: 'ALARM',
        stateReasonData: { version: '1.0', period: 10, statistic: 'Sum', threshold: 0, recentDatapoints: [1], evaluatedDatapoints: [{ timestamp: '2026-11-23T12:00:10.000+0000', value: 1 }] },
      },
    });
    const actions = history.query({ alarmName: 'files-dead-lettered', historyItemType: 'Action' });
    expect(actions[0].historySummary).toBe(`Successfully executed action ${PAGING_TOPIC_ARN}`);
  });

  it('alarms on M of N datapoints of a percentile', async () => {
    const { store, stateOf, evaluateAt } = setup();
    const duration: MetricIdentity = { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: [{ name: 'FunctionName', value: 'tidewatch-local-file-worker' }] };
    const name = alarmNameOf(fixture, 'FilesWorkerDuration');
    const minute = (m: number, values: number[]) => store.put(duration, { timestamp: T0 + m * 60_000 + 1_000, values, unit: 'Milliseconds' });
    minute(0, [100, 2000]); // p99 = 2000: breaching
    minute(1, [100, 200]);
    await evaluateAt(T0 + 120_000);
    expect(stateOf(name)).toBe('OK'); // 1 of 2 real datapoints breach, one is fine: OK
    minute(2, [3000]);
    await evaluateAt(T0 + 180_000);
    expect(stateOf(name)).toBe('ALARM'); // 2 of the last 3 breach
    minute(3, [100]);
    await evaluateAt(T0 + 240_000);
    expect(stateOf(name)).toBe('OK'); // [200, 3000, 100]: 1 of 3
  });

  it('detects a stall with metric math: messages waiting and none deleted for 5 minutes', async () => {
    const { store, stateOf, evaluateAt, published } = setup();
    const name = alarmNameOf(fixture, 'FilesStalled');
    await evaluateAt(T0);
    for (let m = 0; m < 5; m += 1) {
      store.put(queueMetric('ApproximateNumberOfMessagesVisible', 'files'), { timestamp: T0 + m * 60_000 + 5_000, values: [7], unit: 'Count' });
      store.put(queueMetric('NumberOfMessagesDeleted', 'files'), { timestamp: T0 + m * 60_000 + 5_000, values: [m === 0 ? 3 : 0], unit: 'Count' });
      await evaluateAt(T0 + (m + 1) * 60_000);
      expect(stateOf(name), `after minute ${m}`).toBe('OK');
    }
    store.put(queueMetric('ApproximateNumberOfMessagesVisible', 'files'), { timestamp: T0 + 5 * 60_000 + 5_000, values: [7], unit: 'Count' });
    await evaluateAt(T0 + 6 * 60_000);
    expect(stateOf(name)).toBe('ALARM');
    // A math alarm's notification carries its metrics, as CloudWatch's does.
    const trigger = published.find((p) => p.message.AlarmName === name)!.message.Trigger as { Metrics: unknown[] };
    expect(trigger).toMatchObject({ Period: 60, EvaluationPeriods: 5, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(trigger.Metrics).toEqual(
      expect.arrayContaining([
        { Id: expect.any(String), Expression: 'IF(FILL(visible, 0) > 0 AND FILL(deleted, 0) == 0, 1, 0)', Label: 'Stalled', ReturnData: true },
        {
          Id: 'deleted',
          MetricStat: { Metric: { Dimensions: [{ value: 'files', name: 'QueueName' }], MetricName: 'NumberOfMessagesDeleted', Namespace: 'AWS/SQS' }, Period: 60, Stat: 'Sum' },
          ReturnData: false,
        },
      ]),
    );
  });

  it('alarms on DLQ depth at its 1-minute cadence, and the composite follows its children', async () => {
    const { store, stateOf, evaluateAt } = setup();
    const dlq = alarmNameOf(fixture, 'FilesDlqNotEmpty');
    await evaluateAt(T0);
    store.put(queueMetric('ApproximateNumberOfMessagesVisible', 'files-dlq'), { timestamp: T0 + 15_000, values: [1], unit: 'Count' });
    await evaluateAt(T0 + 50_000); // the minute has not ended: the window still ends at T0
    expect(stateOf(dlq)).toBe('OK');
    await evaluateAt(T0 + 60_000);
    expect(stateOf(dlq)).toBe('ALARM');
    expect(stateOf('files-any-death')).toBe('ALARM');
    store.put(queueMetric('ApproximateNumberOfMessagesVisible', 'files-dlq'), { timestamp: T0 + 75_000, values: [0], unit: 'Count' });
    await evaluateAt(T0 + 120_000);
    expect(stateOf(dlq)).toBe('OK');
    expect(stateOf('files-any-death')).toBe('OK');
  });

  it('sets a state on request until the next evaluation, with history and actions', async () => {
    const { engine, alarm, stateOf, evaluateAt, published, history } = setup();
    await evaluateAt(T0);
    published.length = 0;
    await engine.setAlarmState(alarm('files-dead-lettered'), 'ALARM', 'page test', '{"by":"tidewatch page-test"}');
    expect(stateOf('files-dead-lettered')).toBe('ALARM');
    expect(published.map((p) => [p.message.AlarmName, p.message.NewStateReason])).toEqual([
      ['files-dead-lettered', 'page test'],
      ['files-any-death', expect.stringContaining('evaluated to TRUE')],
    ]);
    expect(JSON.parse(history.query({ alarmName: 'files-dead-lettered', historyItemType: 'StateUpdate' })[0].historyData).newState).toEqual({
      stateValue: 'ALARM',
      stateReason: 'page test',
      stateReasonData: { by: 'tidewatch page-test' },
    });
    await evaluateAt(T0 + 10_000);
    expect(stateOf('files-dead-lettered')).toBe('OK');
  });

  it('records a failed publish in the history and the page event, and carries on', async () => {
    const { history, engine, pages } = setup(async () => {
      throw new Error('Topic does not exist');
    });
    await engine.evaluate(T0);
    expect(pages.map((p) => [p.alarmName, p.error])).toEqual([['files-dead-lettered', 'Topic does not exist']]);
    expect(history.query({ historyItemType: 'Action' })[0].historySummary).toBe(
      `Failed to execute action ${PAGING_TOPIC_ARN}. Received error: "Topic does not exist"`,
    );
  });
});

describe('loadAlarms', () => {
  const alarm = (properties: Record<string, unknown>) => ({
    Resources: { Bad: { Type: 'AWS::CloudWatch::Alarm', Properties: { EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Namespace: 'T', MetricName: 'M', Period: 60, Statistic: 'Sum', ...properties } } },
  });
  const load = (template: ReturnType<typeof alarm>) => () =>
    loadAlarms({ template, resolve: templateResolver({ Bad: 'bad' }), region: 'us-east-1', accountId: '000000000000' });

  it('names the alarm and the feature it cannot evaluate', () => {
    expect(load(alarm({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }))).toThrow(UnsupportedAlarmError);
    expect(load(alarm({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }))).toThrow(/Bad: ComparisonOperator LessThanLowerOrGreaterThanUpperThreshold is not supported/);
    expect(load(alarm({ Statistic: undefined, ExtendedStatistic: 'tm99' }))).toThrow(/Bad: .*extended statistic tm99/);
    expect(load(alarm({ Period: 45 }))).toThrow(/Period must be 10, 30 or a multiple of 60/);
    expect(load(alarm({ DatapointsToAlarm: 2 }))).toThrow(/DatapointsToAlarm must not exceed EvaluationPeriods/);
    expect(load(alarm({ Statistic: undefined, MetricName: undefined, Namespace: undefined, Period: undefined, Metrics: [{ Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(m)', Period: 60 }] }))).toThrow(
      /metric math function ANOMALY_DETECTION_BAND/,
    );
  });

  it('rejects a composite alarm that references an alarm the template does not have', () => {
    const template = { Resources: { Comp: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: 'c', AlarmRule: 'ALARM("ghost") OR OK(c2)' } } } };
    expect(() => loadAlarms({ template, resolve: templateResolver({}), region: 'us-east-1', accountId: '000000000000' })).toThrow(
      /Comp: AlarmRule references ghost, which is not an alarm of the template/,
    );
  });
});
