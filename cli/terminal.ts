/**
 * Human output: colour only on a terminal, aligned columns, and times an on-call reads at a glance
 * (UTC clock time plus how long ago). Hand-written: a few ANSI codes and a padding loop do not justify
 * a dependency.
 */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration } from '../contract/durations';

export { formatDuration };

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURED: Style = { red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
const identity = (text: string) => text;
export const PLAIN: Style = { red: identity, yellow: identity, green: identity, bold: identity, dim: identity };

/** Colour when the output is a terminal, unless NO_COLOR (https://no-color.org) or TERM=dumb says otherwise. */
export function styleFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  return stream.isTTY && !env.NO_COLOR && env.TERM !== 'dumb' ? COLOURED : PLAIN;
}

export type Align = 'left' | 'right';

/** Rows as lines with aligned columns (widths ignore colour codes); the last column is not padded. */
export function table(rows: readonly (readonly string[])[], align: readonly Align[] = [], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => {
          if (i === row.length - 1 && align[i] !== 'right') return cell;
          const padding = ' '.repeat((widths[i] ?? 0) - visibleLength(cell));
          return align[i] === 'right' ? padding + cell : cell + padding;
        })
        .join('  '),
  );
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}


/** `2026-05-01 03:11:52Z (12m 03s ago)`; the date is left out when it is today (UTC). */
export function formatTime(time: Date, now: Date): string {
  const iso = time.toISOString();
  const clock = `${iso.slice(11, 19)}Z`;
  const sameDay = iso.slice(0, 10) === now.toISOString().slice(0, 10);
  return `${sameDay ? clock : `${iso.slice(0, 10)} ${clock}`} (${formatDuration((now.getTime() - time.getTime()) / 1000)} ago)`;
}
