/**
 * What the CLI says when something goes wrong: a usage mistake, or a failure of AWS (or the local
 * cloud) turned into one readable line. Never a stack trace: the on-call reads this at 3 a.m.
 */

/** A failure the CLI already explained in words; printed as is, exit code 1. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    /** A stable code for `--json` consumers. */
    readonly code: string = 'Error',
  ) {
    super(message);
  }
}

/** A bad command line: unknown command or flag, missing or malformed value. Printed with a usage hint. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage helps, e.g. `dlq peek`; the top-level usage otherwise. */
    readonly commandPath?: string,
  ) {
    super(message, 'UsageError');
  }
}

// Node's network error codes that mean "nobody answered there".
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface FailureContext {
  /** `--endpoint-url`, when one is used. */
  readonly endpoint?: string;
  readonly region: string;
}

/** One line saying what failed and, where it is known, what to do; `context` is where requests went, once known. */
export function explainFailure(error: unknown, context?: FailureContext): CliError {
  if (error instanceof CliError) return error;
  if (!(error instanceof Error)) return new CliError(String(error));
  const where = context?.endpoint ?? (context ? `AWS in ${context.region}` : 'AWS');
  const network = networkCode(error);
  if (network !== undefined || error.name === 'TimeoutError') {
    const hint = context?.endpoint && isLoopback(context.endpoint) ? ': is the local cloud running (npm start)?' : '';
    return new CliError(`cannot reach ${where} (${network ?? error.message})${hint}`, 'EndpointUnreachable');
  }
  if (error.name === 'CredentialsProviderError') {
    return new CliError(
      'no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any value works against the local cloud)',
      'NoCredentials',
    );
  }
  // SDK service exceptions carry the service's error code as their name, and the response's metadata.
  if ('$metadata' in error) return new CliError(`${where} answered ${error.name}: ${error.message}`, error.name);
  return new CliError(`${error.name}: ${error.message}`, error.name);
}

/** The network error code of an error or of its cause (the SDK wraps socket errors; Node may aggregate them). */
function networkCode(error: Error): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    const inner = current instanceof AggregateError ? current.errors.find((e) => e instanceof Error) : undefined;
    if (inner) return networkCode(inner);
  }
  return undefined;
}

export function isLoopback(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}
