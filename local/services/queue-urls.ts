/**
 * Queue URLs that resolve. fauxqs names queues `http://sqs.<region>.localhost:<its port>/<account>/<name>`,
 * a host that does not resolve here; clients see `http://127.0.0.1:<gateway port>/<account>/<name>`
 * instead, and the gateway accepts either form (or any host) and hands fauxqs its own. A kept queue
 * (`--keep`) keeps the URL of the run that created it, with that run's port: any port is rewritten.
 */
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/resource-identity';
import { FAUXQS_QUEUE_HOST } from './fauxqs-backend';

export class QueueUrls {
  private readonly backendPattern: RegExp;

  constructor(
    /** `http://127.0.0.1:<gateway port>` */
    private readonly gatewayEndpoint: string,
    private readonly fauxqsPort: number,
  ) {
    this.backendPattern = new RegExp(`http://sqs\\.[a-z0-9-]+\\.${FAUXQS_QUEUE_HOST.replace(/\./g, '\\.')}:\\d+`, 'g');
  }

  /** fauxqs's URL of the queue a client names by any URL form; unparseable input is returned as is. */
  toBackend(queueUrl: string): string {
    let url: URL;
    try {
      url = new URL(queueUrl);
    } catch {
      return queueUrl;
    }
    const region = /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ?? LOCAL_REGION;
    return `http://sqs.${region}.${FAUXQS_QUEUE_HOST}:${this.fauxqsPort}${url.pathname}`;
  }

  /** Replaces every fauxqs queue URL in a response text with the gateway's. */
  toPublic(text: string): string {
    return text.replace(this.backendPattern, this.gatewayEndpoint);
  }

  /** The public URL of `arn:aws:sqs:<region>:<account>:<name>`. */
  publicFromArn(arn: string): string {
    const [, , , , account, name] = arn.split(':');
    if (!name) throw new Error(`not an SQS queue ARN: ${arn}`);
    return `${this.gatewayEndpoint}/${account || LOCAL_ACCOUNT_ID}/${name}`;
  }

  backendFromArn(arn: string): string {
    return this.toBackend(this.publicFromArn(arn));
  }

  /** `arn:aws:sqs:us-east-1:000000000000:<name>` of any URL form. */
  arnFromUrl(queueUrl: string): string {
    const [account, name] = new URL(queueUrl).pathname.split('/').filter(Boolean);
    return `arn:aws:sqs:${LOCAL_REGION}:${account}:${name}`;
  }
}
