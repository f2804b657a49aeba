/** SNS and STS `GetCallerIdentity` at the gateway (query protocol): fauxqs answers them as they are. */
import type { Backend } from './backend';
import type { LocalService } from './local-service';
import type { Proxy } from './proxy';

/** What fauxqs 2.4.1 implements (its README's SNS table). */
const FAUXQS_SNS_ACTIONS = [
  'CreateTopic', 'DeleteTopic', 'ListTopics', 'GetTopicAttributes', 'SetTopicAttributes', 'Subscribe', 'Unsubscribe',
  'ConfirmSubscription', 'ListSubscriptions', 'ListSubscriptionsByTopic', 'GetSubscriptionAttributes',
  'SetSubscriptionAttributes', 'Publish', 'PublishBatch', 'TagResource', 'UntagResource', 'ListTagsForResource',
];

/** SNS also takes the unsigned query requests no other service claims. */
export function snsService(proxy: Proxy, fauxqs: Backend): LocalService {
  return {
    name: 'SNS',
    routes: { signingName: 'sns', protocol: 'query', unsignedActions: '*' },
    supports: FAUXQS_SNS_ACTIONS,
    handle: (request) => proxy.exchange(fauxqs, request),
  };
}

export function stsService(proxy: Proxy, fauxqs: Backend): LocalService {
  return {
    name: 'STS',
    routes: { signingName: 'sts', protocol: 'query', unsignedActions: ['GetCallerIdentity'] },
    supports: ['GetCallerIdentity'],
    handle: (request) => proxy.exchange(fauxqs, request),
  };
}
