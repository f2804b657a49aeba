/**
 * Who may call the HTTP API, and the routes that depend on it. Shared by the config (lib/), the
 * console's runtime configuration and the local cloud.
 */

/**
 * `none`: anonymous (a lab's way); `iam`: SigV4-signed programmatic callers only; `jwt`: a bearer token
 * from an OIDC issuer (Cognito or any other), checked by an HTTP API JWT authorizer.
 */
export const API_AUTH_MODES = ['none', 'iam', 'jwt'] as const;

export type ApiAuthMode = (typeof API_AUTH_MODES)[number];

/** The stage the local cloud synthesizes (local/template/synthesize.ts). */
export const LOCAL_STAGE = 'local';

/**
 * `GET /items` lists every caller's items, so it exists only where callers are known (`iam`, `jwt`) or
 * on the local stage, which nobody else reaches.
 */
export function listsAllItems(stage: string, apiAuth: ApiAuthMode): boolean {
  return stage === LOCAL_STAGE || apiAuth !== 'none';
}
