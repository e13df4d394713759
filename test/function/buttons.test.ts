/**
 * Buttons through the real handler (README "Chat-ops", "Approval"): a preview's Confirm / Cancel and
 * Approve / Reject are pressed in Slack (a `block_actions` payload on the same route, signed like a
 * slash command) and in Lark (a `card.action.trigger` callback, encrypted and signed like an event).
 * A press runs the same command as typing it, by whoever pressed: a forged, stale or someone else's
 * press buys nothing; a press answered twice buys once. DingTalk has no button callbacks: it stays typed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clientTokenForConfirmation } from '../../shared/sources/chat/confirmation';
import {
  blockActions,
  type ChatCallOptions,
  dingtalkMessage,
  larkCardAction,
  larkMessage,
  larkSigned,
  slackButton,
  slackCommand,
  slackSigned,
} from '../support/chat';
import { TestClock } from '../support/clock';
import { CHAT_USERS, type Harness, LARK_VERIFICATION_TOKEN, startHarness } from '../support/harness';
import { publishedEvents } from '../support/observe';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const ALICE = CHAT_USERS.slack;
const BOB = 'slack:T0001/U0002';
const LARK_ALICE = CHAT_USERS.lark;
const LARK_BOB = 'lark:tenant-1/ou_bob';
/** Alice asks; Bob is on the allow-list too, and approves. */
const ENV = {
  CHATOPS_ALLOWED_USERS: `${ALICE},${BOB},${LARK_ALICE},${LARK_BOB},${CHAT_USERS.dingtalk}`,
  APPROVERS: `${ALICE},${BOB},${LARK_ALICE},${LARK_BOB}`,
  APPROVAL_ABOVE_MBPS: '100',
};
/** On a held clock: a replay is sent at a time the test chooses. */
const start = () => startHarness({ env: ENV, clock: new TestClock() });

const creates = () => h.cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage');
const published = () => publishedEvents(h).map((event) => [event.type.replace('cen.bandwidthplan.', ''), event.data.error?.code]);
/** The buttons of a Slack message: [action_id, value] pairs. */
const slackButtons = (message: any): [string, string][] =>
  (message.blocks?.find((block: any) => block.type === 'actions')?.elements ?? []).map((button: any) => [button.action_id, button.value]);
/** The code on the button `command`, of a message's [command, code] pairs. */
const codeOf = (buttons: readonly [string, string][], command: string): string => buttons.find(([name]) => name === command)![1];
/** The replies posted to one press's response_url. */
const repliesTo = (url: string) =>
  h.chat.replies
    .filter((reply) => reply.path === new URL(url).pathname)
    .map((reply) => ({ ...(reply.body as object), replacedOriginal: reply.replacedOriginal }));

describe('Slack', () => {
  const say = (text: string, user = 'U0001') => h.http(slackCommand(text, h.chat.slackResponseUrl(), user, 'T0001', { now: h.clock.now() }));
  /** A press by `user` on the button `command` carrying `code`; returns the answer and the press's response_url. */
  const press = async (command: string, code: string, user = 'U0001', options: ChatCallOptions = {}) => {
    const responseUrl = h.chat.slackActionUrl();
    const answer = await h.http(slackButton(command, code, { user, team: 'T0001', responseUrl }, { now: h.clock.now(), ...options }));
    await h.fc.idle();
    return { answer, responseUrl };
  };
  const previewButtons = async (text: string) => slackButtons((await say(text)).body);

  it('create shows Confirm and Cancel; Confirm is acknowledged empty, buys once, and the preview is replaced by the result', async () => {
    h = await start();
    const buttons = await previewButtons('create 100 China Europe');
    expect(buttons.map(([command]) => command)).toEqual(['confirm', 'cancel']);
    const code = buttons[0]![1];

    const { answer, responseUrl } = await press('confirm', code);

    expect(answer).toMatchObject({ status: 200, body: '' });
    expect(h.cen.plans).toHaveLength(1);
    expect(h.cen.plans[0]!.clientToken).toBe(clientTokenForConfirmation(code));
    const replies = repliesTo(responseUrl);
    expect(replies.map((reply: any) => [reply.replace_original, reply.replacedOriginal, reply.text.split('\n')[0]])).toEqual([
      [true, true, '*Confirmed: buying*'],
      [true, true, '*Bandwidth plan created*'],
    ]);
    expect(replies.every((reply: any) => reply.blocks === undefined)).toBe(true);
    expect(publishedEvents(h).map((event) => [event.type, event.data.trigger.kind, event.data.requester])).toEqual([
      ['cen.bandwidthplan.created', 'slack', ALICE],
    ]);
  });

  it('a double click buys once', async () => {
    h = await start();
    const code = codeOf(await previewButtons('create 50 China Europe'), 'confirm');

    await press('confirm', code);
    await press('confirm', code);

    expect(h.fc.invocations).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('a forged press answers 401: nothing bought, replied or published', async () => {
    h = await start();
    const code = codeOf(await previewButtons('create 100 China Europe'), 'confirm');

    const { answer } = await press('confirm', code, 'U0001', { secret: 'not-the-signing-secret' });

    expect(answer.status).toBe(401);
    expect(h.fc.invocations).toHaveLength(0);
    expect(creates()).toHaveLength(0);
    expect(h.chat.replies).toHaveLength(0);
    expect(h.mns.messages).toHaveLength(0);
  });

  it('a captured press replayed within 5 minutes runs the same command again and buys nothing more; after 5 minutes it answers 401', async () => {
    h = await start();
    const code = codeOf(await previewButtons('create 100 China Europe'), 'confirm');
    const captured = slackButton('confirm', code, { responseUrl: h.chat.slackActionUrl() }, { now: h.clock.now() });

    await h.http(captured);
    await h.fc.idle();
    (h.clock as TestClock).advance(60_000);
    const within = await h.http(captured);
    await h.fc.idle();
    (h.clock as TestClock).advance(241_000);
    const late = await h.http(captured);
    await h.fc.idle();

    expect(within.status).toBe(200);
    expect(late).toMatchObject({ status: 401, body: { error: { code: 'Unauthorized', message: 'The slack request could not be verified (stale).' } } });
    expect(h.fc.invocations).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('someone else’s press on Confirm is refused to them alone: nothing bought, the preview left as it was, the refusal published', async () => {
    h = await start();
    const code = codeOf(await previewButtons('create 100 China Europe'), 'confirm');

    const { answer, responseUrl } = await press('confirm', code, 'U0002');

    expect(answer.status).toBe(200);
    expect(creates()).toHaveLength(0);
    expect(repliesTo(responseUrl)).toEqual([
      {
        response_type: 'ephemeral',
        replace_original: false,
        text: '*Not confirmed*\nThat confirmation code was issued to someone else: only the person who asked can confirm it.\nNothing was bought.',
        replacedOriginal: undefined,
      },
    ]);
    expect(publishedEvents(h).map((event) => [event.data.requester, event.data.error.code])).toEqual([[BOB, 'InvalidParameter']]);
  });

  it('Cancel replaces the preview, buys and publishes nothing; the typed code would still have worked', async () => {
    h = await start();
    const code = codeOf(await previewButtons('create 100 China Europe'), 'confirm');

    const { responseUrl } = await press('cancel', code);

    expect(repliesTo(responseUrl)).toEqual([
      {
        replace_original: true,
        text: '*Cancelled*\nNothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, 10 minutes after it was issued. Do not confirm it.',
        replacedOriginal: true,
      },
    ]);
    expect(h.fc.invocations).toHaveLength(0);
    expect(h.mns.messages).toHaveLength(0);
  });

  it('a press that is not a button’s block_actions answers 400 naming the field', async () => {
    h = await start();
    const payload = { ...blockActions('confirm', 'AbC123', { responseUrl: h.chat.slackActionUrl() }), type: 'view_submission' };

    const answer = await h.http(slackSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { now: h.clock.now() }));

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path: 'payload.type', message: 'must be "block_actions"' }]);
  });

  describe('approval', () => {
    const approvalButtons = async () => {
      const answer = await say('create 500 China Europe');
      expect(answer.body.response_type).toBe('in_channel');
      return slackButtons(answer.body);
    };

    it('the request shows Approve and Reject to the channel; Approve by an approver buys once and replaces the request with the result', async () => {
      h = await start();
      const buttons = await approvalButtons();
      expect(buttons.map(([command]) => command)).toEqual(['approve', 'reject']);

      const { responseUrl } = await press('approve', buttons[0]![1], 'U0002');

      expect(h.cen.plans).toHaveLength(1);
      expect(repliesTo(responseUrl).map((reply: any) => [reply.replacedOriginal, reply.text.split('\n')[0]])).toEqual([
        [true, '*Approved: buying*'],
        [true, '*Bandwidth plan created*'],
      ]);
      expect(publishedEvents(h).at(-1).data).toMatchObject({ outcome: 'created', requester: ALICE, approver: BOB });
    });

    it('HTTP 202 → Approve pressed by an approver → one plan, with the request’s ClientToken', async () => {
      h = await start();
      const waiting = await h.http({
        path: '/bandwidth-plans',
        body: { Bandwidth: 500, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' },
        now: h.clock.now(),
      });
      expect(waiting.status).toBe(202);

      await press('approve', waiting.body.approval.code, 'U0002');

      expect(creates().map((request) => request.params.ClientToken)).toEqual([waiting.body.ClientToken]);
      expect(h.cen.plans).toHaveLength(1);
    });

    it('Reject by an approver ends it: the request replaced, published as rejected, nothing bought', async () => {
      h = await start();
      const code = codeOf(await approvalButtons(), 'reject');

      const { responseUrl } = await press('reject', code, 'U0002');

      expect(creates()).toHaveLength(0);
      expect(repliesTo(responseUrl)).toEqual([
        {
          replace_original: true,
          text: expect.stringMatching(
            new RegExp(
              `^\\*Rejected\\*\\n${BOB} rejected the purchase asked by ${ALICE}\\. Nothing was bought\\.\\nCodes keep no state: another approver could still approve this one until it expires`,
            ),
          ),
          replacedOriginal: true,
        },
      ]);
      expect(published().at(-1)).toEqual(['rejected', 'ApprovalRejected']);
    });

    it('the requester’s own Approve is refused to them alone: nothing bought, the request still there for an approver', async () => {
      h = await start();
      const code = codeOf(await approvalButtons(), 'approve');

      const { responseUrl } = await press('approve', code);

      expect(creates()).toHaveLength(0);
      expect(h.fc.invocations).toHaveLength(0);
      expect(repliesTo(responseUrl)).toMatchObject([
        { replace_original: false, text: expect.stringContaining('You asked for this purchase: another approver must approve it.') },
      ]);
      expect(published()).toEqual([
        ['awaiting-approval', undefined],
        ['rejected', 'ApprovalRefused'],
      ]);
    });
  });
});

describe('Lark', () => {
  const say = (text: string, openId = 'ou_alice') => h.http({ ...larkMessage(text, openId, { now: h.clock.now() }) });
  const press = async (command: string, code: string, openId = 'ou_alice', options: ChatCallOptions = {}) => {
    const answer = await h.http(larkCardAction(command, code, openId, { now: h.clock.now(), ...options }));
    await h.fc.idle();
    return answer;
  };
  /** The card a command was answered with: its buttons' [command, code] pairs. */
  const cardButtons = async (text: string): Promise<[string, string][]> => {
    const before = h.chat.replies.length;
    await say(text);
    const reply = h.chat.replies.slice(before).find((entry) => entry.platform === 'lark')!.body as { msg_type: string; content: string };
    expect(reply.msg_type).toBe('interactive');
    const card = JSON.parse(reply.content);
    return card.elements.find((element: any) => element.tag === 'action').actions.map((button: any) => [button.value.command, button.value.code]);
  };
  const resultReplies = () => h.chat.replies.filter((reply) => reply.messageId === 'om_card').map((reply) => JSON.stringify(reply.body));

  it('create shows a card with Confirm and Cancel; Confirm answers a toast and the card without buttons, buys once, the result replies to the card', async () => {
    h = await start();
    const buttons = await cardButtons('create 100 China Europe');
    expect(buttons.map(([command]) => command)).toEqual(['confirm', 'cancel']);

    const answer = await press('confirm', buttons[0]![1]);

    expect(answer.status).toBe(200);
    expect(answer.body.toast).toEqual({ type: 'success', content: 'Confirmed: buying' });
    expect(answer.body.card.data.elements.map((element: any) => element.tag)).toEqual(['div']);
    expect(h.cen.plans).toHaveLength(1);
    expect(resultReplies().some((text) => text.includes('Bandwidth plan created'))).toBe(true);
    expect(publishedEvents(h).map((event) => [event.data.outcome, event.data.trigger.kind, event.data.requester])).toEqual([['created', 'lark', LARK_ALICE]]);
  });

  it('a double press buys once', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 50 China Europe'), 'confirm');

    await press('confirm', code);
    await press('confirm', code);

    expect(h.fc.invocations).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('a press encrypted and signed with another key answers 401, nothing bought', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 100 China Europe'), 'confirm');

    const answer = await press('confirm', code, 'ou_alice', { secret: 'another-encrypt-key' });

    expect(answer.status).toBe(401);
    expect(h.fc.invocations).toHaveLength(0);
    expect(creates()).toHaveLength(0);
  });

  it('a captured press replayed within Lark’s 10 minutes buys nothing more; after them it answers 401', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 100 China Europe'), 'confirm');
    const captured = larkCardAction('confirm', code, 'ou_alice', { now: h.clock.now() });

    await h.http(captured);
    await h.fc.idle();
    (h.clock as TestClock).advance(300_000);
    const within = await h.http(captured);
    await h.fc.idle();
    (h.clock as TestClock).advance(301_000);
    const late = await h.http(captured);
    await h.fc.idle();

    expect(within.status).toBe(200);
    expect(late.status).toBe(401);
    expect(h.fc.invocations).toHaveLength(2);
    expect(h.cen.plans).toHaveLength(1);
  });

  it('someone else’s press on Confirm gets a toast, the card unchanged: nothing bought, the refusal published', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 100 China Europe'), 'confirm');

    const answer = await press('confirm', code, 'ou_bob');

    expect(answer.body).toEqual({
      toast: {
        type: 'error',
        content: 'Not confirmed: That confirmation code was issued to someone else: only the person who asked can confirm it. Nothing was bought.',
      },
    });
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h).map((event) => [event.data.requester, event.data.error.code])).toEqual([[LARK_BOB, 'InvalidParameter']]);
  });

  it('someone else’s Cancel gets a toast, the card unchanged for the person who asked: nothing bought or published', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 100 China Europe'), 'cancel');

    const answer = await press('cancel', code, 'ou_bob');

    expect(answer.body).toEqual({ toast: { type: 'error', content: 'Not cancelled: Only the person who asked can cancel this preview.' } });
    expect(creates()).toHaveLength(0);
    expect(publishedEvents(h)).toEqual([]);
  });

  it('Cancel replaces the card, buys and publishes nothing', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 100 China Europe'), 'cancel');

    const answer = await press('cancel', code);

    expect(answer.body.toast).toEqual({ type: 'success', content: 'Cancelled' });
    expect(answer.body.card.data.elements).toEqual([
      {
        tag: 'div',
        text: {
          tag: 'plain_text',
          content:
            'Nothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, 10 minutes after it was issued. Do not confirm it.',
        },
      },
    ]);
    expect(h.fc.invocations).toHaveLength(0);
    expect(h.mns.messages).toHaveLength(0);
  });

  it('Approve by an approver buys once; Reject ends it; the requester’s own Approve is refused', async () => {
    h = await start();
    const code = codeOf(await cardButtons('create 500 China Europe'), 'approve');

    const own = await press('approve', code);
    expect(own.body.toast).toEqual({
      type: 'error',
      content: 'Not approved: You asked for this purchase: another approver must approve it. Nothing was bought.',
    });
    expect(creates()).toHaveLength(0);

    const approved = await press('approve', code, 'ou_bob');
    expect(approved.body.toast).toEqual({ type: 'success', content: 'Approved: buying' });
    expect(h.cen.plans).toHaveLength(1);

    const rejected = await press('reject', code, 'ou_bob');
    expect(rejected.body.toast).toEqual({ type: 'success', content: 'Rejected' });
    expect(h.cen.plans).toHaveLength(1);
    expect(published()).toEqual([
      ['awaiting-approval', undefined],
      ['rejected', 'ApprovalRefused'],
      ['created', undefined],
      ['rejected', 'ApprovalRejected'],
    ]);
  });

  it('a card callback that cannot be read answers 400 naming the field (it is not ignored like other events)', async () => {
    h = await start();
    const answer = await h.http(larkCardAction('create', 'AbC123', 'ou_alice', { now: h.clock.now() }));

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path: 'event.action.value.command', message: 'must be one of confirm, cancel, approve, reject' }]);
  });

  it('an old-style card callback (card.action.trigger_v1) answers 400 saying how to configure the new one', async () => {
    h = await start();
    const { createHash } = await import('node:crypto');
    const body = JSON.stringify({
      open_id: 'ou_alice',
      tenant_key: 'tenant-1',
      open_message_id: 'om_card',
      action: { value: { command: 'confirm', code: 'x' }, tag: 'button' },
    });
    const timestamp = String(Math.floor(h.clock.now() / 1000));
    const signature = createHash('sha1').update(`${timestamp}nonce-1${LARK_VERIFICATION_TOKEN}${body}`).digest('hex');
    const headers = { 'X-Lark-Request-Timestamp': timestamp, 'X-Lark-Request-Nonce': 'nonce-1', 'X-Lark-Signature': signature };

    const answer = await h.http({ path: '/chatops/lark', body, sign: false, headers });

    expect(answer.status).toBe(400);
    expect(answer.body.error.issues[0].message).toContain('old-style card callback (card.action.trigger_v1), which is not served');
    expect(h.chat.requests).toHaveLength(0);
  });

  it('other events that are not commands are still acknowledged and ignored', async () => {
    h = await start();
    const answer = await h.http(
      larkSigned({ schema: '2.0', header: { event_type: 'im.chat.member.bot.added_v1', token: LARK_VERIFICATION_TOKEN }, event: {} }, { now: h.clock.now() }),
    );
    expect(answer).toMatchObject({ status: 200, body: {} });
  });
});

describe('DingTalk', () => {
  it('has no button callbacks: the preview is markdown saying what to type, and typed confirm buys', async () => {
    h = await start();
    await h.http(dingtalkMessage('create 100 China Europe', h.chat.dingtalkSessionWebhook(), 'staff-1', { now: h.clock.now() }));
    const preview = h.chat.replies[0]!.body as { msgtype: string; markdown: { text: string } };
    const code = /confirm ([A-Za-z0-9]+)/.exec(preview.markdown.text)?.[1];

    expect(preview.msgtype).toBe('markdown');
    expect(code).toBeDefined();
    await h.http(dingtalkMessage(`confirm ${code}`, h.chat.dingtalkSessionWebhook(), 'staff-1', { now: h.clock.now() }));
    await h.fc.idle();
    expect(h.cen.plans).toHaveLength(1);
  });
});
