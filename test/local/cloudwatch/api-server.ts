/** The local CloudWatch on its own HTTP server, for the API tests (SDK and CLI). */
import { createLocalCloudWatch, type LocalCloudWatch } from '../../../local/cloudwatch';
import { synthesizeAlarmFixture } from './alarm-fixture';
import { ManualClock, startServer } from './helpers';

export interface CloudWatchServer {
  readonly cloudWatch: LocalCloudWatch;
  readonly clock: ManualClock;
  readonly endpoint: string;
  readonly published: Array<{ topicArn: string; message: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Starts the local CloudWatch with the alarm fixture on a free 127.0.0.1 port; the clock reads "now" (to the second). */
export async function startCloudWatchServer(): Promise<CloudWatchServer> {
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const published: CloudWatchServer['published'] = [];
  const cloudWatch = createLocalCloudWatch({
    ...synthesizeAlarmFixture(),
    endpoint: 'http://127.0.0.1:9', // never used: publishing is recorded below
    clock,
    publish: async (topicArn, _subject, message) => {
      published.push({ topicArn, message: JSON.parse(message) });
      return 'recorded';
    },
  });
  const server = await startServer(cloudWatch.requestListener);
  return {
    cloudWatch,
    clock,
    endpoint: server.url,
    published,
    stop: async () => {
      cloudWatch.stop();
      await server.stop();
    },
  };
}
