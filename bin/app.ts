/** The CDK app (`cdk.json`: `npx tsx bin/app.ts`). */
import { ConfigError } from '../lib/config';
import { createApp } from '../lib/app';

try {
  createApp().app.synth();
} catch (error) {
  // A bad setting is the user's to fix: say which, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(`tidewatch: invalid configuration: ${error.message}`);
  process.exitCode = 1;
}
