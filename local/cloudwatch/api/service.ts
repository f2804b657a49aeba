/** The local CloudWatch's API as a service of the one endpoint: registered like every other. */
import type { LocalService, ServiceRoutes } from '../../services/local-service';
import { TARGET_PREFIX, type ApiHandler } from './protocol';

/** How CloudWatch requests reach it: signed for `monitoring`, or an unsigned `PutMetricData` form (answered with the protocol error). */
export const CLOUDWATCH_ROUTES: ServiceRoutes = { signingName: 'monitoring', targetPrefix: TARGET_PREFIX, protocol: 'json', unsignedActions: ['PutMetricData'] };

export function cloudWatchService(handle: ApiHandler, supports: readonly string[]): LocalService {
  return { name: 'CloudWatch', routes: CLOUDWATCH_ROUTES, supports, handle };
}
