/**
 * Server-side MNS request verification (docs/sources.md, "MNS"): Authorization format, known AccessKeyId,
 * version, Date within 15 minutes, optional Content-MD5, the HMAC-SHA1 signature, and for STS
 * keys the unsigned `security-token` header.
 */
import { createHash } from 'node:crypto';
import { sameText } from './constant-time';
import { type CloudCredential, findCredential } from './credentials';
import { MNS_VERSION, mnsError } from './mns-errors';
import { mnsSignature, mnsStringToSign } from './mns-signature';
import type { ApiError } from './openapi-errors';

export const MAX_DATE_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^MNS ([^:\s]+):(\S+)$/;
const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export interface MnsSignedRequest {
  readonly method: string;
  /** Path plus query exactly as sent. */
  readonly resource: string;
  /** Lowercase names, as Node delivers them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface MnsPolicy {
  readonly credentials: readonly CloudCredential[];
  readonly now: () => number;
}

export type MnsVerdict =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly accessKeyId: string | undefined; readonly error: ApiError };

export function verifyMns(request: MnsSignedRequest, policy: MnsPolicy): MnsVerdict {
  const { headers } = request;
  if (headers.authorization === undefined) return { ok: false, accessKeyId: undefined, error: mnsError('MissingAuthorizationHeader') };
  const authorization = AUTHORIZATION.exec(headers.authorization);
  if (!authorization) return { ok: false, accessKeyId: undefined, error: mnsError('InvalidAuthorizationHeader') };
  const [, accessKeyId = '', signature = ''] = authorization;
  const credential = findCredential(policy.credentials, accessKeyId);
  const problem = credential
    ? (versionProblem(headers) ??
      dateProblem(headers, policy.now()) ??
      md5Problem(request) ??
      signatureProblem(request, credential, signature) ??
      tokenProblem(headers, credential))
    : mnsError('InvalidAccessKeyId');
  return problem ? { ok: false, accessKeyId, error: problem } : { ok: true, accessKeyId };
}

function versionProblem(headers: MnsSignedRequest['headers']): ApiError | undefined {
  const version = headers['x-mns-version'];
  if (version === undefined) return mnsError('MissingVersionHeader');
  return version === MNS_VERSION ? undefined : mnsError('InvalidVersionHeader');
}

/** `Date`, or `x-mns-date` standing in for it, fills the DATE slot. */
const dateOf = (headers: MnsSignedRequest['headers']): string | undefined => headers.date ?? headers['x-mns-date'];

function dateProblem(headers: MnsSignedRequest['headers'], now: number): ApiError | undefined {
  const date = dateOf(headers);
  if (date === undefined) return mnsError('MissingDateHeader');
  const time = Date.parse(date);
  if (!RFC_1123.test(date) || Number.isNaN(time)) return mnsError('InvalidDateHeader', `The Date header "${date}" is not an RFC 1123 GMT date.`);
  if (Math.abs(now - time) > MAX_DATE_SKEW_MS) {
    return mnsError('TimeExpired', `The Date header "${date}" is more than 15 minutes from the server time ${new Date(now).toUTCString()}.`);
  }
  return undefined;
}

/**
 * Every official SDK sends Base64 of the lowercase hex MD5 (docs/sources.md, "MNS"); whether the RFC 1864 form
 * is accepted is unconfirmed, so only the known-good form passes here.
 */
function md5Problem(request: MnsSignedRequest): ApiError | undefined {
  const declared = request.headers['content-md5'];
  if (declared === undefined) return undefined;
  const expected = Buffer.from(createHash('md5').update(request.body).digest('hex')).toString('base64');
  return declared === expected ? undefined : mnsError('InvalidDegist', `Content-MD5 "${declared}" is not Base64(hex MD5) of the body (${expected}).`);
}

function signatureProblem(request: MnsSignedRequest, credential: CloudCredential, signature: string): ApiError | undefined {
  const stringToSign = mnsStringToSign({
    method: request.method,
    contentMd5: request.headers['content-md5'],
    contentType: request.headers['content-type'],
    date: dateOf(request.headers) ?? '',
    headers: request.headers,
    resource: request.resource,
  });
  if (sameText(mnsSignature(stringToSign, credential.accessKeySecret), signature)) return undefined;
  // Echoing what the double signed is the fastest way for a client author to find the difference.
  return mnsError(
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided. String to sign: ${JSON.stringify(stringToSign)}`,
  );
}

function tokenProblem(headers: MnsSignedRequest['headers'], credential: CloudCredential): ApiError | undefined {
  if (credential.securityToken === undefined) return undefined;
  const token = headers['security-token'];
  return token !== undefined && sameText(token, credential.securityToken) ? undefined : mnsError('SecurityTokenMismatch');
}
