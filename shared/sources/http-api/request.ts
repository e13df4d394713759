/**
 * An FC 3.0 HTTP trigger event as a request: size checked first (an oversize body costs nothing),
 * then method, decoded path, headers and query as delivered (docs/sources.md, "Function Compute":
 * repeated keys arrive comma-joined, header-name casing is not promised).
 */
import { ProductError } from '../../core/errors';
import type { FcHttpEvent } from '../../runtime/fc';
import { isPlainObject } from '../json';
import type { RequestSurface } from './routes';

export const MAX_BODY_BYTES = 64 * 1024;

/** The HTTP request, normalised: lower-case header names, raw body bytes (Base64 decoded). */
export interface HttpRequestView extends RequestSurface {
  readonly method: string;
  /** Decoded path without a trailing slash. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters as delivered; {@link surfaceIssues} refuses anything not exactly documented. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly rawBody: Buffer;
  readonly sourceIp?: string | undefined;
  readonly requestId?: string | undefined;
}

export { isHttpEvent } from '../shapes';

/** @throws ProductError `PayloadTooLarge` for a body over {@link MAX_BODY_BYTES}, before anything else is read. */
export function readHttpEvent(event: FcHttpEvent): HttpRequestView {
  const body = typeof event.body === 'string' ? event.body : '';
  // Check the size before decoding, so an oversize body costs nothing.
  const encodedLimit = event.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES * 4;
  if (body.length > encodedLimit) throw new ProductError('PayloadTooLarge');
  const rawBody = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (rawBody.length > MAX_BODY_BYTES) throw new ProductError('PayloadTooLarge');
  const headers: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of Object.entries(isPlainObject(event.headers) ? event.headers : {})) {
    if (typeof value !== 'string') continue;
    const lower = name.toLowerCase();
    if (lower in headers && headers[lower] !== value) repeated.add(lower);
    headers[lower] = value;
  }
  // Methods are case-sensitive (RFC 9110 §9.1): `post` is not `POST`, and is answered 405.
  const method = event.requestContext?.http?.method ?? 'GET';
  let path = event.requestContext?.http?.path ?? safeDecode(event.rawPath);
  path = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return {
    method,
    path,
    headers,
    repeatedHeaders: [...repeated],
    query: isPlainObject(event.queryParameters) ? { ...event.queryParameters } : {},
    rawBody,
    sourceIp: event.requestContext?.http?.sourceIp,
    requestId: event.requestContext?.requestId,
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
