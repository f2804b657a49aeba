import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The module afresh: its chain is memoized per process. */
async function freshCredentials() {
  vi.resetModules();
  return (await import('./lambda-credentials')).lambdaCredentials;
}

/** What the Lambda runtime may set for credentials; each test sets its own. */
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

beforeEach(() => {
  for (const name of CREDENTIAL_VARIABLES) vi.stubEnv(name, undefined);
});
afterEach(() => vi.unstubAllEnvs());

describe('lambdaCredentials', () => {
  it("resolves the role's credentials from the environment the runtime sets", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAENVIRONMENT');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'environment-token');
    const credentials = await (await freshCredentials())();
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAENVIRONMENT', secretAccessKey: 'environment-secret', sessionToken: 'environment-token' });
  });

  describe('from a container credentials endpoint (SnapStart, Lambda Managed Instances)', () => {
    let server: Server;
    const requests: IncomingMessage[] = [];
    /** Each answer expires this far ahead. */
    let validForMs = 60 * 60 * 1000;

    beforeEach(async () => {
      requests.length = 0;
      validForMs = 60 * 60 * 1000;
      server = createServer((request, response) => {
        requests.push(request);
        if (request.headers.authorization !== 'container-token') {
          response.writeHead(403).end();
          return;
        }
        const n = requests.length;
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ AccessKeyId: `ASIACONTAINER${n}`, SecretAccessKey: `container-secret-${n}`, Token: `container-token-${n}`, Expiration: new Date(Date.now() + validForMs).toISOString() }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', `http://127.0.0.1:${(server.address() as AddressInfo).port}/2021-04-23/credentials`);
      vi.stubEnv('AWS_CONTAINER_AUTHORIZATION_TOKEN', 'container-token');
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('resolves them there when the environment has none, with the authorization token, once while they are valid', async () => {
      const credentials = await freshCredentials();
      const first = await credentials();
      expect(first).toMatchObject({ accessKeyId: 'ASIACONTAINER1', secretAccessKey: 'container-secret-1', sessionToken: 'container-token-1' });
      expect(first.expiration).toBeInstanceOf(Date);
      expect(await credentials()).toBe(first);
      expect(requests.map((request) => request.url)).toEqual(['/2021-04-23/credentials']);
    });

    it('fetches them again when they expire within five minutes', async () => {
      validForMs = 4 * 60 * 1000;
      const credentials = await freshCredentials();
      const first = await credentials();
      const fetched = requests.length;
      const second = await credentials();
      expect(requests.length).toBeGreaterThan(fetched);
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
    });

    it('prefers the environment when both are there', async () => {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAENVIRONMENT');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret');
      expect(await (await freshCredentials())()).toMatchObject({ accessKeyId: 'ASIAENVIRONMENT' });
      expect(requests).toEqual([]);
    });
  });

  it('fails naming both sources when there is neither', async () => {
    await expect((await freshCredentials())()).rejects.toThrow(/AWS_CONTAINER_CREDENTIALS_FULL_URI/);
  });
});
