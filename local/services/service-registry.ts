/**
 * The services plugged into the one endpoint. The gateway routes and dispatches through it; a service
 * can be registered at any time (the local CloudWatch and the runtime's Lambda API plug in after the
 * emulated services), and calls to anything not registered, or to an action a service does not list,
 * answer `UnsupportedOperation` naming service and action.
 */
import { unsupportedOperation } from './aws-errors';
import type { HandlerResult, InboundRequest, LocalService } from './local-service';
import { routeRequest, type RoutedRequest } from './routing';

export class ServiceRegistry {
  private readonly services = new Map<string, LocalService>();

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
    return service.handle(request, routed);
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
