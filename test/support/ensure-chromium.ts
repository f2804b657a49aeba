/** Vitest global setup: installs Debian's Chromium for the browser tests when it is missing (scripts/ensure-chromium.sh). */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  execFileSync('bash', [path.resolve(import.meta.dirname, '../../scripts/ensure-chromium.sh')], { stdio: 'inherit' });
}
