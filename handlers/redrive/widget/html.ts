/**
 * Server-rendered HTML for a CloudWatch custom widget: every value escaped (message bodies and failure
 * messages are untrusted), and `<cwdb-action>` elements, the only interactivity custom widgets allow
 * (they strip JavaScript and forbid iframes).
 *
 * `html` is a template tag that escapes every value it is given unless it is already `Html` (markup
 * built by `html` itself): a value cannot reach the page as markup by forgetting to escape it.
 * Hand-written around escape-html: a dozen lines, where a template engine would be a dependency of its own.
 */
import escapeHtml from 'escape-html';

/** Markup built by `html`: safe to insert as it is. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = Html | string | number | readonly Html[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  const piece = (value: HtmlValue): string => (value instanceof Html ? value.markup : Array.isArray(value) ? value.map(piece).join('') : escapeHtml(String(value)));
  return new Html(strings.reduce((out, part, index) => out + part + (index < values.length ? piece(values[index]!) : ''), ''));
}

export interface CwdbAction {
  /** The Lambda function called (this function's ARN). */
  readonly endpoint: string;
  /** The event the call sends. */
  readonly params: Record<string, unknown>;
  /** `popup` shows the answer in a modal; `widget` replaces the widget with it. */
  readonly display: 'popup' | 'widget';
  /** Asked before the call; the user may cancel. */
  readonly confirmation?: string;
}

/**
 * A button that calls a Lambda function. The parameters are JSON inside the element; `<`, `>` and `&`
 * are written as JSON unicode escapes, so the JSON parses the same and no value can close the element.
 */
export function actionButton(label: string, action: CwdbAction, primary = false): Html {
  const params = new Html(JSON.stringify(action.params).replace(/[<>&]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const confirmation = action.confirmation === undefined ? new Html('') : html` confirmation="${action.confirmation}"`;
  return html`<a class="btn${primary ? ' btn-primary' : ''}">${label}</a><cwdb-action action="call" endpoint="${action.endpoint}" display="${action.display}"${confirmation}>${params}</cwdb-action>`;
}
