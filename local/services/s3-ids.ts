/** The shapes of S3's request ids, for the answers and events the gateway writes itself. */
import { randomBytes, randomUUID } from 'node:crypto';

/** 16 upper-case hex characters, the shape of S3's x-amz-request-id. */
export function randomRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

/** The shape of S3's x-amz-id-2 (an error's HostId). */
export function randomHostId(): string {
  return randomBytes(48).toString('base64');
}
