#!/usr/bin/env -S node --import tsx
/**
 * The `tidewatch` CLI (package.json bin; run as `npx tidewatch`): the dispatcher in cli/main.ts does
 * the work; this only hands it the process and exits with its code.
 */
import { runCli } from '../cli/main';

// The SDK warns on every run that its 2027 releases will need Node 22: nothing an on-call can act on
// mid-incident (the project runs on Node 20 by design), so it stays out of the output unless asked for.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
