/**
 * A text widget: its Markdown as HTML (GitHub-flavoured, tables included), with every link to a
 * runbook (`.../runbooks/<name>.md`) that this project has pointed at the local copy the dashboard
 * serves, so the on-call rehearsing offline reads the runbook of this checkout.
 */
import { Marked, type Tokens } from 'marked';

/** Where the dashboard serves the project's runbooks. */
export const RUNBOOKS_PATH = '/dashboard/runbooks/';

export function localRunbookHref(href: string, runbooks: ReadonlySet<string>): string {
  const name = /\/runbooks\/([\w.-]+\.md)(?:[?#].*)?$/.exec(href)?.[1];
  return name !== undefined && runbooks.has(name) ? `${RUNBOOKS_PATH}${name}` : href;
}

export function textWidgetHtml(markdown: string, runbooks: ReadonlySet<string>): string {
  const marked = new Marked({
    gfm: true,
    async: false,
    walkTokens(token) {
      if (token.type === 'link') (token as Tokens.Link).href = localRunbookHref((token as Tokens.Link).href, runbooks);
    },
  });
  return marked.parse(markdown) as string;
}
