/**
 * The services plugged into the one endpoint. The gateway routes and dispatches through it; a service
 * can be registered at any time (the local CloudWatch and the runtime's Lambda API plug in after the
 * emulated services), and calls to anything not registered, or to an action a service does not list,
 * answer `UnsupportedOperation` naming service and action.
 */
import { AwsServiceError, unsupportedOperation } from './aws-errors';
import type { HandlerResult, InboundRequest, LocalService } from './local-service';
import { routeRequest, type RoutedRequest } from './routing';

/** A request a service answered: what the local cloud served, for counting and tracing by callers. */
export interface ServedRequest {
  readonly service: string;
  /** The AWS action (undefined for a REST request no action name matched, such as an S3 object PUT). */
  readonly action?: string;
  readonly request: InboundRequest;
  readonly status: number;
}

export type ServedRequestListener = (served: ServedRequest) => void;

export class ServiceRegistry {
  private readonly services = new Map<string, LocalService>();
  private readonly servedListeners = new Set<ServedRequestListener>();

  /** Adds `service`, replacing one of the same name; returns the function that removes it again. */
  register(service: LocalService): () => void {
    const others = [...this.services.values()].filter((other) => other.name !== service.name);
    const clash = others.find((other) => sharedRoute(service, other));
    if (clash) throw new Error(`${service.name} cannot be registered: ${sharedRoute(service, clash)} is already ${clash.name}'s`);
    this.services.set(service.name, service);
    return () => {
      if (this.services.get(service.name) === service) this.services.delete(service.name);
    };
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  /** The registered services, in registration order. */
  list(): readonly LocalService[] {
    return [...this.services.values()];
  }

  route(request: InboundRequest): RoutedRequest {
    return routeRequest(request, this.list());
  }

  /** Hands a routed request to its service, or throws the `UnsupportedOperation` naming what is missing. */
  async dispatch(request: InboundRequest, routed: RoutedRequest): Promise<HandlerResult> {
    const { service, action } = routed;
    const named = action ?? `${request.method} ${request.url.split('?')[0]}`;
    if (!service) throw unsupportedOperation(routed.serviceName, named);
    const supported = action === undefined ? service.routes.restFallback === true : service.supports.includes(action);
    if (!supported) throw unsupportedOperation(service.name, named);
    const served = (status: number) => {
      for (const listener of this.servedListeners) listener({ service: service.name, action, request, status });
    };
    try {
      const result = await service.handle(request, routed);
      served(result.status);
      return result;
    } catch (error) {
      served(error instanceof AwsServiceError ? error.status : 500);
      throw error;
    }
  }

  /** Calls `listener` after each request a service answered, errors included. */
  onServed(listener: ServedRequestListener): () => void {
    this.servedListeners.add(listener);
    return () => this.servedListeners.delete(listener);
  }
}

/** The route two services would both claim, described; undefined when they claim none in common. */
function sharedRoute(a: LocalService, b: LocalService): string | undefined {
  if (a.routes.signingName === b.routes.signingName) return `the signing name ${a.routes.signingName}`;
  if (a.routes.targetPrefix !== undefined && a.routes.targetPrefix === b.routes.targetPrefix) return `the target prefix ${a.routes.targetPrefix}`;
  if (a.routes.restFallback && b.routes.restFallback) return 'the REST fallback';
  if (a.routes.unsignedActions === '*' && b.routes.unsignedActions === '*') return 'every unsigned query action';
  const unsigned = (service: LocalService) => (Array.isArray(service.routes.unsignedActions) ? service.routes.unsignedActions : []);
  const action = unsigned(a).find((name) => unsigned(b).includes(name));
  return action === undefined ? undefined : `the unsigned query action ${action}`;
}
