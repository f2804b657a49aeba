/**
 * Sends the planned items with a bounded number in flight, as clients would: jobs through POST /jobs,
 * files by S3 PutObject under `uploads/<fileId>/`. An item counts as accepted only once its request got
 * its success answer; a request cut short (the cloud killed under it) is counted apart and its item is
 * sent again, as a new item, once the cloud is back.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { uploadKeyOf } from '../../contract/s3-layout';
import { fileBody, jobBody, type Behaviour, type PlannedItem } from './plan';

export interface AcceptedItem {
  /** The status item's id: the jobId, or the fileId. */
  readonly id: string;
  readonly kind: 'file' | 'job';
  readonly behaviour: Behaviour;
}

export interface LoadTarget {
  readonly api: string;
  readonly s3: S3Client;
  readonly bucket: string;
}

export interface LoadProgress {
  readonly accepted: AcceptedItem[];
  /** Requests that got no answer or an error answer; their items were sent again. */
  unanswered: number;
  /** Answers with a 5xx status: a request the pipeline should have taken. */
  serverErrors: number;
}

/** A request the pipeline refused (4xx): the soak sent something wrong, and sending it again cannot help. */
export class RefusedRequestError extends Error {
  override readonly name = 'RefusedRequestError';
}

export class LoadGenerator {
  readonly progress: LoadProgress = { accepted: [], unanswered: 0, serverErrors: 0 };
  private target: Promise<LoadTarget>;
  private resume: ((target: LoadTarget) => void) | undefined;

  constructor(target: LoadTarget) {
    this.target = Promise.resolve(target);
  }

  /** Lanes wait from now until `resumeWith`: the cloud is going down. */
  pause(): void {
    this.target = new Promise((resolve) => {
      this.resume = resolve;
    });
  }

  resumeWith(target: LoadTarget): void {
    this.resume?.(target);
    this.resume = undefined;
  }

  /** Sends every item with at most `concurrency` in flight; `onAccepted` runs after each acceptance. */
  async send(plan: readonly PlannedItem[], concurrency: number, onAccepted: (count: number) => Promise<void> | void): Promise<void> {
    const queue = [...plan];
    const lane = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const target = await this.target;
        const accepted = await this.sendOne(target, item).catch((error: Error) => {
          if (error instanceof RefusedRequestError) throw error;
          return undefined;
        });
        if (accepted) {
          this.progress.accepted.push(accepted);
          await onAccepted(this.progress.accepted.length);
        } else {
          this.progress.unanswered += 1;
          queue.push(item);
          // Let the pause that the kill triggers take effect before the next try.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  private async sendOne(target: LoadTarget, item: PlannedItem): Promise<AcceptedItem | undefined> {
    if (item.kind === 'job') {
      const response = await fetch(`${target.api}jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(jobBody(item.behaviour)),
      });
      const body = (await response.json()) as { jobId?: string };
      if (response.status >= 400 && response.status < 500) throw new RefusedRequestError(`POST /jobs answered ${response.status}: ${JSON.stringify(body)}`);
      if (response.status >= 500) this.progress.serverErrors += 1;
      return response.status === 202 && body.jobId ? { id: body.jobId, kind: 'job', behaviour: item.behaviour } : undefined;
    }
    const fileId = randomUUID();
    await target.s3
      .send(new PutObjectCommand({ Bucket: target.bucket, Key: uploadKeyOf(fileId, 'soak.csv'), Body: fileBody(item.behaviour), ContentType: 'text/csv' }))
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        const status = error.$metadata?.httpStatusCode ?? 0;
        if (status >= 400 && status < 500) throw new RefusedRequestError(`PutObject answered ${status}: ${error.message}`);
        if (status >= 500) this.progress.serverErrors += 1;
        throw error;
      });
    return { id: fileId, kind: 'file', behaviour: item.behaviour };
  }
}
