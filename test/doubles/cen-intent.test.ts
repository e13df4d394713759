/**
 * The CEN double's side of "plans that remember their intent": tags on CreateCenBandwidthPackage,
 * CreationTime, Tag/Filter/paging on DescribeCenBandwidthPackages, ClientToken memory and seeded plans.
 * The official SDK (`@alicloud/openapi-client`, whose `OpenApiUtil.query` flattens `Tag` arrays to
 * `Tag.1.Key`) is the oracle for the wire form of tags and filters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acsDate, signedRequest } from '../oracles/acs3-reference';
import { callCen, sdkClient, sdkFailure } from '../oracles/openapi-sdk';
import { send } from '../support/raw-http';
import { type CenDouble, type CenDoubleOptions, startCenDouble } from './cen';
import { DEV_CREDENTIALS } from './credentials';

const CREATE = 'CreateCenBandwidthPackage';
const DESCRIBE = 'DescribeCenBandwidthPackages';
const INTENT = 'bandwidth-plan:client-token';
const HOUR = 3_600_000;
const PLAN = { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'Asia-Pacific', AutoPay: 'true' } as const;

type Described = {
  CenBandwidthPackageId: string;
  Name: string;
  Status: string;
  CreationTime: string;
  Tags: { Tag: { Key: string; Value: string }[] };
  CenIds: { CenId: string[] };
};

let cen: CenDouble;
let clock = 0;
afterEach(async () => cen?.close());

/** A double on a hand-moved clock; requests are signed with that clock's date. */
async function start(options: Omit<CenDoubleOptions, 'now'> = {}, at = '2026-12-01T10:15:42.900Z'): Promise<void> {
  clock = Date.parse(at);
  cen = await startCenDouble({ now: () => clock, ...options });
}

const call = (action: string, query: Record<string, string>) =>
  send(signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action, version: '2017-09-12', query, date: acsDate(clock) }));

/** Tag.N.Key / Tag.N.Value query parameters, N from 1. */
const tagQuery = (tags: readonly (readonly [string, string | undefined])[]): Record<string, string> =>
  Object.fromEntries(
    tags.flatMap(([key, value], index) => [[`Tag.${index + 1}.Key`, key], ...(value === undefined ? [] : [[`Tag.${index + 1}.Value`, value]])]),
  );

const packages = (json: Record<string, unknown> | undefined): Described[] =>
  (json?.CenBandwidthPackages as { CenBandwidthPackage: Described[] } | undefined)?.CenBandwidthPackage ?? [];
const names = (json: Record<string, unknown> | undefined): string[] => packages(json).map((plan) => plan.Name);

/** YYYY-MM-DDThh:mmZ, written out independently of the double's formatter. */
function minuteOf(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}Z`;
}

describe('CEN double: tags through the official SDK', () => {
  it('keeps the tags of an SDK create and finds the plan by an SDK Tag filter, with its CreationTime', async () => {
    // The SDK signs with the real clock, so the double's clock is the real one here.
    cen = await startCenDouble();
    const client = sdkClient(cen.url, DEV_CREDENTIALS);
    const before = Date.now();
    const created = await callCen(client, CREATE, {
      ...PLAN,
      ClientToken: 'tok-A',
      Name: 'wanted',
      Tag: [
        { Key: INTENT, Value: 'tok-A' },
        { Key: 'bandwidth-plan:requester', Value: 'alice' },
      ],
    });
    await callCen(client, CREATE, { ...PLAN, ClientToken: 'tok-B', Name: 'other', Tag: [{ Key: INTENT, Value: 'tok-B' }] });
    const after = Date.now();

    const found = await callCen(client, DESCRIBE, { Tag: [{ Key: INTENT, Value: 'tok-A' }] });
    const anyValue = await callCen(client, DESCRIBE, { Tag: [{ Key: INTENT }] });

    expect(cen.requests[0]?.params).toMatchObject({ 'Tag.1.Key': INTENT, 'Tag.1.Value': 'tok-A', 'Tag.2.Key': 'bandwidth-plan:requester' });
    expect(found).toMatchObject({ TotalCount: 1, PageNumber: 1, PageSize: 10 });
    const [plan] = packages(found);
    expect(plan).toMatchObject({
      CenBandwidthPackageId: created.CenBandwidthPackageId,
      Name: 'wanted',
      Tags: {
        Tag: [
          { Key: INTENT, Value: 'tok-A' },
          { Key: 'bandwidth-plan:requester', Value: 'alice' },
        ],
      },
    });
    expect([minuteOf(before), minuteOf(after)]).toContain(plan?.CreationTime);
    expect(names(anyValue)).toEqual(['wanted', 'other']);
  });

  it('answers an SDK create with an illegal tag key IllegalParam.TagKey and buys nothing', async () => {
    cen = await startCenDouble();
    const failure = await sdkFailure(callCen(sdkClient(cen.url, DEV_CREDENTIALS), CREATE, { ...PLAN, Tag: [{ Key: 'acs:intent', Value: 'x' }] }));
    expect(failure).toMatchObject({ code: 'IllegalParam.TagKey', statusCode: 400, data: { Code: 'IllegalParam.TagKey' } });
    expect(cen.plans).toHaveLength(0);
  });
});

describe('CEN double: CreateCenBandwidthPackage tags and CreationTime', () => {
  it('records the creation time by the double clock and shows it as YYYY-MM-DDThh:mmZ', async () => {
    await start();
    await call(CREATE, { ...PLAN, Name: 'timed' });
    clock += 5 * HOUR;
    const described = await call(DESCRIBE, {});

    expect(cen.plans[0]?.createdAt).toBe(Date.parse('2026-12-01T10:15:42.900Z'));
    expect(packages(described.json)[0]?.CreationTime).toBe('2026-12-01T10:15Z');
  });

  it('keeps tags in N order (numeric, not textual), a key without value as an empty value', async () => {
    await start();
    const tags = Array.from({ length: 11 }, (_, index) => [`k${index + 1}`, `v${index + 1}`] as const);
    await call(CREATE, { ...PLAN, ...tagQuery([...tags.slice(0, 10), ['k11', undefined]]) });

    expect(cen.plans[0]?.tags.map((tag) => tag.Key)).toEqual(tags.map(([key]) => key));
    expect(cen.plans[0]?.tags.at(-1)).toEqual({ Key: 'k11', Value: '' });
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['20 tags', Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'] as const)],
    ['a 64-character key', [[long(64), 'v']]],
    ['a 128-character value', [['k', long(128)]]],
    ['an empty value', [['k', '']]],
    ['64 non-BMP characters as a key', [['😀'.repeat(64), 'v']]],
    ['a key with "aliyun" not at its start', [['my-aliyun', 'v']]],
  ] as const)('accepts %s', async (_name, tags) => {
    await start();
    const response = await call(CREATE, { ...PLAN, ...tagQuery(tags) });
    expect(response.status).toBe(200);
    expect(cen.plans[0]?.tags).toHaveLength(tags.length);
  });

  it.each([
    ['21 tags', tagQuery(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'] as const)), 'InvalidParameter'],
    [
      'a repeated key',
      tagQuery([
        ['k', 'a'],
        ['k', 'b'],
      ]),
      'InvalidParameter',
    ],
    ['Tag.0.Key', { 'Tag.0.Key': 'k' }, 'InvalidParameter'],
    ['a misspelt Tag.1.key', { 'Tag.1.key': 'k' }, 'InvalidParameter'],
    ['an empty key', tagQuery([['', 'v']]), 'IllegalParam.TagKey'],
    ['a value without its key', { 'Tag.1.Value': 'v' }, 'IllegalParam.TagKey'],
    ['a 65-character key', tagQuery([[long(65), 'v']]), 'IllegalParam.TagKey'],
    ['a key starting with aliyun', tagQuery([['aliyun-intent', 'v']]), 'IllegalParam.TagKey'],
    ['a key starting with Aliyun', tagQuery([['Aliyun-intent', 'v']]), 'IllegalParam.TagKey'],
    ['a key starting with acs:', tagQuery([['acs:intent', 'v']]), 'IllegalParam.TagKey'],
    ['a key containing http://', tagQuery([['see-http://x', 'v']]), 'IllegalParam.TagKey'],
    ['a key containing https://', tagQuery([['https://x', 'v']]), 'IllegalParam.TagKey'],
    ['a 129-character value', tagQuery([['k', long(129)]]), 'IllegalParam.TagValue'],
    ['a value starting with aliyun', tagQuery([['k', 'aliyun']]), 'IllegalParam.TagValue'],
    ['a value starting with acs:', tagQuery([['k', 'acs:x']]), 'IllegalParam.TagValue'],
    ['a value containing https://', tagQuery([['k', 'go to https://example.com']]), 'IllegalParam.TagValue'],
  ])('refuses %s with 400 %s and buys nothing', async (_name, tags, code) => {
    await start();
    const response = await call(CREATE, { ...PLAN, ...tags });
    expect(response).toMatchObject({ status: 400, json: { Code: code } });
    expect(cen.plans).toHaveLength(0);
  });

  it('replays a tagged create for the same ClientToken and tags, and refuses other tags as IdempotenceParam.NotMatch', async () => {
    await start();
    const query = { ...PLAN, ClientToken: 'tok', ...tagQuery([[INTENT, 'tok']]) };
    const first = await call(CREATE, query);
    const again = await call(CREATE, query);
    const otherTag = await call(CREATE, { ...query, 'Tag.1.Value': 'other' });

    expect(again.json?.CenBandwidthPackageId).toBe(first.json?.CenBandwidthPackageId);
    expect(otherTag.json?.Code).toBe('IdempotenceParam.NotMatch');
    expect(cen.plans).toHaveLength(1);
  });
});

describe('CEN double: DescribeCenBandwidthPackages Tag filter', () => {
  async function fourPlans(): Promise<void> {
    await start();
    await call(CREATE, {
      ...PLAN,
      Name: 'both',
      ...tagQuery([
        ['k1', 'v1'],
        ['k2', 'v2'],
      ]),
    });
    await call(CREATE, { ...PLAN, Name: 'k1', ...tagQuery([['k1', 'v1']]) });
    await call(CREATE, { ...PLAN, Name: 'k1-other', ...tagQuery([['k1', 'other']]) });
    await call(CREATE, { ...PLAN, Name: 'k1-empty', ...tagQuery([['k1', '']]) });
    await call(CREATE, { ...PLAN, Name: 'untagged' });
  }

  it.each([
    ['one tag', [['k1', 'v1']], ['both', 'k1']],
    [
      'every given tag (AND)',
      [
        ['k1', 'v1'],
        ['k2', 'v2'],
      ],
      ['both'],
    ],
    ['a key without value: any value of the key', [['k1', undefined]], ['both', 'k1', 'k1-other', 'k1-empty']],
    ['an empty value: only the empty value', [['k1', '']], ['k1-empty']],
    ['a value of another case: nothing', [['k1', 'V1']], []],
    ['a key no plan has: nothing', [['k9', undefined]], []],
  ] as const)('matches %s', async (_name, tags, expected) => {
    await fourPlans();
    const response = await call(DESCRIBE, tagQuery(tags));
    expect(response.json?.TotalCount).toBe(expected.length);
    expect(names(response.json)).toEqual(expected);
  });

  it('narrows Filter matches by tags, also with IsOrKey=true', async () => {
    await fourPlans();
    const orFilters = { 'Filter.1.Key': 'Name', 'Filter.1.Value.1': 'both', 'Filter.2.Key': 'Name', 'Filter.2.Value.1': 'k1-other', IsOrKey: 'true' };
    const response = await call(DESCRIBE, { ...orFilters, ...tagQuery([['k1', 'v1']]) });
    expect(names(response.json)).toEqual(['both']);
  });

  it.each([
    ['an empty key', tagQuery([['', 'v']]), 'IllegalParam.TagKey'],
    ['a key starting with acs:', tagQuery([['acs:k', undefined]]), 'IllegalParam.TagKey'],
    ['a 129-character value', tagQuery([['k', 'v'.repeat(129)]]), 'IllegalParam.TagValue'],
    ['a value containing http://', tagQuery([['k', 'http://x']]), 'IllegalParam.TagValue'],
    ['21 tags', tagQuery(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'] as const)), 'InvalidParameter'],
    [
      'a repeated key',
      tagQuery([
        ['k', 'a'],
        ['k', 'b'],
      ]),
      'InvalidParameter',
    ],
  ])('refuses %s with 400 %s', async (_name, tags, code) => {
    await start();
    const response = await call(DESCRIBE, tags);
    expect(response).toMatchObject({ status: 400, json: { Code: code } });
  });
});

describe('CEN double: DescribeCenBandwidthPackages Filter and paging', () => {
  /** p1 (Idle), p2 (Idle), p3 (Creating), seeded cen-attached (InUse). */
  async function plans(): Promise<string[]> {
    await start({ readyAfterMs: 60_000 });
    const ids: string[] = [];
    for (const name of ['p1', 'p2']) ids.push(String((await call(CREATE, { ...PLAN, Name: name })).json?.CenBandwidthPackageId));
    clock += 60_000;
    ids.push(String((await call(CREATE, { ...PLAN, Name: 'p3' })).json?.CenBandwidthPackageId));
    ids.push(cen.seedPlan({ createdAt: clock - 2 * HOUR, cenIds: ['cen-abc'], params: { Name: 'attached' } }).id);
    return ids;
  }
  const filter = (n: number, key: string, ...values: string[]) =>
    Object.fromEntries([[`Filter.${n}.Key`, key], ...values.map((value, m) => [`Filter.${n}.Value.${m + 1}`, value])]);

  it.each([
    ['Status Idle', filter(1, 'Status', 'Idle'), ['p1', 'p2']],
    ['Status Idle or InUse (values ORed)', filter(1, 'Status', 'Idle', 'InUse'), ['attached', 'p1', 'p2']],
    ['Status Creating', filter(1, 'Status', 'Creating'), ['p3']],
    ['CenId', filter(1, 'CenId', 'cen-abc'), ['attached']],
    ['an unknown CenId', filter(1, 'CenId', 'cen-zzz'), []],
    ['Name p1 or p3', filter(1, 'Name', 'p1', 'p3'), ['p1', 'p3']],
    ['Name p1 and Status Creating (keys ANDed)', { ...filter(1, 'Name', 'p1'), ...filter(2, 'Status', 'Creating') }, []],
    ['Name p1 or Status Creating (IsOrKey=true)', { ...filter(1, 'Name', 'p1'), ...filter(2, 'Status', 'Creating'), IsOrKey: 'true' }, ['p1', 'p3']],
    ['IsOrKey=false explicitly', { ...filter(1, 'Name', 'p1', 'p2'), ...filter(2, 'Status', 'Idle'), IsOrKey: 'false' }, ['p1', 'p2']],
  ])('filters by %s', async (_name, query, expected) => {
    await plans();
    const response = await call(DESCRIBE, query);
    expect(response.status).toBe(200);
    expect(names(response.json)).toEqual(expected);
    expect(response.json?.TotalCount).toBe(expected.length);
  });

  it('filters by CenBandwidthPackageId', async () => {
    const ids = await plans();
    const response = await call(DESCRIBE, filter(1, 'CenBandwidthPackageId', ids[1]!, ids[3]!));
    expect(names(response.json)).toEqual(['attached', 'p2']);
    expect(packages(response.json)[0]).toMatchObject({ Status: 'InUse', CenIds: { CenId: ['cen-abc'] } });
  });

  it.each([
    ['an unknown filter key', filter(1, 'Bandwidth', '2')],
    ['a sixth filter', filter(6, 'Name', 'p1')],
    ['a filter key without values', { 'Filter.1.Key': 'Name' }],
    ['values without a filter key', { 'Filter.1.Value.1': 'p1' }],
    ['a misspelt Filter.1.Values.1', { 'Filter.1.Key': 'Name', 'Filter.1.Values.1': 'p1' }],
    ['IsOrKey=maybe', { IsOrKey: 'maybe' }],
  ])('refuses %s with 400 InvalidParameter', async (_name, query) => {
    await start();
    const response = await call(DESCRIBE, query);
    expect(response).toMatchObject({ status: 400, json: { Code: 'InvalidParameter' } });
  });

  it('pages 10 by default, up to 50, and reports TotalCount, PageNumber and PageSize', async () => {
    await start();
    for (let index = 1; index <= 12; index++) cen.seedPlan({ createdAt: clock - (13 - index) * 60_000, params: { Name: `s${index}` } });

    const first = await call(DESCRIBE, {});
    const second = await call(DESCRIBE, { PageNumber: '2' });
    const beyond = await call(DESCRIBE, { PageNumber: '3' });
    const all = await call(DESCRIBE, { PageSize: '50' });
    const threes = await call(DESCRIBE, { PageSize: '3', PageNumber: '4' });

    expect(first.json).toMatchObject({ TotalCount: 12, PageNumber: 1, PageSize: 10 });
    expect(names(first.json)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i + 1}`));
    expect(second.json).toMatchObject({ TotalCount: 12, PageNumber: 2, PageSize: 10 });
    expect(names(second.json)).toEqual(['s11', 's12']);
    expect(beyond.json).toMatchObject({ TotalCount: 12, PageNumber: 3, CenBandwidthPackages: { CenBandwidthPackage: [] } });
    expect(names(all.json)).toHaveLength(12);
    expect(names(threes.json)).toEqual(['s10', 's11', 's12']);
  });

  it.each([
    ['PageSize 0', { PageSize: '0' }],
    ['PageSize 51', { PageSize: '51' }],
    ['PageSize 2.5', { PageSize: '2.5' }],
    ['PageNumber 0', { PageNumber: '0' }],
    ['PageNumber -1', { PageNumber: '-1' }],
    ['PageNumber x', { PageNumber: 'x' }],
  ])('refuses %s with 400 InvalidParameter', async (_name, query) => {
    await start();
    const response = await call(DESCRIBE, query);
    expect(response).toMatchObject({ status: 400, json: { Code: 'InvalidParameter' } });
  });
});

describe('CEN double: clientTokenMemoryMs', () => {
  const query = { ...PLAN, ClientToken: 'tok', ...tagQuery([[INTENT, 'tok']]) };

  it('remembers a token for clientTokenMemoryMs from its plan creation, then buys again with it', async () => {
    await start({ clientTokenMemoryMs: HOUR });
    const first = await call(CREATE, query);
    clock += HOUR - 1;
    const remembered = await call(CREATE, query);
    clock += 1;
    const forgotten = await call(CREATE, query);
    const replayOfSecond = await call(CREATE, query);

    expect(remembered.json?.CenBandwidthPackageId).toBe(first.json?.CenBandwidthPackageId);
    expect(forgotten.status).toBe(200);
    expect(forgotten.json?.CenBandwidthPackageId).not.toBe(first.json?.CenBandwidthPackageId);
    expect(replayOfSecond.json?.CenBandwidthPackageId).toBe(forgotten.json?.CenBandwidthPackageId);
    expect(cen.plans.map((plan) => plan.clientToken)).toEqual(['tok', 'tok']);
    expect(cen.distinctClientTokens()).toBe(1);
  });

  it('after forgetting, takes other parameters under the token instead of IdempotenceParam.NotMatch', async () => {
    await start({ clientTokenMemoryMs: HOUR });
    await call(CREATE, query);
    const conflict = await call(CREATE, { ...query, Bandwidth: '3' });
    clock += HOUR;
    const bought = await call(CREATE, { ...query, Bandwidth: '3' });

    expect(conflict.json?.Code).toBe('IdempotenceParam.NotMatch');
    expect(bought.status).toBe(200);
    expect(cen.plans.map((plan) => plan.Bandwidth)).toEqual([2, 3]);
  });

  it('remembers tokens forever by default', async () => {
    await start();
    const first = await call(CREATE, query);
    clock += 400 * 24 * HOUR;
    const again = await call(CREATE, query);
    expect(again.json?.CenBandwidthPackageId).toBe(first.json?.CenBandwidthPackageId);
  });

  it('with 0 remembers nothing: a retry after a lost answer buys twice, yet both carry the intent tag to look for', async () => {
    await start({ clientTokenMemoryMs: 0 });
    cen.inject('drop-after-success');
    await expect(call(CREATE, query)).rejects.toThrow();
    const found = await call(DESCRIBE, tagQuery([[INTENT, 'tok']]));
    await call(CREATE, query);

    expect(names(found.json)).toHaveLength(1);
    expect(packages(found.json)[0]?.CenBandwidthPackageId).toBe(cen.plans[0]?.id);
    expect(cen.plans).toHaveLength(2);
  });

  it.each([-1, Number.NaN])('refuses clientTokenMemoryMs %s', async (memory) => {
    await expect(startCenDouble({ clientTokenMemoryMs: memory })).rejects.toThrow(/clientTokenMemoryMs/);
  });
});

describe('CEN double: seedPlan', () => {
  it('seeds a plan with its creation time and tags, listed by creation time, without a request', async () => {
    await start();
    await call(CREATE, { ...PLAN, Name: 'bought', ...tagQuery([[INTENT, 'new']]) });
    const seeded = cen.seedPlan({ createdAt: clock - 23 * HOUR, clientToken: 'old', tags: { [INTENT]: 'old', env: 'prod' }, params: { Name: 'seeded' } });

    const response = await call(DESCRIBE, tagQuery([[INTENT, undefined]]));

    expect(seeded).toMatchObject({ seeded: true, Status: 'Idle', Name: 'seeded', createdAt: clock - 23 * HOUR });
    expect(cen.requests.map((request) => request.action)).toEqual([CREATE, DESCRIBE]);
    expect(packages(response.json).map((plan) => [plan.Name, plan.CreationTime, plan.Tags.Tag])).toEqual([
      [
        'seeded',
        '2026-11-30T11:15Z',
        [
          { Key: INTENT, Value: 'old' },
          { Key: 'env', Value: 'prod' },
        ],
      ],
      ['bought', '2026-12-01T10:15Z', [{ Key: INTENT, Value: 'new' }]],
    ]);
    expect(cen.plans.map((plan) => plan.seeded)).toEqual([false, true]);
    expect(cen.distinctClientTokens()).toBe(0);
  });

  it('lets a test count the plans bought in a rolling 24 hours from CreationTime', async () => {
    await start();
    for (const hoursAgo of [25, 24.5, 23, 1]) cen.seedPlan({ createdAt: clock - hoursAgo * HOUR, tags: [{ Key: INTENT, Value: `t${hoursAgo}` }] });
    cen.seedPlan({ createdAt: clock - 2 * HOUR, params: { Name: 'not ours' } });

    const response = await call(DESCRIBE, { ...tagQuery([[INTENT, undefined]]), PageSize: '50' });
    const since = clock - 24 * HOUR;
    const recent = packages(response.json).filter((plan) => Date.parse(plan.CreationTime) >= since);

    expect(response.json?.TotalCount).toBe(4);
    expect(recent.map((plan) => plan.Tags.Tag[0]?.Value)).toEqual(['t23', 't1']);
  });

  it('remembers a seeded ClientToken: the same create replays the seeded plan, other parameters conflict', async () => {
    await start({ clientTokenMemoryMs: 24 * HOUR });
    const seeded = cen.seedPlan({ createdAt: clock - HOUR, clientToken: 'tok', tags: { [INTENT]: 'tok' } });
    const sameCall = {
      Bandwidth: '2',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
      BandwidthPackageChargeType: 'PREPAY',
      Period: '1',
      PricingCycle: 'Month',
      AutoPay: 'true',
      ClientToken: 'tok',
      ...tagQuery([[INTENT, 'tok']]),
    };

    const replay = await call(CREATE, sameCall);
    const conflict = await call(CREATE, { ...sameCall, Bandwidth: '5' });
    clock += 23 * HOUR;
    const afterMemory = await call(CREATE, { ...sameCall, Bandwidth: '5' });

    expect(replay.json?.CenBandwidthPackageId).toBe(seeded.id);
    expect(conflict.json?.Code).toBe('IdempotenceParam.NotMatch');
    expect(afterMemory.status).toBe(200);
    expect(cen.distinctClientTokens()).toBe(1);
  });

  it('follows readyAfterMs and AutoPay like a bought plan', async () => {
    await start({ readyAfterMs: 60_000 });
    const fresh = cen.seedPlan({ createdAt: clock - 30_000 });
    const unpaid = cen.seedPlan({ createdAt: clock - HOUR, params: { AutoPay: false } });
    const ready = cen.seedPlan({ createdAt: clock - 60_000 });
    expect([fresh.Status, unpaid.Status, ready.Status]).toEqual(['Creating', 'Creating', 'Idle']);
  });

  it.each([
    ['an illegal tag key', { tags: { 'aliyun:x': 'v' } }, /IllegalParam\.TagKey/],
    ['an illegal tag value', { tags: { k: 'acs:v' } }, /IllegalParam\.TagValue/],
    ['Bandwidth 1', { params: { Bandwidth: 1 } }, /InvalidParameter/],
    ['a remembered ClientToken', { clientToken: 'dup' }, /still remembered/],
    ['an empty CEN id', { cenIds: [''] }, /CEN instance id/],
    ['an invalid time', { createdAt: new Date('nope') }, /not a time/],
  ])('refuses a seed with %s', async (_name, seed, message) => {
    await start();
    cen.seedPlan({ clientToken: 'dup' });
    expect(() => cen.seedPlan(seed)).toThrow(message);
    expect(cen.plans).toHaveLength(1);
  });
});
