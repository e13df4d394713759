/**
 * The CEN double's state: bandwidth plans, created with the real API's ClientToken and tag rules
 * (docs/sources.md, "Alibaba Cloud OpenAPI and CEN") and described, filtered by `Filter.N`/`Tag.N`
 * and paged the way DescribeCenBandwidthPackages does. Pure bookkeeping: the clock is passed in.
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
/** `Tag.N`: at most 20 tags per call, on create and on describe. */
export const MAX_TAGS = 20;
export const MAX_TAG_KEY_LENGTH = 64;
export const MAX_TAG_VALUE_LENGTH = 128;
/** `Filter.N`: N ≤ 5, on these keys only. */
export const MAX_FILTERS = 5;
export const FILTER_KEYS = ['CenId', 'Status', 'CenBandwidthPackageId', 'Name'] as const;

/** `Idle`: attached to no CEN instance; `InUse`: attached to one (only seeded plans are). */
export type PlanStatus = 'Creating' | 'Idle' | 'InUse';

export interface PlanTag {
  readonly Key: string;
  readonly Value: string;
}

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
  /** From the create call's `Tag.N.Key`/`Tag.N.Value`, in N order; a key sent without a value has value `''`. */
  readonly tags: readonly PlanTag[];
  /** The CEN instances the plan is attached to: always none for a bought plan. */
  readonly cenIds: readonly string[];
  /** True for a plan put in place by {@link PlanBook.seed}, false for one bought through the API. */
  readonly seeded: boolean;
}

type StoredPlan = Omit<PlanRecord, 'Status'>;

/** A plan that already exists when a test starts (see {@link PlanBook.seed}). */
export interface PlanSeed {
  /** Epoch ms by the double's clock; default now. Drives `CreationTime`, `ExpiredTime`, status and ClientToken memory. */
  readonly createdAt?: number | Date;
  /** As `{ key: value }` or as `[{ Key, Value }]`; sent as `Tag.N.Key`/`Tag.N.Value` and validated like a create's. */
  readonly tags?: Readonly<Record<string, string>> | readonly { readonly Key: string; readonly Value?: string }[];
  /** Remembered like a bought plan's token, subject to `clientTokenMemoryMs`. */
  readonly clientToken?: string;
  /** CEN instance ids: a plan attached to one shows `InUse` (once ready) and matches `Filter` `CenId`. */
  readonly cenIds?: readonly string[];
  /**
   * Further create parameters (`Name`, `Bandwidth`, `GeographicRegionAId`, …) over the defaults
   * Bandwidth 2, China↔China, PREPAY, 1 Month, AutoPay true. Numbers and booleans are sent as strings, as the SDK does.
   */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

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
  /**
   * How long a ClientToken is remembered, from the creation of the plan it bought; `Infinity`
   * (never forgotten) or any ms ≥ 0. The real lifetime is UNCONFIRMED (docs/sources.md, "Alibaba
   * Cloud OpenAPI and CEN"); tests use this to show the product survives CEN forgetting a token.
   */
  readonly clientTokenMemoryMs: number;
}

export class PlanBook {
  readonly #plans: StoredPlan[] = [];
  /** Each token's latest plan; a forgotten token may have bought several. */
  readonly #byToken = new Map<string, StoredPlan>();
  readonly #now: () => number;
  readonly #readyAfterMs: number;
  readonly #chargeTypes: readonly string[];
  readonly #clientTokenMemoryMs: number;

  constructor(options: PlanBookOptions) {
    if (!(options.clientTokenMemoryMs >= 0)) throw new RangeError(`clientTokenMemoryMs must be ≥ 0 or Infinity, not ${options.clientTokenMemoryMs}`);
    this.#now = options.now;
    this.#readyAfterMs = options.readyAfterMs;
    this.#chargeTypes = options.chargeTypes;
    this.#clientTokenMemoryMs = options.clientTokenMemoryMs;
  }

  create(params: Readonly<Record<string, string>>): CreateResult {
    const invalid = createProblem(params);
    if (invalid) return { ok: false, error: invalid };
    const tags = tagsIn(params);
    if ('error' in tags) return { ok: false, error: tags.error };
    // The API's documented default is POSTPAY: an order that names none asks for it.
    if (!this.#chargeTypes.includes(params.BandwidthPackageChargeType ?? 'POSTPAY')) return { ok: false, error: openApiError('UnSupported.ChargeType') };
    const token = params.ClientToken;
    const earlier = token === undefined ? undefined : this.#remembered(token);
    if (earlier) {
      // Same token, same parameters: the first call's answer again. Anything else is a conflict.
      return sameParams(earlier.params, params)
        ? { ok: true, plan: this.#withStatus(earlier), replayed: true }
        : { ok: false, error: openApiError('IdempotenceParam.NotMatch') };
    }
    const plan = this.#store(params, tags.tags, this.#now(), [], false);
    return { ok: true, plan: this.#withStatus(plan), replayed: false };
  }

  /**
   * Puts a plan in place as if it had been bought at `createdAt`, without a request. Throws when the
   * seed would not have been a valid create call, or its ClientToken is still remembered.
   */
  seed(seed: PlanSeed): PlanRecord {
    const params: Record<string, string> = {
      Bandwidth: '2',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
      BandwidthPackageChargeType: 'PREPAY',
      Period: '1',
      PricingCycle: 'Month',
      AutoPay: 'true',
      ...Object.fromEntries(Object.entries(seed.params ?? {}).map(([name, value]) => [name, String(value)])),
    };
    if (seed.clientToken !== undefined) params.ClientToken = seed.clientToken;
    const seedTags = Array.isArray(seed.tags) ? seed.tags : Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    seedTags.forEach((tag: { Key: string; Value?: string }, index) => {
      params[`Tag.${index + 1}.Key`] = tag.Key;
      if (tag.Value !== undefined) params[`Tag.${index + 1}.Value`] = tag.Value;
    });
    const problem = createProblem(params);
    const tags = tagsIn(params);
    const refusal = problem ?? ('error' in tags ? tags.error : undefined);
    if (refusal) throw new Error(`seedPlan: ${refusal.code}: ${refusal.message}`);
    if (seed.clientToken !== undefined && this.#remembered(seed.clientToken))
      throw new Error(`seedPlan: ClientToken "${seed.clientToken}" is still remembered`);
    const cenIds = [...(seed.cenIds ?? [])];
    if (cenIds.some((id) => id === '')) throw new Error('seedPlan: a CEN instance id is empty');
    const createdAt = seed.createdAt === undefined ? this.#now() : Number(seed.createdAt);
    if (!Number.isFinite(createdAt)) throw new Error(`seedPlan: createdAt ${String(seed.createdAt)} is not a time`);
    return this.#withStatus(this.#store(params, 'tags' in tags ? tags.tags : [], createdAt, cenIds, true));
  }

  #store(params: Readonly<Record<string, string>>, tags: readonly PlanTag[], createdAt: number, cenIds: readonly string[], seeded: boolean): StoredPlan {
    const token = params.ClientToken;
    const plan: StoredPlan = {
      id: newPlanId(),
      orderId: newOrderId(),
      clientToken: token,
      params: { ...params },
      createdAt,
      Name: params.Name ?? '',
      Description: params.Description ?? '',
      Bandwidth: Number(params.Bandwidth),
      BandwidthPackageChargeType: params.BandwidthPackageChargeType ?? 'PREPAY',
      GeographicRegionAId: params.GeographicRegionAId ?? '',
      GeographicRegionBId: params.GeographicRegionBId ?? '',
      BusinessStatus: 'Normal',
      tags,
      cenIds,
      seeded,
    };
    this.#plans.push(plan);
    if (token !== undefined) this.#byToken.set(token, plan);
    return plan;
  }

  /** The plan a token bought, while the token is remembered (by the double's clock). */
  #remembered(token: string): StoredPlan | undefined {
    const plan = this.#byToken.get(token);
    return plan !== undefined && this.#now() - plan.createdAt < this.#clientTokenMemoryMs ? plan : undefined;
  }

  /** Snapshots with the status as of now, in the order they were bought or seeded. */
  get plans(): readonly PlanRecord[] {
    return this.#plans.map((plan) => this.#withStatus(plan));
  }

  /** How many different ClientTokens bought plans through the API (seeded plans not counted). */
  distinctClientTokens(): number {
    return new Set(this.#plans.filter((plan) => !plan.seeded && plan.clientToken !== undefined).map((plan) => plan.clientToken)).size;
  }

  /**
   * DescribeCenBandwidthPackages: filters and tags, then one page, oldest plan first (the real
   * order is UNCONFIRMED; the product must not rely on it).
   */
  describe(params: Readonly<Record<string, string>>): { ok: true; body: Record<string, unknown> } | { ok: false; error: ApiError } {
    const page = pageOf(params);
    if ('error' in page) return { ok: false, error: page.error };
    const filters = filtersOf(params);
    if ('error' in filters) return { ok: false, error: filters.error };
    const wanted = tagsIn(params);
    if ('error' in wanted) return { ok: false, error: wanted.error };
    const isOrKey = params.IsOrKey ?? 'false';
    if (!/^(true|false)$/i.test(isOrKey)) return { ok: false, error: invalid('IsOrKey', isOrKey, 'true, false') };
    const orFilters = isOrKey.toLowerCase() === 'true';
    const matching = this.plans
      .map((plan, order) => ({ plan, order }))
      .sort((a, b) => a.plan.createdAt - b.plan.createdAt || a.order - b.order)
      .map(({ plan }) => plan)
      .filter((plan) => {
        // IsOrKey joins the Filter conditions only; tags always narrow the result (UNCONFIRMED: the docs name
        // IsOrKey "the logical operator between the filter conditions" and say nothing of tags).
        if (!wanted.queries.every((tag) => carries(plan, tag))) return false;
        if (filters.filters.length === 0) return true;
        const hits = filters.filters.map(({ key, values }) => values.some((value) => filterValues(plan, key).includes(value)));
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
    if (this.#now() - plan.createdAt < this.#readyAfterMs) return 'Creating';
    return plan.cenIds.length > 0 ? 'InUse' : 'Idle';
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

type Filter = { key: (typeof FILTER_KEYS)[number]; values: string[] };

/**
 * `Filter.N.Key` (N ≤ 5) with its `Filter.N.Value.M` values; the values of one key are ORed. Refused
 * with InvalidParameter, the double's choice where the API is silent (UNCONFIRMED): a key outside
 * {@link FILTER_KEYS}, a key without values, a value without a key, any other `Filter.*` name.
 */
function filtersOf(params: Readonly<Record<string, string>>): { filters: Filter[] } | { error: ApiError } {
  const byIndex = new Map<number, { key?: string; values: string[] }>();
  for (const [name, value] of Object.entries(params)) {
    if (!name.startsWith('Filter.')) continue;
    const match = /^Filter\.([1-9]\d*)\.(?:(Key)|Value\.[1-9]\d*)$/.exec(name);
    if (!match) return { error: invalid(name, value, 'Filter.N.Key or Filter.N.Value.M') };
    const index = Number(match[1]);
    if (index > MAX_FILTERS) return { error: invalid(name, value, `at most ${MAX_FILTERS} filters`) };
    const entry = byIndex.get(index) ?? { values: [] };
    byIndex.set(index, entry);
    if (match[2] === 'Key') entry.key = value;
    else entry.values.push(value);
  }
  const filters: Filter[] = [];
  for (const [index, { key, values }] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (key === undefined) return { error: invalid(`Filter.${index}.Key`, key, 'a filter key beside its values') };
    if (!oneOf(FILTER_KEYS, key)) return { error: invalid(`Filter.${index}.Key`, key, FILTER_KEYS.join(', ')) };
    if (values.length === 0) return { error: invalid(`Filter.${index}.Value.1`, undefined, `at least one value for ${key}`) };
    filters.push({ key: key as Filter['key'], values });
  }
  return { filters };
}

function filterValues(plan: PlanRecord, key: Filter['key']): readonly string[] {
  switch (key) {
    case 'CenId':
      return plan.cenIds;
    case 'CenBandwidthPackageId':
      return [plan.id];
    case 'Status':
      return [plan.Status];
    case 'Name':
      return [plan.Name];
  }
}

/** A `Tag.N` of a call: on describe, `value` undefined when `Tag.N.Value` was not sent. */
type TagQuery = { readonly key: string; readonly value: string | undefined };

const TAG_ERRORS = {
  key: (name: string, value: string, rule: string) => openApiError('IllegalParam.TagKey', `The tag keys are not valid: ${name} "${value}" ${rule}.`),
  value: (name: string, value: string, rule: string) => openApiError('IllegalParam.TagValue', `The tag values are not valid: ${name} "${value}" ${rule}.`),
};

/** Characters as the API counts them (UNCONFIRMED): code points, so a non-BMP character is one. */
const length = (text: string): number => [...text].length;

/**
 * `Tag.N.Key` / `Tag.N.Value`, as CreateCenBandwidthPackage and DescribeCenBandwidthPackages take
 * them (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"): at most 20; a key non-empty, ≤ 64
 * characters; a value empty or ≤ 128; neither starting with `aliyun` or `acs:` nor containing
 * `http://` or `https://`. Codes: IllegalParam.TagKey / IllegalParam.TagValue (the Describe page's;
 * the Create page lists only InvalidParameter, so on create they are UNCONFIRMED), InvalidParameter
 * for more than 20 tags, a repeated key or a malformed `Tag.*` name. Case-insensitive prefixes and
 * URL bans, and refusing a repeated key on describe, are the double's strict choices (UNCONFIRMED).
 */
function tagsIn(params: Readonly<Record<string, string>>): { tags: PlanTag[]; queries: TagQuery[] } | { error: ApiError } {
  const byIndex = new Map<number, { key?: string; value?: string }>();
  for (const [name, value] of Object.entries(params)) {
    if (!name.startsWith('Tag.')) continue;
    const match = /^Tag\.([1-9]\d*)\.(Key|Value)$/.exec(name);
    if (!match) return { error: invalid(name, value, 'Tag.N.Key or Tag.N.Value') };
    const index = Number(match[1]);
    if (index > MAX_TAGS) return { error: invalid(name, value, `at most ${MAX_TAGS} tags`) };
    const entry = byIndex.get(index) ?? {};
    byIndex.set(index, entry);
    if (match[2] === 'Key') entry.key = value;
    else entry.value = value;
  }
  const queries: TagQuery[] = [];
  for (const [index, { key, value }] of [...byIndex].sort(([a], [b]) => a - b)) {
    const keyName = `Tag.${index}.Key`;
    if (key === undefined || key === '') return { error: TAG_ERRORS.key(keyName, key ?? '', 'is missing or empty') };
    if (length(key) > MAX_TAG_KEY_LENGTH) return { error: TAG_ERRORS.key(keyName, key, `is longer than ${MAX_TAG_KEY_LENGTH} characters`) };
    const keyBan = bannedTagText(key);
    if (keyBan) return { error: TAG_ERRORS.key(keyName, key, keyBan) };
    if (value !== undefined) {
      const valueName = `Tag.${index}.Value`;
      if (length(value) > MAX_TAG_VALUE_LENGTH) return { error: TAG_ERRORS.value(valueName, value, `is longer than ${MAX_TAG_VALUE_LENGTH} characters`) };
      const valueBan = bannedTagText(value);
      if (valueBan) return { error: TAG_ERRORS.value(valueName, value, valueBan) };
    }
    if (queries.some((earlier) => earlier.key === key)) return { error: invalid(keyName, key, 'a tag key not given twice') };
    queries.push({ key, value });
  }
  return { queries, tags: queries.map(({ key, value }) => ({ Key: key, Value: value ?? '' })) };
}

function bannedTagText(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (lower.startsWith('aliyun') || lower.startsWith('acs:')) return 'starts with aliyun or acs:';
  if (lower.includes('http://') || lower.includes('https://')) return 'contains http:// or https://';
  return undefined;
}

/**
 * Whether a plan carries a tag a describe call asked for. A `Tag.N.Key` sent without `Tag.N.Value`
 * matches any value of that key; a value sent, even `''`, must match exactly. The docs say neither
 * (UNCONFIRMED); this is the stricter reading, so a product that sends `Value=''` meaning "any" fails here.
 */
function carries(plan: PlanRecord, wanted: TagQuery): boolean {
  return plan.tags.some((tag) => tag.Key === wanted.key && (wanted.value === undefined || tag.Value === wanted.value));
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
    CenIds: { CenId: [...plan.cenIds] },
    Tags: { Tag: plan.tags.map(({ Key, Value }) => ({ Key, Value })) },
  };
}
