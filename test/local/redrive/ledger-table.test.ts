/**
 * The redrive's ledger table on the local DynamoDB. One run per queue: the lease refuses a second run while the first holds it,
 * lets only the chunk it was handed to renew it, expires on its own a few minutes after its holder stops
 * renewing (a crash), and is then taken over. Time is the lease's own clock, moved by the test; the table
 * is a real one, the redrive's ledger table from the stack's own construct shape. And the weekly review's
 * reading of it: a week's runs and how many of the messages each moved were processed since.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_KEYS, LEDGER_TTL_ATTRIBUTE, ZERO_COUNTS, type LedgerEntry, type RedriveRun } from '../../../contract/redrive';
import { LEASE_SECONDS, QueueLease } from '../../../handlers/redrive/lease';
import { Ledger } from '../../../handlers/redrive/ledger';
import { statusItems } from '../../../handlers/redrive/status-items';
import { auditLedgerRedrives } from '../../../handlers/review/redrive-ledger';
import type { LocalServices } from '../../../local/template/model';
import { startStackServices } from '../../support/stack-services';

let services: LocalServices;
let client: DynamoDBDocumentClient;
let tableName: string;
let statusTableName: string;
let now = Date.parse('2030-01-01T00:00:00Z');

beforeAll(async () => {
  // A ledger table keyed as the redrive construct keys it, and a status table keyed by id.
  const started = await startStackServices('Lease-local', (stack) => {
    new dynamodb.Table(stack, 'Ledger', {
      partitionKey: { name: LEDGER_KEYS.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: LEDGER_KEYS.sort, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
    });
    new dynamodb.Table(stack, 'Status', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  });
  ({ services } = started);
  client = DynamoDBDocumentClient.from(new DynamoDBClient(started.config));
  tableName = started.resolve('Ledger');
  statusTableName = started.resolve('Status');
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

describe('the ledger as the weekly review reads it', () => {
  const run = (queue: string, runId: string, startedAt: string, fields: Partial<RedriveRun> = {}): RedriveRun => ({
    runId,
    queue,
    kind: 'redrive',
    mode: 'selective',
    dryRun: false,
    maxPerSecond: 10,
    requestedBy: 'ana@laptop',
    startedAt,
    updatedAt: startedAt,
    status: 'COMPLETED',
    toMove: 3,
    counts: { ...ZERO_COUNTS, scanned: 3, matched: 3, moved: 3 },
    failures: [],
    ...fields,
  });
  const entry = (runId: string, oldMessageId: string, itemIds: string[]): LedgerEntry => ({ runId, queue: 'jobs', oldMessageId, newMessageId: `new-${oldMessageId}`, itemIds, at: '2030-02-04T10:00:00.000Z' });

  it("lists the week's runs of every queue (dry runs left out) and counts the moved messages whose items are done since", async () => {
    const ledger = new Ledger(client, tableName, () => new Date(now));
    await ledger.create(run('jobs', 'before', '2030-02-03T23:59:59.999Z'));
    await ledger.create(run('jobs', 'selective', '2030-02-04T10:00:00.000Z'));
    await ledger.addEntries([entry('selective', 'm1', ['job-done']), entry('selective', 'm2', ['job-failed-again']), entry('selective', 'm3', ['job-duplicate'])]);
    await ledger.create(run('jobs', 'dry', '2030-02-05T10:00:00.000Z', { dryRun: true, counts: ZERO_COUNTS }));
    await ledger.create(run('files', 'archive', '2030-02-06T10:00:00.000Z', { kind: 'archive', counts: { ...ZERO_COUNTS, scanned: 2, matched: 2, archived: 2 } }));
    await ledger.create(run('files', 'move-task', '2030-02-07T10:00:00.000Z', { mode: 'all', counts: { ...ZERO_COUNTS, moved: 40, failed: 1 } }));
    await ledger.create(run('jobs', 'after', '2030-02-11T00:00:00.000Z'));
    for (const [id, status] of [['job-done', 'PROCESSED'], ['job-failed-again', 'FAILED'], ['job-duplicate', 'DUPLICATE']] as const) {
      await client.send(new PutCommand({ TableName: statusTableName, Item: { id, status } }));
    }

    const redrives = auditLedgerRedrives(ledger, ['files', 'jobs'], (ids) => statusItems(client, statusTableName, ids));
    expect(await redrives.runsBetween(new Date('2030-02-04T00:00:00Z'), new Date('2030-02-11T00:00:00Z'))).toEqual({
      available: true,
      runs: [
        { queue: 'jobs', requestedBy: 'ana@laptop', at: '2030-02-04T10:00:00.000Z', action: 'redrive (selective)', moved: 3, failed: 0, archived: 0, succeededAfter: 2 },
        { queue: 'files', requestedBy: 'ana@laptop', at: '2030-02-06T10:00:00.000Z', action: 'archive', moved: 0, failed: 0, archived: 2, succeededAfter: null },
        { queue: 'files', requestedBy: 'ana@laptop', at: '2030-02-07T10:00:00.000Z', action: 'redrive (all)', moved: 40, failed: 1, archived: 0, succeededAfter: null },
      ],
    });
  });
});

describe('a run found stalled', () => {
  it('is marked only if unchanged since it was read: an end written meanwhile by its last chunk stands', async () => {
    const ledger = new Ledger(client, tableName, () => new Date(now));
    const started: RedriveRun = {
      runId: 'racing',
      queue: 'racing',
      kind: 'redrive',
      mode: 'all',
      dryRun: false,
      maxPerSecond: 100,
      requestedBy: 'test',
      startedAt: '2030-03-01T00:00:00.000Z',
      updatedAt: '2030-03-01T00:00:00.000Z',
      status: 'RUNNING',
      toMove: 46,
      counts: { ...ZERO_COUNTS, moved: 6 },
      failures: [],
    };
    const stored = await ledger.create(started);
    const seen = (await ledger.get('racing', stored.runKey))!;

    // Its last chunk ends it after the reader's look...
    now += 1_000;
    await ledger.save({ ...seen, status: 'COMPLETED', counts: { ...ZERO_COUNTS, moved: 46 } });
    // ...so the reader's verdict, made on what it saw, is not written.
    expect(await ledger.saveUnlessChanged({ ...seen, status: 'INTERRUPTED' }, seen)).toBe(false);
    expect(await ledger.get('racing', stored.runKey)).toMatchObject({ status: 'COMPLETED', counts: { moved: 46 } });

    // A run truly left behind is marked.
    const current = (await ledger.get('racing', stored.runKey))!;
    expect(await ledger.saveUnlessChanged({ ...current, status: 'INTERRUPTED' }, current)).toBe(true);
    expect(await ledger.get('racing', stored.runKey)).toMatchObject({ status: 'INTERRUPTED' });
  });
});
