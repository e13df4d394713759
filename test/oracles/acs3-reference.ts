/**
 * A second, deliberately plain ACS3-HMAC-SHA256 signer written from docs/sources.md, "Alibaba Cloud OpenAPI and CEN", used
 * to craft requests (good and tampered) for the doubles. Checked against the vendor vectors in
 * acs3-vectors.test.ts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { CloudCredential } from '../doubles/credentials';
import type { RawRequest } from '../support/raw-http';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const rfc3986 = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(query[name] ?? '')}`)
    .join('&');
}

export interface CanonicalInput {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lowercase names; every one of them is signed. */
  readonly signedHeaders: Readonly<Record<string, string>>;
  readonly payloadHash: string;
}

export function canonicalRequest(input: CanonicalInput): string {
  const names = Object.keys(input.signedHeaders).sort();
  return [
    input.method,
    input.path,
    canonicalQuery(input.query),
    names.map((name) => `${name}:${(input.signedHeaders[name] ?? '').trim()}\n`).join(''),
    names.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function signature(canonical: string, secret: string): string {
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export interface SignOptions {
  readonly url: string;
  readonly credentials: CloudCredential;
  readonly action: string;
  readonly version: string;
  readonly method?: string;
  readonly path?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Extra headers; those named x-acs-*, host or content-type are signed. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default: now, whole seconds. */
  readonly date?: string;
  readonly nonce?: string;
}

/** A request signed exactly as the reference doc prescribes, ready for {@link send}. */
export function signedRequest(options: SignOptions): RawRequest {
  const { host } = new URL(options.url);
  const body = options.body ?? Buffer.alloc(0);
  const query = options.query ?? {};
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = {
    host,
    'x-acs-action': options.action,
    'x-acs-version': options.version,
    'x-acs-date': options.date ?? acsDate(Date.now()),
    'x-acs-signature-nonce': options.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-content-sha256': payloadHash,
    ...(options.credentials.securityToken ? { 'x-acs-security-token': options.credentials.securityToken } : {}),
    ...options.headers,
  };
  const signed = Object.fromEntries(Object.entries(headers).filter(([name]) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-')));
  const method = options.method ?? 'POST';
  const path = options.path ?? '/';
  const canonical = canonicalRequest({ method, path, query, signedHeaders: signed, payloadHash });
  headers.authorization =
    `ACS3-HMAC-SHA256 Credential=${options.credentials.accessKeyId},` +
    `SignedHeaders=${Object.keys(signed).sort().join(';')},Signature=${signature(canonical, options.credentials.accessKeySecret)}`;
  const search = canonicalQuery(query);
  return { url: options.url, method, target: search ? `${path}?${search}` : path, headers, body };
}

export const acsDate = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
