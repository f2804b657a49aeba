/**
 * The errors the local CloudWatch answers, named as CloudWatch names them so that the SDK and the CLI
 * raise the same exception classes as against AWS.
 */

/** An error with the CloudWatch error code (JSON `__type`) and its query-compatible code. */
export class CloudWatchError extends Error {
  constructor(
    /** The modelled shape name, e.g. `InvalidParameterValueException`. */
    readonly code: string,
    message: string,
    /** The query-protocol code the SDK reads from `x-amzn-query-error`, e.g. `InvalidParameterValue`. */
    readonly queryCode: string = code,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function invalidParameterValue(message: string): CloudWatchError {
  return new CloudWatchError('InvalidParameterValueException', message, 'InvalidParameterValue');
}

export function invalidParameterCombination(message: string): CloudWatchError {
  return new CloudWatchError('InvalidParameterCombinationException', message, 'InvalidParameterCombination');
}

export function missingParameter(name: string): CloudWatchError {
  return new CloudWatchError(
    'MissingRequiredParameterException',
    `The parameter ${name} is required.`,
    'MissingParameter',
  );
}

export function resourceNotFound(message: string): CloudWatchError {
  return new CloudWatchError('ResourceNotFound', message, 'ResourceNotFound', 404);
}

/** A feature CloudWatch has that the local CloudWatch does not emulate: always names it. */
export function unsupported(what: string): CloudWatchError {
  return invalidParameterValue(`The local CloudWatch does not support ${what}.`);
}
