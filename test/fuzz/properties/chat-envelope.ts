/**
 * Chat-ops on each platform, fuzzed at the signed envelope: correctly signed garbage is a 4xx or an
 * ignored 200, never a purchase; a forged, stale or unsigned request is refused before anything
 * happens; over 64 KB is a 413. Timestamps, ids, Lark's IV and nonce are drawn (delivery.ts).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FcHttpResponse } from '../../../shared/runtime/fc';
import { type ChatCallOptions, dingtalkCallback, dingtalkSigned, larkEncryptedText, larkMessageEvent, larkSignedBody, slackSigned } from '../../support/chat';
import { type HttpCall, LARK_VERIFICATION_TOKEN } from '../../support/harness';
import { commandishText, randomText } from '../chat-text';
import { type Delivery, delivery, eventOf, sentAt, WINDOWS } from '../delivery';
import { BODY_LIMIT, garbageBody } from '../garbage';
import { checkHttpAnswer } from '../http-shape';
import { type Delta, FUZZ_EPOCH } from '../session';
import type { EntryPoint } from './common';

type ChatAuth = 'signed' | 'forged' | 'stale' | 'unsigned';
const chatAuth = fc.oneof({ weight: 12, arbitrary: fc.constant<ChatAuth>('signed') }, fc.constantFrom<ChatAuth>('forged', 'stale', 'unsigned'));
/** How a request is signed: at the harness's clock plus the drawn skew (outside the window when stale), with a forged secret, or not at all. */
function signing(auth: ChatAuth, sent: Delivery, now: number): ChatCallOptions {
  const at = sentAt(sent, now, auth === 'stale');
  return auth === 'forged' ? { ...at, secret: 'forged-platform-secret-000' } : auth === 'unsigned' ? { ...at, unsigned: true } : at;
}

/** A field of a well-formed body set to something it should not be. */
const fieldValue = fc.oneof(fc.constantFrom('', ' ', 'a b', 'T:1', 'x/y', 'x'.repeat(129), '\u0000', '𝓊'), fc.string({ unit: 'binary', maxLength: 40 }));
const replyUrl = fc.constantFrom(
  'https://attacker.example/hook',
  'http://127.0.0.1:1/closed',
  'javascript:alert(1)',
  'https://hooks.slack.com.attacker.example/x',
  'not a url',
  'https://user:pw@hooks.slack.com/x',
);

/** A body, as the platform's envelope would carry it: random, or a real one with one field broken. */
type EnvelopeBody<Field extends string> =
  | { kind: 'random text'; text: string }
  | { kind: 'random bytes'; bytes: Buffer }
  | { kind: 'random JSON'; value: unknown }
  | { kind: 'field removed'; field: Field }
  | { kind: 'field changed'; field: Field; value: unknown }
  | { kind: 'field repeated'; field: Field }
  | { kind: 'reply URL elsewhere'; url: string }
  | { kind: 'command text'; text: string };

function envelopeBody<Field extends string>(fields: readonly Field[]): fc.Arbitrary<EnvelopeBody<Field>> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('random text' as const),
      text: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        garbageBody.filter((garbage) => typeof garbage.body === 'string').map((garbage) => garbage.body as string),
      ),
    }),
    fc.record({ kind: fc.constant('random bytes' as const), bytes: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) }),
    fc.record({ kind: fc.constant('random JSON' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ kind: fc.constant('field removed' as const), field: fc.constantFrom(...fields) }),
    fc.record({ kind: fc.constant('field changed' as const), field: fc.constantFrom(...fields), value: fc.oneof(fieldValue, fc.jsonValue({ maxDepth: 1 })) }),
    fc.record({ kind: fc.constant('field repeated' as const), field: fc.constantFrom(...fields) }),
    fc.record({ kind: fc.constant('reply URL elsewhere' as const), url: replyUrl }),
    fc.record({ kind: fc.constant('command text' as const), text: fc.oneof(commandishText, randomText) }),
  );
}

/** Sets or removes a dotted field of a JSON object (a copy). */
function edited(root: Record<string, unknown>, path: string, value: unknown, remove: boolean): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string, any>;
  const parts = path.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part];
  }
  if (remove) delete node[parts.at(-1)!];
  else node[parts.at(-1)!] = value;
  return copy;
}

/** JSON text with the top-level key of `path` given twice (JSON.parse keeps the second, "again"). */
function withRepeatedKey(root: Record<string, unknown>, path: string): string {
  return JSON.stringify(root).replace(/\}$/, `,${JSON.stringify(path.split('.')[0])}:"again"}`);
}

/** The kind of chat job an FC invocation carries. */
function jobKind(body: Buffer): string | undefined {
  try {
    return JSON.parse(JSON.parse(body.toString('utf8')).chatopsJob).kind;
  } catch {
    return undefined;
  }
}

/** A chat answer: never 5xx, never a purchase; 413 over 64 KB; refused when not signed. */
function checkChatEnvelope(call: HttpCall, result: FcHttpResponse, delta: Delta, auth: ChatAuth, allowed: readonly number[]): { status: number; body: any } {
  const answer = checkHttpAnswer(result, 'chat');
  assert.equal(delta.creates.length, 0, 'a chat request bought something without a confirmation code');
  assert.ok(
    delta.invocations.every((invocation) => jobKind(invocation.body) !== 'confirm'),
    'a confirm job was started',
  );
  const size = Buffer.isBuffer(call.body) ? call.body.length : Buffer.byteLength(String(call.body ?? ''));
  if (size > BODY_LIMIT) {
    assert.equal(answer.status, 413, `a ${size}-byte body answered ${answer.status}`);
    assert.equal(delta.chatRequests + delta.mnsRequests + delta.invocations.length, 0);
  } else if (auth !== 'signed') {
    assert.equal(answer.status, 401, `an unverified request answered ${answer.status}`);
    assert.equal(delta.chatRequests, 0);
    assert.equal(delta.mnsRequests, 0);
  } else assert.ok(allowed.includes(answer.status), `answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  return answer;
}

const SLACK_FIELDS = ['team_id', 'user_id', 'channel_id', 'trigger_id', 'response_url', 'text', 'command'] as const;

export const slackEnvelope: EntryPoint<{ body: EnvelopeBody<(typeof SLACK_FIELDS)[number]>; auth: ChatAuth; sent: Delivery }> = {
  name: 'Slack (signed envelope)',
  arbitrary: fc.record({ body: envelopeBody(SLACK_FIELDS), auth: chatAuth, sent: delivery(WINDOWS.slack) }),
  async check(session, { body, auth, sent }) {
    const h = await session.harness();
    const form = new URLSearchParams({
      team_id: 'T0001',
      user_id: 'U0001',
      channel_id: 'C0001',
      trigger_id: `trigger-${sent.sequence}`,
      response_url: h.chat.slackResponseUrl(sent.replyId),
      text: 'help',
      command: '/bwp',
    });
    let raw: string | Buffer;
    switch (body.kind) {
      case 'random text':
        raw = body.text;
        break;
      case 'random bytes':
        raw = body.bytes;
        break;
      case 'random JSON':
        raw = JSON.stringify(body.value) ?? '';
        break;
      case 'field removed':
        form.delete(body.field);
        raw = form.toString();
        break;
      case 'field changed':
        form.set(body.field, typeof body.value === 'string' ? body.value : (JSON.stringify(body.value) ?? ''));
        raw = form.toString();
        break;
      case 'field repeated':
        form.append(body.field, 'again');
        raw = form.toString();
        break;
      case 'reply URL elsewhere':
        form.set('response_url', body.url);
        raw = form.toString();
        break;
      case 'command text':
        form.set('text', body.text);
        raw = form.toString();
        break;
    }
    const now = session.advance(sent.elapsed);
    const call = slackSigned(raw, signing(auth, sent, now));
    const { result, delta } = await session.observe(h, () => h.invoke(eventOf(call, sent, now)) as Promise<FcHttpResponse>);
    const answer = checkChatEnvelope(call, result, delta, auth, [200, 400]);
    if (answer.status === 200) assert.equal(typeof answer.body.text, 'string', 'Slack gets its reply in the answer');
    if (answer.status === 413) return '413 PayloadTooLarge';
    return `${answer.status}${answer.status === 400 ? ` ${answer.body.error.issues?.[0]?.path ?? answer.body.error.code}` : ''}`;
  },
};

const DINGTALK_FIELDS = [
  'msgtype',
  'msgId',
  'senderStaffId',
  'senderCorpId',
  'conversationId',
  'sessionWebhook',
  'sessionWebhookExpiredTime',
  'text',
  'text.content',
  'senderNick',
] as const;

export const dingtalkEnvelope: EntryPoint<{ body: EnvelopeBody<(typeof DINGTALK_FIELDS)[number]>; auth: ChatAuth; sent: Delivery }> = {
  name: 'DingTalk (signed envelope)',
  arbitrary: fc.record({ body: envelopeBody(DINGTALK_FIELDS), auth: chatAuth, sent: delivery(WINDOWS.dingtalk) }),
  async check(session, { body, auth, sent }) {
    const h = await session.harness();
    const now = session.advance(sent.elapsed);
    const callback = dingtalkCallback('help', h.chat.dingtalkSessionWebhook(sent.replyId), 'staff-1', { now, sequence: sent.sequence });
    let raw: string | Buffer;
    switch (body.kind) {
      case 'random text':
        raw = body.text;
        break;
      case 'random bytes':
        raw = body.bytes;
        break;
      case 'random JSON':
        raw = JSON.stringify(body.value) ?? '';
        break;
      case 'field removed':
        raw = JSON.stringify(edited(callback, body.field, undefined, true));
        break;
      case 'field changed':
        raw = JSON.stringify(edited(callback, body.field, body.value, false));
        break;
      case 'field repeated':
        raw = withRepeatedKey(callback, body.field);
        break;
      case 'reply URL elsewhere':
        raw = JSON.stringify(edited(callback, 'sessionWebhook', body.url, false));
        break;
      case 'command text':
        raw = JSON.stringify(edited(callback, 'text.content', body.text, false));
        break;
    }
    const call = dingtalkSigned(raw, signing(auth, sent, now));
    const { result, delta } = await session.observe(h, () => h.invoke(eventOf(call, sent, now)) as Promise<FcHttpResponse>);
    const answer = checkChatEnvelope(call, result, delta, auth, [200, 400]);
    if (answer.status === 413) return '413 PayloadTooLarge';
    if (answer.status === 200) {
      assert.deepEqual(answer.body, {});
      const notDelivered = delta.logs.filter((line) => line.includes('"message":"chat reply not delivered"')).length;
      assert.ok(delta.replies.length + notDelivered >= 1, 'a verified DingTalk command gets a reply (or the failure is logged)');
    }
    return `${answer.status}${answer.status === 400 ? ` ${answer.body.error.issues?.[0]?.path ?? answer.body.error.code}` : ''}`;
  },
};

const LARK_FIELDS = [
  'schema',
  'header.event_id',
  'header.event_type',
  'header.token',
  'header.tenant_key',
  'event.sender.sender_type',
  'event.sender.sender_id.open_id',
  'event.message.message_id',
  'event.message.chat_id',
  'event.message.message_type',
  'event.message.content',
] as const;

type LarkBody =
  | EnvelopeBody<(typeof LARK_FIELDS)[number]>
  | { kind: 'not encrypted'; value: unknown }
  | { kind: 'bad encrypt'; encrypt: unknown }
  | { kind: 'challenge'; token: string; encrypted: boolean; challenge: unknown };

export const larkEnvelope: EntryPoint<{ body: LarkBody; auth: ChatAuth; sent: Delivery }> = {
  name: 'Lark (signed envelope)',
  arbitrary: fc.record({
    body: fc.oneof(
      { weight: 6, arbitrary: envelopeBody(LARK_FIELDS) as fc.Arbitrary<LarkBody> },
      fc.record({
        kind: fc.constant('not encrypted' as const),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constant(larkMessageEvent('plan 100 China Europe', 'ou_alice', undefined, { now: FUZZ_EPOCH, sequence: 1 })),
        ),
      }),
      fc.record({
        kind: fc.constant('bad encrypt' as const),
        encrypt: fc.oneof(fc.string({ maxLength: 80 }), fc.base64String({ maxLength: 60 }), fc.integer(), fc.constant(null)),
      }),
      fc.record({
        kind: fc.constant('challenge' as const),
        token: fc.constantFrom(LARK_VERIFICATION_TOKEN, 'wrong-token', ''),
        encrypted: fc.boolean(),
        challenge: fc.oneof(fc.string({ maxLength: 40 }), fc.integer()),
      }),
    ),
    auth: chatAuth,
    sent: delivery(WINDOWS.lark),
  }),
  async check(session, { body, auth, sent }) {
    const h = await session.harness();
    const now = session.advance(sent.elapsed);
    const event = larkMessageEvent('help', 'ou_alice', undefined, { now, sequence: sent.sequence });
    const options = signing(auth, sent, now);
    let call: HttpCall;
    switch (body.kind) {
      case 'random text':
        call = larkEncryptedText(body.text, options);
        break;
      case 'random bytes':
        call = larkSignedBody(body.bytes, options);
        break;
      case 'random JSON':
        call = larkEncryptedText(JSON.stringify(body.value) ?? '', options);
        break;
      case 'field removed':
        call = larkEncryptedText(JSON.stringify(edited(event, body.field, undefined, true)), options);
        break;
      case 'field changed':
        call = larkEncryptedText(JSON.stringify(edited(event, body.field, body.value, false)), options);
        break;
      case 'field repeated':
        call = larkEncryptedText(withRepeatedKey(event, body.field), options);
        break;
      case 'reply URL elsewhere':
        call = larkEncryptedText(JSON.stringify(edited(event, 'event.message.message_id', body.url, false)), options);
        break;
      case 'command text':
        call = larkEncryptedText(JSON.stringify(edited(event, 'event.message.content', JSON.stringify({ text: body.text }), false)), options);
        break;
      case 'not encrypted':
        call = larkSignedBody(JSON.stringify(body.value) ?? '', options);
        break;
      case 'bad encrypt':
        call = larkSignedBody(JSON.stringify({ encrypt: body.encrypt }), options);
        break;
      case 'challenge': {
        const challenge = { challenge: body.challenge, token: body.token, type: 'url_verification' };
        call = body.encrypted ? larkEncryptedText(JSON.stringify(challenge), options) : larkSignedBody(JSON.stringify(challenge), options);
        break;
      }
    }
    const { result, delta } = await session.observe(h, () => h.invoke(eventOf(call, sent, now)) as Promise<FcHttpResponse>);
    // An encrypted URL challenge is answered unsigned: echoing it has no effect, and it proves the key.
    const unsignedChallenge =
      auth === 'unsigned' && body.kind === 'challenge' && body.encrypted && body.token === LARK_VERIFICATION_TOKEN && typeof body.challenge === 'string';
    const answer = checkChatEnvelope(call, result, delta, unsignedChallenge ? 'signed' : auth, [200, 401]);
    if (answer.status === 200 && answer.body.challenge !== undefined) {
      assert.ok(
        body.kind === 'challenge' && answer.body.challenge === body.challenge && body.token === LARK_VERIFICATION_TOKEN,
        'only a genuine challenge is echoed',
      );
      return '200 challenge';
    }
    if (answer.status === 413) return '413 PayloadTooLarge';
    return `${answer.status}${answer.status === 200 ? (delta.replies.length > 0 ? ' replied' : ' ignored') : ''}`;
  },
};
