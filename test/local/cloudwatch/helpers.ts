/**
 * Test helpers for the local CloudWatch: a manual clock, a small intrinsic resolver for templates
 * synthesized in the tests, an HTTP server on a free loopback port, and polling with a deadline.
 */
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Timer } from '../../../local/cloudwatch/clock';
import { listen } from '../../../local/listen';

/** A clock that only moves when told to, firing due timers in order. */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): Timer {
    const timer = { at: this.time + Math.max(0, delayMs), callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  set(time: number): void {
    this.time = time;
  }

  /** Moves time forward, running each timer at its due time and letting its async work settle. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
    await settle();
  }
}

/** Lets pending promise chains (including I/O-free async work) run to completion. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves the intrinsics CDK writes for alarms: Ref (alarms and topics by the given names),
 * Fn::GetAtt Arn of an alarm, Fn::Join. Anything else is an error, so a test never passes on a
 * half-resolved template.
 */
export function templateResolver(names: Record<string, string>, region = 'us-east-1', accountId = '000000000000') {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if ('Ref' in object) {
      const name = names[object.Ref as string];
      if (name === undefined) throw new Error(`no local name for Ref ${String(object.Ref)}`);
      return name;
    }
    if ('Fn::GetAtt' in object) {
      const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
      if (attribute !== 'Arn') throw new Error(`unsupported GetAtt ${attribute}`);
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${names[logicalId] ?? logicalId}`;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return (resolve(parts) as unknown[]).join(separator);
    }
    const keys = Object.keys(object);
    if (keys.some((k) => k.startsWith('Fn::'))) throw new Error(`unsupported intrinsic ${keys.join(',')}`);
    return Object.fromEntries(keys.map((k) => [k, resolve(object[k])]));
  };
  return resolve;
}

/** Starts an HTTP server on a free 127.0.0.1 port; returns its URL and a stop function. */
export async function startServer(listener: RequestListener): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = await listen({ host: '127.0.0.1', port: 0, purpose: 'test server' }, listener);
  return { url: server.url, stop: () => server.close() };
}


/** fauxqs (SQS, SNS) embedded on a free 127.0.0.1 port, as the local cloud embeds it. */
export async function startFauxqs(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false, defaultRegion: 'us-east-1' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
