import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateBandwidthPlan } from '../../shared/core/schema';
import { clientTokenForConfirmation, issueConfirmationCode } from '../../shared/sources/chat/confirmation';
import { CHAT_JOB_MAX_AGE_MS, PURCHASE_JOB_MAX_AGE_MS, sealChatJob } from '../../shared/sources/chat/jobs';
import { dingtalkMessage, larkMessage, larkSigned, slackCommand } from '../support/chat';
import { TestClock } from '../support/clock';
import { CHAT_USERS, CHATOPS_CONFIRM_SECRET, findSecrets, type Harness, httpEvent, LARK_VERIFICATION_TOKEN, startHarness } from '../support/harness';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const replyTexts = () => h.chat.replies.map((reply) => JSON.stringify(reply.body));
const codeIn = (text: string) => /confirm ([A-Za-z0-9]+)/.exec(text)?.[1];

describe('Slack', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('plan: answers a preview at once, buys nothing', async () => {
    const answer = await h.http(slackCommand('plan 100M china EUROPE', h.chat.slackResponseUrl()));

    expect(answer.status).toBe(200);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain('100 Mbit/s between China and Europe, pay-as-you-go');
    expect(answer.body.text).toContain('Dry run: nothing was bought');
    expect(h.cen.requests).toHaveLength(0);
    expect(h.fc.invocations).toHaveLength(0);
  });

  it('create → confirm: buys once through the async invocation, replies to response_url and publishes', async () => {
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));
    const code = codeIn(created.body.text);
    expect(code).toBeDefined();
    expect(h.cen.requests).toHaveLength(0);

    const responseUrl = h.chat.slackResponseUrl();
    const confirmed = await h.http(slackCommand(`confirm ${code}`, responseUrl));
    await h.fc.idle();

    expect(confirmed.status).toBe(200);
    expect(confirmed.body.text).toContain('Confirmed: buying');
    expect(h.fc.invocations).toHaveLength(1);
    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.plans[0]!.clientToken).toBe(clientTokenForConfirmation(code!));
    const finalReply = h.chat.replies.find((reply) => reply.platform === 'slack');
    expect(JSON.stringify(finalReply!.body)).toContain(`Plan: ${h.cen.plans[0]!.id} (status Idle)`);
    const event = JSON.parse(h.mns.messages[0]!.body);
    expect(event.type).toBe('cen.bandwidthplan.created');
    expect(event.data.trigger.kind).toBe('slack');
    expect(event.data.requester).toBe(CHAT_USERS.slack);
  });

  it('a double confirm buys once', async () => {
    const created = await h.http(slackCommand('create 50 China Asia-Pacific', h.chat.slackResponseUrl()));
    const code = codeIn(created.body.text)!;

    await h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl()));
    await h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl()));
    await h.fc.idle();

    expect(h.fc.invocations).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
    expect(h.mns.messages.map((message) => JSON.parse(message.body).subject)).toEqual([h.cen.plans[0]!.id, h.cen.plans[0]!.id]);
  });

  it.each([
    ['tampered', (code: string) => code.slice(0, -3) + (code.endsWith('AAA') ? 'BBB' : 'AAA'), 'not valid'],
    ['not a code at all', () => 'hello', 'not a confirmation code'],
  ])('refuses a %s code and buys nothing', async (_name, mangle, words) => {
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));
    const answer = await h.http(slackCommand(`confirm ${mangle(codeIn(created.body.text)!)}`, h.chat.slackResponseUrl()));

    expect(answer.body.text).toContain(words);
    expect(h.fc.invocations).toHaveLength(0);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('refuses an expired code', async () => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const code = issueConfirmationCode({
      request: validation.request,
      requester: CHAT_USERS.slack,
      now: Date.now() - 11 * 60_000,
      key: CHATOPS_CONFIRM_SECRET,
    });

    const answer = await h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl()));

    expect(answer.body.text).toContain('expired');
    expect(h.cen.requests).toHaveLength(0);
  });

  it('refuses a code issued to another user', async () => {
    h = await reopen({ CHATOPS_ALLOWED_USERS: `${CHAT_USERS.slack},slack:T0001/U0002` });
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));

    const answer = await h.http(slackCommand(`confirm ${codeIn(created.body.text)}`, h.chat.slackResponseUrl(), 'U0002'));

    expect(answer.body.text).toContain('issued to someone else');
    expect(h.cen.requests).toHaveLength(0);
  });

  it.each([
    ['a forged signature', { secret: 'not-the-signing-secret' }],
    ['a stale timestamp', { skew: -301 }],
    ['no signature', { unsigned: true }],
  ])('answers 401 to %s, with no reply and no side effect', async (_name, options) => {
    const answer = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl(), 'U0001', 'T0001', options));

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('Unauthorized');
    expect(answer.body.text).toBeUndefined();
    expect(h.chat.replies).toHaveLength(0);
    expect(h.cen.requests).toHaveLength(0);
    expect(h.mns.requests).toHaveLength(0);
  });

  it('refuses a response_url on a host that is not allowed', async () => {
    const answer = await h.http(slackCommand('plan 100 China Europe', 'https://attacker.example/hook'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues[0].path).toBe('response_url');
  });

  it('politely refuses a user who is not on the allow-list, and publishes the rejected purchase', async () => {
    const answer = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl(), 'U9999'));

    expect(answer.body.text).toContain('not allowed');
    expect(answer.body.text).not.toContain('confirm ');
    const event = JSON.parse(h.mns.messages[0]!.body);
    expect(event).toMatchObject({ type: 'cen.bandwidthplan.rejected', data: { requester: 'slack:T0001/U9999', error: { code: 'NotAllowed' } } });
    expect(h.cen.requests).toHaveLength(0);
  });

  it('answers help and explains a wrong argument', async () => {
    const help = await h.http(slackCommand('help', h.chat.slackResponseUrl()));
    const wrong = await h.http(slackCommand('plan 100 China Mars', h.chat.slackResponseUrl()));

    expect(help.body.text).toContain('plan 100 China Europe');
    expect(wrong.body.text).toContain("'Mars'");
  });

  it('status: acknowledges, then replies with the plan status from the async run', async () => {
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));
    await h.http(slackCommand(`confirm ${codeIn(created.body.text)}`, h.chat.slackResponseUrl()));
    await h.fc.idle();
    const id = h.cen.plans[0]!.id;

    const ack = await h.http(slackCommand(`status ${id}`, h.chat.slackResponseUrl()));
    await h.fc.idle();

    expect(ack.body.text).toContain('Looking it up');
    expect(replyTexts().some((text) => text.includes(`Plan: ${id} (status Idle`))).toBe(true);
  });

  it('create is refused with a clear message when CHATOPS_CONFIRM_SECRET is not set', async () => {
    h = await reopen({ CHATOPS_CONFIRM_SECRET: undefined });
    const answer = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));
    expect(answer.body.text).toContain('CHATOPS_CONFIRM_SECRET');
    expect(answer.body.text).not.toMatch(/confirm [A-Za-z0-9]{20,}/);
  });

  it('refuses every request when SLACK_SIGNING_SECRET is not set (fail closed)', async () => {
    h = await reopen({ SLACK_SIGNING_SECRET: undefined });
    const answer = await h.http(slackCommand('plan 100 China Europe', h.chat.slackResponseUrl()));
    expect(answer.status).toBe(401);
  });
});

describe('DingTalk', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('plan: replies through the sessionWebhook and answers 200', async () => {
    const answer = await h.http(dingtalkMessage('bwp plan 100 China Europe', h.chat.dingtalkSessionWebhook('s-1')));

    expect(answer.status).toBe(200);
    expect(h.chat.replies).toHaveLength(1);
    expect(h.chat.replies[0]).toMatchObject({ platform: 'dingtalk', session: 's-1' });
    expect(JSON.stringify(h.chat.replies[0]!.body)).toContain('100 Mbit/s between China and Europe');
  });

  it('a replayed signature with a rewritten sessionWebhook sends nothing anywhere', async () => {
    const answer = await h.http(dingtalkMessage('create 100 China Europe', 'https://attacker.example/robot/sendBySession?session=x'));

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues[0].path).toBe('sessionWebhook');
    expect(h.chat.requests).toHaveLength(0);
  });

  it('create → confirm buys once and the final reply reaches the session', async () => {
    await h.http(dingtalkMessage('create 20 China Europe prepay 1 month autopay', h.chat.dingtalkSessionWebhook('s-2')));
    const code = codeIn(JSON.stringify(h.chat.replies[0]!.body))!;

    await h.http(dingtalkMessage(`confirm ${code}`, h.chat.dingtalkSessionWebhook('s-3')));
    await h.fc.idle();

    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.plans[0]!.params).toMatchObject({ BandwidthPackageChargeType: 'PREPAY', Period: '1', AutoPay: 'true' });
    expect(replyTexts().some((text) => text.includes('Bandwidth plan created'))).toBe(true);
  });

  it.each([
    ['a forged sign', { secret: 'wrong-secret-1234' }],
    ['a timestamp over an hour old', { skew: -3_600_001 }],
    ['no sign', { unsigned: true }],
  ])('answers 401 to %s and replies nothing', async (_name, options) => {
    const answer = await h.http(dingtalkMessage('plan 100 China Europe', h.chat.dingtalkSessionWebhook(), 'staff-1', options));
    expect(answer.status).toBe(401);
    expect(h.chat.requests).toHaveLength(0);
  });
});

describe('Lark', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('answers the url_verification challenge', async () => {
    const answer = await h.http(larkSigned({ challenge: 'ajls384kdjx98XX', token: LARK_VERIFICATION_TOKEN, type: 'url_verification' }));
    expect(answer).toMatchObject({ status: 200, body: { challenge: 'ajls384kdjx98XX' } });
  });

  it('plan: replies through the Lark reply API with a tenant token', async () => {
    const answer = await h.http(larkMessage('plan 100 China Europe'));

    expect(answer.status).toBe(200);
    const reply = h.chat.replies.find((entry) => entry.platform === 'lark');
    expect(reply!.messageId).toMatch(/^om_/);
    expect(JSON.stringify(reply!.body)).toContain('100 Mbit/s between China and Europe');
  });

  it('create → confirm buys once', async () => {
    await h.http(larkMessage('create 30 Europe Asia-Pacific'));
    const code = codeIn(JSON.stringify(h.chat.replies[0]!.body))!;

    await h.http(larkMessage(`confirm ${code}`));
    await h.fc.idle();

    expect(h.cen.plans).toHaveLength(1);
    expect(replyTexts().some((text) => text.includes('Bandwidth plan created'))).toBe(true);
  });

  it.each([
    ['a payload encrypted and signed with another key', { secret: 'another-encrypt-key' }],
    ['a stale request (older than Lark’s 5-minute redelivery)', { skew: -601 }],
    ['no signature', { unsigned: true }],
  ])('answers 401 to %s', async (_name, options) => {
    const answer = await h.http(larkMessage('plan 100 China Europe', 'ou_alice', options));
    expect(answer.status).toBe(401);
    expect(h.chat.requests).toHaveLength(0);
  });
});

describe('the async job', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('an event that only looks like a job (bad MAC) buys nothing', async () => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const code = issueConfirmationCode({ request: validation.request, requester: CHAT_USERS.slack, now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
    const job = {
      kind: 'confirm',
      platform: 'slack',
      messageId: 'm',
      userKey: CHAT_USERS.slack,
      replyTo: { platform: 'slack', url: h.chat.slackResponseUrl() },
      code,
      acceptedAt: Date.now(),
    } as const;

    const forged = await h.invoke(sealChatJob(job, 'guessed-key-guessed-key-guessed-key!'));
    expect(forged).toEqual({ job: 'invalid', replied: false });
    expect(h.cen.requests).toHaveLength(0);

    const genuine = await h.invoke(sealChatJob(job, CHATOPS_CONFIRM_SECRET));
    expect(genuine).toMatchObject({ job: 'confirm', outcome: 'created', replied: true });
    expect(h.cen.plans).toHaveLength(1);
  });

  it('a retryable failure is thrown so FC runs the job again; the retry buys once and replies', async () => {
    h.cen.inject('unavailable', { times: 4, action: 'CreateCenBandwidthPackage' });
    const created = await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl()));

    await h.http(slackCommand(`confirm ${codeIn(created.body.text)}`, h.chat.slackResponseUrl()));
    await h.fc.idle();

    expect(h.fc.invocations[0]!.attempts).toBe(2);
    expect(h.cen.plans).toHaveLength(1);
    expect(replyTexts().some((text) => text.includes('Bandwidth plan created'))).toBe(true);
  });
});

describe('configuration and delivery shapes', () => {
  it('a CHATOPS_CONFIRM_SECRET shorter than 32 characters is a configuration error naming it', async () => {
    h = await startHarness({ env: { CHATOPS_CONFIRM_SECRET: 'too-short' } });
    const answer = await h.http(slackCommand('plan 100 China Europe', h.chat.slackResponseUrl()));
    expect(answer.status).toBe(500);
    // The caller is told the function is misconfigured; the owner's log names the variable.
    expect(answer.body.error).toEqual({ code: 'ConfigurationError', message: 'The function is misconfigured; its log names the problem.' });
    expect(h.logs.some((line) => line.includes('CHATOPS_CONFIRM_SECRET must be one or more comma-separated secrets'))).toBe(true);
  });

  it('runs the chat job when FC delivers the self-invocation in HTTP shape', async () => {
    h = await startHarness();
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const code = issueConfirmationCode({ request: validation.request, requester: CHAT_USERS.slack, now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
    const job = sealChatJob(
      {
        kind: 'confirm',
        platform: 'slack',
        messageId: 'm-http',
        userKey: CHAT_USERS.slack,
        replyTo: { platform: 'slack', url: h.chat.slackResponseUrl() },
        code,
        acceptedAt: Date.now(),
      },
      CHATOPS_CONFIRM_SECRET,
    );
    const event = { ...httpEvent({ path: '/2023-03-30/functions/create-bandwidth-plan/invocations', body: job, sign: false }) };

    const result = (await h.invoke(event)) as { statusCode: number; body: string };

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ job: 'confirm', outcome: 'created', replied: true });
    expect(h.cen.plans).toHaveLength(1);
  });

  it('has no invocation path on a function whose chat jobs run in another (CHATOPS_JOB_FUNCTION): 404, nothing run', async () => {
    h = await startHarness({ env: { CHATOPS_JOB_FUNCTION: 'create-bandwidth-plan-events' } });
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const code = issueConfirmationCode({ request: validation.request, requester: CHAT_USERS.slack, now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
    const job = sealChatJob(
      {
        kind: 'confirm',
        platform: 'slack',
        messageId: 'm-two',
        userKey: CHAT_USERS.slack,
        replyTo: { platform: 'slack', url: h.chat.slackResponseUrl() },
        code,
        acceptedAt: Date.now(),
      },
      CHATOPS_CONFIRM_SECRET,
    );

    const answer = await h.http({ path: '/2023-03-30/functions/create-bandwidth-plan/invocations', body: job, sign: false });

    expect([answer.status, answer.body.error?.code]).toEqual([404, 'NotFound']);
    expect(h.cen.requests).toHaveLength(0);
  });

  it('answers a job-shaped request on the invocation path as HTTP: size limit first, no job without its MAC', async () => {
    h = await startHarness();
    const path = '/2023-03-30/functions/create-bandwidth-plan/invocations';
    const forged = { chatopsJob: JSON.stringify({ kind: 'status', id: 'cenbwp-1' }), mac: '0'.repeat(64) };
    const oversize = { chatopsJob: 'x'.repeat(70_000), mac: '0'.repeat(64) };

    const answers = [
      await h.http({ path, body: forged, sign: false }),
      await h.http({ path, body: oversize, sign: false }),
      await h.http({ path: '/2023-03-30/functions/another-function/invocations', body: forged, sign: false }),
      await h.http({ path, body: { Bandwidth: 10 }, sign: false }),
    ];

    expect(answers.map((answer) => [answer.status, answer.body.error?.code])).toEqual([
      [401, 'Unauthorized'],
      [413, 'PayloadTooLarge'],
      [404, 'NotFound'],
      [400, 'InvalidParameter'],
    ]);
    expect(h.cen.requests).toHaveLength(0);
    expect(h.fc.invocations).toHaveLength(0);
  });
});

describe('chat secrets', () => {
  it('never appear in replies, answers, messages or logs', async () => {
    h = await startHarness();
    const answers = [
      await h.http(slackCommand('create 100 China Europe', h.chat.slackResponseUrl())),
      await h.http(slackCommand('plan 100 China Europe', h.chat.slackResponseUrl(), 'U0001', 'T0001', { secret: 'forged-secret' })),
      await h.http(dingtalkMessage('plan 100 China Europe', h.chat.dingtalkSessionWebhook())),
      await h.http(larkMessage('plan 100 China Europe')),
    ];
    await h.http(slackCommand(`confirm ${codeIn(answers[0]!.body.text)}`, h.chat.slackResponseUrl()));
    await h.fc.idle();

    const texts = [...h.logs, ...replyTexts(), ...h.mns.messages.map((message) => message.body), ...answers.map((answer) => JSON.stringify(answer))];
    expect(findSecrets(texts)).toEqual([]);
  });
});

async function reopen(env: Record<string, string | undefined>): Promise<Harness> {
  await h.close();
  return startHarness({ env });
}

describe('refused purchase attempts from chat are outcomes; previews are not', () => {
  /** One message from an allowed user (or `other`, who is not) on each platform. */
  const send = (platform: 'slack' | 'dingtalk' | 'lark', text: string, user: 'allowed' | 'other' = 'allowed') =>
    platform === 'slack'
      ? slackCommand(text, h.chat.slackResponseUrl(), user === 'allowed' ? 'U0001' : 'U9999')
      : platform === 'dingtalk'
        ? dingtalkMessage(text, h.chat.dingtalkSessionWebhook(), user === 'allowed' ? 'staff-1' : 'staff-9')
        : larkMessage(text, user === 'allowed' ? 'ou_alice' : 'ou_mallory');
  const foreignCode = () => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    return issueConfirmationCode({ request: validation.request, requester: 'slack:T0001/U0002', now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
  };
  const expiredCode = (requester: string) => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    return issueConfirmationCode({ request: validation.request, requester, now: Date.now() - 700_000, key: CHATOPS_CONFIRM_SECRET });
  };

  const platforms = ['slack', 'dingtalk', 'lark'] as const;
  const refusals: readonly [string, (platform: (typeof platforms)[number]) => string, 'allowed' | 'other', string][] = [
    ['a create the grammar cannot read', () => 'create lots China Europe', 'allowed', 'InvalidParameter'],
    ['a create whose quote is left open', () => 'create 100 China Europe desc="unclosed', 'allowed', 'InvalidParameter'],
    ['a confirm without its code', () => 'confirm', 'allowed', 'InvalidParameter'],
    ['a confirm with words after the code', () => 'confirm abcdefghijklmnopqrstuvwxyz0123456789 please', 'allowed', 'InvalidParameter'],
    ['a create that breaks a rule', () => 'create 1 China Europe', 'allowed', 'InvalidParameter'],
    ['a create over the guardrails', () => 'create 5000 China Europe', 'allowed', 'PolicyDenied'],
    ['a confirm with an expired code', (platform) => `confirm ${expiredCode(CHAT_USERS[platform])}`, 'allowed', 'InvalidParameter'],
    ['a confirm with a code issued to someone else', () => `confirm ${foreignCode()}`, 'allowed', 'InvalidParameter'],
    ['a confirm with a made-up code', () => 'confirm abcdefghijklmnopqrstuvwxyz0123456789', 'allowed', 'InvalidParameter'],
    ['a create by someone not on the allow-list', () => 'create 100 China Europe', 'other', 'NotAllowed'],
    ['a confirm by someone not on the allow-list', () => 'confirm abcdefghijklmnopqrstuvwxyz0123456789', 'other', 'NotAllowed'],
  ];

  it.each(platforms.flatMap((platform) => refusals.map(([name, text, user, code]) => [platform, name, text, user, code] as const)))(
    '%s: %s → one rejected outcome naming the requester and the reason, nothing bought',
    async (platform, _name, text, user, code) => {
      h = await startHarness();
      await h.http(send(platform, text(platform), user));
      await h.fc.idle();

      expect(h.cen.requests).toHaveLength(0);
      expect(h.mns.messages).toHaveLength(1);
      const event = JSON.parse(h.mns.messages[0]!.body);
      expect(event.type).toBe('cen.bandwidthplan.rejected');
      expect(event.data).toMatchObject({ outcome: 'rejected', trigger: { kind: platform }, error: { code } });
      expect(event.data.requester).toMatch(new RegExp(`^${platform}:`));
    },
  );

  it.each(
    platforms.flatMap((platform) =>
      ['help', 'plan 100 China Europe', 'plan 1 China Europe', 'plan 5000 China Europe', 'status cenbwp-abc', 'hello there'].map(
        (text) => [platform, text] as const,
      ),
    ),
  )('%s: "%s" publishes nothing', async (platform, text) => {
    h = await startHarness();
    await h.http(send(platform, text));
    await h.fc.idle();

    expect(h.mns.messages).toHaveLength(0);
    expect(h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage')).toHaveLength(0);
  });
});

describe('chat jobs are checked again when they run', () => {
  const sealedConfirm = (userKey: string, acceptedAt: number, key = CHATOPS_CONFIRM_SECRET) => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const code = issueConfirmationCode({ request: validation.request, requester: userKey, now: acceptedAt, key: CHATOPS_CONFIRM_SECRET });
    return sealChatJob(
      { kind: 'confirm', platform: 'slack', messageId: 'm-job', userKey, replyTo: { platform: 'slack', url: h.chat.slackResponseUrl() }, code, acceptedAt },
      key,
    );
  };

  it('a job for someone no longer on the allow-list buys nothing, is published as rejected and answered', async () => {
    h = await startHarness({ env: { CHATOPS_ALLOWED_USERS: CHAT_USERS.dingtalk } });
    const result = await h.invoke(sealedConfirm(CHAT_USERS.slack, Date.now()));

    expect(result).toMatchObject({ job: 'confirm', outcome: 'rejected', replied: true });
    expect(h.cen.requests).toHaveLength(0);
    expect(JSON.parse(h.mns.messages[0]!.body).data).toMatchObject({ outcome: 'rejected', requester: CHAT_USERS.slack, error: { code: 'NotAllowed' } });
  });

  it.each([
    ['older than FC keeps async events', CHAT_JOB_MAX_AGE_MS + 1_000],
    // A purchase job refused (a limit, say) and replayed once room frees up must not buy.
    ['more than an hour after its confirm', PURCHASE_JOB_MAX_AGE_MS + 1_000],
  ])('a purchase job %s is a replayed copy: nothing bought, published as rejected', async (_, age) => {
    h = await startHarness();
    const result = await h.invoke(sealedConfirm(CHAT_USERS.slack, Date.now() - age));

    expect(result).toMatchObject({ job: 'confirm', outcome: 'rejected' });
    // Only the lookup of its intent (was it bought before its answer was lost?), never a create.
    expect(h.cen.requests.map((request) => request.action)).toEqual(age > CHAT_JOB_MAX_AGE_MS ? [] : ['DescribeCenBandwidthPackages']);
    expect(JSON.parse(h.mns.messages[0]!.body).data).toMatchObject({ outcome: 'rejected', error: { code: 'InvalidParameter' } });
  });

  it('a purchase job just within the hour still buys (FC’s retries and queue take minutes)', async () => {
    h = await startHarness();
    const result = await h.invoke(sealedConfirm(CHAT_USERS.slack, Date.now() - PURCHASE_JOB_MAX_AGE_MS + 60_000));

    expect(result).toMatchObject({ job: 'confirm', outcome: 'created' });
    expect(h.cen.plans).toHaveLength(1);
  });

  it('a purchase job retried late whose plan was bought (its answer lost) ends as that plan, not as "nothing was bought"', async () => {
    const clock = new TestClock(Date.now());
    h = await startHarness({ clock });
    const job = sealedConfirm(CHAT_USERS.slack, clock.now());
    expect(await h.invoke(job)).toMatchObject({ job: 'confirm', outcome: 'created' });

    clock.advance(PURCHASE_JOB_MAX_AGE_MS + 60_000);
    const late = await h.invoke(job);

    expect(late).toMatchObject({ job: 'confirm', outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage')).toHaveLength(1);
    expect(h.mns.messages.map((message) => JSON.parse(message.body).data.outcome)).toEqual(['created', 'created']);
  });

  it('a job whose MAC matches no configured key (the key rotated away) is refused, and the refusal is published', async () => {
    h = await startHarness();
    const result = await h.invoke(sealedConfirm(CHAT_USERS.slack, Date.now(), 'a-key-this-function-does-not-have-0123456789'));

    expect(result).toEqual({ job: 'invalid', replied: false });
    expect(h.cen.requests).toHaveLength(0);
    expect(JSON.parse(h.mns.messages[0]!.body).data).toMatchObject({ outcome: 'rejected', trigger: { kind: 'unrecognised' }, error: { code: 'Unauthorized' } });
  });

  it('a job sealed with the previous key still runs while both keys are configured (rotation)', async () => {
    const previous = CHATOPS_CONFIRM_SECRET;
    h = await startHarness({ env: { CHATOPS_CONFIRM_SECRET: `new-confirm-key-0123456789abcdefghijklmnop,${previous}` } });
    const result = await h.invoke(sealedConfirm(CHAT_USERS.slack, Date.now(), previous));

    expect(result).toMatchObject({ job: 'confirm', outcome: 'created' });
    expect(h.cen.plans).toHaveLength(1);
  });
});
