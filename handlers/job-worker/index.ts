/** Job worker (job queues) entry: it needs no client of its own; the shared worker entry wires the rest. */
import { workerHandler } from '../shared/worker-handler';
import { jobWorkerKind } from './worker-kind';

export const handler = workerHandler('job-worker', ({ instrumentation, store }) => jobWorkerKind({ store, instrumentation }));
