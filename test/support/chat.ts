/**
 * Builds chat platform requests signed exactly as each platform documents (docs/sources.md, "Chat platforms"), computed here
 * with node:crypto independently of the product's verifiers. Times, message ids, IVs and nonces come from the wall clock, a
 * counter and node:crypto unless given (ChatCallOptions): a test that holds the clock, or a fuzzer that must replay from
 * its seed, passes its own.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { DINGTALK_APP_SECRET, type HttpCall, LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN, SLACK_SIGNING_SECRET } from './harness';

export interface ChatCallOptions {
  /** Override the signing secret (forgery). */
  readonly secret?: string;
  /** Seconds (Slack, Lark) or ms (DingTalk) offset from now. */
  readonly skew?: number;
  readonly unsigned?: boolean;
  /** When the platform sends the request, in epoch ms (default `Date.now()`): a TestClock's time, or a fuzzer's. */
  readonly now?: number;
  /** The number in the message's ids (Slack `trigger_id`, DingTalk `msgId`, Lark `event_id`); default the next of a counter. */
  readonly sequence?: number;
  /** Lark: the 16-byte AES-CBC IV (default random). */
  readonly iv?: Uint8Array;
  /** Lark: the `X-Lark-Request-Nonce` (default 16 random hex digits). */
  readonly nonce?: string;
}

/** What a message body's times and ids are made from (defaults: the wall clock and a counter). */
export type MessageIdentity = Pick<ChatCallOptions, 'now' | 'sequence'>;

let sequence = 0;
const nextSequence = (given: number | undefined) => given ?? ++sequence;

export function slackCommand(text: string, responseUrl: string, user = 'U0001', team = 'T0001', options: ChatCallOptions = {}): HttpCall {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: team,
    team_domain: 'example',
    channel_id: 'C0001',
    channel_name: 'network-ops',
    user_id: user,
    user_name: 'alice',
    command: '/bwp',
    text,
    response_url: responseUrl,
    trigger_id: `trigger-${nextSequence(options.sequence)}`,
    api_app_id: 'A0001',
  }).toString();
  return slackSigned(body, options);
}

/** Who presses a button, and where: Slack ids, as in a `block_actions` payload. */
export interface SlackPresser {
  readonly user?: string;
  readonly team?: string;
  /** The press's `response_url` (a chat double's `slackActionUrl()`). */
  readonly responseUrl: string;
}

/**
 * A Slack button press: the `block_actions` payload of the button `action_id` with `value` on a
 * message (docs/buttons.md §2.2, the bolt-python fixture's fields), as the form `payload=<JSON>`,
 * signed like a slash command.
 */
export function slackButton(actionId: string, value: string, presser: SlackPresser, options: ChatCallOptions = {}): HttpCall {
  return slackSigned(new URLSearchParams({ payload: JSON.stringify(blockActions(actionId, value, presser, options)) }).toString(), options);
}

/** The decoded `block_actions` payload of a button press (tests may change it before sending). */
export function blockActions(actionId: string, value: string, presser: SlackPresser, identity: MessageIdentity = {}): Record<string, unknown> {
  const user = presser.user ?? 'U0001';
  const team = presser.team ?? 'T0001';
  const id = nextSequence(identity.sequence);
  return {
    type: 'block_actions',
    user: { id: user, username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001', is_ephemeral: true },
    trigger_id: `trigger-${id}`,
    team: { id: team, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0001', name: 'network-ops' },
    state: { values: {} },
    response_url: presser.responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: actionId, emoji: true },
        value,
        type: 'button',
        action_ts: String((identity.now ?? Date.now()) / 1000),
      },
    ],
  };
}

/** Any body, signed as Slack signs a request (for fuzzing the envelope with bodies Slack would never send). */
export function slackSigned(body: string | Buffer, options: ChatCallOptions = {}): HttpCall {
  const timestamp = String(Math.floor((options.now ?? Date.now()) / 1000) + (options.skew ?? 0));
  const signature = `v0=${createHmac('sha256', options.secret ?? SLACK_SIGNING_SECRET)
    .update(`v0:${timestamp}:`)
    .update(body)
    .digest('hex')}`;
  return {
    path: '/chatops/slack',
    body,
    sign: false,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(options.unsigned ? {} : { 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': signature }),
    },
  };
}

export function dingtalkMessage(text: string, sessionWebhook: string, staff = 'staff-1', options: ChatCallOptions = {}): HttpCall {
  return dingtalkSigned(JSON.stringify(dingtalkCallback(text, sessionWebhook, staff, options)), options);
}

/** A DingTalk robot callback body, as an object (tests may add to it before sending). */
export function dingtalkCallback(text: string, sessionWebhook: string, staff = 'staff-1', identity: MessageIdentity = {}): Record<string, unknown> {
  const now = identity.now ?? Date.now();
  return {
    msgtype: 'text',
    text: { content: ` ${text}` },
    msgId: `msg-${nextSequence(identity.sequence)}`,
    createAt: now,
    conversationType: '2',
    conversationId: 'cid-ops',
    conversationTitle: 'network-ops',
    senderId: '$:LWCP_v1:$sender',
    senderNick: 'Alice',
    senderCorpId: 'ding-corp',
    senderStaffId: staff,
    chatbotCorpId: 'ding-corp',
    chatbotUserId: '$:LWCP_v1:$bot',
    robotCode: 'dingbot',
    isAdmin: true,
    isInAtList: true,
    sessionWebhook,
    sessionWebhookExpiredTime: now + 5_400_000,
  };
}

/** Any body with DingTalk's signature headers (they cover the timestamp only, not the body). */
export function dingtalkSigned(body: string | Buffer, options: ChatCallOptions = {}): HttpCall {
  const timestamp = String((options.now ?? Date.now()) + (options.skew ?? 0));
  const secret = options.secret ?? DINGTALK_APP_SECRET;
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return {
    path: '/chatops/dingtalk',
    body,
    sign: false,
    headers: options.unsigned ? {} : { timestamp, sign },
  };
}

export function larkEncrypt(plaintext: string, key = LARK_ENCRYPT_KEY, iv: Uint8Array = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function larkSigned(payload: unknown, options: ChatCallOptions = {}): HttpCall {
  return larkSignedBody(JSON.stringify({ encrypt: larkEncrypt(JSON.stringify(payload), options.secret ?? LARK_ENCRYPT_KEY, options.iv) }), options);
}

/** `plaintext` (any text, JSON or not) encrypted and signed as Lark sends an event. */
export function larkEncryptedText(plaintext: string, options: ChatCallOptions = {}): HttpCall {
  return larkSignedBody(JSON.stringify({ encrypt: larkEncrypt(plaintext, options.secret ?? LARK_ENCRYPT_KEY, options.iv) }), options);
}

/** Any body with Lark's signature headers (the signature covers the raw body). */
export function larkSignedBody(body: string | Buffer, options: ChatCallOptions = {}): HttpCall {
  const key = options.secret ?? LARK_ENCRYPT_KEY;
  const timestamp = String(Math.floor((options.now ?? Date.now()) / 1000) + (options.skew ?? 0));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const signature = createHash('sha256')
    .update(timestamp + nonce + key)
    .update(body)
    .digest('hex');
  return {
    path: '/chatops/lark',
    body,
    sign: false,
    headers: options.unsigned ? {} : { 'X-Lark-Request-Timestamp': timestamp, 'X-Lark-Request-Nonce': nonce, 'X-Lark-Signature': signature },
  };
}

export function larkMessage(text: string, openId = 'ou_alice', options: ChatCallOptions = {}): HttpCall {
  return larkSigned(larkMessageEvent(text, openId, undefined, options), options);
}

/** The decrypted `im.message.receive_v1` event of a text message (tests may add to it before sending). */
export function larkMessageEvent(
  text: string,
  openId = 'ou_alice',
  content = JSON.stringify({ text: `@_user_1 ${text}` }),
  identity: MessageIdentity = {},
): Record<string, unknown> {
  const id = nextSequence(identity.sequence);
  const createTime = String(identity.now ?? Date.now());
  return {
    schema: '2.0',
    header: {
      event_id: `evt-${id}`,
      event_type: 'im.message.receive_v1',
      create_time: createTime,
      token: LARK_VERIFICATION_TOKEN,
      app_id: 'cli_localdev0000000001',
      tenant_key: 'tenant-1',
    },
    event: {
      sender: { sender_id: { union_id: 'on_x', user_id: 'u_x', open_id: openId }, sender_type: 'user', tenant_key: 'tenant-1' },
      message: {
        message_id: `om_${id}`,
        root_id: '',
        parent_id: '',
        create_time: createTime,
        chat_id: 'oc_ops',
        chat_type: 'group',
        message_type: 'text',
        content,
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'bwp-bot', tenant_key: 'tenant-1' }],
      },
    },
  };
}

/**
 * A Lark card button press: the `card.action.trigger` callback (schema 2.0, docs/buttons.md
 * §3.2) of a button whose value is `{command, code}`, encrypted and signed like an event.
 */
export function larkCardAction(command: string, code: string, openId = 'ou_alice', options: ChatCallOptions = {}): HttpCall {
  return larkSigned(larkCardActionEvent({ command, code }, openId, options), options);
}

/** The decrypted `card.action.trigger` callback of a press on a button with `value` (tests may change it before sending). */
export function larkCardActionEvent(value: unknown, openId = 'ou_alice', identity: MessageIdentity = {}): Record<string, unknown> {
  const id = nextSequence(identity.sequence);
  return {
    schema: '2.0',
    header: {
      event_id: `evt-card-${id}`,
      event_type: 'card.action.trigger',
      token: LARK_VERIFICATION_TOKEN,
      create_time: String(identity.now ?? Date.now()),
      app_id: 'cli_localdev0000000001',
      tenant_key: 'tenant-1',
    },
    event: {
      operator: { tenant_key: 'tenant-1', user_id: 'u_x', open_id: openId, union_id: 'on_x' },
      token: `c-${id}`,
      action: { value, tag: 'button', name: '', option: '', timezone: '', form_value: {}, input_value: '', options: [], checked: false },
      host: 'im_message',
      delivery_type: '',
      context: { url: '', preview_token: '', open_message_id: 'om_card', open_chat_id: 'oc_ops' },
    },
  };
}
