/**
 * zod's English messages for schemas written with `zod/mini`, which, unlike zod's classic build, sets no
 * locale itself (its issues would all read "Invalid input"). Imported by every module that builds a
 * `zod/mini` schema, before it builds one. The classic build's schemas are classes carrying every method,
 * so a bundle keeps all of them; `zod/mini`'s functions shake down to those used: about 90 KiB less in each
 * bundle that used zod's classic build, and the file worker's event schemas alone load in a third of the CPU.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
