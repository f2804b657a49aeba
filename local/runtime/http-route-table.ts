/**
 * HTTP API route selection (`POST /jobs`, `GET /jobs/{id}`, `ANY /files/{proxy+}`, `$default`), with
 * API Gateway's precedence: an exact route beats one with path variables, which beats a greedy
 * `{proxy+}`, which beats `$default`; a route for the method beats `ANY`.
 */

export interface MatchedRoute<T> {
  readonly routeKey: string;
  readonly target: T;
  /** Values of the route's path variables, URL-decoded; undefined when it has none. */
  readonly pathParameters: Record<string, string> | undefined;
}

interface Route<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly string[];
  readonly target: T;
  /** Lower is more specific. */
  readonly rank: number;
}

export class RouteTable<T> {
  private readonly routes: Route<T>[];
  private readonly fallback: { routeKey: string; target: T } | undefined;

  constructor(entries: readonly { readonly routeKey: string; readonly target: T }[]) {
    this.fallback = entries.find((entry) => entry.routeKey === '$default');
    this.routes = entries
      .filter((entry) => entry.routeKey !== '$default')
      .map((entry) => parseRoute(entry.routeKey, entry.target))
      .sort((left, right) => left.rank - right.rank);
  }

  match(method: string, path: string): MatchedRoute<T> | undefined {
    const segments = path.split('/').slice(1);
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const pathParameters = matchSegments(route.segments, segments);
      if (pathParameters) {
        return { routeKey: route.routeKey, target: route.target, pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined };
      }
    }
    return this.fallback && { routeKey: '$default', target: this.fallback.target, pathParameters: undefined };
  }
}

function parseRoute<T>(routeKey: string, target: T): Route<T> {
  const match = /^([A-Z]+) (\/.*)$/.exec(routeKey);
  if (!match) throw new Error(`route key ${JSON.stringify(routeKey)} is not "METHOD /path" or $default`);
  const [, method = '', path = ''] = match;
  const segments = path.split('/').slice(1);
  const greedy = segments.some((segment) => segment.endsWith('+}'));
  const variables = segments.filter((segment) => segment.startsWith('{')).length;
  return { routeKey, method, segments, target, rank: (greedy ? 10_000 : 0) + variables * 10 + (method === 'ANY' ? 1 : 0) };
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    const variable = /^\{(.+?)(\+?)\}$/.exec(segment);
    if (variable?.[2] === '+') {
      const rest = actual.slice(index);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      parameters[variable[1] as string] = decode(rest.join('/'));
      return parameters;
    }
    const value = actual[index];
    if (value === undefined) return undefined;
    if (variable) {
      if (value === '') return undefined;
      parameters[variable[1] as string] = decode(value);
    } else if (segment !== value) return undefined;
  }
  return pattern.length === actual.length ? parameters : undefined;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
