/**
 * The CreateCenBandwidthPackage request: one zod schema, the API's own parameter names, and the
 * TypeScript types derived from it. Every rule is defined once, here, with the words a person reads
 * when it is broken. See docs/sources.md, "Alibaba Cloud OpenAPI and CEN"
 */
import * as z from 'zod/mini';
import type { Issue } from './errors';
import { INTENT_TAG_COUNT, INTENT_TAG_PREFIX } from './intent';
import { closestName } from './suggest';

export const AREAS = ['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const;
export const CHARGE_TYPES = ['POSTPAY', 'PREPAY'] as const;
export const PRICING_CYCLES = ['Month', 'Year'] as const;
/** Periods the API accepts for each pricing cycle. */
export const PERIODS = { Month: [1, 2, 3, 6], Year: [1, 2, 3] } as const satisfies Record<PricingCycle, readonly number[]>;
export const MIN_BANDWIDTH = 2;
export const MAX_BANDWIDTH = 10_000;
/** The API's limit on tags; a caller's share leaves room for the intent tags every plan gets (core/intent.ts). */
export const API_MAX_TAGS = 20;
export const MAX_TAGS = API_MAX_TAGS - INTENT_TAG_COUNT;

/** A bandwidth plan id as CEN issues them; the one rule every source checks an id against. */
export const PLAN_ID_PATTERN = /^cenbwp-[a-z0-9]{1,64}$/;
export const PLAN_ID_RULE = 'must be a plan id: cenbwp- followed by 1 to 64 lower-case letters and digits';

export type Area = (typeof AREAS)[number];
export type ChargeType = (typeof CHARGE_TYPES)[number];
export type PricingCycle = (typeof PRICING_CYCLES)[number];

const URL_PREFIX = /^https?:\/\//i;
const oneOf = (values: readonly string[]): string =>
  values.length === 2 ? `${values[0]} or ${values[1]}` : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

const area = z.enum(AREAS, { error: `must be one of ${oneOf(AREAS)}` });

// An unpaired UTF-16 surrogate cannot be percent-encoded (or stored) as UTF-8: refuse it here, by name.
const wellFormed = z.refine<string>((value) => !/\p{Cs}/u.test(value), { error: 'must be valid Unicode text' });

// Bidirectional controls reorder what a reader sees (a preview, an approval request) against what is
// sent: text that reads one way and says another. Refused where people type free text.
const noBidiControls = z.refine<string>((value) => !/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(value), {
  error: 'must not contain bidirectional control characters',
});

// Leading blanks and invisible format characters (a zero-width space) do not hide a URL: the API, or
// whoever displays the text, may drop them.
const noUrlPrefix = z.refine<string>((value) => !URL_PREFIX.test(value.normalize('NFKC').replace(/^[\s\p{Cf}]+/u, '')), {
  error: 'must not start with http:// or https://',
});

/**
 * A ClientToken: the API's printable ASCII, at most 64, and no comma — the plan is found again with
 * `GET /bandwidth-plans?clientToken=`, where FC joins a repeated key with one. The one rule for the
 * body, the query and chat's `status <token>`.
 */
const CLIENT_TOKEN_CHARACTER = '[\\x21-\\x2b\\x2d-\\x7e]';
export const CLIENT_TOKEN_PATTERN = new RegExp(`^${CLIENT_TOKEN_CHARACTER}{1,64}$`);

// Chinese characters count as letters for the API; `\p{Script=Han}` covers them.
const NAME_PATTERN = /^[A-Za-z\p{Script=Han}][A-Za-z0-9\p{Script=Han}_-]*$/u;

// Tag rules (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"): keys non-empty ≤ 64, values ≤ 128, neither starting with `aliyun`
// or `acs:` (reserved for Alibaba's own tags) nor containing a URL scheme.
const tagText = (max: number, min: number) =>
  z.string({ error: 'must be a string' }).check(
    z.minLength(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` }),
    z.maxLength(max, { error: `must be at most ${max} characters` }),
    wellFormed,
    noBidiControls,
    // In any width too (NFKC): `ａｃｓ:` must not pass for a tag of the cloud's own.
    z.refine((value) => !/^(aliyun|acs:)/i.test(value.normalize('NFKC').trim()), { error: 'must not start with "aliyun" or "acs:"' }),
    z.refine((value) => !/https?:\/\//i.test(value), { error: 'must not contain http:// or https://' }),
  );

const tagShape = { Key: tagText(64, 1), Value: z.optional(tagText(128, 0)) };
const TAG_FORM = { error: 'must be an object with Key and Value' };
/** A tag as sent, the intent's included. */
const sentTag = z.strictObject(tagShape, TAG_FORM);
/** A caller's tag: the intent's keys are this function's to set. */
const tag = z.strictObject(
  {
    ...tagShape,
    Key: tagShape.Key.check(
      // In any case or width, after blanks: CEN may fold them, and a look-alike would pass for the intent's.
      z.refine((value) => !value.normalize('NFKC').trim().toLowerCase().startsWith(INTENT_TAG_PREFIX), {
        error: `must not start with "${INTENT_TAG_PREFIX}": those tags record this function's intent`,
      }),
    ),
  },
  TAG_FORM,
);
export type Tag = z.output<typeof sentTag>;
/** The tags of a request as sent: the caller's and the intent's, within the API's limit. */
export const SentTagsSchema = z.array(sentTag).check(z.maxLength(API_MAX_TAGS));

const bool = (what: string) => z.boolean({ error: `must be true or false${what}` });

export const BandwidthPlanRequestSchema = z.strictObject(
  {
    Bandwidth: z
      .int({ error: `must be a whole number of Mbit/s from ${MIN_BANDWIDTH} to ${MAX_BANDWIDTH}` })
      .check(
        z.minimum(MIN_BANDWIDTH, { error: `must be at least ${MIN_BANDWIDTH} Mbit/s` }),
        z.maximum(MAX_BANDWIDTH, { error: `must be at most ${MAX_BANDWIDTH} Mbit/s` }),
      ),
    GeographicRegionAId: area,
    GeographicRegionBId: area,
    ClientToken: z.optional(
      z
        .string({ error: 'must be a string' })
        .check(
          z.minLength(1, { error: 'must not be empty' }),
          z.maxLength(64, { error: 'must be at most 64 characters' }),
          z.regex(new RegExp(`^${CLIENT_TOKEN_CHARACTER}*$`), { error: 'must be printable ASCII without spaces or commas' }),
        ),
    ),
    Name: z.optional(
      z.string({ error: 'must be a string' }).check(
        z.minLength(2, { error: 'must be 2 to 128 characters' }),
        z.maxLength(128, { error: 'must be 2 to 128 characters' }),
        noUrlPrefix,
        z.regex(NAME_PATTERN, {
          error: 'must start with a letter and contain only letters, digits, _ and -',
        }),
      ),
    ),
    Description: z.optional(
      z
        .string({ error: 'must be a string' })
        .check(
          z.minLength(2, { error: 'must be 2 to 256 characters' }),
          z.maxLength(256, { error: 'must be 2 to 256 characters' }),
          wellFormed,
          noBidiControls,
          noUrlPrefix,
        ),
    ),
    BandwidthPackageChargeType: z._default(z.enum(CHARGE_TYPES, { error: `must be ${oneOf(CHARGE_TYPES)}` }), 'POSTPAY'),
    PricingCycle: z._default(z.enum(PRICING_CYCLES, { error: `must be ${oneOf(PRICING_CYCLES)}` }), 'Month'),
    Period: z.optional(z.int({ error: 'must be a whole number' })),
    // The API's default is false, though older docs said true: always send it explicitly.
    AutoPay: z._default(bool(''), false),
    AutoRenew: z.optional(bool('')),
    // The API's range is a 32-bit int (docs/sources.md); how long the owner allows is MAX_PREPAID_MONTHS.
    AutoRenewDuration: z.optional(
      z
        .int({ error: 'must be a whole number of months' })
        .check(z.minimum(1, { error: 'must be at least 1 month' }), z.maximum(2_147_483_647, { error: 'must be at most 2147483647 months' })),
    ),
    Tag: z.optional(
      z.array(tag, { error: 'must be a list of {Key, Value} objects' }).check(z.maxLength(MAX_TAGS, { error: `must have at most ${MAX_TAGS} tags` })),
    ),
  },
  { error: 'must be a JSON object' },
);

/** What a caller may send (defaults not yet applied). */
export type BandwidthPlanInput = z.input<typeof BandwidthPlanRequestSchema>;

/** A validated request, defaults applied, exactly as it is sent to CreateCenBandwidthPackage. */
export type BandwidthPlanRequest = Omit<z.output<typeof BandwidthPlanRequestSchema>, 'Period'> & { Period: number };

/**
 * Rules that tie fields together. They read the raw input defensively so they can be reported in the
 * same pass as per-field errors (zod skips object-level checks once a field has failed).
 */
function crossFieldIssues(input: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const chargeType = input.BandwidthPackageChargeType ?? 'POSTPAY';
  const cycle = input.PricingCycle ?? 'Month';
  const period = input.Period;
  if (typeof period === 'number' && Number.isInteger(period) && (cycle === 'Month' || cycle === 'Year')) {
    const allowed: readonly number[] = PERIODS[cycle];
    if (!allowed.includes(period)) {
      issues.push({ path: 'Period', message: `with PricingCycle=${cycle} it must be ${oneOf(allowed.map(String))}` });
    }
  }
  if (chargeType === 'PREPAY' && period === undefined) {
    issues.push({ path: 'Period', message: 'is required when BandwidthPackageChargeType is PREPAY' });
  }
  if (input.AutoRenewDuration !== undefined && input.AutoRenew !== true) {
    issues.push({ path: 'AutoRenewDuration', message: 'is only allowed with AutoRenew=true' });
  }
  if (Array.isArray(input.Tag)) {
    const seen = new Set<unknown>();
    input.Tag.forEach((entry: unknown, index) => {
      const key = typeof entry === 'object' && entry !== null ? (entry as { Key?: unknown }).Key : undefined;
      if (key !== undefined && seen.has(key)) issues.push({ path: `Tag.${index + 1}.Key`, message: 'must not repeat another tag key' });
      seen.add(key);
    });
  }
  return issues;
}

/** A zod issue path as the API names the parameter: Tag entries are 1-based (`Tag.1.Key`). */
function apiPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' && path[index - 1] === 'Tag' ? part + 1 : String(part))).join('.');
}

function fromZodIssue(issue: z.core.$ZodIssue): Issue[] {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${apiPath(issue.path)}.` : '';
    const known = issue.path[0] === 'Tag' ? Object.keys(tag.def.shape) : Object.keys(BandwidthPlanRequestSchema.def.shape);
    return issue.keys.map((key) => ({ path: prefix + key, message: unknownFieldMessage(key, known) }));
  }
  const path = apiPath(issue.path);
  // `input` is reported (reportInput) so a missing field can be told from a wrong one.
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined && path !== '') {
    return [{ path, message: 'is required' }];
  }
  return [{ path, message: issue.message }];
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const near = closestName(key, known);
  return near ? `is not a known parameter (did you mean ${near}?)` : 'is not a known parameter';
}

export type Validation = { ok: true; request: BandwidthPlanRequest } | { ok: false; issues: Issue[] };

/** Validates a request and applies defaults; on failure, returns every broken rule, not just the first. */
export function validateBandwidthPlan(input: unknown): Validation {
  const parsed = BandwidthPlanRequestSchema.safeParse(input, { reportInput: true });
  const cross = typeof input === 'object' && input !== null && !Array.isArray(input) ? crossFieldIssues(input as Record<string, unknown>) : [];
  const issues = [...(parsed.success ? [] : parsed.error.issues.flatMap(fromZodIssue)), ...cross];
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: dedupe(issues) };
  return { ok: true, request: { ...parsed.data, Period: parsed.data.Period ?? 1 } };
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The request as RPC query parameters, in the API's wire form: booleans and numbers as strings,
 * tags flattened to 1-based `Tag.N.Key` / `Tag.N.Value`.
 */
export function toQueryParameters(request: BandwidthPlanRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(request)) {
    if (value === undefined) continue;
    if (name === 'Tag') {
      (value as NonNullable<BandwidthPlanRequest['Tag']>).forEach((entry, index) => {
        query[`Tag.${index + 1}.Key`] = entry.Key;
        if (entry.Value !== undefined) query[`Tag.${index + 1}.Value`] = entry.Value;
      });
    } else {
      query[name] = String(value);
    }
  }
  return query;
}
