/**
 * The web console's runtime configuration: the console is static, so what differs per stage (the API's
 * URL) is a small script beside it, `site/config.js`, written after each deploy from the stack's
 * outputs and loaded by the page before its own code.
 */

/** Where the console lives in the bucket; the distribution serves it under the same path. */
export const CONSOLE_PREFIX = 'site/';

/** The bucket key of the runtime configuration. */
export const CONSOLE_CONFIG_KEY = `${CONSOLE_PREFIX}config.js`;

/** The global the configuration script sets. */
export const CONSOLE_CONFIG_GLOBAL = 'TIDEWATCH_CONFIG';

/** The page after the distribution's root: `/` redirects here. */
export const CONSOLE_INDEX_PATH = `/${CONSOLE_PREFIX}index.html`;

export interface ConsoleConfig {
  /** The HTTP API's base URL, ending in `/` (the `ApiUrl` output). */
  readonly apiUrl: string;
  /** `jwt`: the console asks for a bearer token and sends it. @default 'none' (the console does not sign for `iam`) */
  readonly apiAuth?: 'none' | 'jwt';
  /** Whether `GET /items` exists; without it the console lists the items this browser created. @default false */
  readonly listsItems?: boolean;
}

/** The content of `config.js`. */
export function renderConsoleConfig(config: ConsoleConfig): string {
  return `window.${CONSOLE_CONFIG_GLOBAL} = ${JSON.stringify(config, null, 2)};\n`;
}
