import { describe, expect, it } from 'vitest';
import { parseDingTalkMessage } from '../../shared/sources/chat/dingtalk/parse';
import { dingTalkSignature, verifyDingTalkRequest } from '../../shared/sources/chat/dingtalk/verify';

// Computed vector (docs/sources.md, "Chat platforms"; DingTalk publishes none).
const SECRET = 'this is secret';
const TIMESTAMP = '1577262236757';
const SIGN = 'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=';
const NOW = 1577262236757;
const signed = { timestamp: TIMESTAMP, sign: SIGN };

describe('dingTalkSignature', () => {
  it('reproduces the computed vector', () => {
    expect(dingTalkSignature(SECRET, TIMESTAMP)).toBe(SIGN);
  });
});

describe('verifyDingTalkRequest', () => {
  it.each([
    ['the computed vector', signed, NOW, SECRET, { ok: true }],
    ['capitalised header names', { Timestamp: TIMESTAMP, Sign: SIGN }, NOW, SECRET, { ok: true }],
    ['a clock one hour behind', signed, NOW + 3_600_000, SECRET, { ok: true }],
    ['a clock one hour ahead', signed, NOW - 3_600_000, SECRET, { ok: true }],
    ['no app secret', signed, NOW, undefined, { ok: false, reason: 'not-configured' }],
    ['an empty app secret', signed, NOW, '', { ok: false, reason: 'not-configured' }],
    ['no sign header', { timestamp: TIMESTAMP }, NOW, SECRET, { ok: false, reason: 'missing-signature' }],
    ['no timestamp header', { sign: SIGN }, NOW, SECRET, { ok: false, reason: 'missing-signature' }],
    ['a timestamp in seconds with a fraction', { ...signed, timestamp: '1577262236.757' }, NOW, SECRET, { ok: false, reason: 'bad-timestamp' }],
    ['a request one hour and 1 ms old', signed, NOW + 3_600_001, SECRET, { ok: false, reason: 'stale' }],
    ['a request from the future', signed, NOW - 3_600_001, SECRET, { ok: false, reason: 'stale' }],
    ['another secret', signed, NOW, 'this is secreT', { ok: false, reason: 'bad-signature' }],
    [
      'the URL-encoded form of the sign',
      { ...signed, sign: 'hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D' },
      NOW,
      SECRET,
      { ok: false, reason: 'bad-signature' },
    ],
    ['a sign for another timestamp', { ...signed, timestamp: '1577262236758' }, NOW, SECRET, { ok: false, reason: 'bad-signature' }],
  ])('%s', (_name, headers, now, appSecret, expected) => {
    expect(verifyDingTalkRequest({ headers, now, appSecret })).toEqual(expected);
  });
});

// The callback example of docs/sources.md, "Chat platforms"
const CALLBACK = {
  msgtype: 'text',
  text: { content: ' bwp create 2 China Asia-Pacific' },
  msgId: 'msg0xxxxx',
  createAt: 1613630252678,
  conversationType: '2',
  conversationId: 'cidxxxx',
  conversationTitle: 'network-ops',
  senderId: '$:LWCP_v1:$Ff09GIxxxxx',
  senderNick: 'Alice',
  senderCorpId: 'dinge8a565xxxx',
  senderStaffId: 'user123',
  chatbotCorpId: 'dinge8a565xxxx',
  chatbotUserId: '$:LWCP_v1:$Cxxxxx',
  robotCode: 'dingxxxx',
  isAdmin: true,
  isInAtList: true,
  atUsers: [{ dingtalkId: 'xxx', staffId: 'xxx' }],
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx',
  sessionWebhookExpiredTime: 1613635652738,
};

describe('parseDingTalkMessage', () => {
  it('parses the documented callback', () => {
    expect(parseDingTalkMessage(JSON.stringify(CALLBACK))).toEqual({
      ok: true,
      message: {
        platform: 'dingtalk',
        messageId: 'msg0xxxxx',
        userId: 'user123',
        tenantId: 'dinge8a565xxxx',
        userKey: 'dingtalk:dinge8a565xxxx/user123',
        displayName: 'Alice',
        text: 'bwp create 2 China Asia-Pacific',
        channelId: 'cidxxxx',
        replyTo: { platform: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx', expiresAt: 1613635652738 },
      },
    });
  });

  it.each([
    ['msgtype', { msgtype: 'picture' }, 'must be "text" or "richText"'],
    ['text.content', { text: {} }, 'is required'],
    ['text.content', { text: { content: 42 } }, 'must be a non-empty string'],
    ['msgId', { msgId: undefined }, 'is required'],
    ['senderStaffId', { senderStaffId: undefined }, 'is required'],
    ['senderCorpId', { senderCorpId: undefined }, 'is required'],
    ['conversationId', { conversationId: '' }, 'must be a non-empty string'],
    ['sessionWebhook', { sessionWebhook: undefined }, 'is required'],
    [
      'sessionWebhook',
      { sessionWebhook: 'https://attacker.example/robot/sendBySession?session=x' },
      'must be a dingtalk reply URL: https://oapi.dingtalk.com with the path /robot/sendBySession?session=…',
    ],
    [
      'sessionWebhook',
      { sessionWebhook: 'https://oapi.dingtalk.com:8443/robot/sendBySession' },
      'must be a dingtalk reply URL: https://oapi.dingtalk.com with the path /robot/sendBySession?session=…',
    ],
    ['sessionWebhookExpiredTime', { sessionWebhookExpiredTime: '1613635652738' }, 'must be a number'],
    ['sessionWebhookExpiredTime', { sessionWebhookExpiredTime: undefined }, 'is required'],
    ['senderStaffId', { senderStaffId: 'a/b' }, 'must be an id without spaces, "/" or ":"'],
  ])('names %s when it is wrong', (path, change, message) => {
    expect(parseDingTalkMessage(JSON.stringify({ ...CALLBACK, ...change }))).toEqual({ ok: false, issue: { path, message } });
  });

  it.each([
    ['not JSON', '{', 'must be valid JSON'],
    ['a JSON array', '[]', 'must be a JSON object'],
    ['a __proto__ key', '{"__proto__":{"admin":true},"msgtype":"text"}', 'must not contain a "__proto__" key'],
  ])('refuses a body that is %s', (_name, body, message) => {
    expect(parseDingTalkMessage(body)).toEqual({ ok: false, issue: { path: '', message } });
  });

  it('leaves out an absent nickname', () => {
    const { senderNick: _, ...callback } = CALLBACK;
    const parsed = parseDingTalkMessage(JSON.stringify(callback));
    expect(parsed.ok && parsed.message.displayName).toBeUndefined();
  });
});
