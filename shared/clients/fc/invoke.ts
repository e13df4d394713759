/**
 * FC 3.0 InvokeFunction (API 2023-03-30), ROA style, ACS3-signed with the function's own credentials.
 * Used for asynchronous self-invocation: chat platforms want an answer within ~3 s, so the slow part
 * (purchase, status) continues in an async invocation of this same function. Repeating an invocation
 * is harmless: the work it carries is idempotent (its ClientToken is fixed inside the event).
 */
import { NetworkError, UpstreamError, type ErrorRule } from '../../core/errors';
import { nodeHttpTransport, type HttpTransport } from '../../runtime/http';
import { retry, systemClock, type Clock, type RetryPolicy } from '../../runtime/retry';
import { percentEncode, signAcs3, type Credentials } from '../signer/acs3';
import { randomNonce } from '../cen/client';

export const FC_API_VERSION = '2023-03-30';

export interface FcInvokerOptions {
  readonly endpoint: string;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly nonce?: () => string;
  readonly retryPolicy?: Partial<RetryPolicy>;
}

export interface InvokeRequest {
  readonly functionName: string;
  readonly payload: string;
  readonly async: boolean;
  readonly qualifier?: string;
}

export class FcInvoker {
  readonly #endpoint: URL;
  readonly #transport: HttpTransport;
  readonly #clock: Clock;
  readonly #nonce: () => string;
  readonly #retryPolicy: Partial<RetryPolicy>;

  constructor(options: FcInvokerOptions) {
    this.#endpoint = new URL(options.endpoint);
    this.#transport = options.transport ?? nodeHttpTransport;
    this.#clock = options.clock ?? systemClock;
    this.#nonce = options.nonce ?? randomNonce;
    this.#retryPolicy = options.retryPolicy ?? {};
  }

  /** Invokes the function; resolves with FC's request id and, for sync calls, the function's answer. */
  async invoke(request: InvokeRequest, call: { credentials: Credentials; deadline: number }): Promise<{ requestId?: string; status: number; body: string }> {
    const path = `/${FC_API_VERSION}/functions/${percentEncode(request.functionName)}/invocations`;
    const query: Record<string, string> = request.qualifier ? { qualifier: request.qualifier } : {};
    const url = new URL(path + (request.qualifier ? `?qualifier=${percentEncode(request.qualifier)}` : ''), this.#endpoint);
    return retry(
      async (attempt) => {
        const headers = signAcs3(
          {
            method: 'POST',
            host: url.host,
            path,
            query,
            headers: {
              'x-acs-action': 'InvokeFunction',
              'x-acs-version': FC_API_VERSION,
              'content-type': 'application/octet-stream',
              accept: 'application/json',
            },
            body: request.payload,
          },
          call.credentials,
          { date: new Date(this.#clock.now()), nonce: this.#nonce() },
        );
        // x-fc-* headers are not part of the signed set (SDK behaviour).
        headers['x-fc-invocation-type'] = request.async ? 'Async' : 'Sync';
        const response = await this.#transport({ method: 'POST', url, headers, body: request.payload, timeoutMs: attempt.timeoutMs });
        const body = response.body.toString('utf8');
        const requestId = headerValue(response.headers['x-fc-request-id']);
        if (response.status >= 200 && response.status < 300) return { status: response.status, body, ...(requestId ? { requestId } : {}) };
        throw invokeError(response.status, body, requestId);
      },
      { deadline: call.deadline, policy: this.#retryPolicy, clock: this.#clock },
    );
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** FC's error field names are not documented for 3.0 (2.0 used ErrorCode/ErrorMessage): accept both. */
function invokeError(status: number, body: string, requestId: string | undefined): Error {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
  } catch {
    if (status >= 500) return new NetworkError(`InvokeFunction answered HTTP ${status}`);
  }
  const code = String(parsed.Code ?? parsed.ErrorCode ?? `HTTP${status}`);
  const message = String(parsed.Message ?? parsed.ErrorMessage ?? `InvokeFunction failed with HTTP ${status}`);
  const rule: ErrorRule = {
    status: status === 429 || status >= 500 ? 502 : status === 403 || status === 401 ? 403 : 400,
    retryable: status === 429 || status >= 500 || code.startsWith('Throttl'),
    message,
  };
  return new UpstreamError(code, message, status, requestId ?? (typeof parsed.RequestId === 'string' ? parsed.RequestId : undefined), rule);
}
