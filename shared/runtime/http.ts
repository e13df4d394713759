/**
 * The one HTTP client: node:http/https with keep-alive agents that live as long as the FC instance,
 * so warm invocations reuse connections (a keep-alive round trip on loopback is about half of
 * `fetch`'s). Every call has a timeout; failures become a retryable {@link NetworkError}. node:https
 * (and TLS with it) is loaded by the first https request, not at cold start.
 */
import http from 'node:http';
import type https from 'node:https';
import { NetworkError } from '../core/errors';

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  /** Milliseconds before the attempt is abandoned (the connection is destroyed). */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Sends one request. Injected where network access happens, so tests and benchmarks can swap it. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Answers larger than this are cut off: no API this function calls answers with more. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

// One agent per protocol for the life of the instance: FC reuses a warm instance across invocations.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64 };
const plain = { request: http.request, agent: new http.Agent(AGENT_OPTIONS) };
let secure: { request: typeof https.request; agent: https.Agent } | undefined;

export const nodeHttpTransport: HttpTransport = (request) => {
  if (request.url.protocol !== 'https:' || secure) return send(request);
  return import('node:https').then(({ Agent, request: httpsRequest }) => {
    secure ??= { request: httpsRequest, agent: new Agent(AGENT_OPTIONS) };
    return send(request);
  });
};

function send(request: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const { url } = request;
    const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : undefined;
    if (!protocol) {
      reject(new NetworkError(`unsupported protocol ${url.protocol}`));
      return;
    }
    const client = protocol === 'https:' ? secure! : plain;
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    const headers: Record<string, string | number> = { ...request.headers };
    headers['content-length'] = body?.length ?? 0;
    let settled = false;
    const fail = (error: NetworkError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = client.request(
      {
        protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        agent: client.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail(new NetworkError(`response larger than ${MAX_RESPONSE_BYTES} bytes from ${url.host}`));
          else chunks.push(chunk);
        });
        res.on('error', (error) => fail(new NetworkError(`connection to ${url.host} failed: ${describe(error)}`, error)));
        res.on('aborted', () => fail(new NetworkError(`connection to ${url.host} closed mid-response`)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(() => fail(new NetworkError(`no answer from ${url.host} within ${request.timeoutMs} ms`)), Math.max(1, request.timeoutMs));
    req.on('error', (error) => fail(new NetworkError(`connection to ${url.host} failed: ${describe(error)}`, error)));
    req.end(body);
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/**
 * The value of header `name` in any casing (FC passes request headers in whatever case the client and
 * gateway used; node gives a repeated response header as an array, whose first value counts), or
 * `undefined` when absent or empty.
 */
export function headerValue(headers: Readonly<Record<string, string | readonly string[] | undefined>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = typeof value === 'string' ? value : value?.[0];
    if (first !== undefined && first !== '') return first;
  }
  return undefined;
}
