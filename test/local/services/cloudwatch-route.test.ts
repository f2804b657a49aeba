/** CloudWatch requests reach the registered CloudWatch service (the local CloudWatch), or get an error naming them. */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../local/cloudwatch/api/protocol';
import { cloudWatchService } from '../../../local/cloudwatch/api/service';
import { startLocalServices } from '../../../local/services';
import type { LocalServices } from '../../../local/template/model';
import { TEST_CREDENTIALS } from './harness';

let services: LocalServices;
let cloudWatch: CloudWatchClient;

beforeAll(async () => {
  services = await startLocalServices({
    port: 0,
    apiPort: 3930,
    downloadPort: 3931,
    template: { stackName: 'Alarms-local', template: { Resources: { Deaths: { Type: 'AWS::CloudWatch::Alarm', Properties: {} } } } },
  });
  cloudWatch = new CloudWatchClient({ endpoint: services.endpoint, region: services.region, credentials: TEST_CREDENTIALS });
});
afterAll(async () => {
  cloudWatch?.destroy();
  await services?.stop();
});

const putMetric = () => cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Tidewatch', MetricData: [{ MetricName: 'DeadLettered', Value: 1 }] }));

describe('the CloudWatch route', () => {
  it('answers UnsupportedOperation and lists alarms as not emulated while no CloudWatch service is registered', async () => {
    await expect(putMetric()).rejects.toMatchObject({ name: 'UnsupportedOperation', message: 'CloudWatch PutMetricData is not supported by the Tidewatch local cloud' });
    expect(services.unsupportedResources.map((resource) => resource.logicalId)).toEqual(['Deaths']);
  });

  it('hands CloudWatch requests to the registered CloudWatch service', async () => {
    const received: ApiRequest[] = [];
    const handle = async (request: ApiRequest) => {
      received.push(request);
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' };
    };
    services.register(cloudWatchService(handle, ['PutMetricData']));
    await putMetric();
    expect(received).toHaveLength(1);
    expect(received[0].headers['x-amz-target']).toBe('GraniteServiceVersion20100801.PutMetricData');
    expect(JSON.parse(received[0].body.toString('utf8'))).toMatchObject({ Namespace: 'Tidewatch', MetricData: [{ MetricName: 'DeadLettered', Value: 1 }] });
    expect(services.unsupportedResources).toEqual([]);
  });
});
