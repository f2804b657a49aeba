/**
 * `--filter` terms, each `key=value`, all of which a dead letter must match:
 *   class=<failure class>         the item's last failure class (status table), exactly
 *   message=<text>                its last failure message contains the text
 *   older-than=<age or time>      first sent before: `30m`, `2h`, `3d` ago, or an ISO-8601 time
 *   newer-than=<age or time>      first sent at or after
 *   body.<path>=<value>           a field of the JSON body equals the value (`body.task=echo`)
 * Ages become absolute times here, so every chunk of a run judges a message the same way.
 */
import type { RedriveFilter } from '../contract/redrive';
import { UsageError } from './errors';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export const FILTER_HELP = 'class=<failure class>, message=<text>, older-than|newer-than=<30m|2h|3d|ISO time>, body.<field>=<value> (repeat to combine)';

export function parseFilter(terms: readonly string[], now: Date, commandPath: string): RedriveFilter | undefined {
  if (terms.length === 0) return undefined;
  const filter: { -readonly [K in keyof RedriveFilter]: RedriveFilter[K] } = {};
  const once = (key: keyof RedriveFilter, term: string) => {
    if (filter[key] !== undefined) throw new UsageError(`--filter ${term}: ${key} is given twice`, commandPath);
  };
  for (const term of terms) {
    const at = term.indexOf('=');
    if (at <= 0 || at === term.length - 1) throw new UsageError(`--filter ${JSON.stringify(term)} is not key=value (${FILTER_HELP})`, commandPath);
    const key = term.slice(0, at);
    const value = term.slice(at + 1);
    if (key === 'class') {
      once('failureClass', term);
      filter.failureClass = value;
    } else if (key === 'message') {
      once('messageContains', term);
      filter.messageContains = value;
    } else if (key === 'older-than' || key === 'newer-than') {
      const field = key === 'older-than' ? 'olderThan' : 'newerThan';
      once(field, term);
      filter[field] = timeOf(value, now, term, commandPath);
    } else if (key.startsWith('body.') && /^body(\.[\w-]+)+$/.test(key)) {
      once('bodyField', term);
      filter.bodyField = { path: key.slice('body.'.length), equals: value };
    } else {
      throw new UsageError(`--filter ${JSON.stringify(term)}: unknown key ${JSON.stringify(key)} (${FILTER_HELP})`, commandPath);
    }
  }
  return filter;
}

/** `30m`, `2h`, `3d` before now, or an ISO-8601 time, as ISO-8601. */
function timeOf(value: string, now: Date, term: string, commandPath: string): string {
  const age = /^(\d+)([smhd])$/.exec(value);
  if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_SECONDS[age[2]!]! * 1000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value))) return new Date(value).toISOString();
  throw new UsageError(`--filter ${term}: ${JSON.stringify(value)} is neither an age (30m, 2h, 3d) nor an ISO-8601 time`, commandPath);
}
