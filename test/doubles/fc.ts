/**
 * A loopback double of Function Compute 3.0 InvokeFunction (API 2023-03-30, ROA style) behind
 * real ACS3 verification. Synchronous calls await `onInvoke` and answer its result; asynchronous
 * ones are accepted with 202 at once and run in the background with FC's retries on failure
 * (docs/sources.md, "Function Compute").
 */
import { type CloudCredential, DEFAULT_CREDENTIALS } from './credentials';
import { type ErrorFault, FaultQueue, type InjectOptions, TRANSPORT_FAULTS } from './faults';
import { type OpenApiAnswer, OpenApiEndpoint, type OpenApiRequestRecord, type VerifiedCall } from './openapi-endpoint';
import { type ApiError, openApiError } from './openapi-errors';
import { type LoopbackServer, startLoopbackServer } from './server';

export const FC_API_VERSION = '2023-03-30';
export const FC_HOST_ID = 'fc.aliyuncs.com';
export const INVOKE_ACTION = 'InvokeFunction';
/** FC's default `maxAsyncRetryAttempts`. */
export const DEFAULT_MAX_ASYNC_RETRIES = 3;

export const FC_FAULTS = ['throttling', 'unavailable', 'internal', ...TRANSPORT_FAULTS] as const;
export type FcFaultName = (typeof FC_FAULTS)[number];
export type FcFault = FcFaultName | ErrorFault;

const INVOKE_PATH = /^\/2023-03-30\/functions\/([^/]+)\/invocations$/;
const TRIGGERS_PATH = /^\/2023-03-30\/functions\/([^/]+)\/triggers$/;
export const LIST_TRIGGERS_ACTION = 'ListTriggers';

/** A trigger as ListTriggers lists it (`triggerConfig` is FC's JSON, as text). */
export interface FcTrigger {
  readonly triggerName: string;
  readonly triggerType: string;
  readonly triggerConfig: string;
}

/**
 * What InvokeFunction does to a function that has an HTTP trigger — unconfirmed for FC 3.0
 * (docs/sources.md, "Function Compute"): `runs` it with the event as sent; `http-shaped` delivers the
 * event as an HTTP request to `/2023-03-30/functions/<name>/invocations` (seen once); `refused` answers
 * an error, as FC 2.0 did for HTTP functions.
 */
export type HttpFunctionInvocation = 'runs' | 'http-shaped' | 'refused';
// Bounds idle(): each round waits for every invocation running at its start.
const MAX_IDLE_ROUNDS = 1000;

export interface InvocationInfo {
  readonly async: boolean;
  readonly requestId: string;
  /** 1 for the first run, 2… for FC's retries of an async invocation. */
  readonly attempt: number;
  readonly qualifier: string | undefined;
}

/** Runs the function: the local run passes the product's handler, tests a stub. */
export type InvokeHandler = (functionName: string, body: Buffer, info: InvocationInfo) => unknown;

export interface FcDoubleOptions {
  /** Keys the double accepts; default {@link DEFAULT_CREDENTIALS}. */
  readonly credentials?: readonly CloudCredential[];
  /** Epoch ms; default `Date.now`. Drives the `x-acs-date` check. */
  readonly now?: () => number;
  /** Default: returns null. */
  readonly onInvoke?: InvokeHandler;
  /** Retries of a failed async invocation; default {@link DEFAULT_MAX_ASYNC_RETRIES}. */
  readonly maxAsyncRetries?: number;
  /** Functions that exist; default: any name. */
  readonly functions?: readonly string[];
  /** Each function's triggers, for ListTriggers; default none. */
  readonly triggers?: Readonly<Record<string, readonly FcTrigger[]>>;
  /** What InvokeFunction does to a function with an HTTP trigger; default `runs`. */
  readonly httpFunctionInvocation?: HttpFunctionInvocation;
}

export interface InvocationRecord {
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly async: boolean;
  readonly requestId: string;
  readonly body: Buffer;
  readonly receivedAt: number;
  /** Runs so far (1 + retries). */
  readonly attempts: number;
  /** What each failed run threw, in order. */
  readonly errors: readonly unknown[];
  readonly state: 'running' | 'succeeded' | 'failed';
  /** What the successful run returned. */
  readonly result: unknown;
}

export type FcRequestRecord = OpenApiRequestRecord;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class FcDouble {
  readonly #now: () => number;
  readonly #onInvoke: InvokeHandler;
  readonly #maxAsyncRetries: number;
  readonly #functions: ReadonlySet<string> | undefined;
  readonly #triggers = new Map<string, readonly FcTrigger[]>();
  #httpFunctionInvocation: HttpFunctionInvocation;
  readonly #faults = new FaultQueue(FC_FAULTS);
  readonly #endpoint: OpenApiEndpoint<FcFaultName>;
  readonly #invocations: Mutable<InvocationRecord>[] = [];
  readonly #background = new Set<Promise<void>>();
  #server: LoopbackServer | undefined;
  #closed = false;

  private constructor(options: FcDoubleOptions) {
    this.#now = options.now ?? Date.now;
    this.#onInvoke = options.onInvoke ?? (() => null);
    this.#maxAsyncRetries = options.maxAsyncRetries ?? DEFAULT_MAX_ASYNC_RETRIES;
    this.#functions = options.functions ? new Set(options.functions) : undefined;
    for (const [name, triggers] of Object.entries(options.triggers ?? {})) this.#triggers.set(name, triggers);
    this.#httpFunctionInvocation = options.httpFunctionInvocation ?? 'runs';
    this.#endpoint = new OpenApiEndpoint<FcFaultName>({
      product: 'FC',
      hostId: FC_HOST_ID,
      version: FC_API_VERSION,
      // The SDK signs the content type of the event bytes; an unsigned one could be swapped in transit.
      alsoSigned: ['content-type'],
      credentials: options.credentials ?? DEFAULT_CREDENTIALS,
      now: this.#now,
      faults: this.#faults,
      // FC throttles with 429 ResourceThrottled, not the POP gateway's Throttling.User.
      faultErrors: { throttling: 'ResourceThrottled', unavailable: 'ServiceUnavailable', internal: 'InternalError' },
      requestIdHeader: 'x-fc-request-id',
      perform: async (call) => (call.action === LIST_TRIGGERS_ACTION ? this.#listTriggers(call) : this.#invoke(call)),
    });
  }

  static async start(options: FcDoubleOptions = {}): Promise<FcDouble> {
    const double = new FcDouble(options);
    double.#server = await startLoopbackServer(double.#endpoint.handle);
    return double;
  }

  /** `http://127.0.0.1:PORT`: the FC endpoint to configure. */
  get url(): string {
    return this.#server?.url ?? '';
  }

  /** Every request received, in order, including refused ones. */
  get requests(): readonly FcRequestRecord[] {
    return this.#endpoint.requests;
  }

  /** Every accepted invocation, in order. */
  get invocations(): readonly InvocationRecord[] {
    return this.#invocations;
  }

  /** Replaces a function's triggers (a deploy that left one out, say). */
  setTriggers(functionName: string, triggers: readonly FcTrigger[]): void {
    this.#triggers.set(functionName, triggers);
  }

  /** Changes what InvokeFunction does to functions with an HTTP trigger. */
  setHttpFunctionInvocation(behaviour: HttpFunctionInvocation): void {
    this.#httpFunctionInvocation = behaviour;
  }

  inject(fault: FcFault, options?: InjectOptions): void {
    this.#faults.inject(fault, options);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Resolves once every background invocation, retries included, has finished. */
  async idle(): Promise<void> {
    for (let round = 0; round < MAX_IDLE_ROUNDS && this.#background.size > 0; round++) {
      await Promise.allSettled([...this.#background]);
    }
  }

  /** Stops the server; background invocations already running finish, but are not retried. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#server?.close() ?? Promise.resolve();
  }

  async #invoke(call: VerifiedCall): Promise<OpenApiAnswer | { error: ApiError }> {
    const route = INVOKE_PATH.exec(call.path);
    if (!route || call.action !== INVOKE_ACTION || call.method !== 'POST') {
      return {
        error: openApiError(
          'InvalidAction.NotFound',
          `This double serves only POST /2023-03-30/functions/{name}/invocations with x-acs-action ${INVOKE_ACTION}.`,
        ),
      };
    }
    const functionName = decodeURIComponent(route[1] ?? '');
    if (this.#functions && !this.#functions.has(functionName)) {
      return { error: openApiError('FunctionNotFound', `Function "${functionName}" does not exist.`) };
    }
    const hasHttpTrigger = (this.#triggers.get(functionName) ?? []).some((trigger) => trigger.triggerType === 'http');
    if (hasHttpTrigger && this.#httpFunctionInvocation === 'refused') {
      return { error: openApiError('InvalidArgument', `Function "${functionName}" has an HTTP trigger and can only be invoked with its HTTP trigger URL.`) };
    }
    const body = hasHttpTrigger && this.#httpFunctionInvocation === 'http-shaped' ? httpShaped(functionName, call.body) : call.body;
    const type = (call.headers['x-fc-invocation-type'] ?? 'Sync').toLowerCase();
    if (type !== 'sync' && type !== 'async') {
      return { error: openApiError('InvalidParameter', `x-fc-invocation-type must be Sync or Async (got "${call.headers['x-fc-invocation-type']}").`) };
    }
    const record: Mutable<InvocationRecord> = {
      functionName,
      qualifier: call.query.qualifier,
      async: type === 'async',
      requestId: call.requestId,
      body,
      receivedAt: this.#now(),
      attempts: 0,
      errors: [],
      state: 'running',
      result: undefined,
    };
    this.#invocations.push(record);
    if (record.async) {
      this.#runInBackground(record);
      return { status: 202 };
    }
    record.attempts = 1;
    try {
      record.result = await this.#onInvoke(functionName, body, { async: false, requestId: call.requestId, attempt: 1, qualifier: record.qualifier });
      record.state = 'succeeded';
      return { status: 200, ...responseOf(record.result) };
    } catch (error) {
      record.errors = [error];
      record.state = 'failed';
      // A function error is still HTTP 200 for InvokeFunction; the header tells callers apart.
      return {
        status: 200,
        headers: { 'x-fc-error-type': 'UnhandledInvocationError' },
        body: { errorMessage: error instanceof Error ? error.message : String(error), errorType: error instanceof Error ? error.name : 'Error' },
      };
    }
  }

  #listTriggers(call: VerifiedCall): OpenApiAnswer | { error: ApiError } {
    const route = TRIGGERS_PATH.exec(call.path);
    if (!route || call.method !== 'GET') return { error: openApiError('InvalidAction.NotFound', 'ListTriggers is GET /2023-03-30/functions/{name}/triggers.') };
    const functionName = decodeURIComponent(route[1] ?? '');
    if (this.#functions && !this.#functions.has(functionName)) {
      return { error: openApiError('FunctionNotFound', `Function "${functionName}" does not exist.`) };
    }
    const triggers = (this.#triggers.get(functionName) ?? []).map((trigger) => ({ ...trigger, qualifier: 'LATEST' }));
    return { status: 200, headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify({ triggers, nextToken: '' }) };
  }

  #runInBackground(record: Mutable<InvocationRecord>): void {
    const task = (async () => {
      // Let the 202 go out first, as FC queues the event before running it.
      await new Promise((resolve) => setImmediate(resolve));
      const info = { async: true, requestId: record.requestId, qualifier: record.qualifier };
      for (let attempt = 1; attempt <= 1 + this.#maxAsyncRetries && !this.#closed; attempt++) {
        record.attempts = attempt;
        try {
          record.result = await this.#onInvoke(record.functionName, record.body, { ...info, attempt });
          record.state = 'succeeded';
          return;
        } catch (error) {
          record.errors = [...record.errors, error];
        }
      }
      record.state = 'failed';
    })();
    this.#background.add(task);
    void task.finally(() => this.#background.delete(task));
  }
}

export const startFcDouble = (options?: FcDoubleOptions): Promise<FcDouble> => FcDouble.start(options);

/** Buffers and strings go out as they are; anything else as JSON, as FC converts a handler's result. */
function responseOf(result: unknown): Pick<OpenApiAnswer, 'headers' | 'body'> {
  if (Buffer.isBuffer(result) || typeof result === 'string') return { body: result };
  return { headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify(result ?? null) };
}

/** An InvokeFunction call as the HTTP event FC has been seen to deliver it to an HTTP function. */
function httpShaped(functionName: string, body: Buffer): Buffer {
  const path = `/2023-03-30/functions/${functionName}/invocations`;
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: path,
      headers: { 'Content-Type': 'application/octet-stream' },
      queryParameters: {},
      body: body.toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST', path }, requestId: `invoke-${Date.now()}` },
    }),
  );
}
