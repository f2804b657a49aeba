/**
 * Per-pull-request preview stages: how their stage and stack are named, so the preview workflow, the
 * deploy role's own rights and the tests derive the same names.
 */
import { stackName } from './naming';

/** A preview's stage is `pr<number>`. */
const PREVIEW_STAGE_PREFIX = 'pr';

/** `pr42`: the stage of pull request 42, whose stack is `Tidewatch-pr42`. */
export function previewStage(pr: number): string {
  return `${PREVIEW_STAGE_PREFIX}${pr}`;
}

/** `Tidewatch-pr`: every preview stack's name starts with it (and so do its functions' names). */
export const PREVIEW_STACK_PREFIX = stackName(PREVIEW_STAGE_PREFIX);
