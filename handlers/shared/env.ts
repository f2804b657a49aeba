/**
 * Reading the environment contract (contract/env.ts) in a handler: every variable by its contract name,
 * failing at cold start with the variable's name when the stack did not set it.
 */
import { ENV, type EnvKey } from '../../contract/env';

export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

/** Reads a required variable of the contract; throws naming it when absent. */
export function requireEnv(key: EnvKey, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[ENV[key]];
  if (value === undefined || value === '') throw new MissingEnvironmentError(`environment variable ${ENV[key]} is not set`);
  return value;
}

/** Reads a required numeric variable of the contract. */
export function requireNumberEnv(key: EnvKey, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requireEnv(key, env);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new MissingEnvironmentError(`environment variable ${ENV[key]} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads a required JSON variable of the contract; throws naming it when it is not JSON. */
export function requireJsonEnv(key: EnvKey, env: NodeJS.ProcessEnv = process.env): unknown {
  const raw = requireEnv(key, env);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new MissingEnvironmentError(`environment variable ${ENV[key]} must be JSON, got ${JSON.stringify(raw)}: ${(error as Error).message}`);
  }
}
