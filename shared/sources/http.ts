/**
 * The FC 3.0 HTTP trigger as a source: the event becomes a request view, a route, and (for the API)
 * an authenticated command. Responses are FC's `{statusCode, headers, body}` with a JSON body.
 */
import { BandwidthPlanError, ProductError } from '../errors';
import type { FcHttpEvent, FcHttpResponse } from '../fc';
import { derivedClientToken, freshClientToken } from '../idempotency';
import type { CreateCommand } from '../pipeline';
import { isPlainObject, parseUntrustedJson } from './json';
import { needsRequestLineSignature, verifyWebhook } from './webhook-auth';

export const MAX_BODY_BYTES = 64 * 1024;
export const CHAT_PLATFORMS = ['dingtalk', 'slack', 'lark'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

/** The HTTP request, normalised: lower-case header names, raw body bytes (Base64 decoded). */
export interface HttpRequestView {
  readonly method: string;
  /** Decoded path without a trailing slash. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  readonly sourceIp?: string | undefined;
  readonly requestId?: string | undefined;
}

export type HttpRoute =
  | { readonly name: 'create' }
  | { readonly name: 'status'; readonly id: string }
  | { readonly name: 'chatops'; readonly platform: ChatPlatform };

export function isHttpEvent(event: unknown): event is FcHttpEvent {
  return isPlainObject(event) && typeof event.rawPath === 'string' && (isPlainObject(event.requestContext) || typeof event.version === 'string');
}

export function readHttpEvent(event: FcHttpEvent): HttpRequestView {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const body = typeof event.body === 'string' ? event.body : '';
  // Check the size before decoding, so an oversize body costs nothing.
  const encodedLimit = event.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES * 4;
  if (body.length > encodedLimit) throw new ProductError('PayloadTooLarge');
  const rawBody = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (rawBody.length > MAX_BODY_BYTES) throw new ProductError('PayloadTooLarge');
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  let path = event.requestContext?.http?.path ?? safeDecode(event.rawPath);
  path = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return {
    method,
    path,
    headers,
    query: { ...(event.queryParameters ?? {}) },
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

/** 405, carrying the method the path does accept (sent back in `Allow`). */
export class MethodNotAllowedError extends ProductError {
  readonly allow: string;
  constructor(method: string, path: string, allow: string) {
    super('MethodNotAllowed', `${method} is not allowed on ${path}; use ${allow}`);
    this.allow = allow;
  }
}

const STATUS_PATH = /^\/bandwidth-plans\/([^/]+)$/;

/** Which handler serves the request; 404 for unknown paths, 405 for a known path with another method. */
export function routeHttpRequest(request: HttpRequestView): HttpRoute {
  const allow = (method: string) => {
    if (request.method !== method) throw new MethodNotAllowedError(request.method, request.path, method);
  };
  if (request.path === '/bandwidth-plans') {
    allow('POST');
    return { name: 'create' };
  }
  const status = STATUS_PATH.exec(request.path);
  if (status) {
    allow('GET');
    return { name: 'status', id: status[1]! };
  }
  const chat = /^\/chatops\/([a-z]+)$/.exec(request.path);
  if (chat && (CHAT_PLATFORMS as readonly string[]).includes(chat[1]!)) {
    allow('POST');
    return { name: 'chatops', platform: chat[1] as ChatPlatform };
  }
  throw new ProductError('NotFound', `No route for ${request.path}`);
}

/** Refuses (401) any API request that is not signed with a configured webhook secret. */
export function authenticateApiRequest(request: HttpRequestView, secrets: readonly string[], nowSeconds: number): void {
  const line = { method: request.method, path: request.path, query: request.query, idempotencyKey: request.headers['idempotency-key'] };
  const verdict = verifyWebhook(
    { timestamp: request.headers['x-webhook-timestamp'], signature: request.headers['x-webhook-signature'] },
    request.rawBody,
    secrets,
    nowSeconds,
    line,
  );
  if (verdict.ok) return;
  const messages = {
    'not-configured': 'The HTTP API is disabled: no WEBHOOK_SECRET is configured.',
    'missing-signature': 'Sign the request: X-Webhook-Timestamp and X-Webhook-Signature are required.',
    stale: 'X-Webhook-Timestamp is not within 300 seconds of now.',
    'bad-signature': needsRequestLineSignature(line)
      ? 'X-Webhook-Signature does not match. Dry runs, status reads and requests with an Idempotency-Key need a v2 signature over the method, path, query and key too (see README).'
      : 'X-Webhook-Signature does not match.',
  } as const;
  throw new ProductError('Unauthorized', messages[verdict.reason]);
}

/** The body as a JSON object, or a 400 that says why not. */
export function parseJsonBody(request: HttpRequestView): Record<string, unknown> {
  let body: unknown;
  try {
    body = parseUntrustedJson(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ProductError('InvalidJson', `The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`, { cause: error });
  }
  if (!isPlainObject(body)) throw new ProductError('InvalidJson', 'The body must be a JSON object of CreateCenBandwidthPackage parameters.');
  return body;
}

/**
 * A create command from `POST /bandwidth-plans`. ClientToken precedence: the body's `ClientToken`,
 * then the `Idempotency-Key` header (hashed), then a token derived from the request's own signature
 * (returned to the caller, who can retry with it). The signature covers the timestamp and the body,
 * so a new request gets a new token, while a captured request replayed within the 300 s window maps
 * to the same token and buys nothing.
 */
export function createCommandFromHttp(request: HttpRequestView, fcRequestId: string): CreateCommand {
  const input = parseJsonBody(request);
  const idempotencyKey = request.headers['idempotency-key'];
  const signature = request.headers['x-webhook-signature'];
  const clientToken =
    typeof input.ClientToken === 'string'
      ? input.ClientToken
      : idempotencyKey
        ? derivedClientToken('http', idempotencyKey)
        : signature
          ? derivedClientToken('http', 'signed-request', signature)
          : freshClientToken();
  return {
    trigger: { kind: 'http', id: request.requestId ?? fcRequestId, requester: request.sourceIp },
    input,
    clientToken,
    dryRun: request.query.dryRun === 'true',
  };
}

export const PLAN_ID_PATTERN = /^cenbwp-[a-z0-9]{1,64}$/;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): FcHttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    isBase64Encoded: false,
    body: JSON.stringify(body),
  };
}

/** The error body every failure answers with: `{"error": {code, message, requestId?, issues?}}`. */
export function errorBody(error: BandwidthPlanError): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  };
}

export function errorResponse(error: BandwidthPlanError, extra: Record<string, unknown> = {}): FcHttpResponse {
  const headers: Record<string, string> = error instanceof MethodNotAllowedError ? { allow: error.allow } : {};
  return jsonResponse(error.status, { ...errorBody(error), ...extra }, headers);
}
