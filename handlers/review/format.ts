/**
 * How a report's numbers read, the same in the HTML, the Markdown and the summary: counts with
 * thousands separators, percentages to two decimals (99.95% and 99.9% must not both read 100%),
 * durations in the largest sensible unit, and "no data" for a figure CloudWatch had nothing for.
 */
import type { FigureChange, FigureUnit, HeadlineFigure } from './model';

export const NO_DATA = 'no data';

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(value: number | null): string {
  return value === null ? NO_DATA : COUNT.format(value);
}

export function percent(value: number | null, digits = 2): string {
  return value === null ? NO_DATA : `${value.toFixed(digits)}%`;
}

export function milliseconds(value: number | null): string {
  if (value === null) return NO_DATA;
  return value < 1000 ? `${Math.round(value)} ms` : duration(value / 1000);
}

/** 42 s, 3.5 min, 2.1 h, 1.5 d. */
export function duration(seconds: number | null): string {
  if (seconds === null) return NO_DATA;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function figure(value: number | null, unit: FigureUnit): string {
  switch (unit) {
    case 'count':
      return count(value);
    case 'percent':
      return percent(value);
    case 'seconds':
      return duration(value);
    case 'milliseconds':
      return milliseconds(value);
  }
}

/** `+3`, `−0.05 pp`, `+2.0 min`; a figure compared with nothing reads "new". */
export function change(delta: FigureChange | undefined, unit: FigureUnit): string {
  if (!delta) return '';
  if (delta.change === null) return delta.previous === null ? 'new' : 'n/a';
  if (delta.change === 0) return '±0';
  const sign = delta.change > 0 ? '+' : '−';
  const magnitude = Math.abs(delta.change);
  return unit === 'percent' ? `${sign}${magnitude.toFixed(2)} pp` : `${sign}${figure(magnitude, unit)}`;
}

/** Whether a change went the good way, the bad way, or nowhere. */
export function direction(headline: HeadlineFigure, delta: FigureChange | undefined): 'better' | 'worse' | 'same' {
  if (!delta || delta.change === null || delta.change === 0) return 'same';
  return (delta.change > 0) === (headline.better === 'up') ? 'better' : 'worse';
}

export function yesNo(met: boolean | null): string {
  return met === null ? NO_DATA : met ? 'met' : 'missed';
}
