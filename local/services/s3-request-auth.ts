/**
 * Who may call the local S3, decided as S3 decides it. A presigned URL is a grant: whoever holds it may
 * send the one request it was signed for (method, bucket and key, the signed headers such as
 * Content-Type and Content-Length) until it expires. The presign feature's promises can only be tested
 * locally if the local S3 keeps them, so a query-string (presigned) request is verified strictly against
 * the local cloud's one credential pair, its signature recomputed by the SDK's own SigV4 signer.
 * Requests signed in headers are SDK and CLI calls, taken with any credentials as the local cloud
 * promises; anonymous requests are refused, as a private bucket refuses them.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsServiceError } from './aws-errors';
import { LOCAL_CREDENTIALS } from '../../contract/local-cloud';
import { header, type InboundRequest } from './local-service';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** The query parameters of a SigV4 presigned URL; the signer adds them itself when it recomputes the signature. */
const AUTH_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
/** How far ahead of this machine's clock a signing date may be (S3's allowed clock skew). */
const ALLOWED_SKEW_MS = 15 * 60 * 1000;
const PAYLOAD_HASH = 'x-amz-content-sha256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** What a presigned URL grants, read from its query. */
interface Grant {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  readonly amzDate: string;
  readonly signedAt: Date;
  readonly expiresSeconds: number;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Throws the error S3 answers a request it refuses before looking at the bucket: unsigned, or presigned and not valid. */
export async function authorizeS3Request(request: InboundRequest): Promise<void> {
  // A CORS preflight is never signed; S3 answers it from the bucket's CORS rules, not its credentials.
  if (request.method === 'OPTIONS') return;
  const query = new URLSearchParams(queryOf(request.url));
  const signedInHeaders = header(request.headers, 'authorization') !== undefined;
  const presigned = query.has('X-Amz-Algorithm');
  if (signedInHeaders && presigned) {
    throw new AwsServiceError(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (signedInHeaders) return;
  if (!presigned && query.has('AWSAccessKeyId') && query.has('Signature')) {
    // Signature Version 2, which S3 refuses on every bucket created since 2020 (the AWS CLI v1 presigns with it by default).
    throw new AwsServiceError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }
  if (!presigned) throw new AwsServiceError('AccessDenied', 'Access Denied', 403);
  await verifyPresigned(request, query);
}

/** A presigned request passes when it is signed with the local credentials, within its validity, exactly as sent. */
async function verifyPresigned(request: InboundRequest, query: URLSearchParams): Promise<void> {
  const now = new Date();
  const grant = grantOf(query);
  if (grant.accessKeyId !== LOCAL_CREDENTIALS.accessKeyId) {
    throw new AwsServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: grant.accessKeyId });
  }
  const expiresAt = new Date(grant.signedAt.getTime() + grant.expiresSeconds * 1000);
  if (grant.signedAt.getTime() - now.getTime() > ALLOWED_SKEW_MS) {
    throw new AwsServiceError('AccessDenied', 'Request is not yet valid', 403, { 'X-Amz-Date': grant.amzDate, Expires: iso8601(expiresAt), ServerTime: iso8601(now) });
  }
  if (now > expiresAt) {
    throw new AwsServiceError('AccessDenied', 'Request has expired', 403, { 'X-Amz-Expires': String(grant.expiresSeconds), Expires: iso8601(expiresAt), ServerTime: iso8601(now) });
  }
  if (!sameSignature(await expectedSignature(request, query, grant), grant.signature)) {
    throw new AwsServiceError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
      { AWSAccessKeyId: grant.accessKeyId, SignatureProvided: grant.signature },
    );
  }
}

function grantOf(query: URLSearchParams): Grant {
  const malformed = (message: string) => new AwsServiceError('AuthorizationQueryParametersError', message);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const [algorithm, credential, signature, amzDate, signedHeaders, expires] = AUTH_PARAMETERS.map((name) => query.get(name) ?? '');
  if (![algorithm, credential, signature, amzDate, signedHeaders, expires].every(Boolean)) {
    throw malformed('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const scope = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(credential);
  if (!scope) throw malformed('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const [, accessKeyId, scopeDate, region, service] = scope;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  const signedAt = date ? new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`) : new Date(Number.NaN);
  if (Number.isNaN(signedAt.getTime())) throw malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (scopeDate !== amzDate.slice(0, 8)) throw malformed(`Invalid credential date "${scopeDate}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  if (!/^\d+$/.test(expires)) throw malformed('X-Amz-Expires should be a non-negative number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_EXPIRES_SECONDS) throw malformed(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  return { accessKeyId, region, service, amzDate, signedAt, expiresSeconds, signedHeaders: signedHeaders.toLowerCase().split(';'), signature };
}

/**
 * The signature the local credentials give this request, presigned again over the same canonical
 * request: its method, its path as sent, its other query parameters, the values it carries for the
 * headers the URL names as signed, the URL's own date, expiry and scope.
 */
async function expectedSignature(request: InboundRequest, query: URLSearchParams, grant: Grant): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of grant.signedHeaders) {
    const value = header(request.headers, name);
    // A signed header the request lacks stays out, so the signature differs, as at S3.
    if (value !== undefined) headers[name] = value;
  }
  const signedQuery: Record<string, string | string[]> = {};
  for (const name of new Set(query.keys())) {
    if (AUTH_PARAMETERS.includes(name)) continue;
    const values = query.getAll(name);
    signedQuery[name] = values.length === 1 ? values[0] : values;
  }
  // The payload hash S3 signs with: X-Amz-Content-Sha256 from the query (where the SDK's presigner puts
  // UNSIGNED-PAYLOAD) or from a signed header, else UNSIGNED-PAYLOAD. The signer reads it from a header
  // and hoists an x-amz-* header back into the query, under the same name.
  const unsignable = new Set<string>();
  const hashParameter = Object.keys(signedQuery).find((name) => name.toLowerCase() === PAYLOAD_HASH);
  if (hashParameter !== undefined) {
    headers[hashParameter] = String(signedQuery[hashParameter]);
    delete signedQuery[hashParameter];
  } else if (!(PAYLOAD_HASH in headers)) {
    headers[PAYLOAD_HASH] = UNSIGNED_PAYLOAD;
    unsignable.add(PAYLOAD_HASH);
  }
  const signed = new Set(grant.signedHeaders);
  const toSign: SignableRequest = { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: pathOf(request.url), query: signedQuery, headers };
  // S3 signs the path as sent (uriEscapePath off, as the S3 client signs it).
  const signer = new SignatureV4({ service: grant.service, region: grant.region, credentials: LOCAL_CREDENTIALS, sha256: Sha256, uriEscapePath: false });
  const presigned = await signer.presign(toSign, {
    signingDate: grant.signedAt,
    expiresIn: grant.expiresSeconds,
    signableHeaders: signed,
    unsignableHeaders: unsignable,
    unhoistableHeaders: new Set([...signed, ...unsignable]),
  });
  return String(presigned.query?.['X-Amz-Signature']);
}

/** Compared in constant time, so the answer's timing tells nothing about how much of a signature is right. */
function sameSignature(expected: string, provided: string): boolean {
  const [a, b] = [Buffer.from(expected), Buffer.from(provided)];
  return a.length === b.length && timingSafeEqual(a, b);
}

function pathOf(url: string): string {
  return url.split('?', 1)[0];
}

function queryOf(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start + 1);
}

/** S3's timestamps in errors: ISO 8601 to the second. */
function iso8601(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
