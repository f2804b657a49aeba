/**
 * The AWS endpoint's stand-in for the network (`networkLatencyMs`, for benchmarks that compare call
 * patterns as they would fare in AWS): every answer, an error too, comes at least that long after its
 * request. Lower bounds only, which a loaded machine can only lengthen.
 */
import { GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../local/services';
import type { LocalServices } from '../../../local/template/model';
import { synthesizeFixtureStack } from './fixture-stack';
import { TEST_CREDENTIALS } from './harness';

const LATENCY_MS = 400;
let services: LocalServices;
let sqs: SQSClient;

beforeAll(async () => {
  services = await startLocalServices({ port: 0, apiPort: 0, downloadPort: 0, template: synthesizeFixtureStack(), networkLatencyMs: LATENCY_MS });
  sqs = new SQSClient({ endpoint: services.endpoint, region: services.region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  sqs?.destroy();
  await services?.stop();
});

describe('networkLatencyMs', () => {
  it('delays every answer by at least the round trip, an error answer too', async () => {
    const timed = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await call().catch(() => undefined);
      return performance.now() - started;
    };
    expect(await timed(() => sqs.send(new ListQueuesCommand({})))).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(await timed(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })))).toBeGreaterThanOrEqual(LATENCY_MS);
  });
});
