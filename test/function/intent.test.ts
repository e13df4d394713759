/**
 * Plans that remember their intent: every plan is tagged with the product and its ClientToken, the
 * intent is looked up before buying (so a redelivery finds its plan whatever CEN remembers), the
 * runaway limits count the tagged plans of the last 24 hours, and a plan can be found by its intent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { derivedClientToken } from '../../shared/core/idempotency';
import { CLIENT_TOKEN_TAG_KEY, PRODUCT_TAG_KEY, PRODUCT_TAG_VALUE, REQUEST_TAG_KEY } from '../../shared/core/intent';
import { FOUND_BY_INTENT_NOTE } from '../../shared/core/pipeline';
import { slackCommand } from '../support/chat';
import { TestClock } from '../support/clock';
import { cloudEvent, type Harness, type HarnessOptions, startHarness, timerEvent, VALID_PLAN } from '../support/harness';
import { describes, publishedEvents } from '../support/observe';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 1, 12, 0);
const creates = () => h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage');
const productTags = { [PRODUCT_TAG_KEY]: PRODUCT_TAG_VALUE };
const start = (options: HarnessOptions = {}) => startHarness({ clock: new TestClock(START), ...options });

/** A plan this function bought `hoursAgo` (tagged as its own), of `bandwidth` Mbit/s. */
function boughtBefore(hoursAgo: number, bandwidth = 10, token = `seed-${hoursAgo}`) {
  return h.cen.seedPlan({
    createdAt: START - hoursAgo * HOUR,
    tags: { ...productTags, [CLIENT_TOKEN_TAG_KEY]: token },
    clientToken: token,
    params: { Bandwidth: String(bandwidth) },
  });
}

describe('every plan carries its intent', () => {
  it.each([
    ['HTTP', () => h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Tag: [{ Key: 'team', Value: 'net' }] }, headers: { 'Idempotency-Key': 'k-1' } })],
    ['EventBridge', () => h.invoke(cloudEvent('evt-1', { ...VALID_PLAN, Tag: [{ Key: 'team', Value: 'net' }] }))],
    ['the timer', () => h.invoke(timerEvent({ ...VALID_PLAN, Tag: [{ Key: 'team', Value: 'net' }] }))],
  ])('%s: the caller’s tags, then the product and the ClientToken', async (_source, buy) => {
    h = await start();
    await buy();

    expect(h.cen.plans).toHaveLength(1);
    const token = creates()[0]!.params.ClientToken!;
    expect(h.cen.plans[0]!.tags).toEqual([
      { Key: 'team', Value: 'net' },
      { Key: PRODUCT_TAG_KEY, Value: PRODUCT_TAG_VALUE },
      { Key: CLIENT_TOKEN_TAG_KEY, Value: token },
      { Key: REQUEST_TAG_KEY, Value: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(describes(h)[0]).toBe('lookup');
  });

  it('a chat purchase too', async () => {
    h = await start();
    const created = await h.http(slackCommand('create 10 China Europe', h.chat.slackResponseUrl(), 'U0001', 'T0001', { now: START }));
    const code = /confirm ([A-Za-z0-9]+)/.exec(created.body.text)![1]!;
    await h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl(), 'U0001', 'T0001', { now: START }));
    await h.fc.idle();

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.plans[0]!.tags.map((tag) => tag.Key)).toEqual([PRODUCT_TAG_KEY, CLIENT_TOKEN_TAG_KEY, REQUEST_TAG_KEY]);
  });

  it('refuses a caller’s tag in the intent’s namespace, and an 18th tag, before anything is called', async () => {
    h = await start();
    const forged = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Tag: [{ Key: CLIENT_TOKEN_TAG_KEY, Value: 'someone-else' }] } });
    const many = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Tag: Array.from({ length: 18 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) } });

    expect(forged.status).toBe(400);
    expect(forged.body.error.issues).toEqual([{ path: 'Tag.1.Key', message: expect.stringContaining('must not start with "bandwidth-plan:"') }]);
    expect(many.status).toBe(400);
    expect(many.body.error.issues).toEqual([{ path: 'Tag', message: 'must have at most 17 tags' }]);
    expect(h.cen.requests).toHaveLength(0);
  });
});

describe('find before buying', () => {
  it('a redelivery after CEN has forgotten the ClientToken buys nothing: the plan is found by its tag', async () => {
    const clock = new TestClock(START);
    // CEN remembers a ClientToken for an hour here: no public source says for how long it does.
    h = await startHarness({ clock, cen: { clientTokenMemoryMs: HOUR } });
    const event = cloudEvent('evt-forgotten', VALID_PLAN);

    const first = (await h.invoke(event)) as any;
    clock.advance(2 * HOUR);
    const again = (await h.invoke(event)) as any;

    expect(h.cen.plans).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    expect(again).toMatchObject({ outcome: 'created', CenBandwidthPackageId: first.CenBandwidthPackageId });
    const events = publishedEvents(h);
    expect(events.map((published) => published.subject)).toEqual([first.CenBandwidthPackageId, first.CenBandwidthPackageId]);
    expect(events[1].data.notes).toContain(FOUND_BY_INTENT_NOTE);
  });

  it('a stored plan with other parameters is IdempotenceParam.NotMatch, and nothing is bought', async () => {
    h = await start();
    const token = derivedClientToken('eventbridge', 'ops.bandwidth-planner', 'evt-2');
    const stored = h.cen.seedPlan({
      tags: { ...productTags, [CLIENT_TOKEN_TAG_KEY]: token },
      params: { Bandwidth: '50', GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', BandwidthPackageChargeType: 'POSTPAY' },
    });

    const result = (await h.invoke(cloudEvent('evt-2', VALID_PLAN))) as any;

    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'IdempotenceParam.NotMatch' } });
    expect(publishedEvents(h)[0].data.error).toMatchObject({ code: 'IdempotenceParam.NotMatch', retryable: false });
    expect(result.error.message).toContain(`The plan ${stored.id} was bought with this ClientToken and other parameters (Bandwidth 50, not 10)`);
    expect(creates()).toHaveLength(0);
  });
});

describe('the same ClientToken with parameters a listing does not show', () => {
  it('is IdempotenceParam.NotMatch too: the request digest tag covers them', async () => {
    h = await start();
    const prepay = { ...VALID_PLAN, BandwidthPackageChargeType: 'PREPAY', ClientToken: 'order-9' };
    await h.http({ path: '/bandwidth-plans', body: { ...prepay, Period: 1 } });

    const longer = await h.http({ path: '/bandwidth-plans', body: { ...prepay, Period: 3 } });
    const same = await h.http({ path: '/bandwidth-plans', body: { ...prepay, Period: 1 } });

    expect(longer.status).toBe(409);
    expect(longer.body.error.message).toContain('parameters the listing does not show');
    expect(same.status).toBe(201);
    expect(creates()).toHaveLength(1);
  });
});

describe('runaway limits (MAX_PLANS_PER_DAY, MAX_MBPS_PER_DAY)', () => {
  it('refuses the plan over MAX_PLANS_PER_DAY with QuotaExceeded: the limit, the count and when room frees up', async () => {
    h = await start({ env: { MAX_PLANS_PER_DAY: '2' } });
    boughtBefore(1);
    boughtBefore(5);

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(429);
    expect(answer.body.error).toMatchObject({ code: 'QuotaExceeded' });
    // The older of the two leaves the window 24 h after it was bought: 19 h from now.
    expect(answer.body.error.message).toBe(
      `MAX_PLANS_PER_DAY is 2 and this function bought 2 plans in the last 24 hours; room for one more at ${new Date(START + 19 * HOUR).toISOString()}. Nothing was bought.`,
    );
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).map((event) => [event.type, event.data.error.code])).toEqual([['cen.bandwidthplan.rejected', 'QuotaExceeded']]);
  });

  it('counts only this function’s plans of the last 24 hours', async () => {
    h = await start({ env: { MAX_PLANS_PER_DAY: '2' } });
    boughtBefore(25);
    boughtBefore(30);
    h.cen.seedPlan({ createdAt: START - HOUR }); // bought by someone else: no product tag

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(201);
    expect(creates()).toHaveLength(1);
  });

  it('refuses the Mbit/s over MAX_MBPS_PER_DAY, and lets a plan that fits through', async () => {
    h = await start({ env: { MAX_MBPS_PER_DAY: '1000' } });
    boughtBefore(2, 900);

    const tooMuch = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 200 } });
    const fits = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 100 } });

    expect(tooMuch.status).toBe(429);
    expect(tooMuch.body.error.message).toContain('MAX_MBPS_PER_DAY is 1000 and this function bought 900 Mbit/s in the last 24 hours, so 200 more does not fit');
    expect(fits.status).toBe(201);
    expect(creates().map((request) => request.params.Bandwidth)).toEqual(['100']);
  });

  it('never refuses the redelivery of an intent whose plan exists: the lookup comes first', async () => {
    h = await start({ env: { MAX_PLANS_PER_DAY: '1' } });
    const event = cloudEvent('evt-limit', VALID_PLAN);

    const first = (await h.invoke(event)) as any;
    const again = (await h.invoke(event)) as any;
    const other = (await h.invoke(cloudEvent('evt-other', VALID_PLAN))) as any;

    expect(first).toMatchObject({ outcome: 'created' });
    expect(again).toMatchObject({ outcome: 'created', CenBandwidthPackageId: first.CenBandwidthPackageId });
    // An async source returns the refusal (no throw): FC must not retry a runaway loop into a purchase.
    expect(other).toMatchObject({ outcome: 'rejected', error: { code: 'QuotaExceeded' } });
    expect(creates()).toHaveLength(1);
  });

  it('shows the room left in a dry run and in a chat preview', async () => {
    h = await start({ env: { MAX_PLANS_PER_DAY: '3', MAX_MBPS_PER_DAY: '500' } });
    boughtBefore(3, 100);

    const dry = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: VALID_PLAN });
    const chat = await h.http(slackCommand('plan 10 China Europe', h.chat.slackResponseUrl(), 'U0001', 'T0001', { now: START }));

    expect(dry.body.room).toEqual({
      plans: { used: 1, limit: 3 },
      mbps: { used: 100, limit: 500 },
      nextFreesAt: new Date(START + 21 * HOUR).toISOString(),
      summary: 'Last 24 hours: 2 of 3 plans left, 400 of 500 Mbit/s left',
    });
    expect(chat.body.text).toContain('Last 24 hours: 2 of 3 plans left, 400 of 500 Mbit/s left.');
    expect(creates()).toHaveLength(0);
  });
});

describe('status by intent', () => {
  it('GET /bandwidth-plans?clientToken= finds the plan bought with it; another token is 404', async () => {
    h = await start();
    const bought = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, ClientToken: 'order-77' } });

    const found = await h.http({ method: 'GET', path: '/bandwidth-plans', query: { clientToken: 'order-77' } });
    const missing = await h.http({ method: 'GET', path: '/bandwidth-plans', query: { clientToken: 'order-78' } });

    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ CenBandwidthPackageId: bought.body.CenBandwidthPackageId, Status: 'Idle' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('No bandwidth plan was bought with ClientToken order-78');
  });

  it.each([
    ['no clientToken', {}, 'query.clientToken', 'is required'],
    ['two tokens (a repeated key arrives comma-joined)', { clientToken: 'a,b' }, 'query.clientToken', 'must be a ClientToken'],
    ['a token longer than 64', { clientToken: 'x'.repeat(65) }, 'query.clientToken', 'must be a ClientToken'],
    ['an unknown parameter', { clientToken: 'a', id: 'cenbwp-1' }, 'query.id', 'is not a query parameter'],
  ])('refuses %s with 400 naming it, calling nothing', async (_name, query, path, words) => {
    h = await start();
    const answer = await h.http({ method: 'GET', path: '/bandwidth-plans', query });

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path, message: expect.stringContaining(words) }]);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('refuses an unsigned lookup with 401', async () => {
    h = await start();
    const answer = await h.http({ method: 'GET', path: '/bandwidth-plans', query: { clientToken: 'order-77' }, sign: false });
    expect(answer.status).toBe(401);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('chat `status <ClientToken>` answers with the plan bought for it', async () => {
    h = await start();
    const bought = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, ClientToken: 'Order-77' } });

    await h.http(slackCommand('status Order-77', h.chat.slackResponseUrl(), 'U0001', 'T0001', { now: START }));
    await h.fc.idle();

    const reply = JSON.stringify(h.chat.replies.at(-1)!.body);
    expect(reply).toContain(`Plan: ${bought.body.CenBandwidthPackageId} (status Idle`);
  });
});
