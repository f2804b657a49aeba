/**
 * The alarm engine: holds every alarm's state, evaluates metric alarms over the store and composite
 * alarms over their children, records each transition in the history and runs the new state's
 * actions (SNS topics) with CloudWatch's notification, emitting one page event per action.
 * Evaluations and SetAlarmState calls run one at a time, so transitions never interleave.
 */
import { evaluateAlarm, EXTRA_EVALUATION_PERIODS } from './alarm-evaluation';
import type { AlarmHistory, AlarmType } from './alarm-history';
import { UnsupportedAlarmError } from './alarm-loader';
import type { AlarmDefinition, AlarmState, AlarmStatus, CompositeAlarmDefinition, MetricAlarmDefinition } from './alarm-model';
import { alarmNotification, type Publisher, type Transition } from './alarm-notification';
import { awsTimestamp, metricAlarmReason, type StateReason } from './alarm-reason';
import type { Clock } from './clock';
import { evaluateCompositeRule, parseCompositeRule, type CompositeRule } from './composite-rule';
import type { MetricStore } from './metric-store';
import { runMetricQueries } from './metric-query';

/** One action run on a transition: a page published to SNS, or why it was not. */
export interface PageEvent {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly reason: string;
  /** The action's ARN (an SNS topic for a page). */
  readonly action: string;
  readonly subject: string;
  /** The JSON message CloudWatch sends. */
  readonly message: string;
  /** Epoch ms of the transition. */
  readonly timestamp: number;
  /** Set when the publish succeeded. */
  readonly messageId?: string;
  /** Set when the action could not run. */
  readonly error?: string;
}

export interface AlarmEngineOptions {
  readonly alarms: readonly AlarmDefinition[];
  readonly store: MetricStore;
  readonly history: AlarmHistory;
  readonly clock: Clock;
  readonly publish: Publisher;
  readonly region: string;
  readonly accountId: string;
  /** Keeps alarm states across restarts (`--keep`): a kept alarm resumes in its state; in memory only when undefined. */
  readonly stateJournal?: AlarmStateJournal;
}

/** Where each alarm's state is written when it is set, and read back at start. */
export interface AlarmStateJournal {
  /** The last state written per alarm name. */
  load(): ReadonlyMap<string, AlarmStatus>;
  save(alarmName: string, status: AlarmStatus): void;
}

/** How often an alarm is evaluated: every period below a minute (10 s, 30 s), else every minute. */
export function evaluationCadenceMs(alarm: AlarmDefinition): number {
  return alarm.type === 'MetricAlarm' && alarm.period < 60 ? alarm.period * 1000 : 60_000;
}

export class AlarmEngine {
  private readonly states = new Map<string, AlarmStatus>();
  private readonly composites: Array<{ alarm: CompositeAlarmDefinition; rule: CompositeRule }>;
  private readonly listeners = new Set<(event: PageEvent) => void>();
  private readonly configuredAt: number;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AlarmEngineOptions) {
    this.configuredAt = options.clock.now();
    const kept = options.stateJournal?.load();
    for (const alarm of options.alarms) {
      this.states.set(
        alarm.name,
        kept?.get(alarm.name) ?? {
          value: 'INSUFFICIENT_DATA',
          reason: 'Unchecked: Initial alarm creation',
          updatedAt: this.configuredAt,
          transitionedAt: this.configuredAt,
        },
      );
    }
    this.composites = this.compositesInDependencyOrder();
  }

  get alarms(): readonly AlarmDefinition[] {
    return this.options.alarms;
  }

  get alarmConfigurationUpdatedAt(): number {
    return this.configuredAt;
  }

  status(alarm: AlarmDefinition): AlarmStatus {
    return this.states.get(alarm.name)!;
  }

  /** Subscribes to page events; returns the unsubscribe function. */
  onPage(listener: (event: PageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Evaluates the due metric alarms on the periods that ended at or before `at` (aligned to each
   * alarm's cadence), then every composite alarm. Resolves once all actions have run.
   */
  evaluate(at: number, isDue: (alarm: MetricAlarmDefinition) => boolean = () => true): Promise<void> {
    return this.serialize(async () => {
      for (const alarm of this.options.alarms) {
        if (alarm.type !== 'MetricAlarm' || !isDue(alarm)) continue;
        const cadence = evaluationCadenceMs(alarm);
        await this.evaluateMetricAlarm(alarm, Math.floor(at / cadence) * cadence);
      }
      for (const { alarm, rule } of this.composites) await this.evaluateComposite(alarm, rule);
    });
  }

  /** SetAlarmState: sets a state until the next evaluation decides otherwise (as in CloudWatch). */
  setAlarmState(alarm: AlarmDefinition, value: AlarmState, reason: string, reasonData?: string): Promise<void> {
    return this.serialize(async () => {
      await this.transition(alarm, value, { reason, reasonData: reasonData ?? '' }, true);
      for (const { alarm: composite, rule } of this.composites) await this.evaluateComposite(composite, rule);
    });
  }

  private async evaluateMetricAlarm(alarm: MetricAlarmDefinition, end: number): Promise<void> {
    const count = alarm.evaluationPeriods + EXTRA_EVALUATION_PERIODS;
    const periodMs = alarm.period * 1000;
    const grid = { start: end - count * periodMs, periodSeconds: alarm.period, count };
    let reason: StateReason;
    let state: AlarmState;
    try {
      const [result] = runMetricQueries(this.options.store, alarm.queries, grid);
      if (result.series.length !== 1) throw new Error(`the alarm's expression returned ${result.series.length} time series, not 1`);
      const outcome = evaluateAlarm({ ...alarm, slots: result.series[0].values, currentState: this.status(alarm).value });
      state = outcome.state;
      reason = metricAlarmReason(alarm, outcome, (i) => grid.start + i * periodMs, this.options.clock.now(), grid.start);
    } catch (error) {
      state = 'INSUFFICIENT_DATA';
      reason = { reason: `Evaluation error: ${(error as Error).message}`, reasonData: '' };
    }
    await this.transition(alarm, state, reason, false);
  }

  private async evaluateComposite(alarm: CompositeAlarmDefinition, rule: CompositeRule): Promise<void> {
    const children = rule.references.map((reference) => this.find(reference)!);
    const ruleIsTrue = evaluateCompositeRule(rule.root, (reference) => this.status(this.find(reference)!).value);
    const triggering = children.map((child) => ({
      arn: child.arn,
      state: this.status(child).value,
      timestamp: this.status(child).transitionedAt,
    }));
    const reason = {
      reason: `The alarm rule ${alarm.alarmRule} evaluated to ${ruleIsTrue ? 'TRUE' : 'FALSE'}: ${triggering.map((c) => `${c.arn} is ${c.state}`).join(', ')}`,
      reasonData: JSON.stringify({ triggeringAlarms: triggering.map((c) => ({ arn: c.arn, state: { value: c.state, timestamp: awsTimestamp(c.timestamp) } })) }),
    };
    await this.transition(alarm, ruleIsTrue ? 'ALARM' : 'OK', reason, false, triggering);
  }

  /** Records a state change (or, when `force`, a state set by SetAlarmState) and runs its actions. */
  private async transition(
    alarm: AlarmDefinition,
    value: AlarmState,
    reason: StateReason,
    force: boolean,
    triggeringChildren?: Transition['triggeringChildren'],
  ): Promise<void> {
    const old = this.status(alarm);
    if (old.value === value && !force) return;
    const now = this.options.clock.now();
    const newStatus: AlarmStatus = {
      value,
      reason: reason.reason,
      reasonData: reason.reasonData || undefined,
      updatedAt: now,
      transitionedAt: old.value === value ? old.transitionedAt : now,
    };
    this.states.set(alarm.name, newStatus);
    this.options.stateJournal?.save(alarm.name, newStatus);
    this.options.history.add({
      alarmName: alarm.name,
      alarmType: alarm.type,
      timestamp: now,
      historyItemType: 'StateUpdate',
      historySummary: `Alarm updated from ${old.value} to ${value}`,
      historyData: JSON.stringify({ version: '1.0', oldState: stateJson(old), newState: stateJson(newStatus) }),
    });
    if (old.value !== value && alarm.actionsEnabled) await this.runActions({ alarm, oldState: old.value, newStatus, triggeringChildren });
  }

  private async runActions(transition: Transition): Promise<void> {
    const { alarm, newStatus } = transition;
    const actions = { ALARM: alarm.alarmActions, OK: alarm.okActions, INSUFFICIENT_DATA: alarm.insufficientDataActions }[newStatus.value];
    const { subject, message } = alarmNotification(transition, { ...this.options, configuredAt: this.configuredAt });
    await Promise.all(
      actions.map(async (action) => {
        let outcome: { messageId?: string; error?: string };
        try {
          if (!action.startsWith('arn:aws:sns:')) throw new Error('only SNS topic actions run on the local cloud');
          outcome = { messageId: await this.options.publish(action, subject, message) };
        } catch (error) {
          outcome = { error: (error as Error).message };
        }
        this.recordAction(alarm.name, alarm.type, newStatus, action, message, outcome.error);
        const event: PageEvent = {
          alarmName: alarm.name,
          alarmArn: alarm.arn,
          oldState: transition.oldState,
          newState: newStatus.value,
          reason: newStatus.reason,
          action,
          subject,
          message,
          timestamp: newStatus.updatedAt,
          ...outcome,
        };
        for (const listener of this.listeners) listener(event);
      }),
    );
  }

  private recordAction(alarmName: string, alarmType: AlarmType, status: AlarmStatus, action: string, message: string, error?: string): void {
    this.options.history.add({
      alarmName,
      alarmType,
      timestamp: this.options.clock.now(),
      historyItemType: 'Action',
      historySummary: error ? `Failed to execute action ${action}. Received error: "${error}"` : `Successfully executed action ${action}`,
      historyData: JSON.stringify({
        actionState: error ? 'Failed' : 'Succeeded',
        stateUpdateTimestamp: status.updatedAt,
        notificationResource: action,
        ...(error ? { error } : { publishedMessage: JSON.parse(message) }),
      }),
    });
  }

  find(nameOrArn: string): AlarmDefinition | undefined {
    return this.options.alarms.find((a) => a.name === nameOrArn || a.arn === nameOrArn);
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const next = this.serial.then(work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  /** Children before parents, so one pass settles composites of composites; a cycle cannot be evaluated. */
  private compositesInDependencyOrder(): Array<{ alarm: CompositeAlarmDefinition; rule: CompositeRule }> {
    const ordered: Array<{ alarm: CompositeAlarmDefinition; rule: CompositeRule }> = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (alarm: AlarmDefinition): void => {
      if (alarm.type !== 'CompositeAlarm' || state.get(alarm.name) === 'done') return;
      if (state.get(alarm.name) === 'visiting') throw new UnsupportedAlarmError(`Composite alarm ${alarm.name} depends on itself`);
      state.set(alarm.name, 'visiting');
      const rule = parseCompositeRule(alarm.alarmRule);
      for (const reference of rule.references) {
        const child = this.find(reference);
        if (!child) throw new UnsupportedAlarmError(`Composite alarm ${alarm.name} references unknown alarm ${reference}`);
        visit(child);
      }
      state.set(alarm.name, 'done');
      ordered.push({ alarm, rule });
    };
    this.options.alarms.forEach(visit);
    return ordered;
  }
}

function stateJson(status: AlarmStatus): Record<string, unknown> {
  return {
    stateValue: status.value,
    stateReason: status.reason,
    ...(status.reasonData ? { stateReasonData: JSON.parse(status.reasonData) } : {}),
  };
}
