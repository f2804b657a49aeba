/** A start that cannot complete fails with the cause and leaves nothing running. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../local/services';

const STACK = { stackName: 'Failing-local', template: { Resources: {} } };

describe('a failed start', () => {
  it('reports the busy gateway port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startLocalServices({ port, apiPort: 3940, downloadPort: 3941, template: STACK })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('names an intrinsic the template uses that the local cloud cannot resolve', async () => {
    const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::ImportValue': 'shared-name' } } } } };
    await expect(startLocalServices({ port: 0, apiPort: 3940, downloadPort: 3941, template: { stackName: 'Failing-local', template } })).rejects.toThrow(
      'Fn::ImportValue is not supported by the local cloud (at Resources.Queue.Properties.QueueName)',
    );
  });
});
