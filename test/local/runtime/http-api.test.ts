import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../../local/runtime/function-host';
import { HttpApiServer, type ApiRequestRecord } from '../../../local/runtime/http-api-server';
import { RouteTable } from '../../../local/runtime/http-route-table';
import { LogSink } from '../../../local/runtime/log-sink';

const handlers = fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url));
const hosts: FunctionHost[] = [];
const warnings: string[] = [];
const requests: ApiRequestRecord[] = [];
let api: HttpApiServer;

function fixture(handler: string, timeoutSeconds = 10) {
  const host = new FunctionHost(
    { name: `fixture-${handler}`, entry: handlers, handler, environment: {}, timeoutSeconds, memoryMiB: 128 },
    { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', accountId: '000000000000', logSink: new LogSink() },
  );
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  api = await HttpApiServer.listen({ port: 0, host: '127.0.0.1' });
  const echo = fixture('httpEcho');
  api.serve({
    routes: [
      { routeKey: 'POST /jobs', target: echo },
      { routeKey: 'GET /jobs/{id}', target: echo },
      { routeKey: 'POST /upload', target: echo },
      { routeKey: 'GET /object', target: fixture('plainObject') },
      { routeKey: 'GET /string', target: fixture('plainString') },
      { routeKey: 'GET /fails', target: fixture('fail') },
      { routeKey: 'POST /slow', target: fixture('sleep', 1) },
      { routeKey: 'GET /invalid', target: fixture('invalidResponse') },
    ],
    cors: { allowOrigins: ['https://app.example'], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], exposeHeaders: ['x-echo'], maxAgeSeconds: 300, allowCredentials: false },
    accountId: '000000000000',
    apiId: 'local',
    log: (functionName, line) => warnings.push(`${functionName} ${line}`),
    onRequest: (record) => requests.push(record),
  });
});

afterAll(async () => {
  await api.close();
  await Promise.all(hosts.map((host) => host.stop()));
});

describe('HttpApiServer', () => {
  it('builds the payload format 2.0 event as API Gateway does and maps a structured response', async () => {
    const response = await fetch(`${api.url}/jobs?tag=a&tag=b&q=x%20y`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'Value', Cookie: 'one=1; two=2', 'User-Agent': 'curl/8' },
      body: '{"task":"count"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('session=abc; HttpOnly');
    expect(response.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{10,}$/);
    const event = (await response.json()) as APIGatewayProxyEventV2;
    expect(() => APIGatewayProxyEventV2Schema.parse(event)).not.toThrow();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /jobs',
      rawPath: '/jobs',
      rawQueryString: 'tag=a&tag=b&q=x%20y',
      cookies: ['one=1', 'two=2'],
      queryStringParameters: { tag: 'a,b', q: 'x y' },
      body: '{"task":"count"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        http: { method: 'POST', path: '/jobs', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        requestId: response.headers.get('apigw-requestid'),
        routeKey: 'POST /jobs',
        stage: '$default',
      },
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'Value', 'user-agent': 'curl/8' });
    expect(event.headers.cookie).toBeUndefined();
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.pathParameters).toBeUndefined();
  });

  it('passes decoded path parameters and omits an absent body', async () => {
    const response = await fetch(`${api.url}/jobs/job%201`);
    const event = (await response.json()) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({ routeKey: 'GET /jobs/{id}', rawPath: '/jobs/job%201', pathParameters: { id: 'job 1' }, isBase64Encoded: false });
    expect('body' in event).toBe(false);
    expect('queryStringParameters' in event).toBe(false);
  });

  it('base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const response = await fetch(`${api.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const event = (await response.json()) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('answers a result without statusCode as 200 JSON', async () => {
    const object = await fetch(`${api.url}/object`);
    expect([object.status, object.headers.get('content-type'), await object.text()]).toEqual([200, 'application/json', '{"ok":true}']);
    const text = await fetch(`${api.url}/string`);
    expect([text.status, await text.text()]).toEqual([200, 'hello']);
  });

  it('answers 404 Not Found for an unknown route or method', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/jobs'], ['GET', '/jobs/a/b']] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect([response.status, await response.json()]).toEqual([404, { message: 'Not Found' }]);
    }
  });

  it('reports every answered request for API Gateway metrics', async () => {
    requests.length = 0;
    await fetch(`${api.url}/object`);
    await fetch(`${api.url}/nope`);
    expect(requests).toEqual([
      { apiId: 'local', stage: '$default', status: 200, latencyMs: expect.any(Number), integrationLatencyMs: expect.any(Number) },
      { apiId: 'local', stage: '$default', status: 404, latencyMs: expect.any(Number), integrationLatencyMs: undefined },
    ]);
  });

  it('answers 500 Internal Server Error when the function throws, times out or returns an invalid response', async () => {
    for (const [method, path] of [['GET', '/fails'], ['POST', '/slow'], ['GET', '/invalid']] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect([response.status, await response.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    }
    expect(warnings).toContain('fixture-invalidResponse [http api] GET /invalid: statusCode "teapot" is not an HTTP status; answered 500');
  });

  it('answers 503 Service Unavailable when the function outlasts the integration timeout, as HTTP APIs do', async () => {
    const impatient = await HttpApiServer.listen({ port: 0, host: '127.0.0.1' });
    try {
      const records: ApiRequestRecord[] = [];
      impatient.serve({
        routes: [{ routeKey: 'GET /sleep', target: fixture('sleep') }],
        cors: undefined,
        accountId: '000000000000',
        apiId: 'local',
        log: (functionName, line) => warnings.push(`${functionName} ${line}`),
        onRequest: (record) => records.push(record),
        integrationTimeoutSeconds: 1,
      });
      const response = await fetch(`${impatient.url}/sleep`);
      expect([response.status, await response.json()]).toEqual([503, { message: 'Service Unavailable' }]);
      expect(records).toEqual([{ apiId: 'local', stage: '$default', status: 503, latencyMs: expect.any(Number), integrationLatencyMs: expect.any(Number) }]);
      expect(warnings).toContain('fixture-sleep [http api] GET /sleep: the integration did not answer within 1 s; answered 503');
    } finally {
      await impatient.close();
    }
  });

  it('answers 413 for a body over 10 MB', async () => {
    const response = await fetch(`${api.url}/jobs`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });
    expect([response.status, await response.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
  });

  it('applies the API CORS: answers preflights, sets the allowed origin and replaces the function CORS headers', async () => {
    const preflight = await fetch(`${api.url}/jobs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '300',
    });

    const allowed = await fetch(`${api.url}/jobs/1`, { headers: { origin: 'https://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('x-echo');

    const other = await fetch(`${api.url}/jobs/1`, { headers: { origin: 'https://elsewhere.example' } });
    expect(other.status).toBe(201);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('binding', () => {
  it('fails with a clear message when the port is taken', async () => {
    await expect(HttpApiServer.listen({ port: api.port, host: '127.0.0.1' })).rejects.toThrow(
      `port ${api.port} on 127.0.0.1 is already in use, so the local HTTP API cannot start: stop whatever holds it or choose another port`,
    );
  });
});

describe('RouteTable', () => {
  const table = new RouteTable(
    ['GET /jobs/latest', 'GET /jobs/{id}', 'ANY /jobs/{id}', 'GET /files/{proxy+}', 'ANY /{proxy+}', '$default'].map((routeKey) => ({ routeKey, target: routeKey })),
  );
  it.each([
    ['GET', '/jobs/latest', 'GET /jobs/latest', undefined],
    ['GET', '/jobs/42', 'GET /jobs/{id}', { id: '42' }],
    ['PUT', '/jobs/42', 'ANY /jobs/{id}', { id: '42' }],
    ['GET', '/files/a/b%2Fc.csv', 'GET /files/{proxy+}', { proxy: 'a/b/c.csv' }],
    ['POST', '/anything/else', 'ANY /{proxy+}', { proxy: 'anything/else' }],
    ['GET', '/', '$default', undefined],
  ])('%s %s → %s', (method, path, routeKey, pathParameters) => {
    expect(table.match(method, path)).toEqual({ routeKey, target: routeKey, pathParameters });
  });
});
