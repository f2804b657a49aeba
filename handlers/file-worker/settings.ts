/** What the file worker reads from its environment besides every worker's settings (shared/worker-settings.ts). */
import { requireEnv, requireNumberEnv } from '../shared/env';
import type { UploadRules } from './upload-rules';

export function readUploadRules(env: NodeJS.ProcessEnv = process.env): UploadRules {
  return { bucket: requireEnv('bucket', env), maxUploadBytes: requireNumberEnv('maxUploadBytes', env) };
}
