/**
 * Readers of configuration values: each takes a key from raw context, applies its fallback, checks the
 * value and throws ConfigError naming the key, so a typo or a bad value never synthesizes silently.
 */

/** A configuration value that fails its check; the message names the key and what it accepts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** CDK passes `-c key=value` as text: JSON-looking text (objects, lists, booleans, numbers) is parsed. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!/^[[{]/.test(trimmed) && trimmed !== 'true' && trimmed !== 'false' && !/^-?\d+(\.\d+)?$/.test(trimmed)) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export function stringValue(raw: Readonly<Record<string, unknown>>, key: string, fallback: string, pattern: RegExp, label = key): string {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || !pattern.test(value)) throw new ConfigError(`${label} must match ${pattern}, got ${JSON.stringify(value)}`);
  return value;
}

export function stringList(raw: Record<string, unknown>, key: string, fallback: readonly string[]): readonly string[] {
  let value = parseMaybeJson(raw[key]) ?? fallback;
  if (typeof value === 'string') value = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new ConfigError(`${key} must be a non-empty list of strings`);
  }
  return value as string[];
}

export function integer(raw: Readonly<Record<string, unknown>>, key: string, fallback: number, min: number, max: number, label = key): number {
  const value = parseMaybeJson(raw[key]) ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${label} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw[key])}`);
  }
  return value;
}

/** Like stringList, but empty is allowed (the default) and every item must pass `valid`. */
export function optionalList(raw: Record<string, unknown>, key: string, fallback: readonly string[], what: string, valid: (item: string) => boolean): readonly string[] {
  let value = parseMaybeJson(raw[key]) ?? fallback;
  if (typeof value === 'string') value = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !valid(item))) {
    throw new ConfigError(`${key} must be a list of ${what}, got ${JSON.stringify(raw[key])}`);
  }
  return value as string[];
}

export function decimal(raw: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = parseMaybeJson(raw[key]) ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be a number from ${min} to ${max}, got ${JSON.stringify(raw[key])}`);
  }
  return value;
}

export function isEmail(item: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(item);
}

/** An IANA time zone name the runtime knows (`Europe/Paris`, `UTC`). */
export function timeZone(raw: Record<string, unknown>, key: string, fallback: string): string {
  const value = raw[key] ?? fallback;
  try {
    if (typeof value !== 'string' || value === '') throw new RangeError();
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new ConfigError(`${key} must be an IANA time zone such as Europe/Paris or UTC, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function boolean(raw: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = parseMaybeJson(raw[key]) ?? fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${key} must be true or false, got ${JSON.stringify(raw[key])}`);
  return value;
}

export function oneOf<T extends string>(raw: Record<string, unknown>, key: string, fallback: T, allowed: readonly T[]): T {
  const value = raw[key] ?? fallback;
  if (!allowed.includes(value as T)) throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
