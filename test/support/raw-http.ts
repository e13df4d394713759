/** Sends one request exactly as given (no headers added, target untouched), for tampering tests. */
import { request } from 'node:http';

export interface RawRequest {
  readonly url: string;
  readonly method: string;
  /** Path and query as they go on the wire. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  readonly json: Record<string, unknown> | undefined;
}

export function send(raw: RawRequest, timeoutMs = 3000): Promise<RawResponse> {
  const { hostname, port } = new URL(raw.url);
  const body = raw.body === undefined ? Buffer.alloc(0) : Buffer.from(raw.body);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method: raw.method, path: raw.target, headers: { ...raw.headers, 'content-length': String(body.length) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
