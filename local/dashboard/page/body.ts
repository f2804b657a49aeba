/**
 * A CloudWatch dashboard body, as `PutDashboard` takes it (the "Dashboard Body Structure and Syntax"
 * reference): the parts the local renderer reads. Shared by the server, which reads it from the
 * template, and the page, which draws it.
 */

export interface DashboardBody {
  /** Relative (`-PT3H`) or absolute (ISO 8601) start of the time range shown when the dashboard opens. */
  readonly start?: string;
  readonly end?: string;
  readonly periodOverride?: 'auto' | 'inherit';
  readonly widgets: readonly Widget[];
}

export interface Widget {
  readonly type: string;
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  readonly properties?: Record<string, unknown>;
}

/** A metric row's last element: how the metric is drawn (or an expression row's only element). */
export interface MetricRendering {
  readonly id?: string;
  readonly expression?: string;
  readonly label?: string;
  readonly stat?: string;
  readonly period?: number;
  readonly visible?: boolean;
  readonly color?: string;
  readonly yAxis?: 'left' | 'right';
}

/** `[namespace, metricName, dimName, dimValue, ..., rendering?]`, where `"."` repeats the row above's value. */
export type MetricRow = readonly (string | MetricRendering)[];

export interface HorizontalAnnotation {
  readonly value: number;
  readonly label?: string;
  readonly color?: string;
  readonly fill?: 'above' | 'below';
  readonly yAxis?: 'left' | 'right';
  readonly visible?: boolean;
}

export interface YAxisSide {
  readonly min?: number;
  readonly max?: number;
  readonly label?: string;
  readonly showUnits?: boolean;
}

export interface MetricWidgetProperties {
  readonly title?: string;
  readonly view?: string;
  readonly stacked?: boolean;
  readonly region?: string;
  readonly metrics?: readonly MetricRow[];
  readonly stat?: string;
  readonly period?: number;
  readonly yAxis?: { readonly left?: YAxisSide; readonly right?: YAxisSide };
  readonly annotations?: { readonly horizontal?: readonly HorizontalAnnotation[] };
}

export interface AlarmWidgetProperties {
  readonly title?: string;
  readonly alarms?: readonly string[];
  readonly sortBy?: 'default' | 'stateUpdatedTimestamp' | 'timestamp';
  readonly states?: readonly string[];
}

export interface TextWidgetProperties {
  readonly markdown?: string;
  readonly background?: 'solid' | 'transparent';
}

export interface CustomWidgetProperties {
  readonly title?: string;
  /** The Lambda function's ARN. */
  readonly endpoint?: string;
  readonly params?: Record<string, unknown>;
  readonly updateOn?: { readonly refresh?: boolean; readonly resize?: boolean; readonly timeRange?: boolean };
}
