/**
 * `/dashboard` on the local CloudFront's port: the template's on-call dashboard drawn in the browser.
 *
 * - `GET /dashboard`: the page; `/dashboard/app.js`, `app.css`, `vendor/echarts.min.js`: its assets.
 * - `GET /dashboard/body.json`: the dashboard's name and its body from the template, resolved.
 * - `GET /dashboard/runbooks/<name>.md`: a runbook of this checkout, rendered.
 * - `POST /dashboard/api/metric-data | alarms | invoke`: the page's calls to the local AWS endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DashboardApi, DashboardInputError } from './dashboard-api';
import { PageAssets } from './page-assets';
import { runbookNames, runbookPage } from './runbook-pages';
import type { TemplateDashboard } from './template-dashboards';

export const DASHBOARD_PATH = '/dashboard';

export interface DashboardRoutesOptions {
  readonly dashboards: readonly TemplateDashboard[];
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
}

/** What the page reads first: everything it needs to draw the dashboard. */
export interface DashboardDocument {
  readonly name: string;
  readonly body: TemplateDashboard['body'];
  readonly accountId: string;
  readonly region: string;
  readonly runbooks: readonly string[];
}

/** A request body larger than this is refused: the page's calls are small. */
const MAX_BODY_BYTES = 1024 * 1024;

export class DashboardRoutes {
  private readonly api: DashboardApi;
  private readonly assets = new PageAssets();

  constructor(private readonly options: DashboardRoutesOptions) {
    this.api = new DashboardApi(options);
  }

  /** Whether `url` is the dashboard's (this class answers it). */
  static owns(url: string): boolean {
    const pathname = url.split('?')[0] as string;
    return pathname === DASHBOARD_PATH || pathname.startsWith(`${DASHBOARD_PATH}/`);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const rest = url.pathname.slice(DASHBOARD_PATH.length).replace(/^\//, '');
    try {
      if (rest.startsWith('api/')) {
        if (request.method !== 'POST') return sendJson(response, 405, { error: 'MethodNotAllowed', message: `${rest} takes POST` });
        return sendJson(response, 200, await this.call(rest.slice('api/'.length), await readJson(request)));
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'MethodNotAllowed', message: 'the dashboard takes GET' });
      if (rest === 'body.json') return sendJson(response, 200, await this.document(url.searchParams.get('name')));
      if (rest.startsWith('runbooks/')) {
        const page = await runbookPage(decodedOrEmpty(rest.slice('runbooks/'.length)));
        return page === undefined ? sendJson(response, 404, { error: 'NotFound', message: `no runbook ${rest}` }) : send(response, 200, 'text/html; charset=utf-8', page);
      }
      const asset = await this.assets.asset(rest);
      if (!asset) return sendJson(response, 404, { error: 'NotFound', message: `nothing at ${url.pathname}` });
      return send(response, 200, asset.contentType, asset.body);
    } catch (error) {
      if (error instanceof DashboardInputError) return sendJson(response, 400, { error: 'InvalidRequest', message: error.message });
      if (error instanceof UnknownDashboardError) return sendJson(response, 404, { error: 'NotFound', message: error.message });
      const { name, message } = error as Error;
      return sendJson(response, 502, { error: name, message });
    }
  }

  /** Closes the SDK clients (the runtime destroys it with its own). */
  destroy(): void {
    this.api.close();
  }

  private async document(name: string | null): Promise<DashboardDocument> {
    const { dashboards, accountId, region } = this.options;
    const dashboard = name === null ? dashboards[0] : dashboards.find((candidate) => candidate.name === name);
    if (!dashboard) throw new UnknownDashboardError(name === null ? 'the template has no dashboard' : `no dashboard named ${name}; the template's are ${dashboards.map((d) => d.name).join(', ')}`);
    return { name: dashboard.name, body: dashboard.body, accountId, region, runbooks: await runbookNames() };
  }

  private call(action: string, input: unknown): Promise<unknown> {
    switch (action) {
      case 'metric-data':
        return this.api.metricData(input);
      case 'alarms':
        return this.api.alarms(input);
      case 'invoke':
        return this.api.invoke(input);
      default:
        throw new DashboardInputError(`unknown dashboard call ${JSON.stringify(action)}: metric-data, alarms or invoke`);
    }
  }
}

class UnknownDashboardError extends Error {}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DashboardInputError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new DashboardInputError(`the request body is not JSON: ${(error as Error).message}`);
  }
}

/** A path segment percent-decoded, or '' (a name nothing has) when it is not decodable. */
function decodedOrEmpty(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json', JSON.stringify(value));
}
