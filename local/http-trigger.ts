/**
 * A local FC 3.0 HTTP trigger: a real HTTP request becomes the event FC would deliver
 * (docs/sources.md, "Function Compute"), and the handler's `{statusCode, headers, body, isBase64Encoded}`
 * becomes the HTTP response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpTriggerEvent {
  readonly version: 'v1';
  readonly rawPath: string;
  readonly headers: Record<string, string>;
  readonly queryParameters: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: {
    readonly accountId: string;
    readonly domainName: string;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
    readonly requestId: string;
    readonly time: string;
    readonly timeEpoch: string;
  };
}

const TEXTUAL = [/^text\//, /^application\/(?:[\w.+-]+\+)?json$/, /^application\/(?:[\w.+-]+\+)?xml$/, /^application\/x-www-form-urlencoded$/];

/** Whether FC passes a body of this content type as text; anything else (or no type) arrives Base64. */
export function isTextual(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return TEXTUAL.some((pattern) => pattern.test(type));
}

/**
 * A header name as Go's net/http writes it (`accept-encoding` → `Accept-Encoding`), which is how FC's
 * HTTP trigger passes names on (docs/sources.md, "Function Compute").
 */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_whole, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Header names in Go's canonical form; repeated headers (in any casing) comma-joined, as FC does. */
export function joinHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = canonicalHeaderName(rawHeaders[i]!);
    headers[name] = name in headers ? `${headers[name]},${rawHeaders[i + 1]}` : rawHeaders[i + 1]!;
  }
  return headers;
}

/** Query parameters, decoded; repeated names comma-joined. */
export function joinQuery(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) query[name] = name in query ? `${query[name]},${value}` : value;
  return query;
}

export interface TriggerRequest {
  readonly method: string;
  /** The request target: raw (encoded) path and query. */
  readonly target: string;
  readonly rawHeaders: readonly string[];
  readonly httpVersion: string;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export function toHttpTriggerEvent(request: TriggerRequest, accountId: string, now = new Date()): HttpTriggerEvent {
  const mark = request.target.indexOf('?');
  const rawPath = mark < 0 ? request.target : request.target.slice(0, mark);
  const headers = joinHeaders(request.rawHeaders);
  const header = (name: string) => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const base64 = request.body.length > 0 && !isTextual(header('content-type'));
  return {
    version: 'v1',
    rawPath,
    headers,
    queryParameters: joinQuery(mark < 0 ? '' : request.target.slice(mark + 1)),
    body: request.body.toString(base64 ? 'base64' : 'utf8'),
    isBase64Encoded: base64,
    requestContext: {
      accountId,
      domainName: header('host') ?? '127.0.0.1',
      http: {
        method: request.method,
        path: safeDecode(rawPath),
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: header('user-agent') ?? '',
      },
      requestId: randomUUID(),
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      timeEpoch: String(now.getTime()),
    },
  };
}

export function triggerRequestOf(request: IncomingMessage, body: Buffer): TriggerRequest {
  return {
    method: request.method ?? 'GET',
    target: request.url ?? '/',
    rawHeaders: request.rawHeaders,
    httpVersion: request.httpVersion,
    body,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  };
}

/**
 * Writes the handler's answer. An answer without `statusCode` is sent as FC sends any other result
 * (JSON, 200) — what FC really does then is unconfirmed, and this handler always returns the struct.
 */
export function writeHttpTriggerResponse(response: ServerResponse, result: unknown): void {
  if (!isRecord(result) || typeof result.statusCode !== 'number') {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result ?? null));
    return;
  }
  const headers = isRecord(result.headers) ? (result.headers as Record<string, string>) : {};
  const body = typeof result.body === 'string' ? Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  response.writeHead(result.statusCode, headers).end(body);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
