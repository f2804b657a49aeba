/**
 * Every field of POST /jobs, as a client or an adversary may send it: each bad value is a 4xx with a JSON
 * error naming the field, nothing recorded or queued, never a 5xx; each valid edge value is accepted and
 * recorded and queued exactly as sent.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';
import { JobMessageSchema } from '../job-worker/job-message';
import { MAX_SLEEP_MS } from '../job-worker/tasks';

const MAX_BODY_BYTES = 65_536;
Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  STATUS_TABLE_NAME: 'status-table',
  JOB_QUEUE_URLS: JSON.stringify({ jobs: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs' }),
  DEFAULT_JOB_QUEUE: 'jobs',
  MAX_JOB_BODY_BYTES: String(MAX_BODY_BYTES),
});
const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const { handler } = await import('./index');

beforeEach(() => {
  documents.reset();
  sqs.reset();
  documents.on(PutCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'message-1' });
  captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function post(body: string, overrides: Partial<APIGatewayProxyEventV2> = {}) {
  const result = (await handler(httpEvent({ body, ...overrides }), lambdaContext('submit-job'))) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

/** An echo job whose body is exactly `bytes` long. */
function echoOfBytes(bytes: number): string {
  const frame = JSON.stringify({ task: 'echo', payload: { t: '' } });
  return JSON.stringify({ task: 'echo', payload: { t: 'x'.repeat(bytes - frame.length) } });
}
const nested = (depth: number) => `{"task":"echo","payload":{"a":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;
const base64 = (bytes: number[]) => ({ isBase64Encoded: true, body: Buffer.from(bytes).toString('base64') });

describe('POST /jobs refuses every bad input with a 4xx naming it, and records nothing', () => {
  it.each<[string, string, Partial<APIGatewayProxyEventV2>, number, string, RegExp]>([
    // The body
    ['invalid UTF-8', '', base64([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400, 'InvalidEncoding', /^request body is not valid UTF-8 text$/],
    ['a text body holding a lone surrogate', '{"task":"\ud800"}', {}, 400, 'InvalidEncoding', /not valid UTF-8/],
    ['text that is not JSON', 'task=echo', {}, 400, 'MalformedJson', /^request body is not valid JSON: /],
    ['JSON cut short', '{"task":"echo"', {}, 400, 'MalformedJson', /not valid JSON/],
    ['a JSON array', '["echo"]', {}, 400, 'InvalidRequest', /expected object, received array/],
    ['a JSON string', '"echo"', {}, 400, 'InvalidRequest', /expected object, received string/],
    ['a JSON number', '42', {}, 400, 'InvalidRequest', /expected object, received number/],
    ['JSON null', 'null', {}, 400, 'InvalidRequest', /expected object, received null/],
    ['nesting deeper than 100 levels', nested(101), {}, 400, 'TooDeeplyNested', /^request body nests arrays and objects 101 levels deep; the limit is 100$/],
    ['a body one byte over the limit', echoOfBytes(MAX_BODY_BYTES + 1), {}, 413, 'PayloadTooLarge', /^request body is 65537 bytes; the limit is 65536$/],
    ['an unknown field', '{"task":"echo","priority":1}', {}, 400, 'InvalidRequest', /Unrecognized key: "priority"/],
    // task
    ['no task', '{}', {}, 400, 'InvalidRequest', /^task: Invalid input: expected string, received undefined$/],
    ['a null task', '{"task":null}', {}, 400, 'InvalidRequest', /^task: .*received null$/],
    ['a task that is a number', '{"task":7}', {}, 400, 'InvalidRequest', /^task: .*received number$/],
    ['an empty task', '{"task":""}', {}, 400, 'InvalidRequest', /^task: Too small/],
    ['an unknown task', '{"task":"Echo"}', {}, 400, 'UnknownTask', /^unknown task "Echo"; known tasks: echo, sleep, sum, word-count$/],
    ['a task named like an Object property', '{"task":"__proto__"}', {}, 400, 'UnknownTask', /^unknown task "__proto__"/],
    ['a task named toString', '{"task":"toString"}', {}, 400, 'UnknownTask', /^unknown task "toString"/],
    ['a 60 KB task name, quoted back only in part', JSON.stringify({ task: 'x'.repeat(60_000) }), {}, 400, 'UnknownTask', /^unknown task "x{99}\.\.\. \(60002 characters\); known tasks/],
    // payload
    ['a payload that is an array', '{"task":"echo","payload":[1]}', {}, 400, 'InvalidRequest', /^payload: .*expected record, received array$/],
    ['a payload that is a string', '{"task":"echo","payload":"hi"}', {}, 400, 'InvalidRequest', /^payload: .*received string$/],
    ['a null payload', '{"task":"echo","payload":null}', {}, 400, 'InvalidRequest', /^payload: .*received null$/],
    ['a payload number above 2^53 a double rounds', '{"task":"echo","payload":{"n":9007199254740993}}', {}, 400, 'InexactNumber', /^payload\.n: 9007199254740993 would be read as 9007199254740992/],
    ['a payload number beyond the largest double', '{"task":"echo","payload":{"n":[-1e400]}}', {}, 400, 'InexactNumber', /^payload\.n\.0: -1e400 is beyond the largest number/],
    ['a payload number below the smallest double', '{"task":"echo","payload":{"n":1e-400}}', {}, 400, 'InexactNumber', /^payload\.n: 1e-400 would be read as 0/],
    ['a "__proto__" key in the payload', '{"task":"echo","payload":{"a":{"__proto__":{"polluted":true}}}}', {}, 400, 'ReservedKey', /^payload\.a\.__proto__: the key "__proto__" is not accepted$/],
    ['a "__proto__" key written with an escape', '{"task":"echo","payload":{"\\u005f_proto__":1}}', {}, 400, 'ReservedKey', /^payload\.__proto__: /],
    ['a sum of text', '{"task":"sum","payload":{"numbers":["1"]}}', {}, 400, 'InvalidPayload', /^payload of task "sum": numbers\.0: Invalid input: expected number, received string$/],
    ['a sum of nothing', '{"task":"sum","payload":{"numbers":[]}}', {}, 400, 'InvalidPayload', /^payload of task "sum": numbers: Too small/],
    ['a sum of 10,001 numbers', JSON.stringify({ task: 'sum', payload: { numbers: Array(10_001).fill(1) } }), {}, 400, 'InvalidPayload', /numbers: Too big/],
    ['a negative sleep', '{"task":"sleep","payload":{"ms":-1}}', {}, 400, 'InvalidPayload', /^payload of task "sleep": ms: Too small/],
    ['a fractional sleep', '{"task":"sleep","payload":{"ms":1.5}}', {}, 400, 'InvalidPayload', /ms: Invalid input: expected int/],
    ['a sleep over the limit', `{"task":"sleep","payload":{"ms":${MAX_SLEEP_MS + 1}}}`, {}, 400, 'InvalidPayload', /ms: Too big/],
    ['a sleep as text', '{"task":"sleep","payload":{"ms":"NaN"}}', {}, 400, 'InvalidPayload', /ms: Invalid input: expected number, received string/],
    ['a word-count of a number', '{"task":"word-count","payload":{"text":42}}', {}, 400, 'InvalidPayload', /text: Invalid input: expected string/],
    // fail
    ['a fail flag as text', '{"task":"echo","fail":"true"}', {}, 400, 'InvalidRequest', /^fail: .*expected boolean, received string$/],
    ['a fail flag as a number', '{"task":"echo","fail":1}', {}, 400, 'InvalidRequest', /^fail: .*received number$/],
    ['a null fail flag', '{"task":"echo","fail":null}', {}, 400, 'InvalidRequest', /^fail: .*received null$/],
    // failUntil
    ['a failUntil as a number', '{"task":"echo","failUntil":0}', {}, 400, 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time/],
    ['a failUntil without a time zone', '{"task":"echo","failUntil":"2030-01-01T00:00:00"}', {}, 400, 'InvalidRequest', /^failUntil: /],
    // queue
    ['a queue that is a number', '{"task":"echo","queue":42}', {}, 400, 'UnknownQueue', /^unknown queue 42; known queues: jobs$/],
    ['a null queue', '{"task":"echo","queue":null}', {}, 400, 'UnknownQueue', /^unknown queue null/],
    ['an empty queue', '{"task":"echo","queue":""}', {}, 400, 'UnknownQueue', /^unknown queue ""/],
    ['a queue the job worker does not run', '{"task":"echo","queue":"files"}', {}, 400, 'UnknownQueue', /^unknown queue "files"; known queues: jobs$/],
    ['a queue named like an Object property', '{"task":"echo","queue":"constructor"}', {}, 400, 'UnknownQueue', /^unknown queue "constructor"/],
  ])('%s', async (_case, body, overrides, status, error, message) => {
    const response = await post(body, overrides);

    expect(response.status).toBe(status);
    expect(response.json).toEqual({ error, message: expect.stringMatching(message) });
    expect(String(response.json.message).length).toBeLessThan(400);
    expect(documents).not.toHaveReceivedAnyCommand();
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('never answers 5xx, whatever the body', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.record({ task: fc.oneof(fc.constantFrom('echo', 'sum', 'sleep', 'word-count'), fc.string()), payload: fc.jsonValue(), fail: fc.jsonValue(), queue: fc.jsonValue(), failUntil: fc.jsonValue() }, { requiredKeys: ['task'] }).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await post(body);
        expect(response.status === 202 || (response.status >= 400 && response.status < 500)).toBe(true);
        if (response.status >= 400) expect(Object.keys(response.json).sort()).toEqual(['error', 'message']);
      }),
      { numRuns: 100 },
    );
  });
});

describe('POST /jobs accepts every valid edge value and keeps it exactly', () => {
  /** The payload as recorded on the status item and as queued, both read back. */
  function recordedAndQueued() {
    const item = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    const body = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '';
    return { item, recorded: JSON.parse(String(item?.payloadJson ?? 'null')) as unknown, body, queued: JobMessageSchema.parse(JSON.parse(body)) };
  }

  it.each<[string, Record<string, unknown>]>([
    ['text in any script, emoji, controls, a BOM and the characters SQS refuses', { text: "l'été 👍🏽 日本語 \u0000\u0007\u007f\u0085 \ufeff \ufffe\uffff \u2028" }],
    ['a lone surrogate inside a string, which JSON escapes', { text: 'a\ud800b' }],
    ['every kind of double', { n: [0, -0, 2 ** 53, -(2 ** 53), 1e300, -1.7976931348623157e308, 5e-324, 0.1, 123456789.12345678] }],
    ['keys of every kind', { '': 1, ' ': 2, 'a.b': 3, constructor: 4, toString: 5, hasOwnProperty: 6, 'é': 7 }],
    ['nesting at the limit', { a: JSON.parse(`${'['.repeat(98)}${']'.repeat(98)}`) as unknown }],
    ['an empty payload', {}],
  ])('an echo payload with %s', async (_case, payload) => {
    const body = JSON.stringify({ task: 'echo', payload });
    // What the client sent is this JSON text (JSON writes -0 as 0).
    const sent = (JSON.parse(body) as { payload: unknown }).payload;

    expect((await post(body)).status).toBe(202);
    const { recorded, body: queuedBody, queued } = recordedAndQueued();
    expect(recorded).toEqual(sent);
    expect(queued.payload).toEqual(sent);
    // SQS refuses U+FFFE and U+FFFF in a body: they travel as JSON escapes.
    expect(queuedBody).not.toMatch(/[\ufffe\uffff]/);
  });

  it.each<[string, string]>([
    ['the shortest sleep', '{"task":"sleep","payload":{"ms":0}}'],
    ['the largest sleep', `{"task":"sleep","payload":{"ms":${MAX_SLEEP_MS}}}`],
    ['a sleep written with an exponent', '{"task":"sleep","payload":{"ms":1e3}}'],
    ['a sum of 10,000 numbers', JSON.stringify({ task: 'sum', payload: { numbers: Array(10_000).fill(0.5) } })],
    ['an empty word-count', '{"task":"word-count","payload":{"text":""}}'],
    ['fail false, the default queue named, failUntil with an offset', '{"task":"echo","fail":false,"queue":"jobs","failUntil":"2030-01-01T00:00:00.123456+05:30"}'],
    ['a body with a byte order mark', '\ufeff{"task":"echo"}'],
    ['a body exactly at the limit', echoOfBytes(MAX_BODY_BYTES)],
  ])('%s', async (_case, body) => {
    const response = await post(body);
    expect(response.status).toBe(202);
  });

  it('keeps any JSON payload exactly, on the status item and in the message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 }), { noNullPrototype: true }), async (payload) => {
        fc.pre(!JSON.stringify(payload).includes('"__proto__"'));
        documents.resetHistory();
        sqs.resetHistory();
        expect((await post(JSON.stringify({ task: 'echo', payload }))).status).toBe(202);
        const { recorded, queued } = recordedAndQueued();
        expect(recorded).toEqual(JSON.parse(JSON.stringify(payload)));
        expect(queued.payload).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: 100 },
    );
  });
});
