/** Fault injection: a busy execution environment crashed on purpose fails its invocation as a crashed runtime does, and the next one starts afresh. */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../../local/runtime/function-host';
import { LogSink } from '../../../local/runtime/log-sink';
import { eventually } from '../../support/eventually';

const handlers = fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url));
const host = new FunctionHost(
  { name: 'fixture-sleep', entry: handlers, handler: 'sleep', environment: {}, timeoutSeconds: 30, memoryMiB: 128 },
  { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', accountId: '000000000000', logSink: new LogSink() },
);
afterAll(() => host.stop());

describe('crashBusyEnvironment', () => {
  it('answers false when nothing runs, and crashes the environment running an invocation', async () => {
    expect(host.crashBusyEnvironment()).toBe(false);
    const running = host.invoke({ ms: 20_000 });
    // The invocation is running once its environment is busy (after the cold start).
    await eventually(async () => (host.crashBusyEnvironment() ? true : undefined), 'a busy environment to crash', 20_000);
    await expect(running).rejects.toMatchObject({ errorType: 'Runtime.ExitError' });
    await expect(host.invoke({ ms: 1 })).resolves.toBeDefined();
  });
});
