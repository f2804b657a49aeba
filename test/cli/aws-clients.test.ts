/** The CLI's SDK clients, each made on its first use: one of each kind, all pointed at the target. */
import { describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../cli/aws-clients';
import { LOCAL_CREDENTIALS } from '../../contract/local-cloud';

const LOCAL_TARGET = { stackName: 'Tidewatch-local', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' };
const KINDS = ['cloudFormation', 'sqs', 'cloudWatch', 'dynamoDb', 'lambda', 'sts'] as const satisfies readonly (keyof AwsClients)[];

describe('createAwsClients', () => {
  it('makes one client of a kind, however many callers ask at once', async () => {
    const clients = createAwsClients(LOCAL_TARGET, {});
    try {
      const [first, second] = await Promise.all([clients.sqs(), clients.sqs()]);
      expect(second).toBe(first);
      expect(await clients.sqs()).toBe(first);
    } finally {
      clients.destroy();
    }
  });

  it.each(KINDS)("points %s at the target's region and endpoint, with the local cloud's credentials on a loopback endpoint", async (kind) => {
    const clients = createAwsClients(LOCAL_TARGET, {});
    try {
      const { config } = await clients[kind]();
      expect(await config.region()).toBe('eu-west-1');
      expect(await config.endpoint?.()).toMatchObject({ protocol: 'http:', hostname: '127.0.0.1', port: 4566 });
      expect(await config.credentials()).toMatchObject(LOCAL_CREDENTIALS);
    } finally {
      clients.destroy();
    }
  });

  it('never retries a function invocation, and retries the other calls as the SDK does', async () => {
    const clients = createAwsClients(LOCAL_TARGET, {});
    try {
      expect(await (await clients.lambda()).config.maxAttempts()).toBe(1);
      expect(await (await clients.sqs()).config.maxAttempts()).toBeGreaterThan(1);
    } finally {
      clients.destroy();
    }
  });
});
