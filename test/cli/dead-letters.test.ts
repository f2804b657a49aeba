import { describe, expect, it } from 'vitest';
import { subjectsOf } from '../../cli/dead-letters';
import { s3Event, snsWrapped, TEST_BUCKET } from '../support/handlers/s3-notifications';

const FILE_ID = '3f2a9c4e-8b1d-4f6a-9e2c-7d5b1a0c4e8f';
const JOB_ID = '7c1d5f1e-2a3b-4c5d-8e6f-9a0b1c2d3e4f';
const message = (body: unknown, jobIdAttribute?: string) => ({
  MessageId: 'm-1',
  Body: typeof body === 'string' ? body : JSON.stringify(body),
  ...(jobIdAttribute ? { MessageAttributes: { jobId: { DataType: 'String', StringValue: jobIdAttribute } } } : {}),
});

describe('subjectsOf a dead letter about files', () => {
  it('names the fileId of uploads/<uuid>/<name>, from a direct S3 event (key URL-decoded)', () => {
    const body = s3Event({ encodedKey: `uploads/${FILE_ID}/my+people.csv` });
    expect(subjectsOf(message(body))).toEqual({ subjects: [{ kind: 'file', id: FILE_ID, s3Key: `uploads/${FILE_ID}/my people.csv` }] });
  });

  it('reads the SNS-wrapped event of the fan-out path, and keeps the rest of the key for other shapes', () => {
    const body = snsWrapped(s3Event({ encodedKey: 'uploads/batch/2026/a.csv' }));
    expect(subjectsOf(message(body)).subjects).toEqual([{ kind: 'file', id: 'batch/2026/a.csv', s3Key: 'uploads/batch/2026/a.csv' }]);
  });

  it('says why a message names no file', () => {
    expect(subjectsOf(message({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: TEST_BUCKET }))).toEqual({
      subjects: [],
      unreadable: `an s3:TestEvent for bucket ${TEST_BUCKET}`,
    });
    expect(subjectsOf(message(s3Event({ encodedKey: `uploads/${FILE_ID}/a.csv`, eventName: 'ObjectRemoved:Delete' })))).toEqual({
      subjects: [],
      unreadable: 'no ObjectCreated record (ObjectRemoved:Delete)',
    });
    expect(subjectsOf(message('not json')).unreadable).toBe('the body is not JSON');
  });
});

describe('subjectsOf a dead letter about a job', () => {
  const job = { jobId: JOB_ID, task: 'echo', fail: true, submittedAt: '2026-05-01T03:00:00.000Z' };

  it('names the job and its task from the body', () => {
    expect(subjectsOf(message(job))).toEqual({ subjects: [{ kind: 'job', id: JOB_ID, task: 'echo' }] });
  });

  it('takes the jobId attribute submit-job sets, else the jobId of a body that is not a whole job message', () => {
    expect(subjectsOf(message('garbage', JOB_ID))).toEqual({ subjects: [{ kind: 'job', id: JOB_ID }] });
    expect(subjectsOf(message({ jobId: JOB_ID }))).toEqual({ subjects: [{ kind: 'job', id: JOB_ID }] });
  });

  it('says why a message names no job', () => {
    expect(subjectsOf(message('garbage'))).toEqual({ subjects: [], unreadable: 'the body is not JSON' });
    expect(subjectsOf(message({ jobId: 'not-a-uuid', task: 'echo' }))).toEqual({ subjects: [], unreadable: 'not a job message (no valid jobId)' });
  });
});
