/** The Lambda context object handed to a handler, built from the fields the host sends per invocation. */
import type { Context } from 'aws-lambda';
import type { ContextFields } from './worker-protocol';

export function createLambdaContext(fields: ContextFields): Context {
  const { deadlineMs, ...rest } = fields;
  const unsupported = (name: string) => () => {
    // Lambda's deprecated callback-style completions do not exist on nodejs24.x either.
    throw new Error(`context.${name}() is not supported: return a value or a promise from the handler`);
  };
  return {
    ...rest,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
