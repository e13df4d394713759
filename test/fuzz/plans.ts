/**
 * Generators of CreateCenBandwidthPackage parameters — valid ones, at and near every limit, and
 * well-formed ones that break exactly the rules README's parameter table states — with an oracle,
 * written from that table rather than from the product's schema, of what the product must send.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';

export const AREAS = ['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const;
export const PERIODS = { Month: [1, 2, 3, 6], Year: [1, 2, 3] } as const;
export const LIMITS = {
  minBandwidth: 2,
  maxBandwidth: 10_000,
  name: [2, 128],
  description: [2, 256],
  // The API's 20, less the three intent tags the function adds (README "Intent tags and runaway limits").
  tags: 17,
  tagKey: 64,
  tagValue: 128,
  clientToken: 64,
} as const;

export type Plan = Record<string, unknown>;

/** An unpaired UTF-16 surrogate: not Unicode text, refused by the schema (`must be valid Unicode text`). */
export const UNPAIRED_SURROGATE = /\p{Cs}/u;

const HAN = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code));
const LETTER = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
const NAME_TAIL = fc.oneof(LETTER, fc.constantFrom(...'0123456789_-'), HAN);
/** Any code point: ASCII, accents, CJK, emoji, controls, the noncharacters U+FFFE/U+FFFF (never a lone surrogate). */
export const ANY_CHAR = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  fc.constantFrom('\uFFFE', '\uFFFF', '\u0000', '\u2028'),
);
const MIXED_CHAR = fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) }, ANY_CHAR);
/**
 * Text of exactly `length` UTF-16 units (what the API's length limits count): mixed characters,
 * cut before a pair would overflow, padded with `a`.
 */
export const textOfLength = (length: number) =>
  fc.array(MIXED_CHAR, { minLength: length, maxLength: length }).map((chars) => {
    let text = '';
    for (const char of chars) {
      if (text.length + char.length > length) break;
      text += char;
    }
    return text.padEnd(length, 'a');
  });
/** A length: the bounds themselves, one step inside, or anywhere between. */
const lengthIn = (min: number, max: number) => fc.oneof(fc.constantFrom(min, max, min + 1, max - 1), fc.integer({ min, max }));

// As the API reads it: width-folded, after blanks and invisible format characters.
const noUrlPrefix = (text: string) => !/^https?:\/\//i.test(text.normalize('NFKC').replace(/^[\s\p{Cf}]+/u, ''));
/** Bidirectional controls (README: refused in free text). */
const noBidi = (text: string) => !/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(text);
const tagText = (text: string) => !/^(aliyun|acs:)/i.test(text.normalize('NFKC').trim()) && !/https?:\/\//i.test(text) && noBidi(text);
/** Tag keys the function keeps for itself (README). */
export const INTENT_KEY_PREFIX = 'bandwidth-plan:';

export const validName = lengthIn(...LIMITS.name).chain((length) =>
  fc.tuple(fc.oneof(LETTER, HAN), fc.array(NAME_TAIL, { minLength: length - 1, maxLength: length - 1 })).map(([head, tail]) => head + tail.join('')),
);
/**
 * Lengths are kept within the limits both in UTF-16 units and in code points: the schema counts code
 * points (zod 4.6), the CEN double counts units, and which one the API counts is not documented.
 */
export const validDescription = lengthIn(...LIMITS.description)
  .chain(textOfLength)
  .filter((text) => noUrlPrefix(text) && noBidi(text) && [...text].length >= LIMITS.description[0]);
const validTagKey = lengthIn(1, LIMITS.tagKey)
  .chain(textOfLength)
  .filter((key) => tagText(key) && !key.normalize('NFKC').trim().toLowerCase().startsWith(INTENT_KEY_PREFIX));
const validTagValue = fc.oneof(fc.constant(''), lengthIn(0, LIMITS.tagValue).chain(textOfLength)).filter(tagText);
// Printable ASCII but the comma (a ClientToken is also a query value, where a comma joins repeats).
export const validClientToken = lengthIn(1, LIMITS.clientToken).chain((length) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code === 0x2c ? 0x2d : code)),
    minLength: length,
    maxLength: length,
  }),
);
export const validTags = fc.oneof(fc.constant(LIMITS.tags), fc.integer({ min: 0, max: LIMITS.tags })).chain((count) =>
  fc.uniqueArray(fc.record({ Key: validTagKey, Value: validTagValue }, { requiredKeys: ['Key'] }), {
    selector: (tag) => tag.Key,
    minLength: count,
    maxLength: count,
  }),
);

/** Billing: charge type, cycle and period in every combination README allows (PREPAY needs a period). */
const billing = fc
  .oneof(
    fc.record({
      BandwidthPackageChargeType: fc.constantFrom(undefined, 'POSTPAY'),
      cycle: fc.constantFrom(undefined, 'Month', 'Year'),
      withPeriod: fc.boolean(),
    }),
    fc.record({ BandwidthPackageChargeType: fc.constant('PREPAY'), cycle: fc.constantFrom(undefined, 'Month', 'Year'), withPeriod: fc.constant(true) }),
  )
  .chain(({ BandwidthPackageChargeType, cycle, withPeriod }) =>
    fc.constantFrom(...PERIODS[cycle ?? 'Month']).map((period) => ({
      ...(BandwidthPackageChargeType === undefined ? {} : { BandwidthPackageChargeType }),
      ...(cycle === undefined ? {} : { PricingCycle: cycle }),
      ...(withPeriod ? { Period: period } : {}),
    })),
  );

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

/** A valid request: every parameter optional except the three required, each at or inside its limits. */
export const validPlan: fc.Arbitrary<Plan> = fc
  .record({
    Bandwidth: fc.oneof(fc.constantFrom(LIMITS.minBandwidth, LIMITS.maxBandwidth), fc.integer({ min: LIMITS.minBandwidth, max: LIMITS.maxBandwidth })),
    GeographicRegionAId: fc.constantFrom(...AREAS),
    GeographicRegionBId: fc.constantFrom(...AREAS),
    billing,
    AutoPay: optional(fc.boolean()),
    renew: optional(
      fc.oneof(
        fc.constant({ AutoRenew: false }),
        fc.record({ AutoRenew: fc.constant(true), AutoRenewDuration: optional(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1_000_000 }))) }),
      ),
    ),
    Name: optional(validName),
    Description: optional(validDescription),
    ClientToken: optional(validClientToken),
    Tag: optional(validTags),
  })
  // Through JSON, as every source receives it: plain objects, no undefined values.
  .map(({ billing: bill, renew, ...rest }) => JSON.parse(JSON.stringify({ ...rest, ...bill, ...(renew ?? {}) })) as Plan);

function dropUndefined(plan: Plan): Plan {
  return Object.fromEntries(Object.entries(plan).filter(([, value]) => value !== undefined));
}

/** One rule broken, as close to its limit as it gets. Each entry names the rule it breaks. */
export const RULE_BREAKERS: ReadonlyArray<[string, fc.Arbitrary<(plan: Plan) => Plan>]> = [
  [
    'Bandwidth out of range or not an integer',
    fc.constantFrom(1, 0, -1, 10_001, 2.5, 9999.5, 1e21, Number.MAX_SAFE_INTEGER + 2, -0.5).map((Bandwidth) => (plan: Plan) => ({ ...plan, Bandwidth })),
  ],
  ['Bandwidth of another type', fc.constantFrom('100', '10', '', null, true, [10], { value: 10 }).map((Bandwidth) => (plan: Plan) => ({ ...plan, Bandwidth }))],
  ['Bandwidth missing', fc.constant((plan: Plan) => without(plan, 'Bandwidth'))],
  [
    'area in the wrong case or unknown',
    fc
      .tuple(
        fc.constantFrom('GeographicRegionAId', 'GeographicRegionBId'),
        fc.constantFrom('china', 'CHINA', 'europe', 'asia-pacific', 'North America', 'north-america', 'Mars', '', ' China', 'China ', 7, null),
      )
      .map(([field, value]) => (plan: Plan) => ({ ...plan, [field]: value })),
  ],
  ['area missing', fc.constantFrom('GeographicRegionAId', 'GeographicRegionBId').map((field) => (plan: Plan) => without(plan, field))],
  [
    'charge type unknown',
    fc.constantFrom('postpay', 'PREPAID', 'prepay', '', 1, null).map((value) => (plan: Plan) => ({ ...plan, BandwidthPackageChargeType: value })),
  ],
  ['PREPAY without a period', fc.constant((plan: Plan) => ({ ...without(plan, 'Period'), BandwidthPackageChargeType: 'PREPAY' }))],
  [
    'period not allowed for its cycle',
    fc
      .oneof(
        fc.constantFrom(0, 4, 5, 7, 12, -1, 1.5, '1').map((Period) => ({ PricingCycle: 'Month', Period })),
        fc.constantFrom(0, 4, 6, 12, 2.5).map((Period) => ({ PricingCycle: 'Year', Period })),
        fc.constantFrom('month', 'Day', '', 'YEAR', 12).map((PricingCycle) => ({ PricingCycle, Period: 1 })),
      )
      .map((billingValues) => (plan: Plan) => ({ ...plan, ...billingValues })),
  ],
  [
    'AutoPay or AutoRenew not a boolean',
    fc.tuple(fc.constantFrom('AutoPay', 'AutoRenew'), fc.constantFrom('true', 'false', 1, 0, null)).map(([field, value]) => (plan: Plan) => ({
      ...plan,
      [field]: value,
    })),
  ],
  [
    'AutoRenewDuration without AutoRenew, or out of range',
    fc.oneof(
      fc.constantFrom(undefined, false).map((AutoRenew) => (plan: Plan) => dropUndefined({ ...plan, AutoRenew, AutoRenewDuration: 1 })),
      fc.constantFrom(0, -1, 1.5, '3').map((AutoRenewDuration) => (plan: Plan) => ({ ...plan, AutoRenew: true, AutoRenewDuration })),
    ),
  ],
  [
    'Name too short, too long, a URL or not starting with a letter',
    fc
      .oneof(
        fc.constantFrom('a', 'x'.repeat(129), '', '1abc', '_abc', '-abc', 'has space', 'dot.ted', 'at@sign', 'http://x.example', 'https://plan', 7),
        validName.map((name) => `${name}${'n'.repeat(Math.max(0, 129 - name.length))}`),
      )
      .map((Name) => (plan: Plan) => ({ ...plan, Name })),
  ],
  [
    'Description too short, too long or a URL',
    fc
      .oneof(
        fc.constantFrom('x', '', 'y'.repeat(257), 'http://example.com/plan', 'HTTPS://EXAMPLE', 42),
        validDescription.map((text) => `https://${text}`),
      )
      .map((Description) => (plan: Plan) => ({ ...plan, Description })),
  ],
  [
    'text that is not Unicode (an unpaired surrogate) in Name, Description or a tag',
    fc
      .tuple(fc.constantFrom('Name', 'Description', 'Key', 'Value'), fc.integer({ min: 0xd800, max: 0xdfff }), fc.constantFrom('', 'ab', 'x'.repeat(10)))
      .map(([field, unit, around]) => (plan: Plan) => {
        const text = `${around}${String.fromCharCode(unit)}${around}xy`;
        if (field === 'Key' || field === 'Value') return { ...plan, Tag: [{ Key: field === 'Key' ? text : 'team', Value: field === 'Value' ? text : 'v' }] };
        return { ...plan, [field]: field === 'Name' ? `n${text}` : text };
      }),
  ],
  [
    'ClientToken too long, empty, not printable ASCII, with a space or a comma',
    fc
      .oneof(
        fc.constantFrom('t'.repeat(65), '', 'tökén', 'with space', 'tab\there', 'nul\u0000', '令牌', 'a,b', 64),
        validClientToken.map((token) => `${token}${'z'.repeat(65 - token.length)}`),
      )
      .map((ClientToken) => (plan: Plan) => ({ ...plan, ClientToken })),
  ],
  [
    "Tag: 18 tags, a key or value too long or empty, a reserved prefix (the intent's too), a URL, a repeated key, a wrong shape",
    fc
      .constantFrom<unknown>(
        Array.from({ length: 18 }, (_, index) => ({ Key: `k${index}`, Value: 'v' })),
        [{ Key: 'bandwidth-plan:client-token', Value: 'forged' }],
        [{ Key: 'bandwidth-plan:product' }],
        [{ Key: '' }],
        [{ Key: 'k'.repeat(65) }],
        [{ Key: 'k', Value: 'v'.repeat(129) }],
        [{ Key: 'aliyun-owner' }],
        [{ Key: 'Aliyunx' }],
        [{ Key: 'ACS:team' }],
        [{ Key: 'team', Value: 'acs:1' }],
        [{ Key: 'see http://example.com' }],
        [{ Key: 'team', Value: 'https://example.com' }],
        [{ Key: 'team' }, { Key: 'team' }],
        [{ Key: 'team', Value: 'a', Extra: 1 }],
        [{ Value: 'orphan' }],
        ['team'],
        [null],
        { Key: 'team' },
        'team=a',
      )
      .map((Tag) => (plan: Plan) => ({ ...plan, Tag })),
  ],
  [
    'an unknown parameter',
    fc
      .oneof(fc.constantFrom('Bandwith', 'bandwidth', 'Period ', 'CenId', 'RegionId', 'clienttoken', ''), fc.string({ minLength: 1, maxLength: 30 }))
      .filter(
        (key) =>
          ![
            'Bandwidth',
            'GeographicRegionAId',
            'GeographicRegionBId',
            'ClientToken',
            'Name',
            'Description',
            'BandwidthPackageChargeType',
            'PricingCycle',
            'Period',
            'AutoPay',
            'AutoRenew',
            'AutoRenewDuration',
            'Tag',
            '__proto__',
            'constructor',
            'prototype',
          ].includes(key),
      )
      .map((key) => (plan: Plan) => ({ ...plan, [key]: 1 })),
  ],
];

function without(plan: Plan, field: string): Plan {
  const { [field]: _removed, ...rest } = plan;
  return rest;
}

/** A valid plan with one to three rules broken near their limits; `broken` names them. */
export const invalidPlan: fc.Arbitrary<{ plan: Plan; broken: string[] }> = fc
  .tuple(validPlan, fc.uniqueArray(fc.integer({ min: 0, max: RULE_BREAKERS.length - 1 }), { minLength: 1, maxLength: 3 }))
  .chain(([plan, picks]) =>
    fc.tuple(...picks.map((pick) => RULE_BREAKERS[pick]![1])).map((breakers) => ({
      plan: breakers.reduce((current, breakRule) => breakRule(current), plan),
      broken: picks.map((pick) => RULE_BREAKERS[pick]![0]),
    })),
  );

/** A PREPAY order that is not paid automatically: created, but it waits for payment (pending). */
export function awaitsPayment(plan: Plan): boolean {
  return plan.BandwidthPackageChargeType === 'PREPAY' && plan.AutoPay !== true;
}

/** The request with README's defaults applied: what a dry run answers and what is bought. */
export function normalised(plan: Plan, clientToken: string): Plan {
  return {
    ...plan,
    BandwidthPackageChargeType: plan.BandwidthPackageChargeType ?? 'POSTPAY',
    PricingCycle: plan.PricingCycle ?? 'Month',
    Period: plan.Period ?? 1,
    AutoPay: plan.AutoPay ?? false,
    ClientToken: clientToken,
  };
}

/**
 * The request as sent: with the caller's tags, then the intent's — which product bought it, its
 * ClientToken, and the digest README defines: SHA-256 (hex) of the JSON array of [name, value] pairs,
 * sorted by name, without the ClientToken and the intent's tags.
 */
export function asSent(plan: Plan, clientToken: string): Plan {
  const request = normalised(plan, clientToken);
  const pairs = Object.entries(request)
    .filter(([name, value]) => name !== 'ClientToken' && value !== undefined && !(name === 'Tag' && (value as unknown[]).length === 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
  return {
    ...request,
    Tag: [
      ...((plan.Tag as unknown[] | undefined) ?? []),
      { Key: 'bandwidth-plan:product', Value: 'create-bandwidth-plan' },
      { Key: 'bandwidth-plan:client-token', Value: clientToken },
      { Key: 'bandwidth-plan:request', Value: digest },
    ],
  };
}

/**
 * The query parameters CreateCenBandwidthPackage must receive for `plan`: every value as text,
 * booleans as `true`/`false`, tags flattened to 1-based `Tag.N.Key`/`Tag.N.Value`.
 */
export function expectedWire(plan: Plan, clientToken: string): Record<string, string> {
  const { Tag, ...rest } = asSent(plan, clientToken);
  const wire: Record<string, string> = {};
  for (const [name, value] of Object.entries(rest)) wire[name] = String(value);
  (Tag as Array<{ Key: string; Value?: string }> | undefined)?.forEach((tag, index) => {
    wire[`Tag.${index + 1}.Key`] = tag.Key;
    if (tag.Value !== undefined) wire[`Tag.${index + 1}.Value`] = tag.Value;
  });
  return wire;
}
