/**
 * Which function a Lambda API call names: its name, its ARN or a partial ARN (`<account>:function:<name>`),
 * each optionally qualified. Locally every function has only `$LATEST`: another version or alias, or
 * another account or region, is not found, as in Lambda.
 */
import { AwsServiceError } from '../services/aws-errors';

/** Where the local functions live. */
export interface FunctionLocation {
  readonly region: string;
  readonly accountId: string;
}

const REFERENCE = /^(?:arn:aws[\w-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([\w-]{1,64})(?::([\w$-]{1,128}))?$/;

export function functionArn(location: FunctionLocation, name: string): string {
  return `arn:aws:lambda:${location.region}:${location.accountId}:function:${name}`;
}

/** The function (of `functions`, by physical name) a reference names, or the error Lambda answers for it. */
export function findFunction<T>(reference: string, qualifierParameter: string | null, location: FunctionLocation, functions: ReadonlyMap<string, T>): T {
  const match = REFERENCE.exec(reference);
  if (!match) {
    throw new AwsServiceError('ValidationException', `1 validation error detected: Value '${reference}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`);
  }
  const [, region = location.region, arnAccount, partialAccount, name, qualifier = qualifierParameter ?? undefined] = match;
  const accountId = arnAccount ?? partialAccount ?? location.accountId;
  const found = region === location.region && accountId === location.accountId && (qualifier ?? '$LATEST') === '$LATEST' ? functions.get(name) : undefined;
  if (found === undefined) {
    const arn = `${functionArn({ region, accountId }, name)}${qualifier === undefined ? '' : `:${qualifier}`}`;
    throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
  }
  return found;
}
