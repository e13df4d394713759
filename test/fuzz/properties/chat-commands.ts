/**
 * Chat-ops on each platform, fuzzed at the command text: never a purchase without a valid
 * confirmation code from the same allowed user; a valid one buys exactly what was previewed, once.
 * Every message is correctly signed, at a drawn time after the one before (delivery.ts).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FcHttpResponse } from '../../../shared/runtime/fc';
import { dingtalkCallback, dingtalkSigned, larkEncryptedText, larkMessageEvent, slackSigned } from '../../support/chat';
import type { Harness, HttpCall } from '../../support/harness';
import { type ChatPlanCommand, chatPlanCommand, codeInPreview, commandishText, randomCode, randomText } from '../chat-text';
import { type Delivery, delivery, eventOf, sentAt, WINDOWS } from '../delivery';
import { checkHttpAnswer } from '../http-shape';
import { awaitsPayment } from '../plans';
import type { FuzzSession } from '../session';
import { checkPurchase, type EntryPoint } from './common';

type Platform = 'slack' | 'dingtalk' | 'lark';

type CommandCase =
  | { kind: 'random text'; text: string }
  | { kind: 'preview'; command: ChatPlanCommand }
  | { kind: 'purchase'; command: ChatPlanCommand; confirmTwice: boolean }
  | { kind: 'tampered code'; command: ChatPlanCommand; tamper: 'flip' | 'truncate' | 'append' | 'case' }
  | { kind: 'random code'; code: string };

interface CommandInput {
  readonly command: CommandCase;
  /** Whether the sender is on the allow-list. */
  readonly allowed: boolean;
  /** How each message is sent, in order: the command, its `confirm`, the `confirm` again. */
  readonly sent: readonly [Delivery, Delivery, Delivery];
}

const commandInput = (platform: Platform): fc.Arbitrary<CommandInput> => {
  const sent = delivery(WINDOWS[platform]);
  return fc.record({
    command: fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('random text' as const), text: fc.oneof(commandishText, randomText) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('preview' as const), command: fc.oneof(chatPlanCommand('plan'), chatPlanCommand('create')) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('purchase' as const), command: chatPlanCommand('create'), confirmTwice: fc.boolean() }) },
      fc.record({
        kind: fc.constant('tampered code' as const),
        command: chatPlanCommand('create'),
        tamper: fc.constantFrom('flip', 'truncate', 'append', 'case'),
      }),
      fc.record({ kind: fc.constant('random code' as const), code: randomCode }),
    ),
    allowed: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
    sent: fc.tuple(sent, sent, sent),
  });
};

/** Slack escapes `&`, `<` and `>` in command text before sending it. */
const slackEscaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A correctly signed message sent at `now` (the harness's clock), with the drawn skew, ids, IV and nonce. */
function chatCall(h: Harness, platform: Platform, text: string, allowed: boolean, sent: Delivery, now: number): HttpCall {
  const user = allowed ? undefined : 'outsider';
  const options = sentAt(sent, now);
  switch (platform) {
    case 'slack': {
      const form = new URLSearchParams({
        team_id: 'T0001',
        user_id: user ?? 'U0001',
        channel_id: 'C0001',
        trigger_id: `trigger-${sent.sequence}`,
        response_url: h.chat.slackResponseUrl(sent.replyId),
        text: slackEscaped(text),
        command: '/bwp',
      });
      return slackSigned(form.toString(), options);
    }
    case 'dingtalk':
      return dingtalkSigned(JSON.stringify(dingtalkCallback(text, h.chat.dingtalkSessionWebhook(sent.replyId), user ?? 'staff-1', options)), options);
    case 'lark':
      return larkEncryptedText(JSON.stringify(larkMessageEvent(text, user ?? 'ou_alice', undefined, options)), options);
  }
}

/** Sends one command; returns the answer and the text of the reply the user sees. */
async function sendCommand(session: FuzzSession, h: Harness, platform: Platform, text: string, allowed: boolean, sent: Delivery) {
  const now = session.advance(sent.elapsed);
  const call = chatCall(h, platform, text, allowed, sent, now);
  const { result, delta } = await session.observe(h, () => h.invoke(eventOf(call, sent, now)) as Promise<FcHttpResponse>);
  const answer = checkHttpAnswer(result, 'chat');
  assert.equal(answer.status, 200, `a verified command answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  const replyText = platform === 'slack' ? String(answer.body.text) : delta.replies.map((reply) => JSON.stringify(reply.body)).join('\n');
  if (platform === 'slack') assert.equal(typeof answer.body.text, 'string');
  else {
    assert.deepEqual(answer.body, {});
    assert.ok(delta.replies.length >= 1, 'the command got a reply');
  }
  return { delta, replyText };
}

function tampered(code: string, how: 'flip' | 'truncate' | 'append' | 'case'): string {
  switch (how) {
    case 'flip':
      return code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    case 'truncate':
      return code.slice(0, -2);
    case 'append':
      return `${code}0`;
    case 'case':
      return code.replace(/[a-z]/, (char) => char.toUpperCase()) === code
        ? code.replace(/[A-Z]/, (char) => char.toLowerCase())
        : code.replace(/[a-z]/, (char) => char.toUpperCase());
  }
}

const PLATFORM_NAMES: Record<Platform, string> = { slack: 'Slack', dingtalk: 'DingTalk', lark: 'Lark' };

function chatCommands(platform: Platform): EntryPoint<CommandInput> {
  return {
    name: `${PLATFORM_NAMES[platform]} (command text)`,
    arbitrary: commandInput(platform),
    async check(session, { command, allowed, sent }) {
      const [first, second, third] = sent;
      const h = await session.harness();
      if (command.kind === 'random text' || command.kind === 'random code') {
        const text = command.kind === 'random text' ? command.text : `confirm ${command.code}`;
        const { delta } = await sendCommand(session, h, platform, text, allowed, first);
        assert.equal(delta.creates.length, 0, 'text without a valid code bought something');
        return command.kind === 'random text' ? 'random text: nothing bought' : 'random code: refused';
      }
      const preview = await sendCommand(session, h, platform, command.command.text, allowed, first);
      assert.equal(preview.delta.creates.length, 0, 'a preview bought something');
      if (!allowed) {
        assert.match(preview.replyText, /not allowed/);
        return `${command.command.kind} by an outsider: refused`;
      }
      assert.match(preview.replyText, /Bandwidth plan preview/);
      const code = codeInPreview(preview.replyText);
      assert.equal(code !== undefined, command.command.kind === 'create', 'create (and only create) issues a code');
      if (command.kind === 'preview') return `${command.command.kind}: preview`;
      if (command.kind === 'tampered code') {
        const refused = await sendCommand(session, h, platform, `confirm ${tampered(code!, command.tamper)}`, allowed, second);
        assert.equal(refused.delta.creates.length, 0, 'a tampered code bought something');
        assert.equal(refused.delta.invocations.length, 0, 'a tampered code started a job');
        assert.match(refused.replyText, /Not confirmed/);
        return 'tampered code: refused';
      }
      const confirmed = await sendCommand(session, h, platform, `confirm ${code}`, allowed, second);
      assert.equal(confirmed.delta.invocations.length, 1);
      assert.equal(confirmed.delta.creates.length, 1);
      const token = confirmed.delta.creates[0]!.params.ClientToken!;
      assert.match(token, /^chat-[0-9a-f]{32}$/);
      const purchase = checkPurchase(session, h, command.command.plan, token, confirmed.delta.creates[0], confirmed.delta.plansAdded);
      assert.equal(purchase.kind, 'new', 'a fresh code buys a new plan');
      const event = JSON.parse(confirmed.delta.messages.at(-1)!.body);
      assert.deepEqual(
        [event.type, event.data.trigger.kind, event.subject],
        [`cen.bandwidthplan.${awaitsPayment(command.command.plan) ? 'pending' : 'created'}`, platform, (purchase as { planId: string }).planId],
      );
      if (command.confirmTwice) {
        const again = await sendCommand(session, h, platform, `confirm ${code}`, allowed, third);
        assert.equal(again.delta.plansAdded, 0, 'confirming the same code twice bought twice');
        return 'create → confirm ×2: bought once';
      }
      return 'create → confirm: bought';
    },
  };
}

export const slackCommands = chatCommands('slack');
export const dingtalkCommands = chatCommands('dingtalk');
export const larkCommands = chatCommands('lark');
