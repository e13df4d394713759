/**
 * Alibaba Cloud OpenAPI V3 signature, ACS3-HMAC-SHA256 (docs/sources.md, "Alibaba Cloud OpenAPI and CEN").
 * Pure: the date and nonce are passed in, so the same input always gives the same headers.
 * Knows nothing of CEN, FC or events.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Credentials } from '../../runtime/credentials';

export const ALGORITHM = 'ACS3-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface SignableRequest {
  /** HTTP method; upper-cased when signed. */
  readonly method: string;
  /** Exactly the Host header that is sent, including `:port` when not the default. */
  readonly host: string;
  /** The path as sent (already percent-encoded); `/` for RPC-style APIs. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Extra headers to sign (`x-acs-action`, `x-acs-version`, `content-type`, …). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
}

export interface SigningInput {
  /** Signing time; the API accepts ±15 minutes of skew. */
  readonly date: Date;
  /** Unique per request (never reused, also across retries). */
  readonly nonce: string;
}

/** A signature nonce: 32 hex characters. randomUUID draws from a batched entropy pool (no synchronous read per call). */
export const randomNonce = (): string => randomUUID().replaceAll('-', '');

const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;

/**
 * RFC 3986 percent-encoding as Alibaba canonicalises it: unreserved `A-Z a-z 0-9 - _ . ~` kept,
 * everything else as `%XX` of its UTF-8 bytes (space `%20`, `*` `%2A`, `!'()` encoded too).
 */
export function percentEncode(value: string): string {
  // Most names and values need no encoding at all: skip the work for them.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Query parameters encoded, sorted by encoded name (code-unit order), joined as `a=1&b=2`. */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .map((name) => [percentEncode(name), percentEncode(query[name] ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** True for the headers ACS3 signs: `host`, `content-type` and every `x-acs-*`. */
function isSignedHeader(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-');
}

/** Canonical header block (`name:value\n` each, sorted) and the `;`-joined signed header names. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): { canonical: string; signedHeaders: string } {
  const byName = new Map<string, string[]>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!isSignedHeader(name)) continue;
    const values = byName.get(name) ?? [];
    values.push(value.trim());
    byName.set(name, values);
  }
  const names = [...byName.keys()].sort();
  return {
    canonical: names.map((name) => `${name}:${byName.get(name)!.join(',')}\n`).join(''),
    signedHeaders: names.join(';'),
  };
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `yyyy-MM-ddTHH:mm:ssZ`, UTC, no milliseconds. */
export function formatAcsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface SignedParts {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  /** Every header to send with the request, including the caller's own and `Authorization`. */
  readonly headers: Record<string, string>;
}

/** Signs a request and shows the intermediate strings (for tests and debugging). */
export function signAcs3Detailed(request: SignableRequest, credentials: Credentials, input: SigningInput): SignedParts {
  const body = request.body ?? '';
  const payloadHash = body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
  const headers: Record<string, string> = {
    ...lowerCaseKeys(request.headers),
    host: request.host,
    'x-acs-date': formatAcsDate(input.date),
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': payloadHash,
  };
  if (credentials.securityToken) headers['x-acs-security-token'] = credentials.securityToken;

  const { canonical, signedHeaders } = canonicalHeaders(headers);
  const canonicalRequest = [request.method.toUpperCase(), request.path, canonicalQueryString(request.query), canonical, signedHeaders, payloadHash].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, headers };
}

/** The headers to send for `request`: the caller's, plus `x-acs-*` signing headers and `Authorization`. */
export function signAcs3(request: SignableRequest, credentials: Credentials, input: SigningInput): Record<string, string> {
  return signAcs3Detailed(request, credentials, input).headers;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}
