/**
 * CreateCenBandwidthPackage request rules (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"): every rule, valid
 * and invalid, with the exact issues a caller reads.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../shared/core/errors';
import { type BandwidthPlanRequest, toQueryParameters, validateBandwidthPlan } from '../../shared/core/schema';

const VALID = { Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' } as const;
const DEFAULTS = { BandwidthPackageChargeType: 'POSTPAY', PricingCycle: 'Month', AutoPay: false, Period: 1 } as const;

function without(name: keyof typeof VALID): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = VALID;
  return rest;
}

const text = (length: number, char = 'a'): string => char.repeat(length);
const tags = (count: number) => Array.from({ length: count }, (_, index) => ({ Key: `k${index + 1}`, Value: `v${index + 1}` }));

/** Issues in a stable order, so a table states the set of broken rules, not zod's visiting order. */
function sorted(issues: readonly Issue[]): Issue[] {
  return [...issues].sort((a, b) => (a.path + a.message < b.path + b.message ? -1 : a.path + a.message > b.path + b.message ? 1 : 0));
}

function issuesOf(input: unknown): Issue[] {
  const validation = validateBandwidthPlan(input);
  if (validation.ok) throw new Error(`expected a rejection, got ${JSON.stringify(validation.request)}`);
  return sorted(validation.issues);
}

function requestOf(input: unknown): BandwidthPlanRequest {
  const validation = validateBandwidthPlan(input);
  if (!validation.ok) throw new Error(`expected a valid request, got ${JSON.stringify(validation.issues)}`);
  return validation.request;
}

const AREA_MESSAGE = 'must be one of China, North-America, Asia-Pacific, Europe or Australia';
const NAME_PATTERN_MESSAGE = 'must start with a letter and contain only letters, digits, _ and -';
const URL_PREFIX_MESSAGE = 'must not start with http:// or https://';

describe('validateBandwidthPlan accepts every valid value and applies the defaults', () => {
  it.each<[string, Record<string, unknown>]>([
    ['the minimal request', {}],
    ['Bandwidth 2 (lowest)', { Bandwidth: 2 }],
    ['Bandwidth 10000 (highest)', { Bandwidth: 10_000 }],
    ...(['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const).flatMap((area): [string, Record<string, unknown>][] => [
      [`GeographicRegionAId ${area}`, { GeographicRegionAId: area }],
      [`GeographicRegionBId ${area}`, { GeographicRegionBId: area }],
    ]),
    ['a 64-character ClientToken', { ClientToken: text(64, 'x') }],
    ['a ClientToken of printable ASCII', { ClientToken: '6c7e9a2c-1b1b-4c1e-9f3a-2f8d7e0c1a11!~' }],
    ['a 2-character Name', { Name: 'ab' }],
    ['a 128-character Name', { Name: text(128) }],
    ['a Name with digits, _ and -', { Name: 'plan_2-b' }],
    ['a Name starting with a Chinese character', { Name: '带宽plan' }],
    ['a 2-character Description', { Description: 'ab' }],
    ['a 256-character Description', { Description: text(256) }],
    ['a Description with any characters', { Description: 'Plan A/B: 50% * ~ (v1)! 带宽' }],
    ['a Description that mentions a URL after the start', { Description: 'see https://example.com' }],
    ['PREPAY with a Period', { BandwidthPackageChargeType: 'PREPAY', Period: 1 }],
    ...[1, 2, 3, 6].map((period): [string, Record<string, unknown>] => [`Month with Period ${period}`, { PricingCycle: 'Month', Period: period }]),
    ...[1, 2, 3].map((period): [string, Record<string, unknown>] => [`Year with Period ${period}`, { PricingCycle: 'Year', Period: period }]),
    ['AutoPay true', { AutoPay: true }],
    ['AutoRenew true', { AutoRenew: true }],
    ['AutoRenew false', { AutoRenew: false }],
    ['AutoRenewDuration with AutoRenew=true', { AutoRenew: true, AutoRenewDuration: 12 }],
    ['no tags', { Tag: [] }],
    // The API takes 20; three are the intent's (core/intent.ts).
    ['17 tags', { Tag: tags(17) }],
    ['a tag without a Value', { Tag: [{ Key: 'env' }] }],
    ['a tag with an empty Value', { Tag: [{ Key: 'env', Value: '' }] }],
    ['a 64-character tag Key and 128-character Value', { Tag: [{ Key: text(64), Value: text(128) }] }],
  ])('accepts %s', (_name, overrides) => {
    // Act
    const request = requestOf({ ...VALID, ...overrides });

    // Assess
    expect(request).toStrictEqual({ ...VALID, ...DEFAULTS, ...overrides });
  });

  it('defaults Period to 1 for POSTPAY', () => {
    expect(requestOf({ ...VALID, BandwidthPackageChargeType: 'POSTPAY' }).Period).toBe(1);
  });

  it('defaults the charge type to POSTPAY, the cycle to Month and AutoPay to false', () => {
    const request = requestOf(VALID);

    expect([request.BandwidthPackageChargeType, request.PricingCycle, request.AutoPay]).toStrictEqual(['POSTPAY', 'Month', false]);
  });
});

describe('validateBandwidthPlan rejects every broken rule with its exact issue', () => {
  it.each<[string, unknown, Issue[]]>([
    // Bandwidth: integer 2..10000, required
    ['Bandwidth 1', { ...VALID, Bandwidth: 1 }, [{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }]],
    ['Bandwidth 10001', { ...VALID, Bandwidth: 10_001 }, [{ path: 'Bandwidth', message: 'must be at most 10000 Mbit/s' }]],
    ['Bandwidth 2.5', { ...VALID, Bandwidth: 2.5 }, [{ path: 'Bandwidth', message: 'must be a whole number of Mbit/s from 2 to 10000' }]],
    ['Bandwidth "100"', { ...VALID, Bandwidth: '100' }, [{ path: 'Bandwidth', message: 'must be a whole number of Mbit/s from 2 to 10000' }]],
    ['a missing Bandwidth', without('Bandwidth'), [{ path: 'Bandwidth', message: 'is required' }]],
    // Areas
    ['lowercase area "china"', { ...VALID, GeographicRegionAId: 'china' }, [{ path: 'GeographicRegionAId', message: AREA_MESSAGE }]],
    ['unknown area "Middle-East"', { ...VALID, GeographicRegionBId: 'Middle-East' }, [{ path: 'GeographicRegionBId', message: AREA_MESSAGE }]],
    ['a missing GeographicRegionAId', without('GeographicRegionAId'), [{ path: 'GeographicRegionAId', message: 'is required' }]],
    ['a missing GeographicRegionBId', without('GeographicRegionBId'), [{ path: 'GeographicRegionBId', message: 'is required' }]],
    // ClientToken: 1..64 printable ASCII
    ['a 65-character ClientToken', { ...VALID, ClientToken: text(65, 'x') }, [{ path: 'ClientToken', message: 'must be at most 64 characters' }]],
    ['a non-ASCII ClientToken', { ...VALID, ClientToken: 'tökén' }, [{ path: 'ClientToken', message: 'must be printable ASCII without spaces or commas' }]],
    ['a ClientToken with a space', { ...VALID, ClientToken: 'a b' }, [{ path: 'ClientToken', message: 'must be printable ASCII without spaces or commas' }]],
    ['a ClientToken with a comma', { ...VALID, ClientToken: 'a,b' }, [{ path: 'ClientToken', message: 'must be printable ASCII without spaces or commas' }]],
    [
      'a tag key of the intent in another case and width',
      { ...VALID, Tag: [{ Key: ' Bandwidth-Plan：client-token', Value: 'x' }] },
      [{ path: 'Tag.1.Key', message: 'must not start with "bandwidth-plan:": those tags record this function\'s intent' }],
    ],
    [
      'a Description starting with a zero-width space and a URL',
      { ...VALID, Description: '\u200bhttps://evil.example' },
      [{ path: 'Description', message: URL_PREFIX_MESSAGE }],
    ],
    ['an empty ClientToken', { ...VALID, ClientToken: '' }, [{ path: 'ClientToken', message: 'must not be empty' }]],
    // Name: 2..128, starts with a letter or Chinese character, then letters, digits, _ and -
    ['a 1-character Name', { ...VALID, Name: 'a' }, [{ path: 'Name', message: 'must be 2 to 128 characters' }]],
    ['a 129-character Name', { ...VALID, Name: text(129) }, [{ path: 'Name', message: 'must be 2 to 128 characters' }]],
    ['a Name with a space', { ...VALID, Name: 'bwp test' }, [{ path: 'Name', message: NAME_PATTERN_MESSAGE }]],
    ['a Name starting with a digit', { ...VALID, Name: '1plan' }, [{ path: 'Name', message: NAME_PATTERN_MESSAGE }]],
    ['a Name starting with _', { ...VALID, Name: '_plan' }, [{ path: 'Name', message: NAME_PATTERN_MESSAGE }]],
    [
      'a Name "http://x" (its own message, and the character rule it also breaks)',
      { ...VALID, Name: 'http://x' },
      [
        { path: 'Name', message: URL_PREFIX_MESSAGE },
        { path: 'Name', message: NAME_PATTERN_MESSAGE },
      ],
    ],
    // Description: 2..256, not starting with a URL scheme
    ['a 1-character Description', { ...VALID, Description: 'a' }, [{ path: 'Description', message: 'must be 2 to 256 characters' }]],
    ['a 257-character Description', { ...VALID, Description: text(257) }, [{ path: 'Description', message: 'must be 2 to 256 characters' }]],
    ['a Description starting with https://', { ...VALID, Description: 'https://example.com' }, [{ path: 'Description', message: URL_PREFIX_MESSAGE }]],
    ['a Description starting with HTTP://', { ...VALID, Description: 'HTTP://example.com' }, [{ path: 'Description', message: URL_PREFIX_MESSAGE }]],
    // Charge type and cycle
    [
      'charge type "prepay"',
      { ...VALID, BandwidthPackageChargeType: 'prepay', Period: 1 },
      [{ path: 'BandwidthPackageChargeType', message: 'must be POSTPAY or PREPAY' }],
    ],
    [
      'charge type "Subscription"',
      { ...VALID, BandwidthPackageChargeType: 'Subscription' },
      [{ path: 'BandwidthPackageChargeType', message: 'must be POSTPAY or PREPAY' }],
    ],
    ['PricingCycle "Week"', { ...VALID, PricingCycle: 'Week' }, [{ path: 'PricingCycle', message: 'must be Month or Year' }]],
    // Period
    ['Month with Period 4', { ...VALID, PricingCycle: 'Month', Period: 4 }, [{ path: 'Period', message: 'with PricingCycle=Month it must be 1, 2, 3 or 6' }]],
    ['the default Month with Period 12', { ...VALID, Period: 12 }, [{ path: 'Period', message: 'with PricingCycle=Month it must be 1, 2, 3 or 6' }]],
    ['Month with Period 0', { ...VALID, Period: 0 }, [{ path: 'Period', message: 'with PricingCycle=Month it must be 1, 2, 3 or 6' }]],
    ['Year with Period 6', { ...VALID, PricingCycle: 'Year', Period: 6 }, [{ path: 'Period', message: 'with PricingCycle=Year it must be 1, 2 or 3' }]],
    ['Period 1.5', { ...VALID, Period: 1.5 }, [{ path: 'Period', message: 'must be a whole number' }]],
    [
      'PREPAY without Period',
      { ...VALID, BandwidthPackageChargeType: 'PREPAY' },
      [{ path: 'Period', message: 'is required when BandwidthPackageChargeType is PREPAY' }],
    ],
    // Booleans
    ['AutoPay "true"', { ...VALID, AutoPay: 'true' }, [{ path: 'AutoPay', message: 'must be true or false' }]],
    ['AutoRenew "yes"', { ...VALID, AutoRenew: 'yes' }, [{ path: 'AutoRenew', message: 'must be true or false' }]],
    // AutoRenewDuration: positive whole months, only with AutoRenew=true
    [
      'AutoRenewDuration without AutoRenew',
      { ...VALID, AutoRenewDuration: 2 },
      [{ path: 'AutoRenewDuration', message: 'is only allowed with AutoRenew=true' }],
    ],
    [
      'AutoRenewDuration with AutoRenew=false',
      { ...VALID, AutoRenew: false, AutoRenewDuration: 2 },
      [{ path: 'AutoRenewDuration', message: 'is only allowed with AutoRenew=true' }],
    ],
    ['AutoRenewDuration 0', { ...VALID, AutoRenew: true, AutoRenewDuration: 0 }, [{ path: 'AutoRenewDuration', message: 'must be at least 1 month' }]],
    ['AutoRenewDuration -1', { ...VALID, AutoRenew: true, AutoRenewDuration: -1 }, [{ path: 'AutoRenewDuration', message: 'must be at least 1 month' }]],
    [
      'AutoRenewDuration 1.5',
      { ...VALID, AutoRenew: true, AutoRenewDuration: 1.5 },
      [{ path: 'AutoRenewDuration', message: 'must be a whole number of months' }],
    ],
    // Tags
    [
      'a Description starting with blanks and then a URL',
      { ...VALID, Description: '  \thttp://example.com' },
      [{ path: 'Description', message: URL_PREFIX_MESSAGE }],
    ],
    ['18 tags (the intent takes 3 of the 20 the API allows)', { ...VALID, Tag: tags(18) }, [{ path: 'Tag', message: 'must have at most 17 tags' }]],
    [
      'a tag key of the intent',
      { ...VALID, Tag: [{ Key: 'bandwidth-plan:client-token', Value: 'forged' }] },
      [{ path: 'Tag.1.Key', message: 'must not start with "bandwidth-plan:": those tags record this function\'s intent' }],
    ],
    ['Tag that is not a list', { ...VALID, Tag: 'env=prod' }, [{ path: 'Tag', message: 'must be a list of {Key, Value} objects' }]],
    ['a tag that is not an object', { ...VALID, Tag: ['env'] }, [{ path: 'Tag.1', message: 'must be an object with Key and Value' }]],
    ['a tag without a Key', { ...VALID, Tag: [{ Value: 'prod' }] }, [{ path: 'Tag.1.Key', message: 'is required' }]],
    ['an empty tag Key', { ...VALID, Tag: [{ Key: '' }] }, [{ path: 'Tag.1.Key', message: 'must not be empty' }]],
    ['a 65-character tag Key', { ...VALID, Tag: [{ Key: text(65) }] }, [{ path: 'Tag.1.Key', message: 'must be at most 64 characters' }]],
    ['a tag Key starting with aliyun', { ...VALID, Tag: [{ Key: 'aliyun-env' }] }, [{ path: 'Tag.1.Key', message: 'must not start with "aliyun" or "acs:"' }]],
    ['a tag Key starting with Aliyun', { ...VALID, Tag: [{ Key: 'Aliyun' }] }, [{ path: 'Tag.1.Key', message: 'must not start with "aliyun" or "acs:"' }]],
    ['a tag Key starting with acs:', { ...VALID, Tag: [{ Key: 'acs:env' }] }, [{ path: 'Tag.1.Key', message: 'must not start with "aliyun" or "acs:"' }]],
    [
      'a Description that reads backwards (a right-to-left override)',
      { ...VALID, Description: 'pay \u202Eecnanif yb devorppa' },
      [{ path: 'Description', message: 'must not contain bidirectional control characters' }],
    ],
    [
      'a Description with an Arabic letter mark',
      { ...VALID, Description: 'ok \u061C ok' },
      [{ path: 'Description', message: 'must not contain bidirectional control characters' }],
    ],
    [
      'a tag Value with an isolate',
      { ...VALID, Tag: [{ Key: 'team', Value: 'a\u2066b\u2069' }] },
      [{ path: 'Tag.1.Value', message: 'must not contain bidirectional control characters' }],
    ],
    [
      'a tag Key starting with a full-width ａｃｓ:',
      { ...VALID, Tag: [{ Key: 'ａｃｓ:env' }] },
      [{ path: 'Tag.1.Key', message: 'must not start with "aliyun" or "acs:"' }],
    ],
    [
      'a tag Key starting with a blank and Ａliyun',
      { ...VALID, Tag: [{ Key: ' Ａliyun' }] },
      [{ path: 'Tag.1.Key', message: 'must not start with "aliyun" or "acs:"' }],
    ],
    ['a tag Key containing http://', { ...VALID, Tag: [{ Key: 'see-http://x' }] }, [{ path: 'Tag.1.Key', message: 'must not contain http:// or https://' }]],
    ['a 129-character tag Value', { ...VALID, Tag: [{ Key: 'env', Value: text(129) }] }, [{ path: 'Tag.1.Value', message: 'must be at most 128 characters' }]],
    [
      'a tag Value starting with acs:',
      { ...VALID, Tag: [{ Key: 'env', Value: 'acs:prod' }] },
      [{ path: 'Tag.1.Value', message: 'must not start with "aliyun" or "acs:"' }],
    ],
    [
      'a tag Value containing https://',
      { ...VALID, Tag: [{ Key: 'env', Value: 'at https://x' }] },
      [{ path: 'Tag.1.Value', message: 'must not contain http:// or https://' }],
    ],
    ['a bad third tag, 1-based', { ...VALID, Tag: [{ Key: 'a' }, { Key: 'b' }, { Key: '' }] }, [{ path: 'Tag.3.Key', message: 'must not be empty' }]],
    [
      'duplicate tag keys',
      { ...VALID, Tag: [{ Key: 'env', Value: 'a' }, { Key: 'team' }, { Key: 'env', Value: 'b' }] },
      [{ path: 'Tag.3.Key', message: 'must not repeat another tag key' }],
    ],
    [
      'an unknown field in a tag, suggested from the tag fields',
      { ...VALID, Tag: [{ Key: 'env', Val: 'prod' }] },
      [{ path: 'Tag.1.Val', message: 'is not a known parameter (did you mean Value?)' }],
    ],
    // Unknown fields
    [
      'the misspelt "Bandwith" (and the bandwidth is not silently dropped)',
      { Bandwith: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' },
      [
        { path: 'Bandwidth', message: 'is required' },
        { path: 'Bandwith', message: 'is not a known parameter (did you mean Bandwidth?)' },
      ],
    ],
    [
      'a lowercase "bandwidth" next to Bandwidth',
      { ...VALID, bandwidth: 10 },
      [{ path: 'bandwidth', message: 'is not a known parameter (did you mean Bandwidth?)' }],
    ],
    ['an unrelated unknown field', { ...VALID, RegionId: 'cn-hangzhou' }, [{ path: 'RegionId', message: 'is not a known parameter' }]],
    // Prototype keys as JSON.parse creates them (own properties)
    [
      'a JSON "__proto__" key',
      JSON.parse('{"Bandwidth":10,"GeographicRegionAId":"China","GeographicRegionBId":"Europe","__proto__":{"x":1}}'),
      [{ path: '__proto__', message: 'is not a known parameter' }],
    ],
    [
      'a JSON "constructor" key',
      JSON.parse('{"Bandwidth":10,"GeographicRegionAId":"China","GeographicRegionBId":"Europe","constructor":{"x":1}}'),
      [{ path: 'constructor', message: 'is not a known parameter' }],
    ],
    [
      'a JSON "__proto__" key carrying the Bandwidth (never read as a field)',
      JSON.parse('{"GeographicRegionAId":"China","GeographicRegionBId":"Europe","__proto__":{"Bandwidth":10}}'),
      [
        { path: 'Bandwidth', message: 'is required' },
        { path: '__proto__', message: 'is not a known parameter' },
      ],
    ],
    // Not an object at all
    ['null', null, [{ path: '', message: 'must be a JSON object' }]],
    ['an array', [VALID], [{ path: '', message: 'must be a JSON object' }]],
    ['a string', JSON.stringify(VALID), [{ path: '', message: 'must be a JSON object' }]],
    ['a number', 42, [{ path: '', message: 'must be a JSON object' }]],
    // Every broken rule in one pass
    [
      'bad Bandwidth, bad area and bad Period together',
      { Bandwidth: 1, GeographicRegionAId: 'Mars', GeographicRegionBId: 'Europe', Period: 4 },
      [
        { path: 'Bandwidth', message: 'must be at least 2 Mbit/s' },
        { path: 'GeographicRegionAId', message: AREA_MESSAGE },
        { path: 'Period', message: 'with PricingCycle=Month it must be 1, 2, 3 or 6' },
      ],
    ],
    [
      'field and cross-field rules together',
      {
        Bandwidth: 10_001,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'Europe',
        BandwidthPackageChargeType: 'PREPAY',
        AutoRenewDuration: 3,
        Tag: [{ Key: 'a' }, { Key: 'a' }],
        Nmae: 'x',
      },
      [
        { path: 'AutoRenewDuration', message: 'is only allowed with AutoRenew=true' },
        { path: 'Bandwidth', message: 'must be at most 10000 Mbit/s' },
        { path: 'Nmae', message: 'is not a known parameter (did you mean Name?)' },
        { path: 'Period', message: 'is required when BandwidthPackageChargeType is PREPAY' },
        { path: 'Tag.2.Key', message: 'must not repeat another tag key' },
      ],
    ],
  ])('rejects %s', (_name, input, expected) => {
    expect(issuesOf(input)).toStrictEqual(sorted(expected));
  });
});

describe('toQueryParameters', () => {
  it('writes a full request in wire form: numbers and booleans as strings, tags flattened 1-based', () => {
    // Prepare
    const request = requestOf({
      Bandwidth: 100,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Asia-Pacific',
      ClientToken: 'tok-1',
      Name: 'plan_a',
      Description: 'Plan A: 带宽',
      BandwidthPackageChargeType: 'PREPAY',
      PricingCycle: 'Year',
      Period: 2,
      AutoPay: false,
      AutoRenew: true,
      AutoRenewDuration: 3,
      Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'team' }, { Key: 'cost', Value: '' }],
    });

    // Act
    const query = toQueryParameters(request);

    // Assess
    expect(query).toStrictEqual({
      Bandwidth: '100',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Asia-Pacific',
      ClientToken: 'tok-1',
      Name: 'plan_a',
      Description: 'Plan A: 带宽',
      BandwidthPackageChargeType: 'PREPAY',
      PricingCycle: 'Year',
      Period: '2',
      AutoPay: 'false',
      AutoRenew: 'true',
      AutoRenewDuration: '3',
      'Tag.1.Key': 'env',
      'Tag.1.Value': 'prod',
      'Tag.2.Key': 'team',
      'Tag.3.Key': 'cost',
      'Tag.3.Value': '',
    });
  });

  it('sends the defaults explicitly for a minimal request', () => {
    expect(toQueryParameters(requestOf(VALID))).toStrictEqual({
      Bandwidth: '10',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Europe',
      BandwidthPackageChargeType: 'POSTPAY',
      PricingCycle: 'Month',
      AutoPay: 'false',
      Period: '1',
    });
  });
});

describe('validateBandwidthPlan property: any request that follows the rules is accepted unchanged', () => {
  const letters = [...'ABCXYZabcxyz带宽计划'];
  const nameRest = [...letters, ...'0189_-'];
  /** README: bidirectional controls are refused in free text. */
  const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
  const name = fc
    .tuple(fc.constantFrom(...letters), fc.array(fc.constantFrom(...nameRest), { minLength: 1, maxLength: 127 }))
    .map(([first, rest]) => first + rest.join(''));
  const description = fc
    .string({ unit: 'grapheme', minLength: 2, maxLength: 256 })
    .filter(
      (value) =>
        value.length >= 2 && value.length <= 256 && !/^https?:\/\//i.test(value.normalize('NFKC').replace(/^[\s\p{Cf}]+/u, '')) && !BIDI_CONTROL.test(value),
    );
  const clientToken = fc.string({ unit: fc.constantFrom(...'!~09AZaz-_.:/+='), minLength: 1, maxLength: 64 });
  const tagText = (min: number, max: number) =>
    fc
      .string({ unit: 'grapheme', minLength: min, maxLength: max })
      .filter(
        (value) =>
          value.length >= min &&
          value.length <= max &&
          !/^(aliyun|acs:|bandwidth-plan:)/i.test(value.normalize('NFKC').trim()) &&
          !/https?:\/\//i.test(value) &&
          !BIDI_CONTROL.test(value),
      );
  const tag = fc.record({ Key: tagText(1, 64), Value: tagText(0, 128) }, { requiredKeys: ['Key'], noNullPrototype: true });
  const area = fc.constantFrom('China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia');

  const billing = fc.oneof(
    fc.record({ BandwidthPackageChargeType: fc.constant('PREPAY'), PricingCycle: fc.constant('Month'), Period: fc.constantFrom(1, 2, 3, 6) }),
    fc.record({ BandwidthPackageChargeType: fc.constant('PREPAY'), PricingCycle: fc.constant('Year'), Period: fc.constantFrom(1, 2, 3) }),
    fc.record(
      { BandwidthPackageChargeType: fc.constant('POSTPAY'), PricingCycle: fc.constantFrom('Month', 'Year'), Period: fc.constantFrom(1, 2, 3) },
      { requiredKeys: [], noNullPrototype: true },
    ),
  );
  const renewal = fc.oneof(
    fc.record(
      { AutoRenew: fc.constant(true), AutoRenewDuration: fc.integer({ min: 1, max: 2_147_483_647 }) },
      { requiredKeys: ['AutoRenew'], noNullPrototype: true },
    ),
    fc.record({ AutoRenew: fc.boolean() }, { requiredKeys: [], noNullPrototype: true }),
  );
  const fields = fc.record(
    {
      Bandwidth: fc.integer({ min: 2, max: 10_000 }),
      GeographicRegionAId: area,
      GeographicRegionBId: area,
      ClientToken: clientToken,
      Name: name,
      Description: description,
      AutoPay: fc.boolean(),
      Tag: fc.uniqueArray(tag, { selector: (entry) => entry.Key, maxLength: 20 }),
    },
    { requiredKeys: ['Bandwidth', 'GeographicRegionAId', 'GeographicRegionBId'], noNullPrototype: true },
  );
  const request = fc.tuple(fields, billing, renewal).map(([a, b, c]) => ({ ...a, ...b, ...c }));

  it('accepts it and keeps every given value, defaults filling only what is missing', () => {
    fc.assert(
      fc.property(request, (input) => {
        // Act
        const validation = validateBandwidthPlan(input);

        // Assess
        expect(validation).toStrictEqual({ ok: true, request: { ...DEFAULTS, ...input } });
      }),
      { numRuns: 300 },
    );
  });
});
