/**
 * FC 3.0 (API 2023-03-30), ROA style, ACS3-signed through `signedCall`. InvokeFunction is the
 * function's asynchronous self-invocation: chat platforms want an answer within ~3 s, so the slow part
 * (purchase, status) continues in an async invocation of this same function; repeating one is
 * harmless, the work it carries being idempotent (its ClientToken is fixed inside the event).
 * ListTriggers and a synchronous InvokeFunction serve the post-deploy check (`npm run smoke`).
 */
import { notAnAnswer, UpstreamError } from '../../core/errors';
import { type Clock, systemClock } from '../../runtime/clock';
import type { Credentials } from '../../runtime/credentials';
import { type HttpResponse, type HttpTransport, headerValue, nodeHttpTransport } from '../../runtime/http';
import type { RetryPolicy } from '../../runtime/retry';
import { type ClientDeps, signedCall } from '../signed-call';
import { canonicalQueryString, percentEncode, randomNonce, signAcs3 } from '../signer/acs3';

export const FC_API_VERSION = '2023-03-30';

export interface FcClientOptions {
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

export interface InvokeAnswer {
  readonly requestId?: string;
  readonly status: number;
  readonly body: string;
  /** `x-fc-error-type` of a synchronous call whose function failed (FC still answers 2xx then). */
  readonly functionError?: string;
}

/** A trigger as ListTriggers describes it; `triggerConfig` is the JSON FC keeps, as text. */
export interface TriggerDescription {
  readonly triggerName: string;
  readonly triggerType: string;
  readonly triggerConfig?: string;
  readonly qualifier?: string;
}

export class FcClient {
  readonly #endpoint: URL;
  readonly #deps: ClientDeps;
  readonly #nonce: () => string;

  constructor(options: FcClientOptions) {
    this.#endpoint = new URL(options.endpoint);
    this.#deps = { transport: options.transport ?? nodeHttpTransport, clock: options.clock ?? systemClock, retryPolicy: options.retryPolicy };
    this.#nonce = options.nonce ?? randomNonce;
  }

  /** Invokes the function; resolves with FC's request id and, for sync calls, the function's answer. */
  invoke(request: InvokeRequest, call: { credentials: Credentials; deadline: number }): Promise<InvokeAnswer> {
    const path = `/${FC_API_VERSION}/functions/${percentEncode(request.functionName)}/invocations`;
    const query: Record<string, string> = request.qualifier ? { qualifier: request.qualifier } : {};
    const url = new URL(path + (request.qualifier ? `?qualifier=${percentEncode(request.qualifier)}` : ''), this.#endpoint);
    return signedCall(this.#deps, {
      service: 'FC',
      action: 'InvokeFunction',
      deadline: call.deadline,
      credentials: call.credentials,
      sign: (date) => {
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
          { date, nonce: this.#nonce() },
        );
        // x-fc-* headers are not part of the signed set (SDK behaviour).
        headers['x-fc-invocation-type'] = request.async ? 'Async' : 'Sync';
        return { method: 'POST', url, headers, body: request.payload };
      },
      read: readInvokeAnswer,
    });
  }

  /** The function's triggers (ListTriggers, every page). */
  async listTriggers(functionName: string, call: { credentials: Credentials; deadline: number }): Promise<TriggerDescription[]> {
    const path = `/${FC_API_VERSION}/functions/${percentEncode(functionName)}/triggers`;
    const triggers: TriggerDescription[] = [];
    let nextToken: string | undefined;
    // Bounded: a function has a handful of triggers; 20 pages of 100 is far more than FC allows.
    for (let page = 0; page < 20; page++) {
      const query: Record<string, string> = { limit: '100', ...(nextToken ? { nextToken } : {}) };
      const url = new URL(`${path}?${canonicalQueryString(query)}`, this.#endpoint);
      const body = await signedCall(this.#deps, {
        service: 'FC',
        action: 'ListTriggers',
        deadline: call.deadline,
        credentials: call.credentials,
        sign: (date) => ({
          method: 'GET',
          url,
          headers: signAcs3(
            {
              method: 'GET',
              host: url.host,
              path,
              query,
              headers: { 'x-acs-action': 'ListTriggers', 'x-acs-version': FC_API_VERSION, accept: 'application/json' },
            },
            call.credentials,
            { date, nonce: this.#nonce() },
          ),
        }),
        read: readJsonAnswer,
      });
      const listed = Array.isArray(body.triggers) ? (body.triggers as Record<string, unknown>[]) : [];
      for (const trigger of listed) {
        if (typeof trigger.triggerName !== 'string' || typeof trigger.triggerType !== 'string') continue;
        triggers.push({
          triggerName: trigger.triggerName,
          triggerType: trigger.triggerType,
          ...(typeof trigger.triggerConfig === 'string' ? { triggerConfig: trigger.triggerConfig } : {}),
          ...(typeof trigger.qualifier === 'string' ? { qualifier: trigger.qualifier } : {}),
        });
      }
      nextToken = typeof body.nextToken === 'string' && body.nextToken !== '' ? body.nextToken : undefined;
      if (!nextToken) break;
    }
    return triggers;
  }
}

/** A 2xx JSON answer of the FC API, or its error. */
function readJsonAnswer(response: HttpResponse): Record<string, unknown> {
  const answer = readInvokeAnswer(response);
  try {
    const value: unknown = JSON.parse(answer.body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: not an answer this API gives.
  }
  throw notAnAnswer(`FC answered HTTP ${response.status} without a JSON body`, response.status, answer.requestId);
}

/**
 * A 2xx is the invocation (its body is the function's answer for a sync call); anything else is FC's
 * error, `{Code, Message, RequestId}` in FC 3.0 (FC 2.0 used `ErrorCode`/`ErrorMessage`: both read).
 */
export function readInvokeAnswer(response: HttpResponse): InvokeAnswer {
  const body = response.body.toString('utf8');
  const requestId = headerValue(response.headers, 'x-fc-request-id');
  const functionError = headerValue(response.headers, 'x-fc-error-type');
  if (response.status >= 200 && response.status < 300)
    return { status: response.status, body, ...(requestId ? { requestId } : {}), ...(functionError ? { functionError } : {}) };
  let parsed: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(body);
    parsed = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    throw notAnAnswer(`InvokeFunction answered HTTP ${response.status} without an FC error body`, response.status, requestId);
  }
  const code = String(parsed.Code ?? parsed.ErrorCode ?? `HTTP${response.status}`);
  const message = typeof (parsed.Message ?? parsed.ErrorMessage) === 'string' ? String(parsed.Message ?? parsed.ErrorMessage) : undefined;
  throw new UpstreamError(code, message, response.status, requestId ?? (typeof parsed.RequestId === 'string' ? parsed.RequestId : undefined), 'FC');
}
