import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derivedClientToken } from '../../shared/core/idempotency';
import { ACCOUNT_ID, cloudEvent, findSecrets, type Harness, REGION, startHarness, timerEvent, VALID_PLAN } from '../support/harness';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const published = () => h.mns.messages.map((message) => ({ tag: message.tag, event: JSON.parse(message.body) }));
const lastLogOf = (message: string) =>
  h.logs
    .map((line) => JSON.parse(line))
    .filter((record) => record.message === message)
    .at(-1);

describe('every outcome is published as a CloudEvent', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('created: type, tag, subject = plan id, the request and the result', async () => {
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'n-1' } });

    const [message] = published();
    const plan = h.cen.plans[0]!;
    expect(message!.tag).toBe('created');
    expect(message!.event).toMatchObject({
      specversion: '1.0',
      source: `acs:fc:${REGION}:${ACCOUNT_ID}:functions/create-bandwidth-plan`,
      type: 'cen.bandwidthplan.created',
      subject: plan.id,
      datacontenttype: 'application/json',
      data: {
        outcome: 'created',
        trigger: { kind: 'http' },
        requester: '203.0.113.10',
        clientToken: derivedClientToken('http', 'n-1'),
        request: { Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', ClientToken: derivedClientToken('http', 'n-1') },
        result: { CenBandwidthPackageId: plan.id, CenBandwidthPackageOrderId: plan.orderId, Status: 'Idle' },
      },
    });
    expect(message!.event.id).toMatch(/\S+/);
    expect(message!.event.data.fcRequestId).toMatch(/^fc-req-/);
    expect(Number.isNaN(Date.parse(message!.event.time))).toBe(false);
  });

  it('pending: a PREPAY order awaiting payment says so', async () => {
    await h.invoke(cloudEvent('p-1', { ...VALID_PLAN, BandwidthPackageChargeType: 'PREPAY', Period: 3 }));

    const [message] = published();
    expect(message!.tag).toBe('pending');
    expect(message!.event.type).toBe('cen.bandwidthplan.pending');
    expect(message!.event.data.notes[0]).toMatch(/paid in the Alibaba Cloud console/);
  });

  it('failed: the upstream code, message, request id and retryability', async () => {
    h.cen.inject({ code: 'OperationInvalid.UserCanNotBuyBwp', status: 400, message: 'The user can not buy Cen bandwidthPackage.' });

    await h.invoke(cloudEvent('f-1', VALID_PLAN));

    const [message] = published();
    expect(message!.tag).toBe('failed');
    expect(message!.event.subject).toBe(derivedClientToken('eventbridge', 'ops.bandwidth-planner', 'f-1'));
    expect(message!.event.data.error).toMatchObject({
      code: 'OperationInvalid.UserCanNotBuyBwp',
      message: 'The user can not buy Cen bandwidthPackage.',
      retryable: false,
    });
    expect(message!.event.data.error.requestId).toMatch(/\S+/);
  });

  it('rejected: validation issues, with no call to CEN', async () => {
    await h.invoke(timerEvent({ ...VALID_PLAN, Bandwidth: 1 }));

    const [message] = published();
    expect(message!.tag).toBe('rejected');
    expect(message!.event.data.trigger).toEqual({ kind: 'timer', id: 'monthly@2025-02-01T01:00:00Z' });
    expect(message!.event.data.error).toMatchObject({ code: 'InvalidParameter', issues: [{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }] });
    expect(h.cen.requests).toHaveLength(0);
  });

  it('rejected: guardrails', async () => {
    await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 2000 } });

    expect(published().map((message) => [message.tag, message.event.data.error.code])).toEqual([['rejected', 'PolicyDenied']]);
  });

  it('a dry run and an unauthenticated request publish nothing', async () => {
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, query: { dryRun: 'true' } });
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, sign: false });

    expect(h.mns.requests).toHaveLength(0);
  });

  it('XML-special characters in names and descriptions round-trip', async () => {
    const Description = 'A & B <edge> "quoted" \'single\' ]]> 带宽 🚀';
    await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Description } });

    expect(published()[0]!.event.data.request.Description).toBe(Description);
  });

  it('a redelivered event publishes again with the same subject, and buys nothing new', async () => {
    const event = cloudEvent('again-1', VALID_PLAN);
    await h.invoke(event);
    await h.invoke(event);

    const messages = published();
    expect(messages).toHaveLength(2);
    expect(messages[0]!.event.subject).toBe(messages[1]!.event.subject);
    expect(messages[0]!.event.id).not.toBe(messages[1]!.event.id);
    expect(h.cen.plans).toHaveLength(1);
  });
});

describe('publishing faults', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it.each(['throttling', 'internal', 'reset', 'drop-after-success'] as const)('retries after %s and delivers', async (fault) => {
    h.mns.inject(fault);

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.body.notification).toMatchObject({ delivered: true });
    expect(h.mns.messages.length).toBeGreaterThanOrEqual(1);
  });

  it('never retries TopicNotExist; the HTTP answer says the notification was not delivered, the log keeps the whole event', async () => {
    h.mns.inject({ code: 'TopicNotExist', status: 404 }, { times: Infinity });

    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(answer.status).toBe(201);
    expect(answer.body.notification).toEqual({ delivered: false, error: { code: 'TopicNotExist', message: expect.any(String) } });
    expect(h.mns.requests).toHaveLength(1);
    const logged = lastLogOf('notification not delivered');
    expect(logged.cloudEvent).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
  });

  it('an async source throws when the outcome could not be published, and the re-invocation publishes without buying again', async () => {
    h.mns.inject('unavailable', { times: 4 });
    const event = cloudEvent('lost-1', VALID_PLAN);

    await expect(h.invoke(event)).rejects.toMatchObject({ code: 'NotificationFailed' });
    expect(h.cen.plans).toHaveLength(1);
    await expect(h.invoke(event)).resolves.toMatchObject({ outcome: 'created', notification: { delivered: true } });

    expect(h.cen.plans).toHaveLength(1);
    expect(published().map((message) => message.event.subject)).toEqual([h.cen.plans[0]!.id]);
  });
});

describe('notifications off', () => {
  it('says so once at cold start and reports disabled', async () => {
    h = await startHarness({ env: { NOTIFY_TOPIC: undefined } });
    const first = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });

    expect(first.body.notification).toEqual({ delivered: false, disabled: true });
    expect(h.logs.filter((line) => line.includes('notifications are off'))).toHaveLength(1);
    expect(h.mns.requests).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('appear in no message, response or log line, across every outcome kind', async () => {
    h = await startHarness();
    const answers = [
      await h.http({ path: '/bandwidth-plans', body: VALID_PLAN }),
      await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 0 } }),
      await h.http({ path: '/bandwidth-plans', body: VALID_PLAN, sign: 'wrong-secret' }),
    ];
    h.cen.inject({ code: 'SignatureDoesNotMatch', status: 400 });
    answers.push(await h.http({ path: '/bandwidth-plans', body: VALID_PLAN }));
    h.mns.inject({ code: 'AccessDenied', status: 403 }, { times: Infinity });
    answers.push(await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 12 } }));

    const texts = [...h.logs, ...h.mns.messages.map((message) => message.body), ...answers.map((answer) => JSON.stringify(answer))];
    expect(texts.length).toBeGreaterThan(10);
    expect(findSecrets(texts)).toEqual([]);
  });
});
