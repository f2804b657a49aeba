/**
 * One run per queue, on the local DynamoDB: the lease refuses a second run while the first holds it,
 * lets only the chunk it was handed to renew it, expires on its own a few minutes after its holder stops
 * renewing (a crash), and is then taken over. Time is the lease's own clock, moved by the test; the table
 * is a real one, the redrive's ledger table from the stack's own construct shape.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_KEYS, LEDGER_TTL_ATTRIBUTE } from '../../../contract/redrive';
import { LEASE_SECONDS, QueueLease } from '../../../handlers/redrive/lease';
import { startLocalServices } from '../../../local/services';
import type { LocalServices, SynthesizedStack } from '../../../local/template/model';

/** A stack holding only a ledger table, keyed as the redrive construct keys it. */
function ledgerStack(): SynthesizedStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Lease-local');
  new dynamodb.Table(stack, 'Ledger', {
    partitionKey: { name: LEDGER_KEYS.partition, type: dynamodb.AttributeType.STRING },
    sortKey: { name: LEDGER_KEYS.sort, type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
  });
  return { stackName: stack.stackName, template: app.synth().getStackByName(stack.stackName).template as SynthesizedStack['template'] };
}

let services: LocalServices;
let client: DynamoDBDocumentClient;
let tableName: string;
let now = Date.parse('2030-01-01T00:00:00Z');

beforeAll(async () => {
  const stack = ledgerStack();
  services = await startLocalServices({ port: 0, apiPort: 3910, downloadPort: 3911, template: stack });
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.endpoint, region: services.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
  const logicalId = Object.keys(stack.template.Resources).find((id) => stack.template.Resources[id]!.Type === 'AWS::DynamoDB::Table')!;
  tableName = String(services.resolve({ Ref: logicalId }));
});

afterAll(async () => {
  client?.destroy();
  await services?.stop();
});

describe('the queue lease', () => {
  const lease = () => new QueueLease(client, tableName, () => now);

  it('is held by one run at a time, renewed only by the chunk it was handed to, and expires on its own after a crash', async () => {
    expect(await lease().acquire('jobs', 'run-1', 'run#a#run-1')).toEqual({ acquired: true });
    expect(await lease().acquire('jobs', 'run-2', 'run#b#run-2')).toEqual({ acquired: false, holder: { runId: 'run-1', runKey: 'run#a#run-1', chunk: 0, expiresAtMs: now + LEASE_SECONDS * 1000 } });
    expect(await lease().acquire('files', 'run-3', 'run#c#run-3')).toEqual({ acquired: true });

    now += 60_000;
    expect(await lease().renew('jobs', 'run-1', 0)).toBe(true);
    expect(await lease().handOff('jobs', 'run-1', 0)).toBe(true);
    // The chunk before the hand-off (a retried invocation, say) no longer holds it; the next one does.
    expect(await lease().renew('jobs', 'run-1', 0)).toBe(false);
    expect(await lease().renew('jobs', 'run-1', 1)).toBe(true);
    expect(await lease().renew('jobs', 'run-2', 1)).toBe(false);

    // The holder crashes: nobody renews. Just before the lease's end it still holds; after, a new run takes it.
    now += LEASE_SECONDS * 1000 - 1;
    expect((await lease().acquire('jobs', 'run-2', 'run#b#run-2')).acquired).toBe(false);
    expect(await lease().holder('jobs')).toMatchObject({ runId: 'run-1', chunk: 1 });
    now += 2;
    expect(await lease().holder('jobs')).toBeUndefined();
    expect(await lease().acquire('jobs', 'run-2', 'run#b#run-2')).toEqual({ acquired: true });
    // The crashed run, should it wake, cannot renew a lease taken over.
    expect(await lease().renew('jobs', 'run-1', 1)).toBe(false);

    await lease().release('jobs', 'run-1');
    expect(await lease().holder('jobs')).toMatchObject({ runId: 'run-2' });
    await lease().release('jobs', 'run-2');
    expect(await lease().holder('jobs')).toBeUndefined();
  });
});
