/**
 * CopyObject's conditions on its source (`x-amz-copy-source-if-*`), which fauxqs ignores: the copy
 * would go ahead whatever the source became. They are checked here against the source's HeadObject
 * before the copy is forwarded, with S3's precedence: a true If-Match copies whatever
 * If-Unmodified-Since says, a false If-None-Match refuses whatever If-Modified-Since says.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { AwsServiceError } from './aws-errors';
import { header } from './local-service';

const CONDITIONS = ['if-match', 'if-none-match', 'if-unmodified-since', 'if-modified-since'] as const;
type Condition = (typeof CONDITIONS)[number];

/** Throws S3's 412 when a copy-source condition does not hold; a missing source is left to the copy's own NoSuchKey. */
export async function checkCopySourceConditions(s3: S3Client, headers: IncomingHttpHeaders): Promise<void> {
  const given = new Map(CONDITIONS.flatMap((condition) => {
    const value = header(headers, `x-amz-copy-source-${condition}`);
    return value === undefined ? [] : [[condition, value] as const];
  }));
  const copySource = header(headers, 'x-amz-copy-source');
  if (given.size === 0 || copySource === undefined) return;
  const sourceObject = await headOf(s3, copySource);
  if (!sourceObject) return;
  const failed = failedCondition(given, sourceObject);
  if (failed) {
    throw new AwsServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: `x-amz-copy-source-${conditionName(failed)}` });
  }
}

function failedCondition(given: ReadonlyMap<Condition, string>, source: HeadObjectCommandOutput): Condition | undefined {
  const eTag = unquoted(source.ETag ?? '');
  const lastModified = source.LastModified?.getTime() ?? 0;
  const ifMatch = given.get('if-match');
  if (ifMatch !== undefined) {
    if (!eTagListed(ifMatch, eTag)) return 'if-match';
  } else if (lastModified > dateOf(given.get('if-unmodified-since'), Number.POSITIVE_INFINITY)) {
    return 'if-unmodified-since';
  }
  const ifNoneMatch = given.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (eTagListed(ifNoneMatch, eTag)) return 'if-none-match';
  } else if (lastModified <= dateOf(given.get('if-modified-since'), Number.NEGATIVE_INFINITY)) {
    return 'if-modified-since';
  }
  return undefined;
}

/** The source's metadata, or undefined when it does not exist. `x-amz-copy-source` is `[/]bucket/key[?versionId=...]`, URL-encoded. */
async function headOf(s3: S3Client, copySource: string): Promise<HeadObjectCommandOutput | undefined> {
  const [path, query = ''] = copySource.replace(/^\//, '').split('?', 2);
  const [bucket, ...key] = path.split('/').map((segment) => decodeURIComponent(segment));
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key.join('/'), VersionId: versionId }));
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/** `"abc", "def"` or `*`, against an ETag. */
function eTagListed(list: string, eTag: string): boolean {
  return list.split(',').some((item) => item.trim() === '*' || unquoted(item.trim()) === eTag);
}

function unquoted(eTag: string): string {
  return eTag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** An HTTP date's time; an absent or unreadable date is ignored, as S3 ignores it. */
function dateOf(value: string | undefined, ignored: number): number {
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? ignored : time;
}

/** `if-unmodified-since` → `If-Unmodified-Since`, as S3 names the condition in its error. */
function conditionName(condition: Condition): string {
  return condition.replace(/(^|-)(\w)/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}
