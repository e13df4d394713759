/**
 * Chat text as people type it: on every platform, @mentions before the command (the bot's or
 * anyone's) and the blanks around them are not part of it; DingTalk rich-text messages read like text.
 */
import { describe, expect, it } from 'vitest';
import { parseDingTalkMessage } from '../../shared/sources/chat/dingtalk/parse';
import { parseLarkMessage } from '../../shared/sources/chat/lark/parse';
import { parseSlackCommand } from '../../shared/sources/chat/slack/parse';

const SESSION = 'https://oapi.dingtalk.com/robot/sendBySession?session=s1';
const dingtalk = (message: Record<string, unknown>) =>
  parseDingTalkMessage(
    JSON.stringify({
      msgId: 'm1',
      senderStaffId: 'staff-1',
      senderCorpId: 'corp-1',
      conversationId: 'c1',
      sessionWebhook: SESSION,
      sessionWebhookExpiredTime: 1_700_000_000_000,
      ...message,
    }),
  );
const textOf = (parsed: ReturnType<typeof parseDingTalkMessage>) => (parsed.ok ? parsed.message.text : parsed.issue);

describe('DingTalk', () => {
  it.each([
    [
      'a text message (the robot’s mention removed, a space left)',
      { msgtype: 'text', text: { content: ' create 100 China Europe' } },
      'create 100 China Europe',
    ],
    ['a text message with someone else mentioned first', { msgtype: 'text', text: { content: ' @Alice @Bob plan 100 China Europe' } }, 'plan 100 China Europe'],
    [
      'a rich-text message: the robot’s @name first, then the command',
      { msgtype: 'richText', content: { richText: [{ text: '@bwp-bot' }, { text: 'create 100 China Europe' }] } },
      'create 100 China Europe',
    ],
    [
      'a rich-text message with a picture and the command split in fragments',
      {
        msgtype: 'richText',
        content: { richText: [{ text: '@bwp-bot ' }, { type: 'picture', downloadCode: 'x' }, { text: 'plan 100' }, { text: 'China Europe' }] },
      },
      'plan 100 China Europe',
    ],
    ['a mention after the command is kept', { msgtype: 'text', text: { content: 'plan 100 China Europe @Alice' } }, 'plan 100 China Europe @Alice'],
  ])('%s', (_name, message, expected) => {
    expect(textOf(dingtalk(message))).toBe(expected);
  });

  it.each([
    [
      { msgtype: 'picture', content: {} },
      { path: 'msgtype', message: 'must be "text" or "richText"' },
    ],
    [
      { msgtype: 'richText', content: {} },
      { path: 'content.richText', message: 'is required' },
    ],
    [
      { msgtype: 'richText', content: { richText: 'create' } },
      { path: 'content.richText', message: 'must be a list' },
    ],
    [
      { msgtype: 'text', text: {} },
      { path: 'text.content', message: 'is required' },
    ],
  ])('refuses %j naming the field', (message, issue) => {
    expect(dingtalk(message)).toEqual({ ok: false, issue });
  });
});

describe('Slack', () => {
  const slack = (text: string) => {
    const parsed = parseSlackCommand(
      new URLSearchParams({
        team_id: 'T1',
        user_id: 'U1',
        channel_id: 'C1',
        trigger_id: 't1',
        response_url: 'https://hooks.slack.com/commands/T1/1/x',
        text,
      }).toString(),
    );
    return parsed.ok ? parsed.message.text : parsed.issue;
  };
  it.each([
    ['<@U0BOT|bwp> create 100 China Europe', 'create 100 China Europe'],
    ['<@U0BOT> <@U0ALICE|alice> plan 100 China Europe', 'plan 100 China Europe'],
    ['@bwp   help', 'help'],
    ['  plan 100 China Europe  ', 'plan 100 China Europe'],
    ['plan 100 China Europe <@U0ALICE>', 'plan 100 China Europe <@U0ALICE>'],
  ])('%j → %j', (text, expected) => {
    expect(slack(text)).toBe(expected);
  });
});

describe('Lark', () => {
  const lark = (text: string) => {
    const parsed = parseLarkMessage({
      schema: '2.0',
      header: { event_id: 'e1', event_type: 'im.message.receive_v1', tenant_key: 't1' },
      event: {
        sender: { sender_id: { open_id: 'ou_1' }, sender_type: 'user' },
        message: { message_id: 'om_1', chat_id: 'oc_1', message_type: 'text', content: JSON.stringify({ text }) },
      },
    });
    return parsed.ok ? parsed.message.text : parsed.issue;
  };
  it.each([
    ['@_user_1 bwp help', 'bwp help'],
    ['@_user_1 @_user_12 plan 100 China Europe', 'plan 100 China Europe'],
    ['@_all create 100 China Europe', 'create 100 China Europe'],
    ['plan 100 China Europe (p2p, no mention)', 'plan 100 China Europe (p2p, no mention)'],
    ['name=@_user_x', 'name=@_user_x'],
    ['@_user_1', ''],
  ])('%j → %j', (text, expected) => {
    expect(lark(text)).toBe(expected);
  });
});
