/**
 * Where the project is and how templates point back into it: plain values with no CDK import, so the
 * CLI and benches can read them without loading aws-cdk-lib.
 */
import { fileURLToPath } from 'node:url';

/** The repository root: `handlers/` and `package-lock.json` live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Resource metadata keys the local cloud reads to run a function from its TypeScript source. */
export const ENTRY_METADATA_KEY = 'Tidewatch:Entry';
export const HANDLER_METADATA_KEY = 'Tidewatch:Handler';
