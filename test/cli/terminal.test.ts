import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, styleFor, table } from '../../cli/terminal';

describe('styleFor', () => {
  it('colours a terminal only, and never with NO_COLOR or TERM=dumb', () => {
    expect(styleFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(styleFor({ isTTY: false }, {}).red('x')).toBe('x');
    expect(styleFor({}, {}).red('x')).toBe('x');
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(styleFor({ isTTY: true }, { TERM: 'dumb' }).red('x')).toBe('x');
  });
});

describe('table', () => {
  it('aligns columns by their visible width, colour codes aside, and leaves the last column unpadded', () => {
    const red = styleFor({ isTTY: true }, {}).red;
    const lines = table(
      [
        ['QUEUE', 'VISIBLE', 'NOTE'],
        ['files', red('12'), 'a'],
        ['jobs', '3', 'longer note'],
      ],
      ['left', 'right', 'left'],
    );
    expect(lines.map((line) => line.replace(/\u001b\[\d+m/g, ''))).toEqual([
      '  QUEUE  VISIBLE  NOTE',
      '  files       12  a',
      '  jobs         3  longer note',
    ]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [42.4, '42s'],
    [60, '1m 00s'],
    [312, '5m 12s'],
    [3600 * 3 + 240, '3h 04m'],
    [86_400 * 2 + 3600 * 3 + 59, '2d 3h'],
    [-5, '0s'],
  ])('%s s is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatTime', () => {
  const now = new Date('2026-05-01T03:24:00Z');
  it('shows the UTC clock and how long ago, with the date only when it is not today', () => {
    expect(formatTime(new Date('2026-05-01T03:11:52Z'), now)).toBe('03:11:52Z (12m 08s ago)');
    expect(formatTime(new Date('2026-04-30T23:00:00Z'), now)).toBe('2026-04-30 23:00:00Z (4h 24m ago)');
  });
});
