/**
 * The report's charts as SVG strings, drawn on the server by Apache ECharts' SSR renderer (no DOM, no
 * browser, no canvas): the daily error-budget burn-down and the daily items of each work queue, and
 * the pages by hour of day. Only the chart kinds and components used are registered, which keeps the
 * function's bundle small.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { AlarmsReview, QueueReview } from './model';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

const WIDTH = 640;
const HEIGHT = 260;
const COLORS = { good: '#2e7d32', bad: '#c62828', warn: '#ef6c00', neutral: '#1565c0', night: '#4527a0', muted: '#90a4ae' };
const FONT = { fontFamily: 'system-ui, sans-serif' };

/**
 * One chart's SVG. ECharts names the CSS classes and element ids of its SVG (`zr3-cls-61`, clip path
 * `zr3-c0`) after per-process counters: they are renamed after the chart, in order of appearance, so
 * that a report renders the same in any process (the CLI re-renders a stored report) and two charts of
 * one page never share a class or an id.
 */
function render(id: string, option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({ animation: false, textStyle: FONT, ...option });
    const classes = new Map<string, string>();
    return chart.renderToSVGString().replace(/\bzr\d+-[a-z]+-?\d+\b/g, (name) => {
      if (!classes.has(name)) classes.set(name, `${id}-${classes.size}`);
      return classes.get(name)!;
    });
  } finally {
    chart.dispose();
  }
}

const dayLabel = (day: string) => day.slice(5);

/** Budget left at the end of each day, with the zero line: below it, the SLO is missed. */
export function burnDownChart(queue: QueueReview): string {
  const points = queue.success.burnDown.map((point) => (point.remainingPercent === null ? null : Number(point.remainingPercent.toFixed(2))));
  return render(`burn-down-${queue.name}`, {
    title: { text: `${queue.name}: error budget left (%)`, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: queue.success.burnDown.map((point) => dayLabel(point.day)) },
    yAxis: { type: 'value', max: 100 },
    series: [
      {
        type: 'line',
        name: 'budget left',
        data: points,
        color: COLORS.neutral,
        symbolSize: 6,
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: COLORS.bad, type: 'dashed' }, label: { formatter: 'SLO missed below' } },
      },
    ],
  });
}

/** Items processed, refused and dead-lettered per day. */
export function dailyItemsChart(queue: QueueReview): string {
  const bar = (name: string, color: string, values: number[]) => ({ type: 'bar', name, stack: 'items', color, data: values });
  return render(`daily-items-${queue.name}`, {
    title: { text: `${queue.name}: items per day`, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: queue.daily.map((day) => dayLabel(day.day)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      bar('processed', COLORS.good, queue.daily.map((day) => day.processed)),
      bar('failed (bad input)', COLORS.warn, queue.daily.map((day) => day.failed)),
      bar('dead-lettered', COLORS.bad, queue.daily.map((day) => day.deadLettered)),
    ],
  });
}

/** Pages by hour of day in the team's time zone; night hours (22–07) in their own colour. */
export function pagesByHourChart(alarms: AlarmsReview, timeZone: string, isNight: (hour: number) => boolean): string {
  return render('pages-by-hour', {
    title: { text: `Pages by hour of day (${timeZone})`, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: alarms.pagesByHour.map((_, hour) => String(hour).padStart(2, '0')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'pages',
        data: alarms.pagesByHour.map((value, hour) => ({ value, itemStyle: { color: isNight(hour) ? COLORS.night : COLORS.neutral } })),
      },
    ],
  });
}
