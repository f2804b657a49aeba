/**
 * Preloaded into a CLI process by start-modules.test.ts (`node --import tsx --import <this>`): records
 * every module the process loads from then on, through Node's own module hooks, and writes their URLs
 * as a JSON list to file descriptor 3 when the process exits.
 */
import { writeSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set<string>();

registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

process.on('exit', () => writeSync(3, JSON.stringify([...loaded])));
