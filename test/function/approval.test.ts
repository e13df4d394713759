/**
 * Four-eyes approval through the real handler: a purchase above APPROVAL_ABOVE_MBPS (or any PREPAY
 * with APPROVAL_FOR_PREPAY) waits for one of APPROVERS who is not the person who asked; chat asks the
 * channel, HTTP answers 202, async sources return the same; `approve` buys once through the async
 * path, `reject` ends it; every step is published.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sealChatJob } from '../../shared/sources/chat/jobs';
import { slackCommand } from '../support/chat';
import { CHATOPS_CONFIRM_SECRET, cloudEvent, type Harness, startHarness, VALID_PLAN } from '../support/harness';
import { publishedEvents } from '../support/observe';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const ALICE = 'slack:T0001/U0001';
const BOB = 'slack:T0001/U0002';
/** Alice asks and may approve others' requests; Bob approves; Carol is on neither list. */
const APPROVAL_ENV = {
  CHATOPS_ALLOWED_USERS: `${ALICE},slack:T0001/U0003`,
  APPROVERS: `${ALICE},${BOB}`,
  APPROVAL_ABOVE_MBPS: '100',
  APPROVAL_FOR_PREPAY: 'true',
};
const start = (env: Record<string, string> = {}) => startHarness({ env: { ...APPROVAL_ENV, ...env } });

const creates = () => h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage');
const events = () => publishedEvents(h).map((event) => event.type.replace('cen.bandwidthplan.', ''));
const say = (text: string, user = 'U0001') => h.http(slackCommand(text, h.chat.slackResponseUrl(), user, 'T0001'));
const approvalCode = (text: string) => /approve ([A-Za-z0-9]+)/.exec(text)?.[1];
const lastReply = () => JSON.stringify(h.chat.replies.at(-1)?.body ?? {});

describe('in chat', () => {
  it('create above the limit asks the channel for an approver, publishes awaiting-approval and buys nothing', async () => {
    h = await start();
    const answer = await say('create 500 China Europe');

    expect(answer.body.response_type).toBe('in_channel');
    expect(answer.body.text).toContain(`Needs approval by one of ${ALICE}, ${BOB}: 500 Mbit/s is above 100 Mbit/s (APPROVAL_ABOVE_MBPS)`);
    expect(approvalCode(answer.body.text)).toBeDefined();
    expect(creates()).toHaveLength(0);
    const [event] = publishedEvents(h);
    expect(event.type).toBe('cen.bandwidthplan.awaiting-approval');
    expect(h.mns.messages[0]!.tag).toBe('awaits-approval');
    expect(event.data).toMatchObject({ requester: ALICE, approval: { code: approvalCode(answer.body.text), approvers: [ALICE, BOB] } });
  });

  it('approve by another approver buys once, naming requester and approver; a second approval buys nothing more', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;

    const approved = await say(`approve ${code}`, 'U0002');
    await h.fc.idle();
    await say(`approve ${code}`, 'U0002');
    await h.fc.idle();

    expect(approved.body.text).toContain(`Approved by ${BOB}, asked by ${ALICE}`);
    expect(h.cen.plans).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    const created = publishedEvents(h).filter((event) => event.type === 'cen.bandwidthplan.created');
    expect(created.map((event) => [event.data.requester, event.data.approver])).toEqual([
      [ALICE, BOB],
      [ALICE, BOB],
    ]);
    expect(lastReply()).toContain(`Approved by ${BOB}; asked by ${ALICE}`);
    // One intent from request to plan: the request's outcome names the ClientToken the plan was bought with.
    const awaiting = publishedEvents(h).find((event) => event.type === 'cen.bandwidthplan.awaiting-approval');
    expect(awaiting.data.ClientToken).toBe(created[0].data.ClientToken);
  });

  it('refuses the requester’s own confirm and approve, each with its reason, and publishes both refusals', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;

    const confirmed = await say(`confirm ${code}`);
    const approved = await say(`approve ${code}`);
    await h.fc.idle();

    expect(confirmed.body.text).toContain('You cannot confirm it yourself');
    expect(approved.body.text).toContain('You asked for this purchase: another approver must approve it.');
    expect(creates()).toHaveLength(0);
    expect(h.fc.invocations).toHaveLength(0);
    expect(publishedEvents(h).map((event) => [event.type, event.data.error?.code])).toEqual([
      ['cen.bandwidthplan.awaiting-approval', undefined],
      ['cen.bandwidthplan.rejected', 'ApprovalRequired'],
      ['cen.bandwidthplan.rejected', 'ApprovalRefused'],
    ]);
  });

  it('one person is one requester in every workspace: listed bare (slack:U…), Alice cannot approve her own request from another', async () => {
    h = await start({ APPROVERS: 'slack:U0001,slack:U0002' });
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;

    const elsewhere = await h.http(slackCommand(`approve ${code}`, h.chat.slackResponseUrl(), 'U0001', 'T0999'));
    await h.fc.idle();

    expect(elsewhere.body.text).toContain('You asked for this purchase: another approver must approve it.');
    expect(creates()).toHaveLength(0);
    expect(h.fc.invocations).toHaveLength(0);
  });

  it('the requester may withdraw with reject, though not an approver: published as rejected, nothing bought', async () => {
    h = await start({ CHATOPS_ALLOWED_USERS: 'slack:T0001/U0003', APPROVERS: BOB });
    const code = approvalCode((await say('create 500 China Europe', 'U0003')).body.text)!;

    const answer = await say(`reject ${code}`, 'U0003');

    expect(answer.body.text).toContain('slack:T0001/U0003 withdrew the purchase asked by slack:T0001/U0003. Nothing was bought.');
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.rejected', data: { error: { code: 'ApprovalRejected' } } });
  });

  it('a requester removed from CHATOPS_ALLOWED_USERS before the approval runs gets nothing bought, published as NotAllowed', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;
    await h.close();
    // The owner takes Alice off the allow-list (a new configuration: a new instance); codes are stateless.
    h = await start({ CHATOPS_ALLOWED_USERS: 'slack:T0001/U0003', APPROVERS: BOB });

    await say(`approve ${code}`, 'U0002');
    await h.fc.idle();

    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).at(-1)).toMatchObject({
      type: 'cen.bandwidthplan.rejected',
      data: { requester: ALICE, approver: BOB, error: { code: 'NotAllowed' } },
    });
    expect(lastReply()).toContain('no longer on the chat-ops allow-list');
  });

  it('the approver is told what they approve, and a withdrawal carries the ClientToken the purchase would use', async () => {
    h = await start({ CHATOPS_ALLOWED_USERS: 'slack:T0001/U0003', APPROVERS: BOB });
    const code = approvalCode((await say('create 500 China Europe', 'U0003')).body.text)!;

    const withdrawn = await say(`reject ${code}`, 'U0003');
    const approved = await say(`approve ${code}`, 'U0002');
    await h.fc.idle();

    expect(withdrawn.body.text).toContain('Codes keep no state: another approver could still approve this one until it expires');
    expect(approved.body.text).toContain('500 Mbit/s between China and Europe');
    const [withdrawal, bought] = publishedEvents(h).filter((event) => event.type !== 'cen.bandwidthplan.awaiting-approval');
    expect(withdrawal.data.error.code).toBe('ApprovalRejected');
    expect(withdrawal.data.ClientToken).toBe(bought.data.ClientToken);
  });

  it('refuses an approval by someone not on APPROVERS, even on the allow-list', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;

    const answer = await say(`approve ${code}`, 'U0003');
    await h.fc.idle();

    expect(answer.body.text).toContain('Only an approver (APPROVERS) can approve');
    expect(creates()).toHaveLength(0);
  });

  it('reject by an approver ends it: published as rejected, naming the approver, nothing bought', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;

    const answer = await say(`reject ${code}`, 'U0002');

    expect(answer.body.text).toContain(`${BOB} rejected the purchase asked by ${ALICE}. Nothing was bought.`);
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.rejected', data: { approver: BOB, error: { code: 'ApprovalRejected' } } });
  });

  it('an approval job whose approver was removed from APPROVERS before it ran buys nothing', async () => {
    h = await start();
    const code = approvalCode((await say('create 500 China Europe')).body.text)!;
    // What a job sealed before the removal carries: the approver Carol is no longer (here: never) listed.
    const job = sealChatJob(
      {
        kind: 'approve',
        code,
        platform: 'slack',
        messageId: 'm-1',
        userKey: 'slack:T0001/U0003',
        replyTo: { platform: 'slack', url: h.chat.slackResponseUrl() },
        acceptedAt: Date.now(),
      },
      CHATOPS_CONFIRM_SECRET,
    );

    const result = (await h.invoke(job)) as { job: string };

    expect(result.job).toBe('approve');
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.rejected', data: { error: { code: 'ApprovalRefused' } } });
  });

  it('a plan within the rules needs no approval: create → confirm as before', async () => {
    h = await start();
    const created = await say('create 50 China Europe');
    expect(created.body.response_type).toBe('ephemeral');
    expect(created.body.text).toContain('Reply "confirm');
  });
});

describe('HTTP, EventBridge and timer', () => {
  it('HTTP answers 202 with the code; approved in chat it buys with the request’s ClientToken; the retry then finds it', async () => {
    h = await start();
    const call = { path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 500 }, headers: { 'Idempotency-Key': 'big-1' } };

    const waiting = await h.http(call);
    expect(waiting.status).toBe(202);
    expect(waiting.body).toMatchObject({ awaitingApproval: true, approval: { approvers: [ALICE, BOB] }, ClientToken: expect.stringMatching(/^http-/) });
    expect(creates()).toHaveLength(0);

    await say(`approve ${waiting.body.approval.code}`, 'U0002');
    await h.fc.idle();
    const again = await h.http(call);

    expect(creates().map((request) => request.params.ClientToken)).toEqual([waiting.body.ClientToken]);
    expect(again.status).toBe(201);
    expect(again.body.CenBandwidthPackageId).toBe(h.cen.plans[0]!.id);
    expect(events()).toEqual(['awaiting-approval', 'created', 'created']);
  });

  it('a purchase too long to carry in an approval code (many long tags) is refused at once, naming Tag, not left waiting', async () => {
    h = await start();
    // Text that does not compress: each tag different, the longest the API allows.
    const Tag = Array.from({ length: 17 }, (_, index) => ({
      Key: `k${index}-${Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x4e00 + ((index * 997 + i * 7919) % 20_000))).join('')}`,
      Value: Array.from({ length: 128 }, (_, i) => String.fromCodePoint(0x5e00 + ((index * 131 + i * 104_729) % 15_000))).join(''),
    }));
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 500, Tag }, headers: { 'Idempotency-Key': 'long-tags' } });

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path: 'Tag', message: expect.stringContaining('too long to carry in an approval code') }]);
    expect(creates()).toHaveLength(0);
    expect(events()).toEqual(['rejected']);
  });

  it('tagged like most callers tag, it waits and is approved in chat', async () => {
    h = await start();
    const Tag = [
      { Key: 'team', Value: 'network-operations' },
      { Key: 'cost-center', Value: 'cc-4711' },
      { Key: 'env', Value: 'production' },
    ];
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 500, Tag }, headers: { 'Idempotency-Key': 'tagged' } });
    expect(answer.status).toBe(202);

    await say(`approve ${answer.body.approval.code}`, 'U0002');
    await h.fc.idle();

    expect(creates()).toHaveLength(1);
    expect(creates()[0]!.params['Tag.1.Key']).toBe('team');
  });

  it('long text that compresses well (17 tags of one letter) still makes a code that opens: approved, it buys', async () => {
    h = await start();
    const Tag = Array.from({ length: 17 }, (_, index) => ({ Key: `${String.fromCharCode(97 + index)}`.repeat(64), Value: 'v'.repeat(128) }));
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 500, Tag }, headers: { 'Idempotency-Key': 'long-but-plain' } });
    expect(answer.status).toBe(202);

    const approved = await say(`approve ${answer.body.approval.code}`, 'U0002');
    await h.fc.idle();

    expect(approved.body.text).toContain('Approved: buying');
    expect(creates()).toHaveLength(1);
  });

  it('an event whose id is too long to carry in an approval code is refused at once, naming what to shorten', async () => {
    h = await start();
    const result = (await h.invoke(cloudEvent('e'.repeat(40_000), { ...VALID_PLAN, Bandwidth: 500 }))) as any;

    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'InvalidParameter' } });
    expect(JSON.stringify(result.error)).toContain('use a shorter event id or source');
    expect(creates()).toHaveLength(0);
    expect(events()).toEqual(['rejected']);
  });

  it('an EventBridge PREPAY purchase waits: returned (not thrown), published, nothing bought', async () => {
    h = await start();
    const result = (await h.invoke(cloudEvent('big-2', { ...VALID_PLAN, BandwidthPackageChargeType: 'PREPAY', Period: 1 }))) as any;

    expect(result).toMatchObject({
      outcome: 'awaiting-approval',
      approval: { reasons: ['it is PREPAY, a commitment that cannot be cancelled (APPROVAL_FOR_PREPAY)'] },
    });
    expect(creates()).toHaveLength(0);
    expect(events()).toEqual(['awaiting-approval']);
  });

  it('guardrails come first: an approval never lifts one', async () => {
    h = await start({ MAX_BANDWIDTH_MBPS: '400' });
    const answer = await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 500 } });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('PolicyDenied');
    expect(events()).toEqual(['rejected']);
  });

  it('the dry run says it needs approval, and by whom', async () => {
    h = await start();
    const answer = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, Bandwidth: 500 } });

    expect(answer.body.approval).toEqual({ reasons: ['500 Mbit/s is above 100 Mbit/s (APPROVAL_ABOVE_MBPS)'], approvers: [ALICE, BOB] });
    expect(h.cen.requests).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('refuses a rule nobody could meet, naming the variable', async () => {
    h = await startHarness({ env: { APPROVAL_ABOVE_MBPS: '100' } });
    const answer = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    expect(answer.status).toBe(500);
    expect(h.logs.join('\n')).toContain('APPROVERS is empty: the approval rule (APPROVAL_ABOVE_MBPS / APPROVAL_FOR_PREPAY) could never be met');
  });
});
