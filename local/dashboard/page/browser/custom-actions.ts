/**
 * Custom widget HTML as CloudWatch shows it: sanitized (no scripts, no event handlers, no iframes),
 * with each `<cwdb-action>` giving the element just before it its behaviour: `call` invokes the named
 * function with the action's JSON parameters, `html` shows the action's own content; the result goes
 * to a popup or replaces the widget; a `confirmation` is asked first and may be cancelled.
 */
import DOMPurify from 'dompurify';

export interface ActionHost {
  /** Invokes `endpoint` with the parameters (the host adds `widgetContext`); resolves to the answer's HTML. */
  call(endpoint: string, params: Record<string, unknown>): Promise<string>;
  /** Asks the viewer; resolves true when confirmed. */
  confirm(message: string): Promise<boolean>;
  popup(html: string): void;
  replaceWidget(html: string): void;
  /** Shows why an action failed. */
  fail(message: string): void;
}

const ACTION_ATTRIBUTES = ['action', 'endpoint', 'display', 'confirmation', 'event'];

export function sanitizeWidgetHtml(html: string): string {
  // URI-safe: an ARN (`arn:...`) or a question with a colon would otherwise be taken for a URL of an unknown scheme and dropped.
  return DOMPurify.sanitize(html, { ADD_TAGS: ['cwdb-action', 'style'], ADD_ATTR: ACTION_ATTRIBUTES, ADD_URI_SAFE_ATTR: ACTION_ATTRIBUTES, FORBID_TAGS: ['iframe', 'form'], FORCE_BODY: true });
}

/** Wires every `<cwdb-action>` under `root` to the element before it. */
export function wireActions(root: Element, host: ActionHost): void {
  for (const action of root.querySelectorAll<HTMLElement>('cwdb-action')) {
    // Its content is parameters or markup for later, never shown in place.
    action.hidden = true;
    const target = action.previousElementSibling;
    if (!target) continue;
    const kind = action.getAttribute('action') ?? 'html';
    const display = action.getAttribute('display') ?? 'widget';
    const confirmation = action.getAttribute('confirmation');
    // mouseenter is for html actions only: a call on hover would run without the viewer meaning it.
    const event = kind === 'call' ? (action.getAttribute('event') === 'dblclick' ? 'dblclick' : 'click') : (action.getAttribute('event') ?? 'click');
    target.classList.add('cwdb-actionable');
    target.addEventListener(event, (domEvent) => {
      domEvent.preventDefault();
      void run(action, { kind, display, confirmation }, host);
    });
  }
}

async function run(action: Element, how: { kind: string; display: string; confirmation: string | null }, host: ActionHost): Promise<void> {
  if (how.confirmation !== null && !(await host.confirm(how.confirmation))) return;
  try {
    let html: string;
    if (how.kind === 'call') {
      const endpoint = action.getAttribute('endpoint');
      if (!endpoint) throw new Error('this action calls no function (no endpoint)');
      const text = action.textContent?.trim() ?? '';
      html = await host.call(endpoint, text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
    } else {
      html = action.innerHTML;
    }
    if (how.display === 'popup') host.popup(html);
    else host.replaceWidget(html);
  } catch (error) {
    host.fail((error as Error).message);
  }
}
