/** The SLOs' arithmetic shared by the alarms (lib/alarms/slo.ts) and the weekly review. */

/** The share of items an SLO may fail: 99.9 → 0.001 (rounded: 1 − 0.999 is not exactly 0.001 in floating point). */
export function errorBudget(targetPercent: number): number {
  return Number(((100 - targetPercent) / 100).toFixed(8));
}
