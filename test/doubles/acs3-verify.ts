/**
 * Server-side ACS3-HMAC-SHA256 verification (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"). The signature is recomputed
 * with the official `@alicloud/openapi-util` `getAuthorization`, never with the product's own
 * signer, so a bug shared by the product's signer and its tests cannot make both agree.
 */
import { createHash } from 'node:crypto';
import OpenApiUtil from '@alicloud/openapi-util';
import * as $tea from '@alicloud/tea-typescript';
import { sameText } from './constant-time';
import { type CloudCredential, findCredential } from './credentials';
import { type ApiError, openApiError } from './openapi-errors';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
/** The gateway's allowed clock skew for `x-acs-date`. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]+),Signature=([0-9a-f]{64})$/;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const REQUIRED_HEADERS = ['x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'] as const;

export interface SignedRequest {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded: the CanonicalURI. */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** Lowercase names, as Node delivers them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface Acs3Policy {
  /** The only `x-acs-version` the service answers. */
  readonly version: string;
  readonly credentials: readonly CloudCredential[];
  readonly now: () => number;
  /** Nonces already used; a verified request adds its own. */
  readonly seenNonces: Set<string>;
  /** Headers that must be signed whenever they are sent, besides `host` and every `x-acs-*`. */
  readonly alsoSigned?: readonly string[];
}

export type Acs3Verdict =
  | { readonly ok: true; readonly accessKeyId: string; readonly action: string }
  | { readonly ok: false; readonly accessKeyId: string | undefined; readonly error: ApiError };

export function verifyAcs3(request: SignedRequest, policy: Acs3Policy): Acs3Verdict {
  const authorization = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (!authorization) {
    return refuse(
      undefined,
      openApiError(
        'IncompleteSignature',
        `The Authorization header must read "${ACS3_ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>".`,
      ),
    );
  }
  const [, accessKeyId = '', signedHeaderList = '', signature = ''] = authorization;
  const credential = findCredential(policy.credentials, accessKeyId);
  if (!credential) return refuse(accessKeyId, openApiError('InvalidAccessKeyId.NotFound'));

  const problem =
    missingHeader(request) ??
    versionProblem(request, policy) ??
    dateProblem(request, policy.now()) ??
    signedHeadersProblem(request, signedHeaderList, policy.alsoSigned ?? []) ??
    payloadProblem(request) ??
    signatureProblem(request, credential, signedHeaderList.split(';'), signature) ??
    securityTokenProblem(request, credential);
  if (problem) return refuse(accessKeyId, problem);

  // Checked last, so a request refused for another reason leaves its nonce unused.
  const nonce = request.headers['x-acs-signature-nonce'] ?? '';
  if (policy.seenNonces.has(nonce)) return refuse(accessKeyId, openApiError('SignatureNonceUsed'));
  policy.seenNonces.add(nonce);
  return { ok: true, accessKeyId, action: request.headers['x-acs-action'] ?? '' };
}

function refuse(accessKeyId: string | undefined, error: ApiError): Acs3Verdict {
  return { ok: false, accessKeyId, error };
}

function missingHeader(request: SignedRequest): ApiError | undefined {
  const missing = [...REQUIRED_HEADERS, 'host'].find((name) => !request.headers[name]);
  return missing
    ? openApiError('MissingParameter', `The input parameter "${missing}" that is mandatory for processing this request is not supplied.`)
    : undefined;
}

function versionProblem(request: SignedRequest, policy: Acs3Policy): ApiError | undefined {
  const version = request.headers['x-acs-version'];
  return version === policy.version
    ? undefined
    : openApiError('NoSuchVersion', `Specified version "${version}" is not valid; this service answers ${policy.version}.`);
}

function dateProblem(request: SignedRequest, now: number): ApiError | undefined {
  const date = request.headers['x-acs-date'] ?? '';
  const time = Date.parse(date);
  if (!ACS_DATE.test(date) || Number.isNaN(time)) {
    return openApiError('InvalidTimeStamp.Format', `Specified x-acs-date "${date}" is not yyyy-MM-ddTHH:mm:ssZ.`);
  }
  if (Math.abs(now - time) > MAX_CLOCK_SKEW_MS) {
    return openApiError(
      'InvalidTimeStamp.Expired',
      `Specified x-acs-date "${date}" is more than 15 minutes from the server time ${new Date(now).toISOString()}.`,
    );
  }
  return undefined;
}

function signedHeadersProblem(request: SignedRequest, list: string, alsoSigned: readonly string[]): ApiError | undefined {
  const names = list.split(';');
  const canonical = [...new Set(names.map((name) => name.toLowerCase()))].sort();
  if (canonical.join(';') !== list) {
    return openApiError('SignatureDoesNotMatch', `SignedHeaders "${list}" must be lowercase, unique and sorted.`);
  }
  const unsent = names.find((name) => request.headers[name] === undefined);
  if (unsent) return openApiError('IncompleteSignature', `Signed header "${unsent}" is not in the request.`);
  const mustSign = Object.keys(request.headers).filter((name) => name === 'host' || name.startsWith('x-acs-') || alsoSigned.includes(name));
  const unsigned = mustSign.find((name) => !names.includes(name));
  return unsigned ? openApiError('IncompleteSignature', `Header "${unsigned}" is sent but not listed in SignedHeaders.`) : undefined;
}

function payloadProblem(request: SignedRequest): ApiError | undefined {
  const declared = request.headers['x-acs-content-sha256'];
  const actual = createHash('sha256').update(request.body).digest('hex');
  return declared === actual
    ? undefined
    : openApiError('SignatureDoesNotMatch', `x-acs-content-sha256 "${declared}" is not the SHA-256 of the body (${actual}).`);
}

function signatureProblem(request: SignedRequest, credential: CloudCredential, signedHeaders: readonly string[], signature: string): ApiError | undefined {
  const teaRequest = new $tea.Request();
  teaRequest.method = request.method;
  teaRequest.pathname = request.path;
  teaRequest.query = { ...request.query };
  teaRequest.headers = Object.fromEntries(signedHeaders.map((name) => [name, request.headers[name] ?? '']));
  const expected = OpenApiUtil.getAuthorization(
    teaRequest,
    ACS3_ALGORITHM,
    request.headers['x-acs-content-sha256'] ?? '',
    credential.accessKeyId,
    credential.accessKeySecret,
  );
  const expectedSignature = expected.slice(expected.lastIndexOf('Signature=') + 'Signature='.length);
  return sameText(expectedSignature, signature) ? undefined : openApiError('SignatureDoesNotMatch');
}

function securityTokenProblem(request: SignedRequest, credential: CloudCredential): ApiError | undefined {
  if (credential.securityToken === undefined) return undefined;
  const token = request.headers['x-acs-security-token'];
  if (token === undefined) return openApiError('MissingSecurityToken');
  return sameText(token, credential.securityToken) ? undefined : openApiError('InvalidSecurityToken.MismatchWithAccessKey');
}
