/**
 * zod's `zod/mini` build with zod's English messages, which, unlike zod's classic build, it does not set
 * itself (its issues would all read "Invalid input"). The handlers import `z` from here, never from
 * `zod/mini`, so no schema is built before the messages are set. The classic build's schemas are classes
 * carrying every method, so a bundle keeps all of them; `zod/mini`'s functions shake down to those used:
 * about 90 KiB less in each bundle that used zod's classic build, and the file worker's event schemas
 * alone load in a third of the CPU.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
