/**
 * Job payloads and results as the status table holds them: JSON text in a string attribute, not DynamoDB
 * maps and numbers. A DynamoDB number takes at most 38 digits between 1e-130 and 1e126, and the SDK refuses
 * integers above 2^53, so a job's own JSON (any double: 1e300, 2^54) could not be stored as it is; as text,
 * every JSON value is stored exactly as JSON.stringify writes it and read back the same.
 */
import { PermanentError } from './errors';

/** A value that JSON cannot represent (a non-finite number, a BigInt, a cycle...): the same on every attempt. */
export class UnrepresentableJsonError extends PermanentError {
  override readonly name = 'UnrepresentableJsonError';
}

/** `value` as JSON text; `what` names it in the UnrepresentableJsonError thrown when JSON cannot hold it. */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    // JSON.stringify would write Infinity and NaN as null, changing the value without a word.
    text = JSON.stringify(value, (_key, child: unknown) => {
      if (typeof child === 'number' && !Number.isFinite(child)) throw new UnrepresentableJsonError(`${what} holds ${child}, which JSON cannot represent`);
      return child;
    });
  } catch (error) {
    if (error instanceof UnrepresentableJsonError) throw error;
    throw new UnrepresentableJsonError(`${what} cannot be written as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new UnrepresentableJsonError(`${what} is ${typeof value}, which JSON cannot represent`);
  return text;
}

