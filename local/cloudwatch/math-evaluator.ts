/**
 * Evaluates a metric math syntax tree over series aligned on one time grid. A series holds one slot
 * per period, `undefined` where the period has no datapoint. As in CloudWatch: arithmetic and
 * comparisons between two series only yield a value where both have one; a non-finite result (x/0)
 * is no datapoint; comparisons and logical operators yield 1 or 0.
 *
 * Supported functions: IF(cond, a[, b]), FILL(x, value | REPEAT | LINEAR), SUM / AVG / MIN / MAX
 * (of a list: per period; of one series: one scalar over all its periods), ABS, CEIL, FLOOR,
 * PERIOD(x), RATE(x) (change per second), DIFF(x), METRICS(). Anything else is a clear error.
 */
import { invalidParameterValue, unsupported } from './errors';
import type { MathNode } from './math-parser';
import type { TimeGrid } from './model';

export type Slots = ReadonlyArray<number | undefined>;

export interface Series {
  readonly label: string;
  readonly values: Slots;
}

export type MathValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'list'; readonly items: readonly Series[] };

export interface MathContext {
  readonly grid: TimeGrid;
  /** The value of another query of the request, by id. */
  resolve(id: string): MathValue;
  /** Every MetricStat series of the request (for METRICS()). */
  metrics(): Series[];
}

export const SUPPORTED_FUNCTIONS = [
  'IF', 'FILL', 'SUM', 'AVG', 'MIN', 'MAX', 'ABS', 'CEIL', 'FLOOR', 'PERIOD', 'RATE', 'DIFF', 'METRICS',
] as const;

export function evaluateMath(node: MathNode, context: MathContext, label: string): MathValue {
  return new Evaluator(context, label).evaluate(node);
}

type Operation = (a: number, b: number) => number;

const BINARY: Record<string, Operation> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  '&&': (a, b) => Number(a !== 0 && b !== 0),
  '||': (a, b) => Number(a !== 0 || b !== 0),
};

class Evaluator {
  constructor(
    private readonly context: MathContext,
    private readonly label: string,
  ) {}

  evaluate(node: MathNode): MathValue {
    switch (node.type) {
      case 'number':
        return { kind: 'scalar', value: node.value };
      case 'ref':
        return this.context.resolve(node.id);
      case 'keyword':
        throw invalidParameterValue(`${node.name} is only valid as the second argument of FILL.`);
      case 'list':
        return { kind: 'list', items: node.items.flatMap((item) => this.asSeriesList(this.evaluate(item))) };
      case 'unary':
        return this.map(this.evaluate(node.operand), node.op === '-' ? (v) => -v : (v) => Number(v === 0));
      case 'binary':
        return this.combine(this.evaluate(node.left), this.evaluate(node.right), BINARY[node.op]);
      case 'call':
        return this.call(node.name, node.args);
    }
  }

  private call(name: string, args: readonly MathNode[]): MathValue {
    const arity = (min: number, max = min): void => {
      if (args.length < min || args.length > max) {
        throw invalidParameterValue(`${name} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}.`);
      }
    };
    switch (name) {
      case 'IF':
        arity(2, 3);
        return this.ifThenElse(args);
      case 'FILL':
        arity(2);
        return this.fill(this.evaluate(args[0]), args[1]);
      case 'SUM':
      case 'AVG':
      case 'MIN':
      case 'MAX':
        arity(1);
        return this.reduce(name, this.evaluate(args[0]));
      case 'ABS':
      case 'CEIL':
      case 'FLOOR': {
        arity(1);
        const f = { ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor }[name];
        return this.map(this.evaluate(args[0]), f);
      }
      case 'PERIOD':
        arity(1);
        return { kind: 'scalar', value: this.context.grid.periodSeconds };
      case 'RATE':
      case 'DIFF': {
        arity(1);
        const perSecond = name === 'RATE';
        return this.mapSeries(this.evaluate(args[0]), (values) => this.change(values, perSecond));
      }
      case 'METRICS':
        arity(0);
        return { kind: 'list', items: this.context.metrics() };
      default:
        throw unsupported(`the metric math function ${name} (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`);
    }
  }

  private ifThenElse(args: readonly MathNode[]): MathValue {
    const [condition, then, otherwise] = args.map((arg) => this.evaluate(arg));
    const branches = [condition, then, ...(otherwise ? [otherwise] : [])];
    if (branches.every((b) => b.kind === 'scalar')) {
      const [c, t, o] = branches.map((b) => (b as { value: number }).value);
      return { kind: 'scalar', value: c !== 0 ? t : otherwise ? o : NaN };
    }
    const [c, t, o] = branches.map((b) => this.slots(b));
    const values = c.map((cv, i) => (cv === undefined ? undefined : cv !== 0 ? t[i] : o?.[i]));
    return this.series(values);
  }

  private fill(value: MathValue, filler: MathNode): MathValue {
    return this.mapSeries(value, (values) => {
      if (filler.type === 'keyword') return filler.name === 'REPEAT' ? repeat(values) : linear(values);
      const fillWith = this.slots(this.evaluate(filler));
      return values.map((v, i) => v ?? fillWith[i]);
    });
  }

  private reduce(name: 'SUM' | 'AVG' | 'MIN' | 'MAX', value: MathValue): MathValue {
    const fold = (numbers: number[]): number | undefined => {
      if (numbers.length === 0) return undefined;
      if (name === 'MIN') return Math.min(...numbers);
      if (name === 'MAX') return Math.max(...numbers);
      const sum = numbers.reduce((a, b) => a + b, 0);
      return name === 'SUM' ? sum : sum / numbers.length;
    };
    if (value.kind === 'scalar') return value;
    if (value.kind === 'series') return { kind: 'scalar', value: fold(defined(value.series.values)) ?? NaN };
    const slots = Array.from({ length: this.context.grid.count }, (_, i) =>
      fold(defined(value.items.map((item) => item.values[i]))),
    );
    return this.series(slots);
  }

  /** Change between consecutive datapoints, per second for RATE; the first datapoint has none. */
  private change(values: Slots, perSecond: boolean): Slots {
    let previous: { index: number; value: number } | undefined;
    return values.map((value, index) => {
      if (value === undefined) return undefined;
      const result = previous
        ? (value - previous.value) / (perSecond ? (index - previous.index) * this.context.grid.periodSeconds : 1)
        : undefined;
      previous = { index, value };
      return result;
    });
  }

  private combine(left: MathValue, right: MathValue, operation: Operation): MathValue {
    if (left.kind === 'scalar' && right.kind === 'scalar') return { kind: 'scalar', value: operation(left.value, right.value) };
    if (left.kind === 'list' || right.kind === 'list') {
      const items = left.kind === 'list' ? left.items : (right as { items: readonly Series[] }).items;
      return {
        kind: 'list',
        items: items.map((item) => {
          const l = left.kind === 'list' ? this.seriesValue(item) : left;
          const r = right.kind === 'list' ? this.seriesValue(item) : right;
          return { label: item.label, values: this.slots(this.combine(l, r, operation)) };
        }),
      };
    }
    const [l, r] = [this.slots(left), this.slots(right)];
    return this.series(l.map((a, i) => (a === undefined || r[i] === undefined ? undefined : operation(a, r[i]!))));
  }

  private map(value: MathValue, f: (v: number) => number): MathValue {
    if (value.kind === 'scalar') return { kind: 'scalar', value: f(value.value) };
    return this.mapSeries(value, (values) => values.map((v) => (v === undefined ? undefined : f(v))));
  }

  private mapSeries(value: MathValue, f: (values: Slots) => Slots): MathValue {
    if (value.kind === 'list') return { kind: 'list', items: value.items.map((s) => ({ label: s.label, values: clean(f(s.values)) })) };
    return this.series(f(this.slots(value)));
  }

  private series(values: Slots): MathValue {
    return { kind: 'series', series: { label: this.label, values: clean(values) } };
  }

  private seriesValue(series: Series): MathValue {
    return { kind: 'series', series };
  }

  /** A scalar broadcast over the grid, or a series' own slots; a list here is an error. */
  private slots(value: MathValue): Slots {
    if (value.kind === 'scalar') return new Array(this.context.grid.count).fill(value.value);
    if (value.kind === 'series') return value.series.values;
    throw invalidParameterValue('A list of time series cannot be used where a single time series is expected.');
  }

  private asSeriesList(value: MathValue): Series[] {
    if (value.kind === 'list') return [...value.items];
    return [{ label: value.kind === 'series' ? value.series.label : this.label, values: this.slots(value) }];
  }
}

/** Non-finite results (x/0, NaN) are no datapoint, as in CloudWatch. */
function clean(values: Slots): Slots {
  return values.map((v) => (v === undefined || !Number.isFinite(v) ? undefined : v));
}

function defined(values: Slots): number[] {
  return values.filter((v): v is number => v !== undefined && Number.isFinite(v));
}

function repeat(values: Slots): Slots {
  let last: number | undefined;
  const filled = values.map((v) => (v === undefined ? last : (last = v)));
  // Leading gaps take the first real value, as CloudWatch's REPEAT does.
  const first = values.find((v) => v !== undefined);
  return filled.map((v) => v ?? first);
}

function linear(values: Slots): Slots {
  return values.map((v, i) => {
    if (v !== undefined) return v;
    let before = i - 1;
    while (before >= 0 && values[before] === undefined) before -= 1;
    let after = i + 1;
    while (after < values.length && values[after] === undefined) after += 1;
    if (before < 0 || after >= values.length) return undefined;
    const [a, b] = [values[before]!, values[after]!];
    return a + ((b - a) * (i - before)) / (after - before);
  });
}
