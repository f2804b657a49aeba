import { describe, expect, it } from 'vitest';
import { EmptyFileError, FileTooLargeError, NotCsvError, OutsideUploadPrefixError, WrongBucketError } from './errors';
import type { FileRef } from './notification';
import { fileIdOf, fileNameOf, processedKeyOf } from '../../contract/s3-layout';
import { decodeS3Key } from './s3-layout';
import { checkUpload, extensionOf } from './upload-rules';

const ID = '0b9c2f7e-3f1a-4c55-9d1e-6a7b8c9d0e1f';
const rules = { bucket: 'uploads-bucket', maxUploadBytes: 1000 };
const file = (overrides: Partial<FileRef>): FileRef => ({
  bucket: 'uploads-bucket',
  key: `uploads/${ID}/orders.csv`,
  version: 'v:1',
  size: 10,
  eventTime: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

describe('S3 layout', () => {
  it('decodes S3 notification keys: + is a space, percent escapes are UTF-8', () => {
    expect(decodeS3Key('uploads/x/Q1+r%C3%A9sum%C3%A9+%2B+notes.csv')).toBe('uploads/x/Q1 résumé + notes.csv');
  });

  it.each([
    [`uploads/${ID}/orders.csv`, ID],
    [`uploads/${ID}/my report.csv`, ID],
    ['uploads/orders.csv', 'orders.csv'],
    ['uploads/team/2030/orders.csv', 'team/2030/orders.csv'],
    [`uploads/${ID}/nested/orders.csv`, `${ID}/nested/orders.csv`],
    ['uploads/not-a-uuid/orders.csv', 'not-a-uuid/orders.csv'],
    ['elsewhere/orders.csv', 'elsewhere/orders.csv'],
  ])('fileId of %s is %s', (key, fileId) => {
    expect(fileIdOf(key)).toBe(fileId);
  });

  it('moves to the same rest of key under processed/', () => {
    expect(processedKeyOf(`uploads/${ID}/my report.csv`)).toBe(`processed/${ID}/my report.csv`);
    expect(() => processedKeyOf('other/x.csv')).toThrow(RangeError);
  });

  it('names a file by its last key segment', () => {
    expect(fileNameOf(`uploads/${ID}/résumé 李雷.csv`)).toBe('résumé 李雷.csv');
  });
});

describe('checkUpload', () => {
  it('accepts a CSV-like upload within the limit', () => {
    for (const name of ['orders.csv', 'ORDERS.CSV', 'export.txt', 'no-extension']) {
      expect(() => checkUpload(file({ key: `uploads/${ID}/${name}` }), rules)).not.toThrow();
    }
  });

  it('rejects another bucket, a key outside uploads/ and the prefix itself', () => {
    expect(() => checkUpload(file({ bucket: 'someone-elses' }), rules)).toThrow(new WrongBucketError('bucket someone-elses is not the upload bucket uploads-bucket'));
    expect(() => checkUpload(file({ key: 'processed/x/orders.csv' }), rules)).toThrow(new OutsideUploadPrefixError('key processed/x/orders.csv is not under uploads/'));
    expect(() => checkUpload(file({ key: 'uploads/' }), rules)).toThrow(OutsideUploadPrefixError);
  });

  it('rejects a non-CSV extension by name, before any download', () => {
    expect(() => checkUpload(file({ key: `uploads/${ID}/photo.png` }), rules)).toThrow(
      new NotCsvError('file name extension .png is not a CSV type (accepted: .csv, .txt or none)'),
    );
    expect(() => checkUpload(file({ key: `uploads/${ID}/book.xlsx` }), rules)).toThrow(NotCsvError);
  });

  it('rejects a file over the limit or empty by the size the event announced', () => {
    expect(() => checkUpload(file({ size: 1001 }), rules)).toThrow(new FileTooLargeError('file is 1001 bytes; the limit is 1000'));
    expect(() => checkUpload(file({ size: 1000 }), rules)).not.toThrow();
    expect(() => checkUpload(file({ size: 0 }), rules)).toThrow(EmptyFileError);
  });

  it('reads extensions case-insensitively and not from a leading dot', () => {
    expect(extensionOf('a.b.CSV')).toBe('.csv');
    expect(extensionOf('.profile')).toBe('');
    expect(extensionOf('README')).toBe('');
  });
});
