/**
 * Duplicates arriving at the same time: EventBridge delivers at least once and may deliver in
 * parallel; an HTTP client (or a proxy) may send the same request many times. Whatever the
 * interleaving, one intent buys one plan, and every answer names it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { derivedClientToken } from '../../shared/core/idempotency';
import type { FcHttpResponse } from '../../shared/runtime/fc';
import { slackCommand } from '../support/chat';
import { cloudEvent, type Harness, httpEvent, startHarness, VALID_PLAN } from '../support/harness';
import { accountForOutcomes, capturedTexts, leakedSecrets } from '../support/observe';

const COPIES = 100;
/** Patient retries: under 100 parallel calls a slow answer is load, not a fault. */
const PATIENT = { retryPolicy: { baseDelayMs: 10, maxDelayMs: 200, attemptTimeoutMs: 20_000, maxAttempts: 5 } };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe(`${COPIES} concurrent copies of one intent`, () => {
  it('EventBridge: the same CloudEvent delivered 100 times at once buys one plan, and every result names it', async () => {
    h = await startHarness({ handler: PATIENT, timeoutSeconds: 60 });
    const event = cloudEvent('concurrent-1', VALID_PLAN);

    const results = (await Promise.all(Array.from({ length: COPIES }, () => h.invoke(event)))) as Array<Record<string, unknown>>;

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.distinctClientTokens()).toBe(1);
    const token = derivedClientToken('eventbridge', 'ops.bandwidth-planner', 'concurrent-1');
    expect(new Set(h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage').map((request) => request.params.ClientToken))).toEqual(
      new Set([token]),
    );
    expect(results).toHaveLength(COPIES);
    for (const result of results) expect(result).toMatchObject({ outcome: 'created', clientToken: token, CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(accountForOutcomes(h)).toEqual({ outcomes: COPIES, published: COPIES, loggedInFull: 0, lost: 0 });
    expect(leakedSecrets(capturedTexts(h, results))).toEqual([]);
  });

  it('HTTP: the same signed request with an Idempotency-Key sent 100 times at once buys one plan, and every answer names it', async () => {
    h = await startHarness({ handler: PATIENT, timeoutSeconds: 60 });
    // One request, signed once: the copies are byte-identical, as a replay or a retrying proxy sends them.
    const event = httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'order-4711' } });

    const answers = (await Promise.all(Array.from({ length: COPIES }, () => h.invoke(event)))) as FcHttpResponse[];

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.distinctClientTokens()).toBe(1);
    const bodies = answers.map((answer) => JSON.parse(answer.body));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(COPIES).fill(201));
    for (const body of bodies) {
      expect(body).toMatchObject({ CenBandwidthPackageId: h.cen.plans[0]!.id, ClientToken: derivedClientToken('http', 'order-4711'), Status: 'Idle' });
      // A copy that found the plan by its intent tag does not know the order id; one that asked CEN does.
      expect([undefined, h.cen.plans[0]!.orderId]).toContain(body.CenBandwidthPackageOrderId);
    }
    expect(accountForOutcomes(h).lost).toBe(0);
    expect(leakedSecrets(capturedTexts(h, bodies))).toEqual([]);
  });

  it('EventBridge, under faults: 100 parallel deliveries while CEN throttles and drops answers still buy one plan', async () => {
    // Up to 60 faults spread over 100 deliveries: enough attempts that no delivery can draw only faults.
    h = await startHarness({ handler: { retryPolicy: { ...PATIENT.retryPolicy, maxAttempts: 62 } }, timeoutSeconds: 60 });
    h.cen.inject('drop-after-success', { times: 30, action: 'CreateCenBandwidthPackage' });
    h.cen.inject('throttling', { times: 30, action: 'CreateCenBandwidthPackage' });
    const event = cloudEvent('concurrent-faults-1', VALID_PLAN);

    const results = (await Promise.all(Array.from({ length: COPIES }, () => h.invoke(event)))) as Array<Record<string, unknown>>;

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.distinctClientTokens()).toBe(1);
    expect(h.cen.requests.filter((request) => request.fault !== undefined)).toHaveLength(60);
    for (const result of results) expect(result).toMatchObject({ outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(accountForOutcomes(h).lost).toBe(0);
  });

  it('chat: the same confirmation code confirmed 20 times at once buys one plan', async () => {
    h = await startHarness({ handler: PATIENT, timeoutSeconds: 60 });
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));
    const code = /confirm ([A-Za-z0-9]+)/.exec(created.body.text)![1];

    const answers = await Promise.all(Array.from({ length: 20 }, () => h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl()))));
    await h.fc.idle();

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(h.fc.invocations).toHaveLength(20);
    expect(h.cen.plans).toHaveLength(1);
    expect(h.fc.invocations.map((invocation) => (invocation.result as { CenBandwidthPackageId?: string }).CenBandwidthPackageId)).toEqual(
      Array(20).fill(h.cen.plans[0]!.id),
    );
  });
});
