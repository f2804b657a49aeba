/** The dead-letter widget's HTML, from a view: every untrusted value escaped, and buttons that say what they will do. */
import { describe, expect, it } from 'vitest';
import { ZERO_COUNTS, type RedriveRun } from '../../../contract/redrive';
import { actionButton, html } from './html';
import { renderPeek, renderWidget, type WidgetView } from './render';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Tidewatch-prod-redrive';
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>'&`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;';
const NOW = new Date('2030-01-01T12:00:00Z');

const view = (overrides: Partial<WidgetView> = {}): WidgetView => ({
  queue: 'jobs',
  functionArn: ARN,
  maxPerSecond: 20,
  bucket: 'tidewatch-uploads',
  depth: { visible: 40, inFlight: 2 },
  topReasons: [{ reason: `RequestedFailureError: ${HOSTILE}`, count: 7 }],
  sample: [{ messageId: 'm-1', sentAt: '2030-01-01T11:45:00.000Z', itemIds: [HOSTILE], reason: HOSTILE, bodyExcerpt: `{"task":"${HOSTILE}"}` }],
  now: NOW,
  ...overrides,
});

/** Each `<cwdb-action>` of the markup: its attributes and its JSON parameters. */
function actions(markup: string) {
  return [...markup.matchAll(/<a class="btn( btn-primary)?">([^<]*)<\/a><cwdb-action action="call" endpoint="([^"]*)" display="(popup|widget)"(?: confirmation="([^"]*)")?>([^<]*)<\/cwdb-action>/g)].map(
    ([, primary, label, endpoint, display, confirmation, params]) => ({ label, primary: primary !== undefined, endpoint, display, confirmation, params: JSON.parse(params!) as Record<string, unknown> }),
  );
}

describe('renderWidget', () => {
  const markup = renderWidget(view()).markup;

  it('escapes every value: bodies, item ids, reasons', () => {
    expect(markup.split(ESCAPED).length - 1).toBe(4);
    expect(markup).not.toMatch(/<script|<img|onerror=alert\(1\)>/);
  });

  it('shows the depth, the oldest dead letter seen and the top reasons', () => {
    expect(markup).toContain('<b>jobs DLQ: 42 dead letters</b> (2 being looked at) · oldest of those sampled sent 15m 00s ago');
    expect(markup).toContain(`<tr><td>7</td><td>RequestedFailureError: ${ESCAPED}</td></tr>`);
  });

  it('has Peek, Dry run, Redrive and Archive, each calling this function, the acting ones with a confirmation stating the count and the rate', () => {
    expect(actions(markup)).toEqual([
      { label: 'Peek', primary: false, endpoint: ARN, display: 'popup', confirmation: undefined, params: { widget: 'peek', queue: 'jobs', maxPerSecond: 20 } },
      {
        label: 'Dry run',
        primary: false,
        endpoint: ARN,
        display: 'popup',
        confirmation: 'Dry run: count the 42 dead letters of jobs that a redrive at 20 messages a second would move? Nothing is changed.',
        params: { widget: 'dry-run', queue: 'jobs', maxPerSecond: 20 },
      },
      {
        label: 'Redrive',
        primary: true,
        endpoint: ARN,
        display: 'widget',
        confirmation: 'Redrive all 42 dead letters of jobs back to the jobs queue at 20 messages a second (about 2s)?',
        params: { widget: 'redrive', queue: 'jobs', maxPerSecond: 20 },
      },
      {
        label: 'Archive',
        primary: false,
        endpoint: ARN,
        display: 'widget',
        confirmation: 'Archive the 1 dead letter shown to s3://tidewatch-uploads/dead-letters/jobs/ at 20 messages a second, then delete it from the DLQ?',
        params: { widget: 'archive', queue: 'jobs', maxPerSecond: 20, messageIds: ['m-1'] },
      },
    ]);
  });

  it('shows a running redrive with its progress and only Peek and Cancel', () => {
    const run: RedriveRun = {
      runId: 'run-1',
      queue: 'jobs',
      kind: 'redrive',
      mode: 'selective',
      dryRun: false,
      maxPerSecond: 20,
      requestedBy: `alice ${HOSTILE}`,
      startedAt: '2030-01-01T11:59:50.000Z',
      updatedAt: NOW.toISOString(),
      status: 'RUNNING',
      toMove: 42,
      counts: { ...ZERO_COUNTS, moved: 20 },
      failures: [],
    };
    const running = renderWidget(view({ run })).markup;
    expect(running).toContain(`<b>Redrive RUNNING</b> (run run-1, selective, asked by alice ${ESCAPED}): 20 of 42 done, 2.0/s, about 11s left`);
    expect(actions(running).map((action) => [action.label, action.confirmation])).toEqual([
      ['Peek', undefined],
      ['Cancel redrive', 'Cancel the running redrive of jobs? What it moved stays moved.'],
    ]);
  });

  it('offers no Redrive or Archive for an empty DLQ', () => {
    expect(actions(renderWidget(view({ depth: { visible: 0, inFlight: 0 }, sample: [] })).markup).map((action) => action.label)).toEqual(['Peek', 'Dry run']);
  });
});

describe('renderPeek', () => {
  it('lists each sample escaped, each with its own Archive button for exactly that message', () => {
    const markup = renderPeek(view(), view().sample).markup;
    expect(markup).toContain(ESCAPED);
    expect(markup).not.toMatch(/<script|<img/);
    expect(actions(markup)).toEqual([
      expect.objectContaining({ label: 'Archive', display: 'widget', params: { widget: 'archive', queue: 'jobs', maxPerSecond: 20, messageIds: ['m-1'] }, confirmation: expect.stringMatching(/^Archive dead letter m-1 to s3:\/\/tidewatch-uploads\/dead-letters\/jobs\/ \(1 message, at 20 a second\)/) }),
    ]);
  });
});

describe('html', () => {
  it('escapes values but keeps markup built by html itself', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${[inner, inner]}${3}</p>`.markup).toBe('<p><b>&lt;i&gt;</b><b>&lt;i&gt;</b><b>&lt;i&gt;</b>3</p>');
  });

  it('keeps JSON parameters parseable and unable to close their element', () => {
    const markup = actionButton('Go', { endpoint: ARN, params: { messageIds: ['</cwdb-action><script>&'] }, display: 'popup' }).markup;
    const [, params] = /<cwdb-action[^>]*>([^<]*)<\/cwdb-action>$/.exec(markup)!;
    expect(JSON.parse(params!)).toEqual({ messageIds: ['</cwdb-action><script>&'] });
  });
});
