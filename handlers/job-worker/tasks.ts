/**
 * The job worker's task registry: every task a client may name on POST /jobs. Each task declares the
 * schema of its payload, so submit-job can reject a bad payload with 400 before anything is queued, and
 * the worker rejects one that arrives anyway (a redrive, a hand-sent message) as a permanent failure.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { describeIssues, quoted } from '../shared/errors';
import * as z from '../shared/zod-mini';
import { InvalidPayloadError, UnknownTaskError } from './errors';

/** What a running task may ask of its invocation. */
export interface TaskContext {
  /** Milliseconds until the function times out. */
  remainingTimeMs(): number;
  /** Milliseconds the invocation had when it started: the most any attempt can have. */
  readonly invocationMs: number;
}

export interface Task {
  readonly description: string;
  /** The payload's schema (zod). */
  readonly input: z.ZodMiniType;
  /** Validates the payload (InvalidPayloadError when invalid) and runs the task. */
  run(payload: unknown, context: TaskContext): Promise<unknown>;
}

/** The longest `sleep` a job may ask for. */
export const MAX_SLEEP_MS = 10_000;
/** Time kept free after a `sleep` so the job's status can still be written before the function times out. */
export const SLEEP_SAFETY_MARGIN_MS = 2_000;

/** The invocation has too little time left for the task; a later delivery, in a fresh invocation, can run it. */
export class InsufficientTimeError extends Error {
  override readonly name = 'InsufficientTimeError';
}

function defineTask<S extends z.ZodMiniType>(
  description: string,
  input: S,
  run: (input: z.output<S>, context: TaskContext) => unknown,
): Task {
  return {
    description,
    input,
    async run(payload, context) {
      const parsed = input.safeParse(payload);
      if (!parsed.success) throw new InvalidPayloadError(`invalid payload: ${describeIssues(parsed.error.issues)}`);
      return run(parsed.data, context);
    },
  };
}

// Built on the first word-count, not at load: the word segmenter loads ICU's break data (~10 ms measured),
// which would add to every cold start of submit-job (it imports this registry) and the job worker.
let segmenters: { readonly word: Intl.Segmenter; readonly grapheme: Intl.Segmenter } | undefined;
function textSegmenters() {
  segmenters ??= {
    word: new Intl.Segmenter(undefined, { granularity: 'word' }),
    grapheme: new Intl.Segmenter(undefined, { granularity: 'grapheme' }),
  };
  return segmenters;
}

export const TASKS = {
  echo: defineTask('returns its payload unchanged', z.record(z.string(), z.unknown()), (payload) => payload),

  sum: defineTask(
    'adds `numbers` (1 to 10,000 finite numbers): {count, sum, mean, min, max}',
    z.strictObject({ numbers: z.array(z.number()).check(z.minLength(1), z.maxLength(10_000)) }),
    ({ numbers }) => {
      const sum = numbers.reduce((total, value) => total + value, 0);
      // Finite inputs can still overflow: JSON cannot represent Infinity, and the answer would be wrong anyway.
      if (!Number.isFinite(sum)) throw new InvalidPayloadError('the sum of numbers overflows a double');
      return { count: numbers.length, sum, mean: sum / numbers.length, min: Math.min(...numbers), max: Math.max(...numbers) };
    },
  ),

  'word-count': defineTask(
    'counts the words, lines and characters (grapheme clusters) of `text`, in any script',
    z.strictObject({ text: z.string() }),
    ({ text }) => {
      const { word: wordSegmenter, grapheme: graphemeSegmenter } = textSegmenters();
      let words = 0;
      for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words += 1;
      const characters = Array.from(graphemeSegmenter.segment(text)).length;
      const lines = text === '' ? 0 : text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
      return { words, lines, characters };
    },
  ),

  sleep: defineTask(
    `waits \`ms\` milliseconds (0 to ${MAX_SLEEP_MS}), within the invocation's remaining time`,
    z.strictObject({ ms: z.number().check(z.int(), z.minimum(0), z.maximum(MAX_SLEEP_MS)) }),
    async ({ ms }, context) => {
      // Longer than a whole invocation allows, it would fail the same way on every attempt: bad input.
      if (ms > context.invocationMs - SLEEP_SAFETY_MARGIN_MS) {
        throw new InvalidPayloadError(`sleep of ${ms} ms can never fit this worker's invocations of ${context.invocationMs} ms (${SLEEP_SAFETY_MARGIN_MS} ms kept free)`);
      }
      const available = context.remainingTimeMs() - SLEEP_SAFETY_MARGIN_MS;
      if (ms > available) throw new InsufficientTimeError(`sleep of ${ms} ms does not fit the ${Math.max(0, available)} ms this invocation has left`);
      const started = performance.now();
      await sleepFor(ms);
      return { sleptMs: Math.round(performance.now() - started) };
    },
  ),
} as const satisfies Record<string, Task>;

export type TaskName = keyof typeof TASKS;

/** The registered task names, sorted (the order error messages list them in). */
export const TASK_NAMES: readonly TaskName[] = (Object.keys(TASKS) as TaskName[]).sort();

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}

/** The message naming the known tasks, for an unknown task name. */
export function unknownTaskMessage(name: string): string {
  return `unknown task ${quoted(name)}; known tasks: ${TASK_NAMES.join(', ')}`;
}

/** Runs a task by name; an unknown task (UnknownTaskError) or an invalid payload (InvalidPayloadError) is permanent. */
export async function runTask(name: string, payload: unknown, context: TaskContext): Promise<unknown> {
  if (!isTaskName(name)) throw new UnknownTaskError(unknownTaskMessage(name));
  return TASKS[name].run(payload, context);
}
