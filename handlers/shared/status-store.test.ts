import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { itemBytes, MAX_ITEM_BYTES } from './item-size';
import { ROOM_FOR_UPDATES_BYTES, RunAlreadyCompletedError, StatusItemTooLargeError, StatusStore } from './status-store';

const documents = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2030-01-01T00:00:00.000Z');
const store = new StatusStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'status-table', () => NOW);
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  documents.reset();
});

describe('StatusStore', () => {
  it('get reads one item consistently', async () => {
    documents.on(GetCommand).resolves({ Item: { id: 'a', kind: 'job', status: 'RECEIVED' } });

    await expect(store.get('a')).resolves.toEqual({ id: 'a', kind: 'job', status: 'RECEIVED' });
    expect(documents).toHaveReceivedCommandWith(GetCommand, { TableName: 'status-table', Key: { id: 'a' }, ConsistentRead: true });
  });

  it('get answers undefined for an absent item', async () => {
    documents.on(GetCommand).resolves({});
    await expect(store.get('a')).resolves.toBeUndefined();
  });

  it('newItem builds a new item without undefined fields, and create puts it only if the id is free', async () => {
    documents.on(PutCommand).resolves({});

    const item = store.newItem('j', 'job', 'RECEIVED', { task: 'echo', payloadJson: undefined, fail: true });
    await store.create(item);

    const expected = { id: 'j', kind: 'job', status: 'RECEIVED', task: 'echo', fail: true, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() };
    expect(item).toEqual(expected);
    expect(documents).toHaveReceivedCommandExactlyOnceWith(PutCommand, { TableName: 'status-table', Item: expected, ConditionExpression: 'attribute_not_exists(id)' });
  });

  it('create fails when the id exists', async () => {
    documents.on(PutCommand).rejects(conditionFailed());
    await expect(store.create(store.newItem('j', 'job', 'RECEIVED'))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it("newItem refuses an item that would leave less than the room for updates of DynamoDB's 400 KB, naming the limit", () => {
    const limit = MAX_ITEM_BYTES - ROOM_FOR_UPDATES_BYTES;
    const overhead = itemBytes(store.newItem('j', 'job', 'RECEIVED', { payloadJson: '' }));
    // 'é' is 2 bytes in UTF-8: DynamoDB counts bytes, not characters.
    const fits = 'é'.repeat(1000) + 'x'.repeat(limit - overhead - 2000);

    expect(itemBytes(store.newItem('j', 'job', 'RECEIVED', { payloadJson: fits }))).toBe(limit);
    expect(() => store.newItem('j', 'job', 'RECEIVED', { payloadJson: `${fits}x` })).toThrow(
      new StatusItemTooLargeError(
        `the job's status item would be ${limit + 1} bytes, over DynamoDB's 400 KB item limit (409600 bytes, of which 4096 stay free for its status and errors, so at most ${limit})`,
      ),
    );
  });

  it("update turns DynamoDB's refusal of an item over its size limit into a permanent StatusItemTooLargeError", async () => {
    const refusal = (message: string) => new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });
    documents.on(UpdateCommand).rejectsOnce(refusal('Item size to update has exceeded the maximum allowed size')).rejectsOnce(refusal('Invalid UpdateExpression: Syntax error'));

    await expect(store.update('j', 'job', 'PROCESSED', { resultJson: '[]' })).rejects.toThrow(
      new StatusItemTooLargeError("the job's status item would exceed DynamoDB's 400 KB item limit: Item size to update has exceeded the maximum allowed size"),
    );
    // Any other validation error is a defect here, not bad input: it stays what it is (transient, paging).
    await expect(store.update('j', 'job', 'PROCESSED', { resultJson: '[]' })).rejects.toThrow(expect.objectContaining({ name: 'ValidationException' }));
  });

  it('update sets status and fields with placeholders, keeping createdAt when present', async () => {
    documents.on(UpdateCommand).resolves({});

    await store.update('f', 'file', 'PROCESSED', { rowCount: 3, fileName: undefined, lastError: { class: 'E', message: 'm', permanent: false } });

    expect(documents).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: 'status-table',
      Key: { id: 'f' },
      UpdateExpression:
        'SET #kind = :kind, #status = :status, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), #rowCount = :rowCount, #lastError = :lastError',
      ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status', '#rowCount': 'rowCount', '#lastError': 'lastError' },
      ExpressionAttributeValues: { ':kind': 'file', ':status': 'PROCESSED', ':at': NOW.toISOString(), ':rowCount': 3, ':lastError': { class: 'E', message: 'm', permanent: false } },
    });
  });

  it('update within a run is fenced on the run, and only a completing status records it', async () => {
    documents.on(UpdateCommand).resolves({});
    const run = '["bucket","uploads/f/a.csv","v1"]';

    await store.update('f', 'file', 'PROCESSING', { attempts: 1 }, run);
    await store.update('f', 'file', 'PROCESSED', { attempts: 1 }, run);

    const [processing, processed] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    for (const input of [processing, processed]) {
      expect(input).toMatchObject({ ConditionExpression: 'attribute_not_exists(completedRun) OR completedRun <> :run', ExpressionAttributeValues: { ':run': run } });
    }
    expect(processing?.UpdateExpression).not.toContain('completedRun');
    expect(processed?.UpdateExpression).toMatch(/, completedRun = :run$/);
  });

  it('update within a run that already completed the item fails with RunAlreadyCompletedError holding the item', async () => {
    const completed = { id: 'j', kind: 'job', status: 'PROCESSED', completedAt: NOW.toISOString(), completedRun: '"j"' };
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: completed });

    const error = await store.update('j', 'job', 'PROCESSING', {}, '"j"').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunAlreadyCompletedError);
    expect((error as RunAlreadyCompletedError).item).toEqual(completed);
    // Outside a run nothing is read and nothing converted: the failure passes on as it is.
    documents.resetHistory();
    await expect(store.update('j', 'job', 'PROCESSING')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(documents).not.toHaveReceivedCommand(GetCommand);
  });

  it.each([
    ['a transient failure that is not final', false, false, 'PROCESSING', false],
    ['a transient failure on the final attempt', false, true, 'FAILED', true],
    ['a permanent failure', true, false, 'FAILED', true],
  ])('recordFailure records %s', async (_case, permanent, final, status, completed) => {
    documents.on(UpdateCommand).resolves({});
    const lastError = { class: 'Error', message: 'boom', permanent };

    await store.recordFailure('j', 'job', 2, lastError, final);

    const values = documents.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(values).toMatchObject({ ':status': status, ':attempts': 2, ':lastError': lastError });
    expect(values?.[':completedAt']).toBe(completed ? NOW.toISOString() : undefined);
  });

  it('a store bound to a work queue sets the queue on every item it creates or updates', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({});
    const reports = store.withQueue('reports');

    await reports.create(reports.newItem('j', 'job', 'RECEIVED', { task: 'echo' }));
    await reports.update('j', 'job', 'PROCESSED', { attempts: 1 });
    await reports.recordFailure('f', 'file', 3, { class: 'Error', message: 'boom', permanent: false }, true);

    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toEqual({
      id: 'j',
      kind: 'job',
      queue: 'reports',
      status: 'RECEIVED',
      task: 'echo',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    for (const call of documents.commandCalls(UpdateCommand)) {
      expect(call.args[0].input).toMatchObject({
        UpdateExpression: expect.stringContaining('updatedAt = :at'),
        ExpressionAttributeNames: expect.objectContaining({ '#queue': 'queue' }),
        ExpressionAttributeValues: expect.objectContaining({ ':queue': 'reports', ':at': NOW.toISOString() }),
      });
      expect(call.args[0].input.UpdateExpression).toContain('#queue = :queue');
    }
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('never puts a queue on a content-hash marker, so markers stay out of the queue index', async () => {
    documents.on(PutCommand).resolves({});

    await store.withQueue('files').claimContentHash('abc', 'file-1');

    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).not.toHaveProperty('queue');
  });

  it('claimContentHash returns the caller when it is the first to claim the hash', async () => {
    documents.on(PutCommand).resolves({});

    await expect(store.claimContentHash('abc', 'file-1')).resolves.toBe('file-1');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: { id: 'content#abc', kind: 'content', fileId: 'file-1', createdAt: NOW.toISOString() },
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('claimContentHash returns the owner when another file claimed the hash first', async () => {
    documents.on(PutCommand).rejects(conditionFailed());
    documents.on(GetCommand, { Key: { id: 'content#abc' } }).resolves({ Item: { id: 'content#abc', fileId: 'file-0' } });

    await expect(store.claimContentHash('abc', 'file-1')).resolves.toBe('file-0');
  });

  it('claimContentHash passes on errors other than a lost race', async () => {
    documents.on(PutCommand).rejects(new Error('throttled'));
    await expect(store.claimContentHash('abc', 'file-1')).rejects.toThrow('throttled');
  });

  it('releaseContentHash deletes the claim only if the caller owns it', async () => {
    documents.on(DeleteCommand).resolves({});

    await store.releaseContentHash('abc', 'file-1');

    expect(documents).toHaveReceivedCommandExactlyOnceWith(DeleteCommand, {
      TableName: 'status-table',
      Key: { id: 'content#abc' },
      ConditionExpression: 'fileId = :fileId',
      ExpressionAttributeValues: { ':fileId': 'file-1' },
    });
  });

  it('releaseContentHash leaves another file’s claim alone, and passes on other errors', async () => {
    documents.on(DeleteCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('throttled'));

    await expect(store.releaseContentHash('abc', 'file-1')).resolves.toBeUndefined();
    await expect(store.releaseContentHash('abc', 'file-1')).rejects.toThrow('throttled');
  });
});
