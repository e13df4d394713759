/**
 * The request pipeline the two ACS3-signed doubles (CEN, FC) share: read, decode, verify, record,
 * apply a queued fault, then hand the call to the service's operation and send its answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyAcs3 } from './acs3-verify';
import type { CloudCredential } from './credentials';
import { type ErrorFault, type FaultQueue, faultLabel, type TransportFault } from './faults';
import { type ApiError, newRequestId, type OpenApiErrorCode, openApiError, sendOpenApiError } from './openapi-errors';
import { parseQuery } from './query';
import { BodyTooLargeError, dropConnection, readBody, splitTarget } from './server';

export interface OpenApiRequestRecord {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly path: string;
  /** `x-acs-action` as sent. */
  readonly action: string | undefined;
  /** Decoded query parameters. */
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly accessKeyId: string | undefined;
  /** True once the signature, date, nonce and token all checked out. */
  readonly verified: boolean;
  /** The HTTP status answered; undefined while in flight and when no answer was sent (reset, hang, drop-after-success). */
  readonly status: number | undefined;
  /** The error code answered, if any. */
  readonly code: string | undefined;
  /** The fault this request took, if any (its name, or the code of an error fault). */
  readonly fault: string | undefined;
  readonly requestId: string;
  /** Epoch ms by the double's clock. */
  readonly receivedAt: number;
}

/** A call that passed verification. */
export interface VerifiedCall {
  readonly action: string;
  readonly accessKeyId: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  readonly requestId: string;
}

export interface OpenApiAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: object | string | Buffer;
}

export type Operation = (call: VerifiedCall) => Promise<OpenApiAnswer | { readonly error: ApiError }>;

export interface OpenApiEndpointOptions<Name extends string> {
  /** Names the service in error bodies' troubleshooting link, e.g. `Cbn`. */
  readonly product: string;
  /** `HostId` of error bodies. */
  readonly hostId: string;
  readonly version: string;
  /** Headers that must be signed when sent, besides `host` and `x-acs-*`. */
  readonly alsoSigned?: readonly string[];
  readonly credentials: readonly CloudCredential[];
  readonly now: () => number;
  readonly faults: FaultQueue<Name>;
  /** The error each named (non-transport) fault answers with. */
  readonly faultErrors: Readonly<Record<Exclude<Name, TransportFault>, OpenApiErrorCode>>;
  /** Extra header carrying the request id (FC uses `x-fc-request-id`). */
  readonly requestIdHeader?: string;
  readonly perform: Operation;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class OpenApiEndpoint<Name extends string> {
  readonly #options: OpenApiEndpointOptions<Name>;
  readonly #requests: OpenApiRequestRecord[] = [];
  readonly #seenNonces = new Set<string>();

  constructor(options: OpenApiEndpointOptions<Name>) {
    this.#options = options;
  }

  get requests(): readonly OpenApiRequestRecord[] {
    return this.#requests;
  }

  readonly handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const options = this.#options;
    const { path, rawQuery } = splitTarget(request.url);
    const headers = flattenHeaders(request.headers);
    const record: Mutable<OpenApiRequestRecord> = {
      method: request.method ?? '',
      path,
      action: headers['x-acs-action'],
      params: {},
      body: Buffer.alloc(0),
      accessKeyId: undefined,
      verified: false,
      status: undefined,
      code: undefined,
      fault: undefined,
      requestId: newRequestId(),
      receivedAt: options.now(),
    };
    this.#requests.push(record);

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return this.#answerError(response, record, openApiError('RequestEntityTooLarge', error.message));
    }
    record.body = body;
    const query = parseQuery(rawQuery);
    if (!query.ok) return this.#answerError(response, record, openApiError('InvalidParameter', query.message));
    record.params = query.query;

    const verdict = verifyAcs3(
      { method: record.method, path, query: query.query, headers, body },
      { version: options.version, credentials: options.credentials, now: options.now, seenNonces: this.#seenNonces, alsoSigned: options.alsoSigned },
    );
    record.accessKeyId = verdict.accessKeyId;
    if (!verdict.ok) return this.#answerError(response, record, verdict.error);
    record.verified = true;

    const fault = options.faults.take(verdict.action, query.query);
    if (fault !== undefined) record.fault = faultLabel(fault);
    if (fault === 'reset') return dropConnection(response);
    if (fault === 'hang') return;
    if (fault !== undefined && fault !== 'drop-after-success')
      return this.#answerError(response, record, this.#faultError(fault as Exclude<Name, TransportFault> | ErrorFault));

    const call: VerifiedCall = {
      action: verdict.action,
      accessKeyId: verdict.accessKeyId,
      method: record.method,
      path,
      query: query.query,
      headers,
      body,
      requestId: record.requestId,
    };
    const outcome = await options.perform(call);
    if (fault === 'drop-after-success') return dropConnection(response);
    if ('error' in outcome) return this.#answerError(response, record, outcome.error);
    this.#answer(response, record, outcome);
  };

  #faultError(fault: Exclude<Name, TransportFault> | ErrorFault): ApiError {
    if (typeof fault === 'object') return { status: fault.status, code: fault.code, message: fault.message ?? fault.code };
    return openApiError(this.#options.faultErrors[fault]);
  }

  #answerError(response: ServerResponse, record: Mutable<OpenApiRequestRecord>, error: ApiError): void {
    record.status = error.status;
    record.code = error.code;
    if (this.#options.requestIdHeader) response.setHeader(this.#options.requestIdHeader, record.requestId);
    sendOpenApiError(response, error, record.requestId, this.#options.hostId, this.#options.product);
  }

  #answer(response: ServerResponse, record: Mutable<OpenApiRequestRecord>, answer: OpenApiAnswer): void {
    record.status = answer.status;
    const isJson = answer.body !== undefined && typeof answer.body === 'object' && !Buffer.isBuffer(answer.body);
    const payload = answer.body === undefined ? '' : isJson ? JSON.stringify(answer.body) : (answer.body as string | Buffer);
    response.writeHead(answer.status, {
      ...(isJson ? { 'content-type': 'application/json;charset=utf-8' } : {}),
      'x-acs-request-id': record.requestId,
      ...(this.#options.requestIdHeader ? { [this.#options.requestIdHeader]: record.requestId } : {}),
      ...answer.headers,
    });
    response.end(payload);
  }
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
}
