/**
 * The local CloudWatch publishes its alarm actions under its own identity, as CloudWatch does in AWS (its
 * service principal, not a caller's credentials): the cost benchmark tells its requests apart by that key
 * and leaves them out, since alarm notifications are not per item.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_CLOUDWATCH_CREDENTIALS, LOCAL_CREDENTIALS } from '../../../contract/local-cloud';
import { snsPublisher } from '../../../local/cloudwatch/alarm-notification';

const received: IncomingHttpHeaders[] = [];
const server = createServer((request, response) => {
  received.push(request.headers);
  request.resume().on('end', () => {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end('<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>');
  });
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("signs an alarm notification with the local CloudWatch's key, not the callers' one", async () => {
  const { port } = server.address() as AddressInfo;
  const publish = snsPublisher({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' });
  expect(await publish('arn:aws:sns:us-east-1:000000000000:paging', 'ALARM: "x"', '{}')).toBe('m-1');
  expect(received).toHaveLength(1);
  const credential = /Credential=([^/]+)\//.exec(String(received[0]!.authorization))?.[1];
  expect(credential).toBe(LOCAL_CLOUDWATCH_CREDENTIALS.accessKeyId);
  expect(credential).not.toBe(LOCAL_CREDENTIALS.accessKeyId);
});
