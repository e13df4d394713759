import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREAS, validateBandwidthPlan } from '../../shared/core/schema';
import { COMMAND_USAGE, parseCommand } from '../../shared/sources/chat/grammar';

const ALL_USAGE = Object.values(COMMAND_USAGE).join('\n');
const CHINA_EUROPE = { Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' } as const;
const AREA_HELP = '(use China, North-America, Asia-Pacific, Europe or Australia)';
const OPTION_HELP = '(use name=, desc=, prepay, autorenew or autopay)';

describe('parseCommand: help', () => {
  it.each(['help', 'HELP', 'bwp help', 'Bwp', '', '   ', '/bwp help', 'help me please'])('%j → help', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });
});

describe('parseCommand: plan and create', () => {
  it.each([
    ['plan 100 China Europe', 'plan', CHINA_EUROPE],
    ['create 100 China Europe', 'create', CHINA_EUROPE],
    ['bwp create 100 China Europe', 'create', CHINA_EUROPE],
    ['BWP CREATE 100 CHINA EUROPE', 'create', CHINA_EUROPE],
    ['Plan 100M china europe', 'plan', CHINA_EUROPE],
    ['plan 100m China Europe', 'plan', CHINA_EUROPE],
    ['plan 100Mbps China Europe', 'plan', CHINA_EUROPE],
    ['plan 100mbit/s China Europe', 'plan', CHINA_EUROPE],
    ['plan 100 Mbps China Europe', 'plan', CHINA_EUROPE],
    ['plan 0100 China Europe', 'plan', CHINA_EUROPE],
    ['plan 2 asia-pacific NORTH-AMERICA', 'plan', { Bandwidth: 2, GeographicRegionAId: 'Asia-Pacific', GeographicRegionBId: 'North-America' }],
    ['plan 2 AsiaPacific north_america', 'plan', { Bandwidth: 2, GeographicRegionAId: 'Asia-Pacific', GeographicRegionBId: 'North-America' }],
    ['plan 2 "North America" australia', 'plan', { Bandwidth: 2, GeographicRegionAId: 'North-America', GeographicRegionBId: 'Australia' }],
    ['plan 100 China Europe name=my-plan', 'plan', { ...CHINA_EUROPE, Name: 'my-plan' }],
    ['plan 100 China Europe NAME=my-plan', 'plan', { ...CHINA_EUROPE, Name: 'my-plan' }],
    ['plan 100 China Europe desc="text with spaces"', 'plan', { ...CHINA_EUROPE, Description: 'text with spaces' }],
    ['plan 100 China Europe desc=\u201Ctext with spaces\u201D', 'plan', { ...CHINA_EUROPE, Description: 'text with spaces' }],
    ['plan 100 China Europe description="a=b"', 'plan', { ...CHINA_EUROPE, Description: 'a=b' }],
    ['plan 100 China Europe name=', 'plan', { ...CHINA_EUROPE, Name: '' }],
    ['plan 100 China Europe prepay', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Month' }],
    ['plan 100 China Europe prepay 3 month', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 3, PricingCycle: 'Month' }],
    ['plan 100 China Europe prepay 6 Months', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 6, PricingCycle: 'Month' }],
    ['plan 100 China Europe prepay 1 year', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Year' }],
    ['plan 100 China Europe prepay 2years', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 2, PricingCycle: 'Year' }],
    ['plan 100 China Europe prepay year', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Year' }],
    [
      'plan 100 China Europe prepay autopay',
      'plan',
      { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Month', AutoPay: true },
    ],
    ['plan 100 China Europe autorenew', 'plan', { ...CHINA_EUROPE, AutoRenew: true }],
    ['plan 100 China Europe Auto-Renew auto-pay', 'plan', { ...CHINA_EUROPE, AutoRenew: true, AutoPay: true }],
    [
      'create 100 China Europe name=my-plan desc="text with spaces" prepay 3 month autorenew autopay',
      'create',
      {
        ...CHINA_EUROPE,
        Name: 'my-plan',
        Description: 'text with spaces',
        BandwidthPackageChargeType: 'PREPAY',
        Period: 3,
        PricingCycle: 'Month',
        AutoRenew: true,
        AutoPay: true,
      },
    ],
    [
      'create 100 China Europe autopay prepay 1 year name=x1',
      'create',
      { ...CHINA_EUROPE, AutoPay: true, BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Year', Name: 'x1' },
    ],
    // Ranges are the schema's to judge: the grammar passes the numbers on.
    ['plan 1 China Europe', 'plan', { ...CHINA_EUROPE, Bandwidth: 1 }],
    ['plan 100 China Europe prepay 5 month', 'plan', { ...CHINA_EUROPE, BandwidthPackageChargeType: 'PREPAY', Period: 5, PricingCycle: 'Month' }],
    ['plan 100 China China', 'plan', { ...CHINA_EUROPE, GeographicRegionBId: 'China' }],
  ])('%j', (text, kind, input) => {
    expect(parseCommand(text)).toEqual({ kind, input });
  });

  it('maps every area, in any case, to its canonical spelling', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AREAS), fc.constantFrom(...AREAS), fc.boolean(), (a, b, upper) => {
        const text = `plan 10 ${upper ? a.toUpperCase() : a.toLowerCase()} ${b}`;
        expect(parseCommand(text)).toEqual({ kind: 'plan', input: { Bandwidth: 10, GeographicRegionAId: a, GeographicRegionBId: b } });
      }),
    );
  });
});

describe('parseCommand: confirm and status', () => {
  it.each([
    ['confirm AbC123xyz', { kind: 'confirm', code: 'AbC123xyz' }],
    ['bwp CONFIRM AbC123xyz', { kind: 'confirm', code: 'AbC123xyz' }],
    // What a preview's Cancel button sends: a command of its own, which buys and publishes nothing.
    ['cancel AbC123xyz', { kind: 'cancel', code: 'AbC123xyz' }],
    ['status cenbwp-4c2zaavbvh5fx1zu8p', { kind: 'status', id: 'cenbwp-4c2zaavbvh5fx1zu8p', by: 'plan' }],
    ['Status CENBWP-4C2ZAAVBVH5FX1ZU8P', { kind: 'status', id: 'cenbwp-4c2zaavbvh5fx1zu8p', by: 'plan' }],
    // Anything else printable is a ClientToken, kept exactly as typed (tokens are case-sensitive).
    ['status Order-77', { kind: 'status', id: 'Order-77', by: 'intent' }],
    ['status bwp-123', { kind: 'status', id: 'bwp-123', by: 'intent' }],
    ['status cenbwp-', { kind: 'status', id: 'cenbwp-', by: 'intent' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe('parseCommand: invalid', () => {
  it.each([
    ['buy 100 China Europe', `unknown command 'buy' (use help, plan, create, confirm, cancel, approve, reject or status)`, ALL_USAGE],
    ['bwp', undefined, undefined],
    ['plan 100 China Europe desc="open', 'a quote is not closed', COMMAND_USAGE.plan],
    ['create 100 China Europe desc="open', 'a quote is not closed', COMMAND_USAGE.create],
    ['bwp Create 100 China Europe desc="open', 'a quote is not closed', COMMAND_USAGE.create],
    ['"unclosed', 'a quote is not closed', ALL_USAGE],
    ['plan', 'missing the bandwidth in Mbit/s (e.g. plan 100 China Europe)', COMMAND_USAGE.plan],
    ['create', 'missing the bandwidth in Mbit/s (e.g. create 100 China Europe)', COMMAND_USAGE.create],
    ['plan China Europe', `bandwidth 'China' is not a number of Mbit/s (e.g. 100 or 100Mbps)`, COMMAND_USAGE.plan],
    ['plan 100MB China Europe', `bandwidth '100MB' is not a number of Mbit/s (e.g. 100 or 100Mbps)`, COMMAND_USAGE.plan],
    ['plan 1.5 China Europe', `bandwidth '1.5' is not a number of Mbit/s (e.g. 100 or 100Mbps)`, COMMAND_USAGE.plan],
    ['plan -5 China Europe', `bandwidth '-5' is not a number of Mbit/s (e.g. 100 or 100Mbps)`, COMMAND_USAGE.plan],
    ['plan 100', `missing the first area ${AREA_HELP}`, COMMAND_USAGE.plan],
    ['plan 100 Mbps', `missing the first area ${AREA_HELP}`, COMMAND_USAGE.plan],
    ['plan 100 China', `missing the second area ${AREA_HELP}`, COMMAND_USAGE.plan],
    ['plan 100 Mars Europe', `unknown area 'Mars' ${AREA_HELP}`, COMMAND_USAGE.plan],
    ['create 100 China Mars', `unknown area 'Mars' ${AREA_HELP}`, COMMAND_USAGE.create],
    ['plan 100 China Europe fast', `unknown option 'fast' ${OPTION_HELP}`, COMMAND_USAGE.plan],
    ['plan 100 China Europe __proto__=x', `unknown option '__proto__=x' ${OPTION_HELP}`, COMMAND_USAGE.plan],
    ['plan 100 China Europe name', `option 'name' needs a value (e.g. name=my-plan)`, COMMAND_USAGE.plan],
    ['plan 100 China Europe desc', `option 'desc' needs a value (e.g. desc="text with spaces")`, COMMAND_USAGE.plan],
    ['plan 100 China Europe autopay=false', `option 'autopay' takes no value`, COMMAND_USAGE.plan],
    ['plan 100 China Europe name=a name=b', `option 'name' is given twice`, COMMAND_USAGE.plan],
    ['plan 100 China Europe desc=a description=b', `option 'desc' is given twice`, COMMAND_USAGE.plan],
    ['plan 100 China Europe prepay prepay', `option 'prepay' is given twice`, COMMAND_USAGE.plan],
    ['plan 100 China Europe prepay 3', `prepay period '3' needs a unit (e.g. prepay 3 month or prepay 1 year)`, COMMAND_USAGE.plan],
    ['plan 100 China Europe prepay 3 weeks', `prepay period '3' needs a unit (e.g. prepay 3 month or prepay 1 year)`, COMMAND_USAGE.plan],
    ['confirm', 'missing the code (copy it from the preview)', COMMAND_USAGE.confirm],
    ['confirm abc def', `unexpected 'def' after the code`, COMMAND_USAGE.confirm],
    ['cancel', 'missing the code (copy it from the preview)', COMMAND_USAGE.cancel],
    ['status', 'missing the plan id or ClientToken (e.g. status cenbwp-xxxxxxxx)', COMMAND_USAGE.status],
    [
      `status ${'t'.repeat(65)}`,
      `'${'t'.repeat(40)}…' is neither a bandwidth plan id (cenbwp-xxxxxxxx) nor a ClientToken (printable ASCII without commas, at most 64 characters)`,
      COMMAND_USAGE.status,
    ],
    [
      'status 令牌',
      `'令牌' is neither a bandwidth plan id (cenbwp-xxxxxxxx) nor a ClientToken (printable ASCII without commas, at most 64 characters)`,
      COMMAND_USAGE.status,
    ],
    ['status cenbwp-abc x', `unexpected 'x' after the plan id or ClientToken`, COMMAND_USAGE.status],
    // A ClientToken has no comma (the API refuses one): `a,b` is no intent anyone could have bought.
    [
      'status a,b',
      `'a,b' is neither a bandwidth plan id (cenbwp-xxxxxxxx) nor a ClientToken (printable ASCII without commas, at most 64 characters)`,
      COMMAND_USAGE.status,
    ],
    [`buy ${'x'.repeat(60)}`, `unknown command 'buy' (use help, plan, create, confirm, cancel, approve, reject or status)`, ALL_USAGE],
    [`${'y'.repeat(60)}`, `unknown command '${'y'.repeat(40)}…' (use help, plan, create, confirm, cancel, approve, reject or status)`, ALL_USAGE],
  ])('%j', (text, message, usage) => {
    // The command tried is named when the usage is its own (a refused create is a refused purchase attempt).
    const command = Object.entries(COMMAND_USAGE).find(([, syntax]) => syntax === usage)?.[0];
    const expected = message === undefined ? { kind: 'help' } : { kind: 'invalid', message, usage, ...(command ? { command } : {}) };
    expect(parseCommand(text)).toEqual(expected);
  });

  it('never throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(['help', 'plan', 'create', 'confirm', 'cancel', 'approve', 'reject', 'status', 'invalid']).toContain(parseCommand(text).kind);
      }),
    );
  });
});

describe('parseCommand then validateBandwidthPlan', () => {
  const validate = (text: string) => {
    const command = parseCommand(text);
    if (command.kind !== 'plan' && command.kind !== 'create') throw new Error(`not a plan: ${command.kind}`);
    return validateBandwidthPlan(command.input);
  };

  it('gives the exact request for a full create command', () => {
    expect(validate('bwp create 100Mbps china EUROPE name=my-plan desc=\u201Ctext with spaces\u201D prepay 3 month autorenew autopay')).toEqual({
      ok: true,
      request: {
        Bandwidth: 100,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'Europe',
        Name: 'my-plan',
        Description: 'text with spaces',
        BandwidthPackageChargeType: 'PREPAY',
        PricingCycle: 'Month',
        Period: 3,
        AutoPay: true,
        AutoRenew: true,
      },
    });
  });

  it.each([
    ['plan 1 China Europe', [{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }]],
    ['plan 100 China Europe prepay 5 month', [{ path: 'Period', message: 'with PricingCycle=Month it must be 1, 2, 3 or 6' }]],
    [
      'plan 100 China Europe name=',
      [
        { path: 'Name', message: 'must be 2 to 128 characters' },
        { path: 'Name', message: 'must start with a letter and contain only letters, digits, _ and -' },
      ],
    ],
  ])('leaves range rules to the schema: %j', (text, issues) => {
    expect(validate(text)).toEqual({ ok: false, issues });
  });
});
