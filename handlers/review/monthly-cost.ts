/**
 * The stack's monthly monitoring cost, for the review: priced at synthesis from the template (alarms,
 * custom metrics, dashboards, the key) and handed to the function in its environment.
 */
import type { MonitoringCostSummary } from '../../contract/review';
import type { CostReview } from './model';

export interface MonthlyCostSource {
  monthlyCost(): Promise<CostReview>;
}

export const NOT_YET_COMPUTED_NOTE = 'monthly cost: not yet computed';

export const costNotYetComputed: MonthlyCostSource = {
  monthlyCost: async () => ({ computed: false, note: NOT_YET_COMPUTED_NOTE }),
};

/** The cost the stack priced at synthesis. */
export function pricedAtSynthesis(summary: MonitoringCostSummary): MonthlyCostSource {
  return { monthlyCost: async () => ({ computed: true, monthlyUsd: summary.monthlyUsd, basis: summary.basis }) };
}
