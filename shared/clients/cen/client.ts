/**
 * The CEN (Cbn 2017-09-12) API client: RPC style, POST `/`, every parameter in the query, empty
 * body, ACS3-signed afresh for every attempt (`signedCall`). Retries reuse the caller's ClientToken:
 * it is part of the parameters, fixed before the retry loop starts.
 */
import { notAnAnswer, UpstreamError } from '../../core/errors';
import { type ListedPlan, parseCreationTime } from '../../core/intent';
import { type BandwidthPlanRequest, type Tag, toQueryParameters } from '../../core/schema';
import { type Clock, systemClock } from '../../runtime/clock';
import type { Credentials } from '../../runtime/credentials';
import { type HttpResponse, type HttpTransport, nodeHttpTransport } from '../../runtime/http';
import type { Logger } from '../../runtime/log';
import type { RetryPolicy } from '../../runtime/retry';
import { type ClientDeps, signedCall } from '../signed-call';
import { canonicalQueryString, randomNonce, signAcs3 } from '../signer/acs3';

export const CEN_API_VERSION = '2017-09-12';

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
  /** `https://cbn.aliyuncs.com` (CEN_ENDPOINT's default); `http://127.0.0.1:PORT` works for local doubles. */
  readonly endpoint: string;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly nonce?: () => string;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly log?: Logger;
}

export class CenClient {
  readonly #endpoint: URL;
  readonly #deps: ClientDeps;
  readonly #nonce: () => string;

  constructor(options: CenClientOptions) {
    this.#endpoint = new URL(options.endpoint);
    this.#deps = { transport: options.transport ?? nodeHttpTransport, clock: options.clock ?? systemClock, retryPolicy: options.retryPolicy, log: options.log };
    this.#nonce = options.nonce ?? randomNonce;
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

  /**
   * The plans carrying every tag given (DescribeCenBandwidthPackages' Tag filter), every page up to
   * {@link MAX_LIST_PAGES}; `complete` is false when there were more.
   */
  async listPlansTagged(tags: readonly Tag[], call: CallOptions): Promise<{ plans: ListedPlan[]; complete: boolean }> {
    const filter: Record<string, string> = {};
    tags.forEach((tag, index) => {
      filter[`Tag.${index + 1}.Key`] = tag.Key;
      if (tag.Value !== undefined) filter[`Tag.${index + 1}.Value`] = tag.Value;
    });
    const plans: ListedPlan[] = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const body = await this.#call('DescribeCenBandwidthPackages', { ...filter, PageSize: String(LIST_PAGE_SIZE), PageNumber: String(page) }, call);
      const list = (body.CenBandwidthPackages as { CenBandwidthPackage?: unknown } | undefined)?.CenBandwidthPackage;
      const entries = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
      for (const entry of entries) {
        const listed = listedPlan(entry);
        if (listed) plans.push(listed);
      }
      const total = typeof body.TotalCount === 'number' ? body.TotalCount : plans.length;
      if (entries.length < LIST_PAGE_SIZE || plans.length >= total) return { plans, complete: true };
    }
    return { plans, complete: false };
  }

  #call(action: string, params: Record<string, string>, call: CallOptions): Promise<Record<string, unknown>> {
    // Send the canonical query itself as the URL query, so what is signed is exactly what is sent.
    const url = new URL(`/?${canonicalQueryString(params)}`, this.#endpoint);
    return signedCall(this.#deps, {
      service: 'CEN',
      action,
      deadline: call.deadline,
      credentials: call.credentials,
      sign: (date) => ({
        method: 'POST',
        url,
        headers: signAcs3(
          {
            method: 'POST',
            host: url.host,
            path: '/',
            query: params,
            headers: { 'x-acs-action': action, 'x-acs-version': CEN_API_VERSION, accept: 'application/json' },
          },
          call.credentials,
          { date, nonce: this.#nonce() },
        ),
      }),
      read: (response) => parseRpcResponse(action, response),
    });
  }
}

/** A 2xx JSON body is a success; anything else becomes an {@link UpstreamError} with Alibaba's code. */
export function parseRpcResponse(action: string, response: HttpResponse): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    // A non-JSON answer (a proxy's error page, a cut-off body) is never a success.
    throw notAnAnswer(`${action}: HTTP ${response.status} with a non-JSON body`, response.status);
  }
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const code = stringOr(record.Code);
  if (response.status >= 200 && response.status < 300 && code === undefined) return record;
  throw new UpstreamError(
    code ?? `HTTP${response.status}`,
    stringOr(record.Message) ?? `${action} failed with HTTP ${response.status}`,
    response.status,
    stringOr(record.RequestId),
    'CEN',
  );
}

/** DescribeCenBandwidthPackages' largest page. */
const LIST_PAGE_SIZE = 50;
/** 1,000 plans: far more than a runaway limit allows in a day; the rest is reported as incomplete. */
const MAX_LIST_PAGES = 20;

function listedPlan(entry: Record<string, unknown>): ListedPlan | undefined {
  const id = stringOr(entry.CenBandwidthPackageId);
  if (id === undefined) return undefined;
  const rawTags = (entry.Tags as { Tag?: unknown } | undefined)?.Tag;
  const tags = (Array.isArray(rawTags) ? (rawTags as Array<Record<string, unknown>>) : []).flatMap((tag) =>
    typeof tag.Key === 'string' ? [{ Key: tag.Key, Value: typeof tag.Value === 'string' ? tag.Value : '' }] : [],
  );
  return {
    CenBandwidthPackageId: id,
    Status: stringOr(entry.Status) ?? 'Unknown',
    Bandwidth: typeof entry.Bandwidth === 'number' ? entry.Bandwidth : undefined,
    BandwidthPackageChargeType: stringOr(entry.BandwidthPackageChargeType),
    GeographicRegionAId: stringOr(entry.GeographicRegionAId),
    GeographicRegionBId: stringOr(entry.GeographicRegionBId),
    Name: stringOr(entry.Name),
    createdAt: parseCreationTime(stringOr(entry.CreationTime)),
    tags,
  };
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
