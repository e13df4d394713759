/**
 * The runaway limits' arithmetic (shared/core/intent.ts), as properties: a purchase is allowed if and
 * only if the plans of the last 24 hours plus this one stay within both limits, and the time a refusal
 * names is exactly when it would be allowed (not a millisecond earlier).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intentMismatches, LIMIT_WINDOW_MS, type ListedPlan, parseCreationTime, quotaVerdict, type RunawayLimits } from '../../shared/core/intent';
import { validateBandwidthPlan } from '../../shared/core/schema';

const NOW = Date.UTC(2026, 11, 1, 12, 0);
const MINUTE = 60_000;

const plan = fc.record({
  // Creation times have minutes only (the API's CreationTime); some plans are older than the window.
  minutesAgo: fc.integer({ min: 0, max: 2 * 24 * 60 }),
  Bandwidth: fc.integer({ min: 2, max: 2000 }),
});
const plansArbitrary = fc.array(plan, { maxLength: 12 }).map((drawn) =>
  drawn.map(
    ({ minutesAgo, Bandwidth }, index): ListedPlan => ({
      CenBandwidthPackageId: `cenbwp-${index}`,
      Status: 'Idle',
      Bandwidth,
      createdAt: NOW - minutesAgo * MINUTE,
      tags: [],
    }),
  ),
);
const limitsArbitrary: fc.Arbitrary<RunawayLimits> = fc.record(
  { plansPerDay: fc.integer({ min: 1, max: 10 }), mbpsPerDay: fc.integer({ min: 2, max: 10_000 }) },
  { requiredKeys: [] },
);

/** The rule, written from README "Intent tags and runaway limits", not from the code. */
function fits(plans: readonly ListedPlan[], bandwidth: number, limits: RunawayLimits, now: number): boolean {
  const recent = plans.filter((one) => one.createdAt! > now - LIMIT_WINDOW_MS);
  const mbps = recent.reduce((sum, one) => sum + one.Bandwidth!, 0);
  return (
    (limits.plansPerDay === undefined || recent.length + 1 <= limits.plansPerDay) && (limits.mbpsPerDay === undefined || mbps + bandwidth <= limits.mbpsPerDay)
  );
}

describe('quotaVerdict', () => {
  it('allows a purchase if and only if it fits both limits over the last 24 hours', () => {
    fc.assert(
      fc.property(plansArbitrary, fc.integer({ min: 2, max: 2000 }), limitsArbitrary, (plans, bandwidth, limits) => {
        expect(quotaVerdict(plans, bandwidth, limits, NOW).allowed).toBe(fits(plans, bandwidth, limits, NOW));
      }),
    );
  });

  it('names, when it refuses, the first moment the purchase would fit', () => {
    fc.assert(
      fc.property(plansArbitrary, fc.integer({ min: 2, max: 2000 }), limitsArbitrary, (plans, bandwidth, limits) => {
        const verdict = quotaVerdict(plans, bandwidth, limits, NOW);
        if (verdict.allowed) return;
        const when = /room for (?:one more|it) at (\S+)$/.exec(verdict.reason)?.[1];
        if (when === undefined || Number.isNaN(Date.parse(when))) {
          // Only when even an empty window cannot hold it.
          expect(fits([], bandwidth, limits, NOW)).toBe(false);
          return;
        }
        const at = Date.parse(when);
        expect(fits(plans, bandwidth, limits, at)).toBe(true);
        expect(fits(plans, bandwidth, limits, at - 1)).toBe(false);
      }),
    );
  });

  it('counts a plan whose creation time cannot be read (it cannot be shown to be old)', () => {
    const unreadable: ListedPlan = { CenBandwidthPackageId: 'cenbwp-x', Status: 'Idle', Bandwidth: 10, createdAt: undefined, tags: [] };
    expect(quotaVerdict([unreadable], 10, { plansPerDay: 1 }, NOW).allowed).toBe(false);
  });
});

describe('parseCreationTime', () => {
  it.each([
    ['2026-12-01T09:30Z', Date.UTC(2026, 11, 1, 9, 30)],
    ['2026-12-01T09:30:15Z', Date.UTC(2026, 11, 1, 9, 30, 15)],
    ['2026-12-01 09:30', undefined],
    ['', undefined],
  ])('reads %j', (text, expected) => {
    expect(parseCreationTime(text)).toBe(expected);
  });
});

describe('intentMismatches', () => {
  const request = (() => {
    const validation = validateBandwidthPlan({ Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', Name: 'a-plan' });
    if (!validation.ok) throw new Error('fixture');
    return validation.request;
  })();
  const listed: ListedPlan = {
    CenBandwidthPackageId: 'cenbwp-1',
    Status: 'Idle',
    Bandwidth: 10,
    BandwidthPackageChargeType: 'POSTPAY',
    GeographicRegionAId: 'china',
    GeographicRegionBId: 'europe',
    Name: 'a-plan',
    tags: [],
  };

  it('finds none for the same purchase (areas are listed in lower case)', () => {
    expect(intentMismatches(request, listed)).toEqual([]);
  });

  it('names each parameter that differs', () => {
    expect(intentMismatches(request, { ...listed, Bandwidth: 20, GeographicRegionBId: 'asia-pacific', Name: 'other' })).toEqual([
      'Bandwidth 20, not 10',
      'areas china–asia-pacific, not China–Europe',
      'Name "other", not "a-plan"',
    ]);
  });
});
