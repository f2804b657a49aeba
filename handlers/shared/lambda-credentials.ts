/**
 * The credentials of a Lambda function, for every SDK client of a bundle: the function role's from the
 * environment variables the runtime sets, else from the container credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI with its authorization token), which SnapStart and Lambda Managed
 * Instances use instead. The SDK's own providers in one memoized chain per process, fetched again before
 * they expire.
 *
 * The bundles substitute this module for `@aws-sdk/credential-provider-node` (lib/instrumented-function.ts):
 * the SDK's default chain also bundles the shared-file, SSO, process, web identity and instance metadata
 * providers, with the STS and SSO clients they call, none of which a Lambda function uses.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { chain, memoize } from '@smithy/core/config';

/** Credentials are fetched again this long before they expire, as the SDK's default chain does. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

interface Expiring {
  readonly expiration?: Date;
}

/**
 * The process's one chain. fromHttp reads its endpoint when made and throws when there is none, so it is
 * made at the first call that gets past the environment.
 */
export const lambdaCredentials = memoize(
  chain(fromEnv(), () => fromHttp()()),
  (credentials: Expiring) => credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS,
  (credentials: Expiring) => credentials.expiration !== undefined,
);

/** Stands in for `@aws-sdk/credential-provider-node`'s `defaultProvider`, which every SDK client calls. */
export const defaultProvider = () => lambdaCredentials;
