/**
 * Plans that remember their intent. Every plan this function buys carries two tags: which product
 * bought it and its ClientToken. Before buying, the plan with the command's ClientToken is looked up
 * by tag, so a redelivery days later finds its plan whatever CEN still remembers of the token; and
 * the tagged plans' creation times bound what the product may buy in a rolling 24 hours.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BandwidthPlanRequest, Tag } from './schema';

/** Keys start with this; a caller's own tags may not (docs/sources.md: keys ≤ 64, no `aliyun`/`acs:`). */
export const INTENT_TAG_PREFIX = 'bandwidth-plan:';
export const PRODUCT_TAG_KEY = `${INTENT_TAG_PREFIX}product`;
export const PRODUCT_TAG_VALUE = 'create-bandwidth-plan';
export const CLIENT_TOKEN_TAG_KEY = `${INTENT_TAG_PREFIX}client-token`;
/** A digest of the parameters bought, so a later lookup can check them all as CEN checks a ClientToken. */
export const REQUEST_TAG_KEY = `${INTENT_TAG_PREFIX}request`;
/** How many of the API's 20 tags the intent takes. */
export const INTENT_TAG_COUNT = 3;

/** The rolling window the runaway limits count over. */
export const LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * SHA-256 (hex) of the JSON array of `[name, value]` pairs of the parameters, sorted by name, without
 * the ClientToken and without the intent's own tags: equal exactly when CEN would call two requests
 * with one ClientToken the same (README "Intent tags and runaway limits").
 */
export function requestDigest(request: BandwidthPlanRequest): string {
  const callerTags = (request.Tag ?? []).filter((tag) => !tag.Key.startsWith(INTENT_TAG_PREFIX));
  const pairs = Object.entries({ ...request, Tag: callerTags.length > 0 ? callerTags : undefined })
    .filter(([name, value]) => name !== 'ClientToken' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
}

/** The request as sent: the caller's tags first, then the intent's (product, ClientToken, digest). */
export function withIntentTags<Request extends BandwidthPlanRequest>(request: Request, clientToken: string): Request {
  const intent: Tag[] = [
    { Key: PRODUCT_TAG_KEY, Value: PRODUCT_TAG_VALUE },
    { Key: CLIENT_TOKEN_TAG_KEY, Value: clientToken },
    { Key: REQUEST_TAG_KEY, Value: requestDigest(request) },
  ];
  return { ...request, Tag: [...(request.Tag ?? []), ...intent] };
}

/** The request as the caller gave it: the intent's tags taken off (an approval code carries this). */
export function withoutIntentTags<Request extends BandwidthPlanRequest>(request: Request): Request {
  const { Tag, ...rest } = request;
  const callerTags = (Tag ?? []).filter((tag) => !tag.Key.startsWith(INTENT_TAG_PREFIX));
  return (callerTags.length > 0 ? { ...rest, Tag: callerTags } : rest) as Request;
}

/** A plan as DescribeCenBandwidthPackages lists it, in the fields the intent checks read. */
export interface ListedPlan {
  readonly CenBandwidthPackageId: string;
  readonly Status: string;
  readonly Bandwidth?: number | undefined;
  readonly BandwidthPackageChargeType?: string | undefined;
  readonly GeographicRegionAId?: string | undefined;
  readonly GeographicRegionBId?: string | undefined;
  readonly Name?: string | undefined;
  /** Epoch ms, from `CreationTime` (`YYYY-MM-DDThh:mmZ`); undefined when it is missing or unreadable. */
  readonly createdAt?: number | undefined;
  readonly tags: readonly Tag[];
}

/** `2026-12-01T09:30Z` (the API gives minutes only), or with seconds; undefined when unreadable. */
export function parseCreationTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The parameters CEN's own ClientToken check would find different (IdempotenceParam.NotMatch), in the
 * fields a listed plan shows. Areas come back in lower case, so they are compared without case.
 */
export function intentMismatches(request: BandwidthPlanRequest, plan: ListedPlan): string[] {
  const differences: string[] = [];
  const digest = plan.tags.find((tag) => tag.Key === REQUEST_TAG_KEY)?.Value;
  const same = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a.toLowerCase() === b.toLowerCase();
  if (plan.Bandwidth !== undefined && plan.Bandwidth !== request.Bandwidth) differences.push(`Bandwidth ${plan.Bandwidth}, not ${request.Bandwidth}`);
  if (!same(plan.BandwidthPackageChargeType, request.BandwidthPackageChargeType)) {
    differences.push(`BandwidthPackageChargeType ${plan.BandwidthPackageChargeType}, not ${request.BandwidthPackageChargeType}`);
  }
  if (!same(plan.GeographicRegionAId, request.GeographicRegionAId) || !same(plan.GeographicRegionBId, request.GeographicRegionBId)) {
    differences.push(`areas ${plan.GeographicRegionAId}–${plan.GeographicRegionBId}, not ${request.GeographicRegionAId}–${request.GeographicRegionBId}`);
  }
  if (request.Name !== undefined && plan.Name !== undefined && plan.Name !== request.Name) differences.push(`Name "${plan.Name}", not "${request.Name}"`);
  // What the listing does not show (the term, AutoPay, Description, the caller's tags) the digest covers.
  if (differences.length === 0 && digest !== undefined && !sameDigest(digest, requestDigest(request)))
    differences.push('parameters the listing does not show (the term, AutoPay, Description or tags)');
  return differences;
}

/** Not a secret (it is a tag anyone with the account can read), but a digest all the same: compared in constant time. */
function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The owner's runaway limits over a rolling 24 h; undefined: no limit. */
export interface RunawayLimits {
  readonly plansPerDay?: number | undefined;
  readonly mbpsPerDay?: number | undefined;
}

/** What the product bought in the window and what is left, for previews and refusals. */
export interface QuotaRoom {
  readonly plans: { readonly used: number; readonly limit?: number | undefined };
  readonly mbps: { readonly used: number; readonly limit?: number | undefined };
  /** ISO time when the oldest plan in the window leaves it; undefined when the window is empty. */
  readonly nextFreesAt?: string | undefined;
}

export type QuotaVerdict =
  | { readonly allowed: true; readonly room: QuotaRoom }
  | { readonly allowed: false; readonly room: QuotaRoom; readonly reason: string };

/** The plans this product bought within the window ending at `now`. A plan without a readable time counts (it cannot be shown to be old). */
export function plansInWindow(plans: readonly ListedPlan[], now: number): ListedPlan[] {
  return plans.filter((plan) => plan.createdAt === undefined || plan.createdAt > now - LIMIT_WINDOW_MS);
}

const iso = (time: number) => new Date(time).toISOString();

/**
 * Whether buying `bandwidth` more Mbit/s now stays within the limits, counting the plans already in
 * the window. A refusal names the limit, the count, and when enough room frees up for this request.
 */
export function quotaVerdict(recent: readonly ListedPlan[], bandwidth: number, limits: RunawayLimits, now: number): QuotaVerdict {
  const inWindow = plansInWindow(recent, now).sort((a, b) => (a.createdAt ?? now) - (b.createdAt ?? now));
  const usedMbps = inWindow.reduce((sum, plan) => sum + (plan.Bandwidth ?? 0), 0);
  const oldest = inWindow.find((plan) => plan.createdAt !== undefined)?.createdAt;
  const room: QuotaRoom = {
    plans: { used: inWindow.length, limit: limits.plansPerDay },
    mbps: { used: usedMbps, limit: limits.mbpsPerDay },
    nextFreesAt: oldest === undefined ? undefined : iso(oldest + LIMIT_WINDOW_MS),
  };
  const { plansPerDay, mbpsPerDay } = limits;
  const fitsWithout = (gone: number): boolean => {
    const rest = inWindow.slice(gone);
    const mbps = rest.reduce((sum, plan) => sum + (plan.Bandwidth ?? 0), 0);
    return (plansPerDay === undefined || rest.length + 1 <= plansPerDay) && (mbpsPerDay === undefined || mbps + bandwidth <= mbpsPerDay);
  };
  if (fitsWithout(0)) return { allowed: true, room };
  // The oldest plans leave the window in order: the first moment both limits have room for this one.
  let when =
    mbpsPerDay !== undefined && bandwidth > mbpsPerDay
      ? 'no time: it is larger than MAX_MBPS_PER_DAY on its own'
      : 'a time that cannot be told (a plan’s creation time could not be read)';
  for (let gone = 1; gone <= inWindow.length; gone++) {
    const leaving = inWindow[gone - 1]!.createdAt;
    if (leaving === undefined) break;
    if (fitsWithout(gone)) {
      when = iso(leaving + LIMIT_WINDOW_MS);
      break;
    }
  }
  const reason =
    plansPerDay !== undefined && inWindow.length + 1 > plansPerDay
      ? `MAX_PLANS_PER_DAY is ${plansPerDay} and this function bought ${inWindow.length} plans in the last 24 hours; room for one more at ${when}`
      : `MAX_MBPS_PER_DAY is ${mbpsPerDay} and this function bought ${usedMbps} Mbit/s in the last 24 hours, so ${bandwidth} more does not fit; room for it at ${when}`;
  return { allowed: false, room, reason };
}

/** One line for previews: what is left today. */
export function describeRoom(room: QuotaRoom): string {
  const part = (used: number, limit: number | undefined, unit: string) =>
    limit === undefined ? `${used} ${unit} bought, no limit` : `${Math.max(limit - used, 0)} of ${limit} ${unit} left`;
  return `Last 24 hours: ${part(room.plans.used, room.plans.limit, 'plans')}, ${part(room.mbps.used, room.mbps.limit, 'Mbit/s')}`;
}
