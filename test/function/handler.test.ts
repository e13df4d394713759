import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derivedClientToken } from '../../shared/core/idempotency';
import { DEV_CREDENTIALS } from '../doubles/credentials';
import { TestClock } from '../support/clock';
import { cloudEvent, findSecrets, type Harness, httpEvent, startHarness, timerEvent, VALID_PLAN } from '../support/harness';
import { describes } from '../support/observe';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const createRequests = () => h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage');

describe('HTTP API: POST /bandwidth-plans', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('creates a plan, waits until Idle and answers 201 with ids, token and status', async () => {
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Name: 'ops-plan' }, headers: { 'Idempotency-Key': 'order-1' } });

    expect(answer.status).toBe(201);
    const plan = h.cen.plans[0]!;
    expect(answer.body).toMatchObject({
      CenBandwidthPackageId: plan.id,
      CenBandwidthPackageOrderId: plan.orderId,
      ClientToken: derivedClientToken('http', 'order-1'),
      Status: 'Idle',
      notification: { delivered: true },
    });
    expect(answer.body.RequestId).toMatch(/\S+/);
    expect(h.cen.plans).toHaveLength(1);
    expect(plan.params).toMatchObject({
      Bandwidth: '10',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Europe',
      BandwidthPackageChargeType: 'POSTPAY',
      PricingCycle: 'Month',
      Period: '1',
      AutoPay: 'false',
      Name: 'ops-plan',
      ClientToken: derivedClientToken('http', 'order-1'),
    });
    expect(h.cen.requests.every((request) => request.verified)).toBe(true);
  });

  it('returns a fresh ClientToken when the caller gave none, and retrying with it buys nothing new', async () => {
    const first = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    const again = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, ClientToken: first.body.ClientToken } });

    expect(first.body.ClientToken).toMatch(/^http-/);
    expect(again.status).toBe(201);
    expect(again.body.CenBandwidthPackageId).toBe(first.body.CenBandwidthPackageId);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('without a token or key, a replay of the same signed request buys nothing new; a new request buys', async () => {
    const now = Math.floor(Date.now() / 1000);
    const first = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, timestamp: now });
    const replay = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, timestamp: now });
    const later = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, timestamp: now - 1 });

    expect(replay.body.ClientToken).toBe(first.body.ClientToken);
    expect(replay.body.CenBandwidthPackageId).toBe(first.body.CenBandwidthPackageId);
    expect(later.body.ClientToken).not.toBe(first.body.ClientToken);
    expect(h.cen.plans).toHaveLength(2);
  });

  it('answers 409 when the same token comes with other parameters', async () => {
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'k' } });
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 20 }, headers: { 'Idempotency-Key': 'k' } });

    // Found by the intent lookup, before CEN is asked: the stored plan names what differs.
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'IdempotenceParam.NotMatch' });
    expect(answer.body.error.message).toContain(`The plan ${h.cen.plans[0]!.id} was bought with this ClientToken and other parameters (Bandwidth 10, not 20)`);
    expect(h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage')).toHaveLength(1);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('answers 409 with CEN’s request id when CEN alone remembers the token (a plan bought before intent tags)', async () => {
    const token = derivedClientToken('http', 'k');
    h.cen.seedPlan({ clientToken: token, params: { Bandwidth: '10', GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' } });
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 20 }, headers: { 'Idempotency-Key': 'k' } });

    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'IdempotenceParam.NotMatch' });
    expect(answer.body.error.requestId).toMatch(/\S+/);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('reports pending with a note when a PREPAY order awaits payment, without waiting', async () => {
    const answer = await h.http({
      path: '/bandwidth-plans',
      body: { ...VALID_PLAN, BandwidthPackageChargeType: 'PREPAY', Period: 1 },
    });

    expect(answer.status).toBe(201);
    expect(answer.body.Status).toBe('pending');
    expect(answer.body.notes[0]).toMatch(/awaits payment|paid in the Alibaba Cloud console/);
    // Only the lookup of the intent before buying; no wait.
    expect(describes(h)).toEqual(['lookup']);
  });

  it('dry run: answers 200 with the normalised request and the verdict, and calls nothing', async () => {
    const answer = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, ClientToken: 'dry-1' } });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      dryRun: true,
      request: {
        Bandwidth: 10,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'Europe',
        ClientToken: 'dry-1',
        BandwidthPackageChargeType: 'POSTPAY',
        PricingCycle: 'Month',
        Period: 1,
        AutoPay: false,
        Tag: [
          { Key: 'bandwidth-plan:product', Value: 'create-bandwidth-plan' },
          { Key: 'bandwidth-plan:client-token', Value: 'dry-1' },
          { Key: 'bandwidth-plan:request', Value: expect.stringMatching(/^[0-9a-f]{64}$/) },
        ],
      },
      billing: { summary: 'pay-as-you-go (POSTPAY)', awaitsPayment: false },
      guardrails: { allowed: true, reasons: [], notes: [] },
    });
    expect(h.cen.requests).toHaveLength(0);
    expect(h.mns.messages).toHaveLength(0);
  });

  it('dry run over the limit: 200 with allowed=false and the reason', async () => {
    const answer = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, Bandwidth: 5000 } });

    expect(answer.status).toBe(200);
    expect(answer.body.guardrails).toEqual({
      allowed: false,
      reasons: ['Bandwidth 5000 Mbit/s is above the limit of 1000 Mbit/s (MAX_BANDWIDTH_MBPS)'],
      notes: [],
    });
    expect(h.cen.requests).toHaveLength(0);
  });
});

describe('HTTP API: GET /bandwidth-plans/{id}', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('answers the plan status', async () => {
    const created = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    const answer = await h.http({ method: 'GET', path: `/bandwidth-plans/${created.body.CenBandwidthPackageId}` });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ CenBandwidthPackageId: created.body.CenBandwidthPackageId, Status: 'Idle', Bandwidth: 10 });
  });

  it.each([
    ['an unknown plan', '/bandwidth-plans/cenbwp-doesnotexist0', 404, 'NotFound', 1],
    ['a malformed id', '/bandwidth-plans/not-a-plan', 400, 'InvalidParameter', 0],
  ])('answers %s with %i', async (_name, path, status, code, calls) => {
    const answer = await h.http({ method: 'GET', path });

    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(h.cen.requests).toHaveLength(calls);
  });
});

describe('HTTP API errors: the one error table', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it.each([
    [
      'invalid parameters',
      { path: '/bandwidth-plans', body: { Bandwidth: 1, GeographicRegionAId: 'Mars', GeographicRegionBId: 'China' } },
      400,
      'InvalidParameter',
    ],
    ['a missing signature', { path: '/bandwidth-plans', body: VALID_PLAN, sign: false as const }, 401, 'Unauthorized'],
    ['a forged signature', { path: '/bandwidth-plans', body: VALID_PLAN, sign: 'not-the-secret' }, 401, 'Unauthorized'],
    ['a stale signature', { path: '/bandwidth-plans', body: VALID_PLAN, timestamp: Math.floor(Date.now() / 1000) - 301 }, 401, 'Unauthorized'],
    ['a guardrail', { path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 1001 } }, 403, 'PolicyDenied'],
    ['an unknown path', { path: '/nope', body: VALID_PLAN }, 404, 'NotFound'],
    ['a wrong method', { method: 'DELETE', path: '/bandwidth-plans', body: VALID_PLAN }, 405, 'MethodNotAllowed'],
    ['an oversize body', { path: '/bandwidth-plans', body: 'x'.repeat(64 * 1024 + 1) }, 413, 'PayloadTooLarge'],
    ['a body that is not JSON', { path: '/bandwidth-plans', body: '{"Bandwidth": 10,' }, 400, 'InvalidJson'],
    ['a JSON array body', { path: '/bandwidth-plans', body: '[1,2]' }, 400, 'InvalidJson'],
  ])('answers %s with %i and calls nothing', async (_name, call, status, code) => {
    const answer = await h.http(call);

    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(typeof answer.body.error.message).toBe('string');
    expect(h.cen.requests).toHaveLength(0);
  });

  describe('a captured signature cannot be turned into another request', () => {
    const respond = async (event: Record<string, any>) => {
      const answer = (await h.invoke(event)) as { statusCode: number; body: string };
      return { status: answer.statusCode, body: JSON.parse(answer.body) };
    };

    it('a dry run replayed without ?dryRun=true is refused, not bought', async () => {
      const event = httpEvent({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: VALID_PLAN });
      expect((event.headers as Record<string, string>)['X-Webhook-Signature']).toMatch(/^v2=/);
      expect((await respond(event)).status).toBe(200);

      const replay = await respond({ ...event, queryParameters: {} });

      expect(replay.status).toBe(401);
      expect(h.cen.requests).toHaveLength(0);
    });

    it('a keyed request replayed under another Idempotency-Key is refused, not bought again', async () => {
      const event = httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'a' } });
      expect((await respond(event)).status).toBe(201);

      const rekeyed = await respond({ ...event, headers: { ...(event.headers as object), 'Idempotency-Key': 'b' } });
      const unkeyed = await respond({ ...event, headers: { ...(event.headers as object), 'Idempotency-Key': '' } });

      expect([rekeyed.status, unkeyed.status]).toEqual([401, 401]);
      expect(h.cen.plans).toHaveLength(1);
    });

    it('a plain create cannot be given a key after signing', async () => {
      const event = httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN });
      expect((event.headers as Record<string, string>)['X-Webhook-Signature']).toMatch(/^v1=/);

      const answer = await respond({ ...event, headers: { ...(event.headers as object), 'Idempotency-Key': 'x' } });

      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toContain('v2');
      expect(h.cen.requests).toHaveLength(0);
    });

    it('a status read is bound to its plan id', async () => {
      const event = httpEvent({ method: 'GET', path: '/bandwidth-plans/cenbwp-aaaa' });
      const other = '/bandwidth-plans/cenbwp-bbbb';

      const answer = await respond({ ...event, rawPath: other, requestContext: { ...(event.requestContext as object), http: { method: 'GET', path: other } } });

      expect(answer.status).toBe(401);
      expect(h.cen.requests).toHaveLength(0);
    });
  });

  it('names every broken rule in issues[]', async () => {
    const answer = await h.http({ path: '/bandwidth-plans', body: { Bandwidth: 1, GeographicRegionAId: 'Mars', GeographicRegionBId: 'China', Bandwith: 5 } });

    expect(answer.body.error.issues).toEqual([
      { path: 'Bandwidth', message: 'must be at least 2 Mbit/s' },
      { path: 'GeographicRegionAId', message: 'must be one of China, North-America, Asia-Pacific, Europe or Australia' },
      { path: 'Bandwith', message: 'is not a known parameter (did you mean Bandwidth?)' },
    ]);
  });

  it('sends an Allow header with 405', async () => {
    const answer = await h.http({ method: 'PUT', path: '/bandwidth-plans' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST, GET');
  });

  it.each([
    ['a non-retryable upstream 4xx', { code: 'UnSupported.ChargeType', status: 400 }, 400, 'UnSupported.ChargeType', 1],
    ['an upstream permission error', { code: 'Forbidden.RAM', status: 403 }, 403, 'Forbidden.RAM', 1],
  ])('maps %s to %i without retrying', async (_name, fault, status, code, attempts) => {
    h.cen.inject(fault, { action: 'CreateCenBandwidthPackage' });

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(createRequests()).toHaveLength(attempts);
  });

  it.each([
    ['throttled after every retry', 'throttling' as const, 429, 'Throttling.User'],
    ['upstream 5xx after every retry', 'unavailable' as const, 502, 'ServiceUnavailable'],
  ])('answers %s with %i, having retried with the same token', async (_name, fault, status, code) => {
    h.cen.inject(fault, { times: Infinity, action: 'CreateCenBandwidthPackage' });

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'retry-me' } });

    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    const attempts = createRequests();
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((request) => request.params.ClientToken))).toEqual(new Set([derivedClientToken('http', 'retry-me')]));
    expect(h.cen.plans).toHaveLength(0);
  });
});

describe('HTTP API: waiting for the plan', () => {
  // On the test's clock: polls at 0 ms, then after 500 ms, 1 s, 2 s, 3 s … (the wait's own backoff).
  it('reports pending when the plan is not Idle before WAIT_SECONDS ends: polls at 0 and 500 ms, then stops at 1 s', async () => {
    h = await startHarness({ env: { WAIT_SECONDS: '1' }, cen: { readyAfterMs: 60_000 }, clock: new TestClock() });

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(201);
    expect(answer.body.Status).toBe('pending');
    expect(answer.body.CenBandwidthPackageId).toBe(h.cen.plans[0]!.id);
    expect(describes(h)).toEqual(['lookup', 'by id', 'by id']);
  });

  it('reports Idle once the plan turns ready within the wait: Creating at 0 and 500 ms, Idle at 1.5 s', async () => {
    h = await startHarness({ env: { WAIT_SECONDS: '10' }, cen: { readyAfterMs: 700 }, clock: new TestClock() });

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.body.Status).toBe('Idle');
    expect(describes(h)).toEqual(['lookup', 'by id', 'by id', 'by id']);
  });
});

describe('credentials', () => {
  it('without context or environment credentials: a clear configuration error, no call', async () => {
    h = await startHarness();

    const answer = await h.invoke(httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN }), { credentials: undefined });

    expect(answer).toMatchObject({ statusCode: 500 });
    expect(JSON.parse((answer as { body: string }).body).error).toMatchObject({
      code: 'ConfigurationError',
      message: expect.stringContaining('ALIBABA_CLOUD_ACCESS_KEY_ID'),
    });
    expect(h.cen.requests).toHaveLength(0);
  });

  it('reads the STS keys from the context on every invocation (they rotate)', async () => {
    h = await startHarness();
    const stale = { accessKeyId: DEV_CREDENTIALS.accessKeyId, accessKeySecret: 'rotated-away-secret', securityToken: DEV_CREDENTIALS.securityToken };

    const refused = (await h.invoke(httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN }), { credentials: stale })) as { statusCode: number };
    const accepted = (await h.invoke(httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN }))) as { statusCode: number };

    expect(refused.statusCode).toBe(403);
    expect(accepted.statusCode).toBe(201);
  });
});

describe('HTTP API: deadline', () => {
  it('answers 504 when the upstream hangs past the function timeout', async () => {
    h = await startHarness({ timeoutSeconds: 5, handler: { retryPolicy: { attemptTimeoutMs: 10_000, baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 } } });
    h.cen.inject('hang', { times: Infinity, action: 'CreateCenBandwidthPackage' });

    const started = Date.now();
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(504);
    expect(answer.body.error.code).toBe('DeadlineExceeded');
    expect(Date.now() - started).toBeLessThan(5_000 + 1_000);
  });
});

describe('EventBridge', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('creates a plan from a CloudEvent with a token derived from source + id', async () => {
    const result = await h.invoke(cloudEvent('evt-1', VALID_PLAN));

    expect(result).toMatchObject({
      outcome: 'created',
      clientToken: derivedClientToken('eventbridge', 'ops.bandwidth-planner', 'evt-1'),
      Status: 'Idle',
      CenBandwidthPackageId: h.cen.plans[0]!.id,
    });
  });

  // Every byte is input: an attribute the function does not read is refused when it would change the purchase.
  it.each([
    ['a dryrun extension', { dryrun: true }, 'dryrun', /an event always buys/],
    ['a validateonly extension', { validateonly: 'true' }, 'validateonly', /an event always buys/],
    ['a clienttoken extension', { clienttoken: 'order-42' }, 'clienttoken', /put the ClientToken in data/],
    ['an idempotencykey extension', { idempotencykey: 'order-42' }, 'idempotencykey', /put a ClientToken in data/],
    ['data_base64 beside data (which one was meant?)', { data_base64: Buffer.from('{"Bandwidth":90}').toString('base64') }, 'data_base64', /only there/],
  ])('refuses a CloudEvent with %s: rejected naming it, nothing bought', async (_, extra, path, message) => {
    const result = (await h.invoke({ ...cloudEvent('x-1', VALID_PLAN), ...extra })) as { outcome: string; error: { code: string; message: string } };

    expect([result.outcome, result.error.code]).toEqual(['rejected', 'InvalidParameter']);
    expect(result.error.message.startsWith(`${path}: `)).toBe(true);
    expect(result.error.message).toMatch(message);
    expect(h.cen.plans).toHaveLength(0);
  });

  it('ignores EventBridge’s own extensions (aliyun…), as CloudEvents intends', async () => {
    const event = { ...cloudEvent('x-2', VALID_PLAN), aliyuneventbusname: 'default', aliyunregionid: 'cn-hangzhou', aliyunpublishtime: '2026-12-01T00:00:00Z' };
    expect(await h.invoke(event)).toMatchObject({ outcome: 'created' });
  });

  it('gives each event in a batch its own outcome', async () => {
    const results = await h.invoke([
      cloudEvent('b-1', VALID_PLAN),
      cloudEvent('b-2', { ...VALID_PLAN, Bandwidth: 'lots' }),
      cloudEvent('b-3', { ...VALID_PLAN, GeographicRegionBId: 'Asia-Pacific' }),
      cloudEvent('b-4', '{not json'),
    ]);

    expect((results as Array<{ outcome: string }>).map((result) => result.outcome)).toEqual(['created', 'rejected', 'created', 'rejected']);
    expect(h.cen.plans).toHaveLength(2);
  });

  it('a batch element that is not a CloudEvent is a published rejection naming why; its neighbours are bought', async () => {
    const bareData = { ...VALID_PLAN, Bandwidth: 30 };
    const results = (await h.invoke([
      cloudEvent('n-1', VALID_PLAN),
      null,
      bareData,
      { ...cloudEvent('n-4', VALID_PLAN), id: '' },
      cloudEvent('n-5', { ...VALID_PLAN, Bandwidth: 20 }),
    ])) as Array<{
      outcome: string;
      error?: { code: string; message: string };
    }>;

    expect(results.map((result) => [result.outcome, result.error?.code])).toEqual([
      ['created', undefined],
      ['rejected', 'UnknownEvent'],
      ['rejected', 'UnknownEvent'],
      ['rejected', 'UnknownEvent'],
      ['created', undefined],
    ]);
    expect(results[2]!.error!.message).toContain('element 2 of the batch is not a CloudEvent: it has no "specversion"');
    expect(results[2]!.error!.message).toContain('Deliver whole CloudEvents 1.0');
    expect(h.cen.plans.map((plan) => plan.params.Bandwidth)).toEqual(['10', '20']);
    const published = h.mns.messages.map((message) => JSON.parse(message.body).data);
    expect(published.map((data) => [data.outcome, data.trigger.kind])).toEqual([
      ['created', 'eventbridge'],
      ['rejected', 'unrecognised'],
      ['rejected', 'unrecognised'],
      ['rejected', 'unrecognised'],
      ['created', 'eventbridge'],
    ]);
    expect(published[2].received).toBe(JSON.stringify(bareData));
    expect(published[1].received).toBe('null');
  });

  it('a bare data object delivered alone (a $.data transform) is a published rejection, not a purchase', async () => {
    const result = await h.invoke({ ...VALID_PLAN });

    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'UnknownEvent' }, notification: { delivered: true } });
    expect(h.cen.requests).toHaveLength(0);
    expect(JSON.parse(h.mns.messages[0]!.body).data.received).toBe(JSON.stringify(VALID_PLAN));
  });

  it('an element whose outcome cannot be published is logged in full, and the batch is thrown for FC to run again after every element ran', async () => {
    h.mns.inject({ code: 'TopicNotExist', status: 404 }, { times: Infinity });
    const batch = [cloudEvent('p-1', VALID_PLAN), { Bandwidth: 'bare' }, cloudEvent('p-3', { ...VALID_PLAN, Bandwidth: 20 })];

    await expect(h.invoke(batch)).rejects.toMatchObject({ code: 'NotificationFailed' });
    expect(h.cen.plans).toHaveLength(2);
    const logged = h.logs.filter((line) => line.includes('notification not delivered')).map((line) => JSON.parse(line).cloudEvent.data);
    expect(logged.map((data) => data.outcome)).toEqual(['created', 'rejected', 'created']);
    expect(logged[1].received).toBe('{"Bandwidth":"bare"}');

    h.mns.clearFaults();
    await h.invoke(batch);
    expect(h.cen.plans).toHaveLength(2);
    expect(h.mns.messages.map((message) => JSON.parse(message.body).data.outcome)).toEqual(['created', 'rejected', 'created']);
  });

  it('an element nested 5,000 deep is a published rejection like any other; its neighbours are bought', async () => {
    // Written out as text: JSON.stringify itself cannot go that deep.
    const deep = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`;
    const batch = `[${JSON.stringify(cloudEvent('deep-1', VALID_PLAN))},${deep},${JSON.stringify(cloudEvent('deep-3', { ...VALID_PLAN, Bandwidth: 20 }))}]`;
    const results = (await h.invoke(Buffer.from(batch))) as Array<{ outcome: string }>;

    expect(results.map((result) => result.outcome)).toEqual(['created', 'rejected', 'created']);
    expect(h.cen.plans).toHaveLength(2);
    expect(JSON.parse(h.mns.messages[1]!.body).data.received).toMatch(/^\[\[\[.*\[…\]/);
  });

  it('a key given twice in a CloudEvent (data object or envelope) is never read: that element is rejected, its neighbours bought', async () => {
    const text = `[${JSON.stringify(cloudEvent('dup-k1', VALID_PLAN))},${JSON.stringify(cloudEvent('dup-k2', VALID_PLAN)).replace('"Bandwidth":10', '"Bandwidth":10,"Bandwidth":900')},${JSON.stringify(cloudEvent('dup-k3', { ...VALID_PLAN, Bandwidth: 20 }))}]`;
    const results = (await h.invoke(Buffer.from(text))) as Array<{ outcome: string; error?: { message: string } }>;
    const single = (await h.invoke(
      Buffer.from(JSON.stringify(cloudEvent('dup-k4', VALID_PLAN)).replace('"Bandwidth":10', '"Bandwidth":10,"Bandwidth":900')),
    )) as { outcome: string; error: { message: string } };

    expect(results.map((result) => result.outcome)).toEqual(['created', 'rejected', 'created']);
    expect(results[1]!.error!.message).toContain('it gives the key "Bandwidth" twice in one object');
    expect(single).toMatchObject({ outcome: 'rejected', error: { code: 'UnknownEvent' } });
    expect(h.cen.plans.map((plan) => plan.params.Bandwidth)).toEqual(['10', '20']);
  });

  it.each([
    ['a timer token', 'timer-0123456789abcdef'],
    ['a chat confirmation token', 'chat-0123456789abcdef'],
    ['an HTTP token', 'http-0123456789abcdef'],
  ])('refuses a caller ClientToken that wears another source’s prefix (%s)', async (_name, token) => {
    const result = await h.invoke(cloudEvent('prefix-1', { ...VALID_PLAN, ClientToken: token }));

    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'InvalidParameter' } });
    expect(h.cen.requests).toHaveLength(0);
  });

  it('buys once when the same event is delivered again, one after another', async () => {
    const event = cloudEvent('dup-1', VALID_PLAN);
    const first = (await h.invoke(event)) as { CenBandwidthPackageId: string };
    const second = (await h.invoke(event)) as { CenBandwidthPackageId: string };
    const third = (await h.invoke(event)) as { CenBandwidthPackageId: string };

    expect(h.cen.plans).toHaveLength(1);
    expect(new Set([first, second, third].map((result) => result.CenBandwidthPackageId)).size).toBe(1);
  });

  it('buys once when the same event is delivered concurrently', async () => {
    const event = cloudEvent('dup-2', VALID_PLAN);
    const results = (await Promise.all(Array.from({ length: 8 }, () => h.invoke(event)))) as Array<{ CenBandwidthPackageId: string }>;

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.distinctClientTokens()).toBe(1);
    expect(new Set(results.map((result) => result.CenBandwidthPackageId))).toEqual(new Set([h.cen.plans[0]!.id]));
  });

  it('throws a retryable failure so FC re-invokes, and the re-invocation buys once', async () => {
    h.cen.inject('unavailable', { times: 4, action: 'CreateCenBandwidthPackage' });
    const event = cloudEvent('retry-1', VALID_PLAN);

    await expect(h.invoke(event)).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    const again = await h.invoke(event);

    expect(again).toMatchObject({ outcome: 'created' });
    expect(h.cen.plans).toHaveLength(1);
  });

  it('returns (does not throw) a final failure', async () => {
    h.cen.inject({ code: 'OperationInvalid.UserCanNotBuyBwp', status: 400 }, { action: 'CreateCenBandwidthPackage' });

    const result = await h.invoke(cloudEvent('final-1', VALID_PLAN));

    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'OperationInvalid.UserCanNotBuyBwp' } });
    expect(createRequests()).toHaveLength(1);
  });

  it('survives "created, then the connection dropped": the retry finds the same plan', async () => {
    h.cen.inject('drop-after-success', { action: 'CreateCenBandwidthPackage' });

    const result = await h.invoke(cloudEvent('drop-1', VALID_PLAN));

    expect(result).toMatchObject({ outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(createRequests()).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
  });
});

describe('Timer', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('creates a plan per firing, once per firing', async () => {
    const firing = timerEvent(VALID_PLAN, '2025-02-01T01:00:00Z');
    await h.invoke(firing);
    await h.invoke(firing);
    await h.invoke(timerEvent(VALID_PLAN, '2025-03-01T01:00:00Z'));

    expect(h.cen.plans).toHaveLength(2);
    expect(h.cen.plans[0]!.clientToken).toBe(derivedClientToken('timer', 'monthly', '2025-02-01T01:00:00Z'));
  });
});

describe('bad input from every source costs nothing', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  const badPlans: Array<[string, unknown]> = [
    ['a string bandwidth', { ...VALID_PLAN, Bandwidth: '10' }],
    ['a bandwidth out of range', { ...VALID_PLAN, Bandwidth: 10_001 }],
    ['a fractional bandwidth', { ...VALID_PLAN, Bandwidth: 2.5 }],
    ['an unknown area', { ...VALID_PLAN, GeographicRegionAId: 'Mars' }],
    ['an unknown field', { ...VALID_PLAN, Bandwith: 10 }],
    ['a bad period', { ...VALID_PLAN, PricingCycle: 'Year', Period: 6 }],
    ['PREPAY without a period', { ...VALID_PLAN, BandwidthPackageChargeType: 'PREPAY' }],
    ['null', null],
    ['an array', [VALID_PLAN]],
  ];

  it.each(badPlans)('HTTP: %s → 400', async (_name, body) => {
    const answer = await h.http({ path: '/bandwidth-plans', body: JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toMatch(/InvalidParameter|InvalidJson/);
    expect(h.cen.requests).toHaveLength(0);
  });

  it.each(badPlans)('EventBridge: %s → rejected, not thrown', async (_name, data) => {
    await expect(h.invoke(cloudEvent('bad', data))).resolves.toMatchObject({ outcome: 'rejected' });
    expect(h.cen.requests).toHaveLength(0);
  });

  it.each(badPlans)('Timer: %s → rejected, not thrown', async (_name, payload) => {
    await expect(h.invoke(timerEvent(payload))).resolves.toMatchObject({ outcome: 'rejected' });
    expect(h.cen.requests).toHaveLength(0);
  });

  it.each([
    ['a __proto__ key', '{"__proto__":{"Bandwidth":10},"GeographicRegionAId":"China"}'],
    ['a nested constructor key', '{"Bandwidth":10,"Tag":[{"Key":"a","constructor":{"prototype":{}}}]}'],
  ])('HTTP: %s → 400', async (_name, body) => {
    const answer = await h.http({ path: '/bandwidth-plans', body });
    expect(answer.status).toBe(400);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('HTTP: a Base64 body is decoded before the signature check and validation', async () => {
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, base64: true });
    expect(answer.status).toBe(201);
  });

  it('HTTP: Base64 text not flagged isBase64Encoded is refused as not JSON', async () => {
    const body = Buffer.from(JSON.stringify(VALID_PLAN)).toString('base64');
    const answer = await h.http({ path: '/bandwidth-plans', body, headers: {}, base64: false, query: {} });
    expect(answer.status).toBe(400);
    expect(h.cen.requests).toHaveLength(0);
  });

  it.each([
    ['a number', 42],
    ['an empty object', {}],
    ['a CloudEvent-like object without source', { specversion: '1.0', id: 'x' }],
    ['not JSON at all', 'garbage{'],
  ])('an unrecognised event (%s) → a clear error, no call', async (_name, event) => {
    await expect(h.invoke(event)).resolves.toMatchObject({ outcome: 'rejected', error: { code: 'UnknownEvent' } });
    expect(h.cen.requests).toHaveLength(0);
  });
});

describe('configuration and logs', () => {
  it('refuses every API request when no WEBHOOK_SECRET is configured (fail closed)', async () => {
    h = await startHarness({ env: { WEBHOOK_SECRET: undefined } });
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    expect(answer.status).toBe(401);
    expect(answer.body.error.message).toMatch(/no WEBHOOK_SECRET/);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('stops the instance: one log line at cold start names every misconfigured variable; every request is refused, the caller told no more', async () => {
    h = await startHarness({ env: { MAX_BANDWIDTH_MBPS: 'lots', WAIT_SECONDS: '-1' } });
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    const event = h.invoke(cloudEvent('cfg-1', VALID_PLAN));

    expect(answer.status).toBe(500);
    expect(answer.body.error).toEqual({ code: 'ConfigurationError', message: 'The function is misconfigured; its log names the problem.' });
    await expect(event).rejects.toMatchObject({ code: 'ConfigurationError' });
    const coldStart = h.logs.map((line) => JSON.parse(line)).filter((record) => record.message.startsWith('configuration error'));
    expect(coldStart).toHaveLength(1);
    expect(coldStart[0].error.message).toBe(
      'Invalid configuration: MAX_BANDWIDTH_MBPS must be a whole number from 2 to 10000; WAIT_SECONDS must be a whole number from 0 to 600',
    );
    expect(h.cen.requests).toHaveLength(0);
  });

  it('logs one structured line per outcome with ids and no secrets', async () => {
    h = await startHarness();
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'log-1' } });

    const outcomes = h.logs.map((line) => JSON.parse(line)).filter((record) => record.message === 'bandwidth plan outcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      level: 'info',
      source: 'http',
      requester: '203.0.113.10',
      clientToken: derivedClientToken('http', 'log-1'),
      outcome: 'created',
      CenBandwidthPackageId: h.cen.plans[0]!.id,
    });
    expect(outcomes[0].fcRequestId).toMatch(/^fc-req-/);
    expect(outcomes[0].cenRequestId).toMatch(/\S+/);
    expect(typeof outcomes[0].durationMs).toBe('number');
    expect(findSecrets(h.logs)).toEqual([]);
  });
});

describe('billing defaults (DEFAULT_CHARGE_TYPE, DEFAULT_PERIOD) and a charge type the account cannot buy', () => {
  it('a request that names no charge type gets the owner’s PREPAY default and term; the dry run says so, and that it waits for payment', async () => {
    h = await startHarness({ env: { DEFAULT_CHARGE_TYPE: 'PREPAY', DEFAULT_PERIOD: '3 Month' } });
    const answer = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: VALID_PLAN });

    expect(answer.body.request).toMatchObject({ BandwidthPackageChargeType: 'PREPAY', PricingCycle: 'Month', Period: 3, AutoPay: false });
    expect(answer.body.billing).toEqual({
      summary: 'prepaid for 3 months (PREPAY); the order will wait for payment in the console (AutoPay is off)',
      awaitsPayment: true,
    });
    expect(answer.body.guardrails.notes).toEqual([
      'BandwidthPackageChargeType PREPAY is the owner’s default (DEFAULT_CHARGE_TYPE).',
      'Period 3 Month is the owner’s default (DEFAULT_PERIOD).',
      expect.stringContaining('PREPAY without AutoPay creates an unpaid order'),
    ]);
  });

  it('a request that names its charge type or term keeps them', async () => {
    h = await startHarness({ env: { DEFAULT_CHARGE_TYPE: 'PREPAY', DEFAULT_PERIOD: '3 Month' } });
    const postpay = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, BandwidthPackageChargeType: 'POSTPAY' } });
    const year = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, PricingCycle: 'Year' } });

    expect(postpay.body.request).toMatchObject({ BandwidthPackageChargeType: 'POSTPAY', Period: 1 });
    expect(postpay.body.guardrails.notes).toEqual([]);
    // A Year cycle takes no Month default: PREPAY then needs its own Period.
    expect(year.status).toBe(400);
    expect(year.body.error.issues).toEqual([{ path: 'Period', message: 'is required when BandwidthPackageChargeType is PREPAY' }]);
  });

  it.each([
    ['EventBridge', () => cloudEvent('default-1', VALID_PLAN)],
    ['timer', () => timerEvent(VALID_PLAN, '2025-07-01T00:00:00Z')],
  ])('%s purchases get the default too', async (_name, event) => {
    h = await startHarness({ env: { DEFAULT_CHARGE_TYPE: 'PREPAY' } });
    await h.invoke(event());

    expect(h.cen.plans[0]!.params).toMatchObject({ BandwidthPackageChargeType: 'PREPAY', PricingCycle: 'Month', Period: '1' });
  });

  it('UnSupported.ChargeType: the answer and the published outcome say what to do; nothing is bought', async () => {
    h = await startHarness({ cen: { chargeTypes: ['PREPAY'] } });
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'UnSupported.ChargeType',
      message: expect.stringContaining('or have the owner set DEFAULT_CHARGE_TYPE=PREPAY'),
    });
    expect(JSON.parse(h.mns.messages[0]!.body).data.error.message).toContain('send BandwidthPackageChargeType PREPAY with a Period');
    expect(h.cen.plans).toHaveLength(0);
  });
});
