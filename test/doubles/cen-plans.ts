/**
 * The CEN double's state: bandwidth plans, created with the real API's ClientToken semantics
 * (docs/sources.md, "Alibaba Cloud OpenAPI and CEN") and described the way DescribeCenBandwidthPackages shows them
 *. Pure bookkeeping: the clock and the id source are passed in.
 */
import { randomInt } from 'node:crypto';
import { type ApiError, openApiError } from './openapi-errors';

/** Current docs list the first four; older docs and ROS add Australia, so it is accepted too. */
export const GEOGRAPHIC_AREAS = ['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const;
/** Current docs allow PREPAY only; older docs and ROS also POSTPAY. */
export const CHARGE_TYPES = ['PREPAY', 'POSTPAY'] as const;
export const PERIODS = { Month: ['1', '2', '3', '6'], Year: ['1', '2', '3'] } as const;
export const MIN_BANDWIDTH = 2;
export const MAX_BANDWIDTH = 10_000;
/** The expiry the API reports for plans that never expire (pay-as-you-go). */
const NEVER_EXPIRES = '2999-09-08T16:00Z';

export type PlanStatus = 'Creating' | 'Idle';

export interface PlanRecord {
  readonly id: string;
  readonly orderId: string;
  readonly clientToken: string | undefined;
  /** Every query parameter of the create call that made the plan. */
  readonly params: Readonly<Record<string, string>>;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly Name: string;
  readonly Description: string;
  readonly Bandwidth: number;
  readonly BandwidthPackageChargeType: string;
  readonly GeographicRegionAId: string;
  readonly GeographicRegionBId: string;
  readonly Status: PlanStatus;
  readonly BusinessStatus: 'Normal';
}

type StoredPlan = Omit<PlanRecord, 'Status'>;

export type CreateResult = { readonly ok: true; readonly plan: PlanRecord; readonly replayed: boolean } | { readonly ok: false; readonly error: ApiError };

export interface PlanBookOptions {
  readonly now: () => number;
  /** How long a new plan stays `Creating`; 0 means `Idle` at once. */
  readonly readyAfterMs: number;
  /**
   * The charge types this account may buy. Today most accounts may buy PREPAY only and are answered
   * `UnSupported.ChargeType` for POSTPAY (docs/sources.md, "Alibaba Cloud OpenAPI and CEN").
   */
  readonly chargeTypes: readonly string[];
}

export class PlanBook {
  readonly #plans: StoredPlan[] = [];
  readonly #byToken = new Map<string, StoredPlan>();
  readonly #now: () => number;
  readonly #readyAfterMs: number;
  readonly #chargeTypes: readonly string[];

  constructor(options: PlanBookOptions) {
    this.#now = options.now;
    this.#readyAfterMs = options.readyAfterMs;
    this.#chargeTypes = options.chargeTypes;
  }

  create(params: Readonly<Record<string, string>>): CreateResult {
    const invalid = createProblem(params);
    if (invalid) return { ok: false, error: invalid };
    // The API's documented default is POSTPAY: an order that names none asks for it.
    if (!this.#chargeTypes.includes(params.BandwidthPackageChargeType ?? 'POSTPAY')) return { ok: false, error: openApiError('UnSupported.ChargeType') };
    const token = params.ClientToken;
    const earlier = token === undefined ? undefined : this.#byToken.get(token);
    if (earlier) {
      // Same token, same parameters: the first call's answer again. Anything else is a conflict.
      return sameParams(earlier.params, params)
        ? { ok: true, plan: this.#withStatus(earlier), replayed: true }
        : { ok: false, error: openApiError('IdempotenceParam.NotMatch') };
    }
    const plan: StoredPlan = {
      id: newPlanId(),
      orderId: newOrderId(),
      clientToken: token,
      params: { ...params },
      createdAt: this.#now(),
      Name: params.Name ?? '',
      Description: params.Description ?? '',
      Bandwidth: Number(params.Bandwidth),
      BandwidthPackageChargeType: params.BandwidthPackageChargeType ?? 'PREPAY',
      GeographicRegionAId: params.GeographicRegionAId ?? '',
      GeographicRegionBId: params.GeographicRegionBId ?? '',
      BusinessStatus: 'Normal',
    };
    this.#plans.push(plan);
    if (token !== undefined) this.#byToken.set(token, plan);
    return { ok: true, plan: this.#withStatus(plan), replayed: false };
  }

  /** Snapshots with the status as of now. */
  get plans(): readonly PlanRecord[] {
    return this.#plans.map((plan) => this.#withStatus(plan));
  }

  distinctClientTokens(): number {
    return this.#byToken.size;
  }

  /** DescribeCenBandwidthPackages: filters, then one page. */
  describe(params: Readonly<Record<string, string>>): { ok: true; body: Record<string, unknown> } | { ok: false; error: ApiError } {
    const page = pageOf(params);
    if ('error' in page) return { ok: false, error: page.error };
    const filters = filtersOf(params);
    const orFilters = params.IsOrKey?.toLowerCase() === 'true';
    const matching = this.plans.filter((plan) => {
      if (filters.length === 0) return true;
      const hits = filters.map(({ key, values }) => values.includes(filterField(plan, key)));
      return orFilters ? hits.some(Boolean) : hits.every(Boolean);
    });
    const start = (page.number - 1) * page.size;
    return {
      ok: true,
      body: {
        CenBandwidthPackages: { CenBandwidthPackage: matching.slice(start, start + page.size).map(describePlan) },
        TotalCount: matching.length,
        PageNumber: page.number,
        PageSize: page.size,
      },
    };
  }

  #withStatus(plan: StoredPlan): PlanRecord {
    return { ...plan, Status: this.#statusOf(plan) };
  }

  #statusOf(plan: StoredPlan): PlanStatus {
    // A subscription that is not auto-paid waits for payment in the console, which never comes here.
    const awaitingPayment = plan.BandwidthPackageChargeType === 'PREPAY' && plan.params.AutoPay?.toLowerCase() !== 'true';
    if (awaitingPayment) return 'Creating';
    return this.#now() - plan.createdAt >= this.#readyAfterMs ? 'Idle' : 'Creating';
  }
}

function createProblem(params: Readonly<Record<string, string>>): ApiError | undefined {
  for (const name of ['Bandwidth', 'GeographicRegionAId', 'GeographicRegionBId'] as const) {
    if (params[name] === undefined || params[name] === '') {
      return openApiError('MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
    }
  }
  const bandwidth = params.Bandwidth ?? '';
  if (!/^\d{1,6}$/.test(bandwidth) || Number(bandwidth) < MIN_BANDWIDTH || Number(bandwidth) > MAX_BANDWIDTH) {
    return invalid('Bandwidth', bandwidth, `a whole number from ${MIN_BANDWIDTH} to ${MAX_BANDWIDTH}`);
  }
  for (const name of ['GeographicRegionAId', 'GeographicRegionBId'] as const) {
    if (!oneOf(GEOGRAPHIC_AREAS, params[name])) return invalid(name, params[name], GEOGRAPHIC_AREAS.join(', '));
  }
  const chargeType = params.BandwidthPackageChargeType;
  if (chargeType !== undefined && !oneOf(CHARGE_TYPES, chargeType)) return invalid('BandwidthPackageChargeType', chargeType, CHARGE_TYPES.join(', '));
  const cycle = params.PricingCycle ?? 'Month';
  if (cycle !== 'Month' && cycle !== 'Year') return invalid('PricingCycle', cycle, 'Month, Year');
  if (params.Period !== undefined && !oneOf(PERIODS[cycle], params.Period)) {
    return invalid('Period', params.Period, `${PERIODS[cycle].join(', ')} with PricingCycle=${cycle}`);
  }
  for (const name of ['AutoPay', 'AutoRenew'] as const) {
    const value = params[name];
    if (value !== undefined && !/^(true|false)$/i.test(value)) return invalid(name, value, 'true, false');
  }
  for (const [name, max] of [
    ['Name', 128],
    ['Description', 256],
  ] as const) {
    const value = params[name];
    if (value !== undefined && (value.length > max || /^https?:\/\//i.test(value))) {
      return invalid(name, value, `at most ${max} characters, not starting with http:// or https://`);
    }
  }
  const token = params.ClientToken;
  if (token !== undefined && !/^[\x20-\x7e]{1,64}$/.test(token)) return invalid('ClientToken', token, 'ASCII, at most 64 characters');
  return undefined;
}

function invalid(name: string, value: string | undefined, allowed: string): ApiError {
  return openApiError('InvalidParameter', `The specified ${name} "${value}" is not valid: expected ${allowed}.`);
}

function oneOf(allowed: readonly string[], value: string | undefined): boolean {
  return value !== undefined && allowed.includes(value);
}

function sameParams(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newPlanId = (): string => `cenbwp-${Array.from({ length: 17 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
const newOrderId = (): string => `2${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;

function pageOf(params: Readonly<Record<string, string>>): { number: number; size: number } | { error: ApiError } {
  const number = params.PageNumber ?? '1';
  const size = params.PageSize ?? '10';
  if (!/^[1-9]\d{0,5}$/.test(number)) return { error: invalid('PageNumber', number, 'a whole number of at least 1') };
  if (!/^[1-9]\d?$/.test(size) || Number(size) > 50) return { error: invalid('PageSize', size, 'a whole number from 1 to 50') };
  return { number: Number(number), size: Number(size) };
}

/** `Filter.N.Key` with its `Filter.N.Value.M` values; the values of one key are ORed. */
function filtersOf(params: Readonly<Record<string, string>>): { key: string; values: string[] }[] {
  const filters: { key: string; values: string[] }[] = [];
  for (const [name, key] of Object.entries(params)) {
    const match = /^Filter\.(\d+)\.Key$/.exec(name);
    if (!match) continue;
    const prefix = `Filter.${match[1]}.Value.`;
    const values = Object.entries(params)
      .filter(([valueName]) => valueName.startsWith(prefix))
      .map(([, value]) => value);
    filters.push({ key, values });
  }
  return filters;
}

function filterField(plan: PlanRecord, key: string): string {
  switch (key) {
    case 'CenBandwidthPackageId':
      return plan.id;
    case 'Status':
      return plan.Status;
    case 'Name':
      return plan.Name;
    default:
      // CenId and unknown keys: these plans are attached to no CEN instance, so nothing matches.
      return '\u0000';
  }
}

/** Minute precision, as the API reports times. */
const apiTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}Z`;

function expiryOf(plan: PlanRecord): string {
  if (plan.BandwidthPackageChargeType !== 'PREPAY') return NEVER_EXPIRES;
  const expiry = new Date(plan.createdAt);
  const period = Number(plan.params.Period ?? '1');
  if (plan.params.PricingCycle === 'Year') expiry.setUTCFullYear(expiry.getUTCFullYear() + period);
  else expiry.setUTCMonth(expiry.getUTCMonth() + period);
  return apiTime(expiry.getTime());
}

function tagsOf(plan: PlanRecord): { Key: string; Value: string }[] {
  const tags: { Key: string; Value: string }[] = [];
  for (const [name, key] of Object.entries(plan.params)) {
    const match = /^Tag\.(\d+)\.Key$/.exec(name);
    if (match) tags.push({ Key: key, Value: plan.params[`Tag.${match[1]}.Value`] ?? '' });
  }
  return tags;
}

/** One plan as DescribeCenBandwidthPackages shows it: areas come back lowercase. */
export function describePlan(plan: PlanRecord): Record<string, unknown> {
  const areaA = plan.GeographicRegionAId.toLowerCase();
  const areaB = plan.GeographicRegionBId.toLowerCase();
  return {
    CenBandwidthPackageId: plan.id,
    Name: plan.Name,
    Description: plan.Description,
    Bandwidth: plan.Bandwidth,
    BandwidthPackageChargeType: plan.BandwidthPackageChargeType,
    Status: plan.Status,
    BusinessStatus: plan.BusinessStatus,
    GeographicRegionAId: areaA,
    GeographicRegionBId: areaB,
    GeographicSpanId: `${areaA}_${areaB}`,
    CreationTime: apiTime(plan.createdAt),
    ExpiredTime: expiryOf(plan),
    IsCrossBorder: (areaA === 'china') !== (areaB === 'china'),
    CenIds: { CenId: [] },
    Tags: { Tag: tagsOf(plan) },
  };
}
