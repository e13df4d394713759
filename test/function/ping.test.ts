/**
 * The post-deploy check's event: `{"ping": {}}` as an invocation event answers which build runs and a
 * summary of the configuration, never buys, never reveals a secret; `{"ping": {"publish": true}}`
 * proves the topic takes a message. The same body through the HTTP trigger is an HTTP request.
 */
import { CloudEvent } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import { findSecrets, type Harness, startHarness, TOPIC } from '../support/harness';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const nothingBought = () => {
  expect(h.cen.requests).toHaveLength(0);
  expect(h.fc.invocations).toHaveLength(0);
};

describe('ping', () => {
  it('answers the build and a configuration summary, and buys, publishes and invokes nothing', async () => {
    h = await startHarness();
    const answer = (await h.invoke({ ping: {} })) as any;

    expect(answer).toMatchObject({ pong: true, function: 'create-bandwidth-plan', build: { version: 'source' }, node: process.version });
    expect(answer.configuration).toMatchObject({
      notifications: `topic ${TOPIC}`,
      httpApi: 'on (1 WEBHOOK_SECRET)',
      chatPlatforms: ['dingtalk', 'slack', 'lark'],
      chatBuying: 'on',
      chatJobsRunIn: 'this function',
      billingDefaults: { chargeType: 'POSTPAY', period: 1, pricingCycle: 'Month' },
    });
    expect(answer.published).toBeUndefined();
    nothingBought();
    expect(h.mns.messages).toHaveLength(0);
    expect(findSecrets([JSON.stringify(answer), ...h.logs])).toEqual([]);
  });

  it('publishes a valid cen.bandwidthplan.test CloudEvent with MessageTag "test" on request', async () => {
    h = await startHarness();
    const answer = (await h.invoke({ ping: { publish: true } })) as any;

    expect(answer.published).toEqual({ delivered: true, messageId: h.mns.messages[0]!.messageId });
    expect(h.mns.messages).toHaveLength(1);
    const message = h.mns.messages[0]!;
    expect(message.tag).toBe('test');
    expect(message.tag!.length).toBeLessThanOrEqual(16);
    // The cloudevents SDK refuses an event that breaks the 1.0 spec.
    const event = new CloudEvent(JSON.parse(message.body), true);
    expect(event.type).toBe('cen.bandwidthplan.test');
    expect(event.source).toBe('acs:fc:cn-hangzhou:1234567890123456:functions/create-bandwidth-plan');
    nothingBought();
  });

  it('says why the topic refused, with the MNS code, when the role may not publish', async () => {
    h = await startHarness();
    h.mns.inject({ code: 'AccessDenied', status: 403, message: 'The role has no mns:PublishMessage on this topic.' }, { times: Number.POSITIVE_INFINITY });
    const answer = (await h.invoke({ ping: { publish: true } })) as any;

    expect(answer.published).toMatchObject({ delivered: false, error: { code: 'AccessDenied', retryable: false } });
    expect(h.mns.messages).toHaveLength(0);
    nothingBought();
  });

  it('names the misconfigured variable instead of a summary', async () => {
    h = await startHarness({ env: { MAX_BANDWIDTH_MBPS: 'lots' } });
    const answer = (await h.invoke({ ping: {} })) as any;

    expect(answer.pong).toBe(true);
    expect(answer.configurationError).toContain('MAX_BANDWIDTH_MBPS must be a whole number');
    expect(answer.configuration).toBeUndefined();
    nothingBought();
  });

  it('names the function chat jobs are handed to', async () => {
    h = await startHarness({ env: { CHATOPS_JOB_FUNCTION: 'create-bandwidth-plan-events' } });
    expect(((await h.invoke({ ping: {} })) as any).configuration.chatJobsRunIn).toBe('create-bandwidth-plan-events');
  });

  it.each([
    ['publish not a boolean', { ping: { publish: 'yes' } }],
    ['an unknown ping field', { ping: { verbose: true } }],
    ['a field beside ping', { ping: {}, Bandwidth: 10 }],
  ])('is not a ping with %s: refused as an unknown event, nothing bought', async (_name, event) => {
    h = await startHarness();
    const answer = (await h.invoke(event)) as any;

    expect(answer.pong).toBeUndefined();
    nothingBought();
    const published = h.mns.messages.map((message) => JSON.parse(message.body));
    expect(published.map((one) => one.type)).toEqual(['cen.bandwidthplan.rejected']);
  });

  it('cannot be reached through the HTTP trigger: the same body there is an HTTP request', async () => {
    h = await startHarness();
    for (const path of ['/', '/ping', '/bandwidth-plans']) {
      const answer = await h.http({ method: 'POST', path, body: { ping: { publish: true } } });
      expect(answer.body.pong).toBeUndefined();
      expect([400, 401, 404]).toContain(answer.status);
    }
    nothingBought();
    expect(h.mns.messages.map((message) => JSON.parse(message.body).type)).not.toContain('cen.bandwidthplan.test');
  });
});
