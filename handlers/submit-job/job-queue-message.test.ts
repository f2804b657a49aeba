import { describe, expect, it } from 'vitest';
import { HttpError } from '../shared/http';
import { JobMessageSchema, type JobMessage } from '../job-worker/job-message';
import { jobQueueMessage, MAX_MESSAGE_BYTES } from './job-queue-message';

const JOB: JobMessage = { jobId: '6f1e9f7e-3f5a-4c1e-9d4b-2a7c8e0b5d11', task: 'echo', submittedAt: '2030-01-01T00:00:00.000Z' };
/** What the jobId attribute adds: its name, `String` and the 36-character id. */
const ATTRIBUTE_BYTES = 'jobId'.length + 'String'.length + 36;

/** A job whose message is exactly `bytes` long, its text made of a character of `width` UTF-8 bytes. */
function jobOfMessageBytes(bytes: number, character = 'x'): JobMessage {
  const empty = Buffer.byteLength(JSON.stringify({ ...JOB, payload: { text: '' } })) + ATTRIBUTE_BYTES;
  const width = Buffer.byteLength(character);
  return { ...JOB, payload: { text: character.repeat(Math.floor((bytes - empty) / width)) + 'x'.repeat((bytes - empty) % width) } };
}

describe('jobQueueMessage', () => {
  it('is the job as JSON the worker reads back, with the jobId attribute', () => {
    const message = jobQueueMessage({ ...JOB, payload: { n: [1e300] }, failUntil: '2030-01-01T00:00:00.000Z' });

    expect(JobMessageSchema.parse(JSON.parse(message.body))).toEqual({ ...JOB, payload: { n: [1e300] }, failUntil: '2030-01-01T00:00:00.000Z' });
    expect(message.attributes).toEqual({ jobId: { DataType: 'String', StringValue: JOB.jobId } });
  });

  it.each([['x'], ['€']])("accepts a message of exactly SQS's 256 KiB, counted in UTF-8 bytes with its attribute (text of %j)", (character) => {
    expect(Buffer.byteLength(jobQueueMessage(jobOfMessageBytes(MAX_MESSAGE_BYTES, character)).body) + ATTRIBUTE_BYTES).toBe(MAX_MESSAGE_BYTES);
  });

  it('refuses one byte more with a 400 naming the limit', () => {
    expect(() => jobQueueMessage(jobOfMessageBytes(MAX_MESSAGE_BYTES + 1, '€'))).toThrow(
      new HttpError(400, 'JobTooLarge', "the job's message would be 262145 bytes, over SQS's 256 KiB message limit (262144 bytes)"),
    );
  });
});
