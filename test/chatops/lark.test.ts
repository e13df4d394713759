import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLarkCardAction, parseLarkCardAction } from '../../shared/sources/chat/lark/card-action';
import { decryptLarkPayload } from '../../shared/sources/chat/lark/decrypt';
import { openLarkRequest } from '../../shared/sources/chat/lark/open';
import { parseLarkMessage } from '../../shared/sources/chat/lark/parse';
import { larkSignature, verifyLarkSignature } from '../../shared/sources/chat/lark/verify';

// Vectors of docs/sources.md, "Chat platforms": the computed signature and the official decryption example, recomputed.
const KEY = 'test key';
const TIMESTAMP = '1700000000';
const NONCE = 'nonce-abc';
const CIPHERTEXT = 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=';
const BODY = `{"encrypt":"${CIPHERTEXT}"}`;
const SIGNATURE = '651c41e37268e4e00e77ccde1b4b9d16e624029b82bafa51660c3a382d4f0588';
const NOW = 1700000000_000;
const signed = { 'X-Lark-Request-Timestamp': TIMESTAMP, 'X-Lark-Request-Nonce': NONCE, 'X-Lark-Signature': SIGNATURE };

/** What Lark does to a body when an Encrypt Key is set; a fixed IV keeps fixtures stable. */
function encryptForLark(plaintext: string, encryptKey = KEY): string {
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** A body as Lark sends it: encrypted and signed, at NOW. */
function larkRequest(payload: unknown, encryptKey = KEY) {
  const rawBody = JSON.stringify({ encrypt: encryptForLark(JSON.stringify(payload), encryptKey) });
  const headers = {
    'x-lark-request-timestamp': TIMESTAMP,
    'x-lark-request-nonce': NONCE,
    'x-lark-signature': larkSignature(TIMESTAMP, NONCE, encryptKey, rawBody),
  };
  return { headers, rawBody, now: NOW };
}

describe('larkSignature', () => {
  it('reproduces the computed vector', () => {
    expect(larkSignature(TIMESTAMP, NONCE, KEY, BODY)).toBe(SIGNATURE);
  });
});

describe('verifyLarkSignature', () => {
  it.each([
    ['the computed vector', signed, BODY, NOW, KEY, { ok: true }],
    ['the raw bytes', signed, Buffer.from(BODY), NOW, KEY, { ok: true }],
    [
      'lower-case header names',
      { 'x-lark-request-timestamp': TIMESTAMP, 'x-lark-request-nonce': NONCE, 'x-lark-signature': SIGNATURE },
      BODY,
      NOW,
      KEY,
      { ok: true },
    ],
    ['a clock 300 s behind', signed, BODY, NOW + 300_000, KEY, { ok: true }],
    ['no encrypt key', signed, BODY, NOW, undefined, { ok: false, reason: 'not-configured' }],
    ['an empty encrypt key', signed, BODY, NOW, '', { ok: false, reason: 'not-configured' }],
    ['no signature header', { ...signed, 'X-Lark-Signature': undefined }, BODY, NOW, KEY, { ok: false, reason: 'missing-signature' }],
    ['no nonce header', { ...signed, 'X-Lark-Request-Nonce': undefined }, BODY, NOW, KEY, { ok: false, reason: 'missing-signature' }],
    ['no timestamp header', { ...signed, 'X-Lark-Request-Timestamp': undefined }, BODY, NOW, KEY, { ok: false, reason: 'missing-signature' }],
    ['a timestamp that is not a number', { ...signed, 'X-Lark-Request-Timestamp': 'now' }, BODY, NOW, KEY, { ok: false, reason: 'bad-timestamp' }],
    ['a redelivery after 5 minutes (Lark’s second)', signed, BODY, NOW + 300_000, KEY, { ok: true }],
    ['a request 601 s old (Lark’s 1 h and 6 h redeliveries)', signed, BODY, NOW + 601_000, KEY, { ok: false, reason: 'stale' }],
    ['another key', signed, BODY, NOW, 'test kez', { ok: false, reason: 'bad-signature' }],
    ['a re-serialised body', signed, `{ "encrypt": "${CIPHERTEXT}" }`, NOW, KEY, { ok: false, reason: 'bad-signature' }],
    ['another nonce', { ...signed, 'X-Lark-Request-Nonce': 'nonce-abd' }, BODY, NOW, KEY, { ok: false, reason: 'bad-signature' }],
  ])('%s', (_name, headers, rawBody, now, encryptKey, expected) => {
    expect(verifyLarkSignature({ headers, rawBody, now, encryptKey })).toEqual(expected);
  });
});

describe('decryptLarkPayload', () => {
  it.each([
    ['the official example', CIPHERTEXT, KEY, 'hello world'],
    ['another key', CIPHERTEXT, 'another key', undefined],
    ['not Base64', 'P37w+VZ!mNgP', KEY, undefined],
    ['only an IV', Buffer.alloc(16).toString('base64'), KEY, undefined],
    ['a partial block', Buffer.alloc(20).toString('base64'), KEY, undefined],
    ['an empty string', '', KEY, undefined],
  ])('%s', (_name, encrypt, key, expected) => {
    expect(decryptLarkPayload(encrypt, key)).toBe(expected);
  });

  it('round-trips with the test encryptor', () => {
    expect(decryptLarkPayload(encryptForLark('{"text":"中文 ✓"}'), KEY)).toBe('{"text":"中文 ✓"}');
  });
});

// The event example of docs/sources.md, "Chat platforms"
const EVENT = {
  schema: '2.0',
  header: {
    event_id: '5e3702a84e847582be8db7fb73283c02',
    event_type: 'im.message.receive_v1',
    create_time: '1735787045000',
    token: 'verification-token',
    app_id: 'cli_xxx',
    tenant_key: 'tenant_xxx',
  },
  event: {
    sender: { sender_id: { union_id: 'on_xxx', user_id: 'xxx', open_id: 'ou_xxx' }, sender_type: 'user', tenant_key: 'tenant_xxx' },
    message: {
      message_id: 'om_xxx',
      root_id: '',
      parent_id: '',
      create_time: '1735787045000',
      chat_id: 'oc_xxx',
      chat_type: 'group',
      message_type: 'text',
      content: '{"text":"@_user_1 bwp create 2 China Europe"}',
      mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'bwp-bot', tenant_key: 'tenant_xxx' }],
    },
  },
};
const CHALLENGE = { challenge: 'ajls384kdjx98XX', token: 'verification-token', type: 'url_verification' };

describe('openLarkRequest', () => {
  it('answers a signed, encrypted challenge with a matching token', () => {
    expect(openLarkRequest({ ...larkRequest(CHALLENGE), encryptKey: KEY, verificationToken: 'verification-token' })).toEqual({
      ok: true,
      kind: 'challenge',
      challenge: 'ajls384kdjx98XX',
    });
  });

  it('opens a signed, encrypted event', () => {
    expect(openLarkRequest({ ...larkRequest(EVENT), encryptKey: KEY, verificationToken: 'verification-token' })).toEqual({
      ok: true,
      kind: 'event',
      event: EVENT,
    });
  });

  it('accepts a signed body that is not encrypted', () => {
    const rawBody = JSON.stringify(CHALLENGE);
    const headers = { ...signed, 'X-Lark-Signature': larkSignature(TIMESTAMP, NONCE, KEY, rawBody) };
    expect(openLarkRequest({ headers, rawBody, now: NOW, encryptKey: KEY })).toEqual({ ok: true, kind: 'challenge', challenge: 'ajls384kdjx98XX' });
  });

  it('skips the token check when no verification token is configured', () => {
    const opened = openLarkRequest({ ...larkRequest({ ...CHALLENGE, token: 'anything' }), encryptKey: KEY });
    expect(opened).toEqual({ ok: true, kind: 'challenge', challenge: 'ajls384kdjx98XX' });
  });

  it.each([
    ['no encrypt key, even with a token', { ...larkRequest(CHALLENGE), encryptKey: undefined, verificationToken: 'verification-token' }, 'not-configured'],
    [
      'a plain (unencrypted) challenge without a signature',
      { headers: {}, rawBody: JSON.stringify(CHALLENGE), now: NOW, encryptKey: KEY },
      'missing-signature',
    ],
    ['an event without a signature', { ...larkRequest(EVENT), headers: {}, encryptKey: KEY }, 'missing-signature'],
    ['a challenge signed with another key', { ...larkRequest(CHALLENGE, 'other key'), encryptKey: KEY }, 'bad-signature'],
    ['a stale event', { ...larkRequest(EVENT), now: NOW + 601_000, encryptKey: KEY }, 'stale'],
    [
      'a challenge with the wrong token',
      { ...larkRequest({ ...CHALLENGE, token: 'guess' }), encryptKey: KEY, verificationToken: 'verification-token' },
      'bad-token',
    ],
    [
      'a challenge without a token',
      { ...larkRequest({ challenge: 'c', type: 'url_verification' }), encryptKey: KEY, verificationToken: 'verification-token' },
      'bad-token',
    ],
    [
      'an event with the wrong header token',
      { ...larkRequest({ ...EVENT, header: { ...EVENT.header, token: 'guess' } }), encryptKey: KEY, verificationToken: 'verification-token' },
      'bad-token',
    ],
    [
      'an event with the token at the top level only',
      {
        ...larkRequest({ ...EVENT, token: 'verification-token', header: { ...EVENT.header, token: undefined } }),
        encryptKey: KEY,
        verificationToken: 'verification-token',
      },
      'bad-token',
    ],
    ['a challenge without a challenge', { ...larkRequest({ type: 'url_verification', token: 't' }), encryptKey: KEY }, 'malformed'],
    [
      'a decrypted body with a __proto__ key',
      { ...larkRequest(JSON.parse('{"__proto__":{"x":1},"type":"url_verification","challenge":"c"}')), encryptKey: KEY },
      'malformed',
    ],
  ])('refuses %s', (_name, request, reason) => {
    expect(openLarkRequest(request)).toEqual({ ok: false, reason });
  });

  it('answers an encrypted challenge that Lark did not sign (decrypting it proves the key)', () => {
    expect(openLarkRequest({ ...larkRequest(CHALLENGE), headers: {}, encryptKey: KEY })).toEqual({
      ok: true,
      kind: 'challenge',
      challenge: CHALLENGE.challenge,
    });
  });

  it.each([
    ['body that is not JSON', 'not json', 'malformed'],
    ['non-string encrypt field', '{"encrypt":42}', 'malformed'],
    ['ciphertext for another key', JSON.stringify({ encrypt: encryptForLark('{}', 'other key') }), 'undecryptable'],
    ['ciphertext of something that is not JSON', JSON.stringify({ encrypt: encryptForLark('hello world') }), 'malformed'],
  ])('refuses a signed %s', (_name, rawBody, reason) => {
    const headers = { ...signed, 'X-Lark-Signature': larkSignature(TIMESTAMP, NONCE, KEY, rawBody) };
    expect(openLarkRequest({ headers, rawBody, now: NOW, encryptKey: KEY })).toEqual({ ok: false, reason });
  });
});

describe('parseLarkMessage', () => {
  it('parses the documented event', () => {
    expect(parseLarkMessage(EVENT)).toEqual({
      ok: true,
      message: {
        platform: 'lark',
        messageId: '5e3702a84e847582be8db7fb73283c02',
        userId: 'ou_xxx',
        tenantId: 'tenant_xxx',
        userKey: 'lark:tenant_xxx/ou_xxx',
        text: 'bwp create 2 China Europe',
        channelId: 'oc_xxx',
        replyTo: { platform: 'lark', messageId: 'om_xxx' },
      },
    });
  });

  const withMessage = (change: object) => ({ ...EVENT, event: { ...EVENT.event, message: { ...EVENT.event.message, ...change } } });
  const withHeader = (change: object) => ({ ...EVENT, header: { ...EVENT.header, ...change } });

  it.each([
    ['schema', { ...EVENT, schema: undefined }, 'is required'],
    ['header.event_type', withHeader({ event_type: 'im.chat.member.bot.added_v1' }), 'must be "im.message.receive_v1"'],
    ['event.sender.sender_type', { ...EVENT, event: { ...EVENT.event, sender: { ...EVENT.event.sender, sender_type: 'app' } } }, 'must be "user"'],
    ['event.message.message_type', withMessage({ message_type: 'image' }), 'must be "text"'],
    ['header.event_id', withHeader({ event_id: '' }), 'must be a non-empty string'],
    ['header.tenant_key', withHeader({ tenant_key: undefined }), 'is required'],
    ['event.sender.sender_id.open_id', { ...EVENT, event: { ...EVENT.event, sender: { ...EVENT.event.sender, sender_id: {} } } }, 'is required'],
    ['event.message.message_id', withMessage({ message_id: undefined }), 'is required'],
    ['event.message.chat_id', withMessage({ chat_id: undefined }), 'is required'],
    ['event.message.content', withMessage({ content: 'plain text' }), 'must be valid JSON'],
    ['event.message.content.text', withMessage({ content: '{"title":"x"}' }), 'is required'],
  ])('names %s when it is wrong', (path, event, message) => {
    expect(parseLarkMessage(event)).toEqual({ ok: false, issue: { path, message } });
  });
});

// The card.action.trigger callback of docs/buttons.md §3.2, pressing our Confirm button.
const CARD_ACTION = {
  schema: '2.0',
  header: {
    event_id: 'f7984f25108f8137722bb63c',
    event_type: 'card.action.trigger',
    token: 'verification-token',
    create_time: '1719211482721',
    app_id: 'cli_a5fb0ae6a4',
    tenant_key: 'tenant_xxx',
  },
  event: {
    operator: { tenant_key: 'tenant_xxx', user_id: '8ag9', open_id: 'ou_xxx', union_id: 'on_xxx' },
    token: 'c-295ee57216a5dc9de90fefd0aadb4b1d7d',
    action: {
      value: { command: 'confirm', code: 'AbC123xyz' },
      tag: 'button',
      name: '',
      option: '',
      timezone: '',
      form_value: {},
      input_value: '',
      options: [],
      checked: false,
    },
    host: 'im_message',
    delivery_type: '',
    context: { url: '', preview_token: '', open_message_id: 'om_card', open_chat_id: 'oc_xxx' },
  },
};

describe('parseLarkCardAction', () => {
  it('reads a button press as the command it stands for, by the same user key as a message, replying to the card', () => {
    expect(isLarkCardAction(CARD_ACTION)).toBe(true);
    expect(isLarkCardAction(EVENT)).toBe(false);
    expect(parseLarkCardAction(CARD_ACTION)).toEqual({
      ok: true,
      message: {
        platform: 'lark',
        messageId: 'f7984f25108f8137722bb63c',
        userId: 'ou_xxx',
        tenantId: 'tenant_xxx',
        userKey: 'lark:tenant_xxx/ou_xxx',
        text: 'confirm AbC123xyz',
        channelId: 'oc_xxx',
        replyTo: { platform: 'lark', messageId: 'om_card', fromButton: true },
      },
    });
  });

  const withEvent = (change: object) => ({ ...CARD_ACTION, event: { ...CARD_ACTION.event, ...change } });
  const withValue = (value: unknown) => withEvent({ action: { ...CARD_ACTION.event.action, value } });

  it.each([
    ['schema', { ...CARD_ACTION, schema: undefined }, 'is required'],
    ['event.action.tag', withEvent({ action: { ...CARD_ACTION.event.action, tag: 'select_static' } }), 'must be "button"'],
    ['header.event_id', { ...CARD_ACTION, header: { ...CARD_ACTION.header, event_id: '' } }, 'must be a non-empty string'],
    ['header.tenant_key', { ...CARD_ACTION, header: { ...CARD_ACTION.header, tenant_key: 'a/b' } }, 'must be an id without spaces, "/" or ":"'],
    ['event.operator.open_id', withEvent({ operator: {} }), 'is required'],
    ['event.context.open_message_id', withEvent({ context: { open_chat_id: 'oc_xxx' } }), 'is required'],
    ['event.action.value', withValue('confirm AbC123xyz'), 'must be an object of exactly command and code'],
    ['event.action.value', withValue({ command: 'confirm', code: 'AbC123xyz', req: 'x' }), 'must be an object of exactly command and code'],
    ['event.action.value.command', withValue({ command: 'create', code: 'AbC123xyz' }), 'must be one of confirm, cancel, approve, reject'],
    ['event.action.value.code', withValue({ command: 'confirm', code: 'AbC 123' }), 'must be a code: 1 to 2000 letters and digits'],
  ])('names %s when it is wrong', (path, event, message) => {
    expect(parseLarkCardAction(event)).toEqual({ ok: false, issue: { path, message } });
  });
});

describe('old-style card callbacks', () => {
  // docs/buttons.md §3.3: flat body, X-Lark-Signature = hex SHA-1(timestamp + nonce + Verification Token + raw body).
  const LEGACY = {
    open_id: 'ou_xxx',
    tenant_key: 'tenant_xxx',
    open_message_id: 'om_card',
    token: 'c-1',
    action: { value: { command: 'confirm', code: 'x' }, tag: 'button' },
  };
  const rawBody = JSON.stringify(LEGACY);
  const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
  const headers = { ...signed, 'X-Lark-Signature': sha1(TIMESTAMP + NONCE + 'verification-token' + rawBody) };

  it('are recognised by their own signature, to be refused clearly', () => {
    expect(openLarkRequest({ headers, rawBody, now: NOW, encryptKey: KEY, verificationToken: 'verification-token' })).toEqual({
      ok: true,
      kind: 'legacy-card-callback',
    });
  });

  it.each([
    ['signed with another token', { ...headers, 'X-Lark-Signature': sha1(TIMESTAMP + NONCE + 'guess' + rawBody) }, NOW, 'verification-token', 'bad-signature'],
    ['stale', headers, NOW + 601_000, 'verification-token', 'stale'],
    ['with no verification token configured', headers, NOW, undefined, 'bad-signature'],
  ])('are refused as unverified when %s', (_name, requestHeaders, now, verificationToken, reason) => {
    expect(openLarkRequest({ headers: requestHeaders, rawBody, now, encryptKey: KEY, verificationToken })).toEqual({ ok: false, reason });
  });
});
