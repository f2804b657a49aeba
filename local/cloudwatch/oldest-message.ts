/**
 * Where the age of a queue's oldest message comes from. SQS's GetQueueAttributes has no such
 * attribute (AWS computes `ApproximateAgeOfOldestMessage` internally) and receiving messages to read
 * their `SentTimestamp` would be destructive: it raises their receive count (and so pushes them
 * towards the DLQ) and hides them for a visibility timeout. fauxqs offers a read-only inspection of
 * a queue's ready, delayed and in-flight messages; the oldest `sentTimestamp` among them is the age
 * AWS reports ("the oldest non-deleted message").
 */

/** The oldest non-deleted message's sent time (epoch ms), or `undefined` when the queue is empty. */
export type OldestMessageSource = (queueName: string) => Promise<number | undefined>;

interface InspectedMessage {
  readonly sentTimestamp: number;
}

interface FauxqsQueueInspection {
  readonly messages: {
    readonly ready: readonly InspectedMessage[];
    readonly delayed: readonly InspectedMessage[];
    readonly inflight: ReadonlyArray<{ readonly message: InspectedMessage }>;
  };
}

/**
 * Reads fauxqs's non-destructive inspection endpoint `GET <address>/_fauxqs/queues/<name>`.
 * @param fauxqsAddress fauxqs's own address (e.g. `http://127.0.0.1:4570`); the gateway refuses unsigned requests.
 */
export function fauxqsOldestMessage(fauxqsAddress: string): OldestMessageSource {
  const base = fauxqsAddress.replace(/\/+$/, '');
  return async (queueName) => {
    const response = await fetch(`${base}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
    if (!response.ok) {
      throw new Error(`fauxqs inspection of queue ${queueName} answered HTTP ${response.status}`);
    }
    const inspection = (await response.json()) as FauxqsQueueInspection;
    const { ready, delayed, inflight } = inspection.messages;
    const sent = [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((m) => m.sentTimestamp);
    return sent.length === 0 ? undefined : Math.min(...sent);
  };
}
