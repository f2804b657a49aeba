/**
 * The stack's monthly monitoring cost, for the review. Computing it (alarms, metrics, dashboards, the
 * key, from the template and a price table) belongs to the cost tooling; until a source is plugged in,
 * the report says it is not yet computed.
 */
import type { CostReview } from './model';

export interface MonthlyCostSource {
  monthlyCost(): Promise<CostReview>;
}

export const NOT_YET_COMPUTED_NOTE = 'monthly cost: not yet computed';

export const costNotYetComputed: MonthlyCostSource = {
  monthlyCost: async () => ({ computed: false, note: NOT_YET_COMPUTED_NOTE }),
};
