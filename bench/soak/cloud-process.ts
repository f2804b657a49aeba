/**
 * The fault soak's local cloud, in a process of its own so that the soak can `kill -9` it and start it
 * again with its data kept, as a user's `npm start -- --keep` after a crash.
 *
 *   tsx bench/soak/cloud-process.ts --state DIR --port N --api-port N --download-port N --ledger FILE [--crash-every S]
 *
 * - Every status write that marks an item PROCESSED (the workers' completed work) is appended to the
 *   ledger as one line holding the item's id, synchronously: a line written survives the kill.
 * - `--crash-every S` ends one busy worker execution environment every S seconds, mid-batch, as a
 *   sandbox crash would (its batch's messages come back after their visibility timeout), until SIGUSR2.
 * - Prints one JSON line `{"ready": {...}}` on stdout once the cloud answers; its output goes to
 *   `<state>/cloud.log`.
 */
import { appendFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../../local/cloud';
import type { ServedRequest } from '../../local/services/service-registry';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    port: { type: 'string' },
    'api-port': { type: 'string' },
    'download-port': { type: 'string' },
    ledger: { type: 'string' },
    'crash-every': { type: 'string', default: '0' },
  },
});
if (!values.state || !values.ledger || !values.port || !values['api-port'] || !values['download-port']) {
  throw new Error('usage: cloud-process.ts --state DIR --port N --api-port N --download-port N --ledger FILE [--crash-every S]');
}
const ledger = values.ledger;

/** The status table's id of an UpdateItem that sets status PROCESSED, or undefined for any other request. */
function completedItemId(served: ServedRequest, statusTable: string): string | undefined {
  if (served.service !== 'DynamoDB' || served.action !== 'UpdateItem' || served.status !== 200) return undefined;
  const input = JSON.parse(served.request.body.toString('utf8')) as {
    TableName?: string;
    Key?: { id?: { S?: string } };
    ExpressionAttributeValues?: Record<string, { S?: string }>;
  };
  if (input.TableName !== statusTable || input.ExpressionAttributeValues?.[':status']?.S !== 'PROCESSED') return undefined;
  return input.Key?.id?.S;
}

const log = createWriteStream(join(values.state, 'cloud.log'), { flags: 'a' });
const cloud = await startLocalCloud({
  port: Number(values.port),
  apiPort: Number(values['api-port']),
  downloadPort: Number(values['download-port']),
  keep: true,
  stateDirectory: values.state,
  print: log,
});
const statusTable = cloud.outputs.StatusTableName!;
cloud.services.onServed((served) => {
  const id = completedItemId(served, statusTable);
  if (id !== undefined) appendFileSync(ledger, `${id}\n`);
});

const crashEverySeconds = Number(values['crash-every']);
if (crashEverySeconds > 0) {
  const nameOf = new Map(cloud.services.functions.map((fn) => [fn.logicalId, fn.name]));
  const workers = [...new Set(cloud.services.eventSourceMappings.map((mapping) => nameOf.get(mapping.functionLogicalId)!))];
  let next = 0;
  const crashes = setInterval(() => {
    // Round robin over the workers; one with nothing running is skipped this time.
    const functionName = workers[next++ % workers.length]!;
    const crashed = cloud.runtime.crashBusyEnvironment(functionName);
    if (crashed) log.write(`soak: crashed a busy execution environment of ${functionName}\n`);
  }, crashEverySeconds * 1000).unref();
  process.once('SIGUSR2', () => {
    clearInterval(crashes);
    log.write('soak: crashes stopped\n');
  });
}

process.stdout.write(`${JSON.stringify({ ready: { aws: cloud.endpoints.aws, api: cloud.endpoints.api, region: cloud.services.region, outputs: cloud.outputs } })}\n`);

process.once('SIGTERM', () => {
  void cloud.stop().then(() => process.exit(0));
});
