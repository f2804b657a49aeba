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

export interface ConsoleConfig {
  /** The HTTP API's base URL, ending in `/` (the `ApiUrl` output). */
  readonly apiUrl: string;
}

/** The content of `config.js`. */
export function renderConsoleConfig(config: ConsoleConfig): string {
  return `window.${CONSOLE_CONFIG_GLOBAL} = ${JSON.stringify(config, null, 2)};\n`;
}
