/**
 * The CEN (Cbn 2017-09-12) API client: RPC style, POST `/`, every parameter in the query, empty
 * body, ACS3-signed afresh for every attempt. Retries reuse the caller's ClientToken: it is part of
 * the parameters, fixed before the retry loop starts.
 */
import { randomUUID } from 'node:crypto';
import { NetworkError, UpstreamError } from '../../core/errors';
import { nodeHttpTransport, type HttpResponse, type HttpTransport } from '../../runtime/http';
import type { Logger } from '../../runtime/log';
import { retry, systemClock, type Clock, type RetryPolicy } from '../../runtime/retry';
import { toQueryParameters, type BandwidthPlanRequest } from '../../core/schema';
import { canonicalQueryString, signAcs3, type Credentials } from '../signer/acs3';

export const CEN_API_VERSION = '2017-09-12';
export const DEFAULT_CEN_ENDPOINT = 'https://cbn.aliyuncs.com';

/** A create request always carries its ClientToken: the one thing that makes retries safe. */
export type CreatePlanRequest = BandwidthPlanRequest & { readonly ClientToken: string };

export interface CreatedPlan {
  readonly CenBandwidthPackageId: string;
  readonly CenBandwidthPackageOrderId?: string | undefined;
  readonly RequestId: string;
}

/** The fields of a plan this function reports (DescribeCenBandwidthPackages). */
export interface PlanStatus {
  readonly CenBandwidthPackageId: string;
  /** `Idle` or `InUse` once ready; other values while it is being set up. */
  readonly Status: string;
  readonly BusinessStatus?: string;
  readonly Bandwidth?: number;
  readonly BandwidthPackageChargeType?: string;
  readonly GeographicRegionAId?: string;
  readonly GeographicRegionBId?: string;
  readonly Name?: string;
  readonly CreationTime?: string;
  readonly ExpiredTime?: string;
  readonly RequestId: string;
}

/** Per call: whose credentials, and when the last attempt must have ended. */
export interface CallOptions {
  readonly credentials: Credentials;
  /** Epoch ms. */
  readonly deadline: number;
}

export interface CenClientOptions {
  /** Default https://cbn.aliyuncs.com; `http://127.0.0.1:PORT` works for local doubles. */
  readonly endpoint?: string;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly nonce?: () => string;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly log?: Logger;
}

/** 32 hex characters. randomUUID draws from a batched entropy pool: no synchronous read per call. */
export const randomNonce = (): string => randomUUID().replaceAll('-', '');

export class CenClient {
  readonly #endpoint: URL;
  readonly #transport: HttpTransport;
  readonly #clock: Clock;
  readonly #nonce: () => string;
  readonly #retryPolicy: Partial<RetryPolicy>;
  readonly #log: Logger | undefined;

  constructor(options: CenClientOptions = {}) {
    this.#endpoint = new URL(options.endpoint ?? DEFAULT_CEN_ENDPOINT);
    this.#transport = options.transport ?? nodeHttpTransport;
    this.#clock = options.clock ?? systemClock;
    this.#nonce = options.nonce ?? randomNonce;
    this.#retryPolicy = options.retryPolicy ?? {};
    this.#log = options.log;
  }

  /** Creates a bandwidth plan. Repeating the call with the same ClientToken and parameters creates nothing new. */
  async createBandwidthPackage(request: CreatePlanRequest, call: CallOptions): Promise<CreatedPlan> {
    const body = await this.#call('CreateCenBandwidthPackage', toQueryParameters(request), call);
    const id = body.CenBandwidthPackageId;
    if (typeof id !== 'string' || id === '') {
      throw new UpstreamError('InvalidResponse', 'CreateCenBandwidthPackage answered without a CenBandwidthPackageId', 502, stringOr(body.RequestId));
    }
    return {
      CenBandwidthPackageId: id,
      CenBandwidthPackageOrderId: stringOr(body.CenBandwidthPackageOrderId),
      RequestId: stringOr(body.RequestId) ?? '',
    };
  }

  /** The plan's current state, or `undefined` when no plan has this id. */
  async describeBandwidthPackage(id: string, call: CallOptions): Promise<PlanStatus | undefined> {
    const body = await this.#call(
      'DescribeCenBandwidthPackages',
      { 'Filter.1.Key': 'CenBandwidthPackageId', 'Filter.1.Value.1': id, PageSize: '10', PageNumber: '1' },
      call,
    );
    const list = (body.CenBandwidthPackages as { CenBandwidthPackage?: unknown } | undefined)?.CenBandwidthPackage;
    const plan = Array.isArray(list) ? (list as Array<Record<string, unknown>>).find((entry) => entry.CenBandwidthPackageId === id) : undefined;
    if (!plan) return undefined;
    return {
      CenBandwidthPackageId: id,
      Status: stringOr(plan.Status) ?? 'Unknown',
      BusinessStatus: stringOr(plan.BusinessStatus),
      Bandwidth: typeof plan.Bandwidth === 'number' ? plan.Bandwidth : undefined,
      BandwidthPackageChargeType: stringOr(plan.BandwidthPackageChargeType),
      GeographicRegionAId: stringOr(plan.GeographicRegionAId),
      GeographicRegionBId: stringOr(plan.GeographicRegionBId),
      Name: stringOr(plan.Name),
      CreationTime: stringOr(plan.CreationTime),
      ExpiredTime: stringOr(plan.ExpiredTime),
      RequestId: stringOr(body.RequestId) ?? '',
    } as PlanStatus;
  }

  async #call(action: string, params: Record<string, string>, call: CallOptions): Promise<Record<string, unknown>> {
    const query = canonicalQueryString(params);
    // Send the canonical query itself as the URL query, so what is signed is exactly what is sent.
    const url = new URL(`/?${query}`, this.#endpoint);
    return retry(
      async (attempt) => {
        const headers = signAcs3(
          {
            method: 'POST',
            host: url.host,
            path: '/',
            query: params,
            headers: { 'x-acs-action': action, 'x-acs-version': CEN_API_VERSION, accept: 'application/json' },
          },
          call.credentials,
          // A fresh date and nonce every attempt: the API refuses a reused nonce.
          { date: new Date(this.#clock.now()), nonce: this.#nonce() },
        );
        const response = await this.#transport({ method: 'POST', url, headers, timeoutMs: attempt.timeoutMs });
        return parseRpcResponse(action, response);
      },
      {
        deadline: call.deadline,
        policy: this.#retryPolicy,
        clock: this.#clock,
        onRetry: (error, attempt, delayMs) =>
          this.#log?.warn('retrying CEN call', { action, attempt, delayMs, code: error.code, upstreamRequestId: error.requestId }),
      },
    );
  }
}

/** A 2xx JSON body is a success; anything else becomes an {@link UpstreamError} with Alibaba's code. */
export function parseRpcResponse(action: string, response: HttpResponse): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch (error) {
    // A non-JSON answer (a proxy's error page, a cut-off body) is never a success.
    if (response.status >= 500 || response.status === 0) {
      throw new NetworkError(`${action}: HTTP ${response.status} with a non-JSON body`, error);
    }
    throw new UpstreamError('InvalidResponse', `${action}: HTTP ${response.status} with a non-JSON body`, response.status, undefined);
  }
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const code = stringOr(record.Code);
  if (response.status >= 200 && response.status < 300 && code === undefined) return record;
  throw new UpstreamError(
    code ?? `HTTP${response.status}`,
    stringOr(record.Message) ?? `${action} failed with HTTP ${response.status}`,
    response.status,
    stringOr(record.RequestId),
  );
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
