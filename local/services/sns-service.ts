/** SNS (and STS GetCallerIdentity) at the gateway: fauxqs answers what it implements; the rest is rejected by name. */
import type { Backend } from './backend';
import { unsupportedOperation } from './aws-errors';
import type { HandlerResult, InboundRequest } from './inbound';
import type { Proxy } from './proxy';

/** What fauxqs 1.9.2 implements (its README's SNS table). */
const FAUXQS_ACTIONS = new Set([
  'CreateTopic', 'DeleteTopic', 'ListTopics', 'GetTopicAttributes', 'SetTopicAttributes', 'Subscribe', 'Unsubscribe',
  'ConfirmSubscription', 'ListSubscriptions', 'ListSubscriptionsByTopic', 'GetSubscriptionAttributes',
  'SetSubscriptionAttributes', 'Publish', 'PublishBatch', 'TagResource', 'UntagResource', 'ListTagsForResource',
]);

export class SnsService {
  constructor(
    private readonly proxy: Proxy,
    private readonly fauxqs: Backend,
  ) {}

  async handle(request: InboundRequest, service: 'sns' | 'sts', action: string | undefined): Promise<HandlerResult> {
    const supported = service === 'sns' ? FAUXQS_ACTIONS.has(action ?? '') : action === 'GetCallerIdentity';
    if (!supported) throw unsupportedOperation(service.toUpperCase(), action ?? '(no action)');
    return this.proxy.exchange(this.fauxqs, request);
  }
}
