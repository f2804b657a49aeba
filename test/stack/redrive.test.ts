/**
 * The redrive function in the template: its audit ledger (a table of its own, 90 days of TTL), the work
 * queues it serves, the dashboard's dead-letter widget per work queue, and who may invoke it: no
 * resource policy opens it, and the only IAM grants of lambda:InvokeFunction on it are its own (a run's
 * next chunk) and the operator policy the on-call's roles get.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/env';
import { DEFAULT_RATE } from '../../contract/redrive';
import { render } from '../alarms/template';
import { asList, references, resourcesOfType, synthesize, type Json } from './synth';

const synth = synthesize({ stage: 'redrive1', tidewatch: JSON.stringify({ workQueues: { reports: { worker: 'job-worker' } } }) });
afterAll(() => synth.dispose());
const { stack, json } = synth;
const { id, ref, arn } = references(stack);
const redrive = stack.redrive.function.function;
const redriveId = id(redrive);

/** Every statement of every identity policy in the template (inline and managed), with the policy's logical id. */
function policyStatements(): { policy: string; type: string; statement: Json }[] {
  return Object.entries(json.Resources as Record<string, Json>)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
    .flatMap(([policy, resource]) => (resource.Properties.PolicyDocument.Statement as Json[]).map((statement) => ({ policy, type: resource.Type as string, statement })));
}

describe('the audit ledger', () => {
  const table = json.Resources[id(stack.redrive.ledger)].Properties;

  it('is a table of its own: queue and sort key, on demand, encrypted, point-in-time recovery, 90 days by TTL', () => {
    expect(table.KeySchema).toEqual([
      { AttributeName: 'queue', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(table.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('is named in the outputs with the function', () => {
    expect(json.Outputs.RedriveFunctionName.Value).toEqual(ref(redrive));
    expect(json.Outputs.RedriveLedgerTableName.Value).toEqual(ref(stack.redrive.ledger));
  });
});

describe('the redrive function', () => {
  const props = json.Resources[redriveId].Properties;

  it('runs from handlers/redrive with Lambda’s longest timeout, chunks of a run fitting well within it', () => {
    expect(json.Resources[redriveId].Metadata['Tidewatch:Entry']).toBe('handlers/redrive/index.ts');
    expect(props.Timeout).toBe(900);
  });

  it('serves every work queue: its worker kind, queue and DLQ', () => {
    const queues = JSON.parse(render(props.Environment.Variables[ENV.redriveQueues])) as Record<string, Json>;
    expect(Object.keys(queues)).toEqual(['files', 'jobs', 'reports']);
    const reports = stack.workQueues.reports!;
    expect(queues.reports).toEqual({
      worker: 'job-worker',
      queueUrl: `<${id(reports.queue)}>`,
      queueArn: `<${id(reports.queue)}>`,
      deadLetterQueueUrl: `<${id(reports.deadLetterQueue)}>`,
      deadLetterQueueArn: `<${id(reports.deadLetterQueue)}>`,
    });
    expect(queues.files!.worker).toBe('file-worker');
  });
});

describe('who may invoke it', () => {
  it('has no resource policy: no Lambda permission names it', () => {
    const permissions = Object.values(resourcesOfType(json, 'AWS::Lambda::Permission')).filter((permission) => JSON.stringify(permission.Properties.FunctionName).includes(redriveId));
    expect(permissions).toEqual([]);
  });

  it('is invoked only by its own role (the next chunk of a run) and the roles given the operator policy', () => {
    const invoking = policyStatements().filter(({ statement }) => asList(statement.Action as string | string[]).some((action) => action === 'lambda:InvokeFunction' || action === 'lambda:*' || action === '*'));
    expect(invoking.map(({ statement }) => statement.Resource)).toEqual([arn(redrive), arn(redrive)]);
    const own = invoking.find(({ type }) => type === 'AWS::IAM::Policy')!;
    expect(json.Resources[own.policy].Properties.Roles).toEqual([ref(stack.redrive.function.role)]);
    const operator = invoking.find(({ type }) => type === 'AWS::IAM::ManagedPolicy')!;
    expect(operator.policy).toBe(id(stack.redrive.operatorPolicy));
    // Attached to no role by the stack: the account's on-call roles get it.
    expect(json.Resources[operator.policy].Properties.Roles).toBeUndefined();
  });

  it('is not granted to any other function of the stack', () => {
    const others = Object.values(resourcesOfType(json, 'AWS::IAM::Policy')).filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('lambda:InvokeFunction'));
    expect(others).toHaveLength(1);
  });
});

describe('the on-call dashboard', () => {
  const [dashboard] = Object.values(resourcesOfType(json, 'AWS::CloudWatch::Dashboard'));
  const body = JSON.parse(render(dashboard!.Properties.DashboardBody)) as { widgets: Json[] };
  const custom = body.widgets.filter((widget) => widget.type === 'custom');

  it('has a dead-letter widget per work queue, drawn by the redrive function, at the default rate', () => {
    expect(custom.map((widget) => widget.properties.params)).toEqual(['files', 'jobs', 'reports'].map((queue) => ({ queue, maxPerSecond: DEFAULT_RATE })));
    for (const widget of custom) {
      expect(widget.properties.endpoint).toBe(`<${redriveId}>`);
      expect(widget.properties.updateOn).toEqual({ refresh: true, resize: false, timeRange: false });
    }
  });

  it('puts each queue’s widget right after its row of graphs', () => {
    const titles = body.widgets.map((widget) => String(widget.properties?.title ?? widget.properties?.markdown ?? ''));
    for (const [index, widget] of body.widgets.entries()) {
      if (widget.type !== 'custom') continue;
      const queue = widget.properties.params.queue as string;
      const row = titles.findLastIndex((title, at) => at < index && title.toLowerCase().includes(`${queue} work queue`));
      expect(row, queue).toBeGreaterThan(-1);
      expect(body.widgets.slice(row + 1, index).every((between) => between.type === 'metric'), queue).toBe(true);
    }
  });
});
