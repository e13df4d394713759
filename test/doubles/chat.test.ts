import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RawResponse, send } from '../support/raw-http';
import { until } from '../support/wait';
import { type ChatDouble, DEV_LARK_APP, startChatDouble } from './chat';

let chat: ChatDouble;
let clock = Date.parse('2025-01-02T03:04:05Z');
beforeEach(async () => {
  clock = Date.parse('2025-01-02T03:04:05Z');
  chat = await startChatDouble({ now: () => clock });
});
afterEach(async () => chat.close());

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { pathname, search } = new URL(url);
  return send(
    {
      url,
      method: 'POST',
      target: pathname + search,
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    1000,
  );
}

async function larkToken(): Promise<string> {
  const response = await post(`${chat.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: DEV_LARK_APP.appId, app_secret: DEV_LARK_APP.appSecret });
  return String(response.json?.tenant_access_token);
}

const larkReply = (token: string, messageId = 'om_original') =>
  post(`${chat.url}/open-apis/im/v1/messages/${messageId}/reply`, { msg_type: 'text', content: '{"text":"created"}' }, { authorization: `Bearer ${token}` });

describe('chat double: replies', () => {
  it('records a Slack response_url reply', async () => {
    const url = chat.slackResponseUrl('T1/42/abc');
    const response = await post(url, { response_type: 'ephemeral', text: 'Plan created' });

    expect(response).toMatchObject({ status: 200, json: { ok: true } });
    expect(chat.replies).toEqual([
      { platform: 'slack', path: '/commands/T00LOCAL/1000000001/T1%2F42%2Fabc', body: { response_type: 'ephemeral', text: 'Plan created' }, receivedAt: clock },
    ]);
  });

  it('lets a Slack response_url take five replies, then answers used_url', async () => {
    const url = chat.slackResponseUrl();
    const statuses: number[] = [];
    for (let reply = 0; reply < 6; reply++) statuses.push((await post(url, { text: `#${reply}` })).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(chat.replies).toHaveLength(5);
  });

  it('records a reply to a button press that replaced the pressed message, and one that did not', async () => {
    const url = chat.slackActionUrl('press-1');
    await post(url, { replace_original: true, text: 'Confirmed: buying' });
    await post(url, { response_type: 'ephemeral', replace_original: false, text: 'Not confirmed' });
    // Only an interaction's response_url can replace a message.
    await post(chat.slackResponseUrl('cmd-1'), { replace_original: true, text: 'x' });

    expect(chat.replies.map((reply) => [reply.path, reply.replacedOriginal])).toEqual([
      ['/actions/T00LOCAL/2000000001/press-1', true],
      ['/actions/T00LOCAL/2000000001/press-1', undefined],
      ['/commands/T00LOCAL/1000000001/cmd-1', undefined],
    ]);
  });

  it.each([
    [
      'a button value over 2000 characters',
      [{ type: 'actions', elements: [{ type: 'button', action_id: 'confirm', text: { type: 'plain_text', text: 'Confirm' }, value: 'A'.repeat(2001) }] }],
    ],
    ['a section over 3000 characters', [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }]],
    [
      'a button label over 75 characters',
      [{ type: 'actions', elements: [{ type: 'button', action_id: 'confirm', text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'A' }] }],
    ],
    ['more than 50 blocks', Array.from({ length: 51 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x' } }))],
  ])('answers invalid_blocks to %s, as Slack does', async (_name, blocks) => {
    const response = await post(chat.slackActionUrl(), { text: 'x', blocks });
    expect(response).toMatchObject({ status: 400, json: { ok: false, error: 'invalid_blocks' } });
    expect(chat.replies).toHaveLength(0);
  });

  it('refuses a Slack reply that is not JSON', async () => {
    const response = await post(chat.slackResponseUrl(), 'text=hi');
    expect(response).toMatchObject({ status: 400, json: { ok: false, error: 'invalid_payload' } });
  });

  it('records a DingTalk sessionWebhook reply with its session', async () => {
    const response = await post(chat.dingtalkSessionWebhook('sess-1'), { msgtype: 'text', text: { content: 'Plan created' }, at: { atUserIds: ['user123'] } });

    expect(response).toMatchObject({ status: 200, json: { errcode: 0, errmsg: 'ok' } });
    expect(chat.replies).toMatchObject([{ platform: 'dingtalk', session: 'sess-1', body: { msgtype: 'text' } }]);
  });

  it('answers a DingTalk reply without msgtype with errcode 40035 (HTTP 200, as DingTalk does)', async () => {
    const response = await post(chat.dingtalkSessionWebhook(), { text: { content: 'x' } });
    expect(response).toMatchObject({ status: 200, json: { errcode: 40035 } });
    expect(chat.replies).toHaveLength(0);
  });

  it('issues a Lark tenant token for the configured app and accepts replies bearing it', async () => {
    const token = await larkToken();
    const response = await larkReply(token, 'om_abc');

    expect(token).toMatch(/^t-[0-9a-f]{40}$/);
    expect(response).toMatchObject({ status: 200, json: { code: 0, data: { message_id: expect.stringMatching(/^om_/) } } });
    expect(chat.replies).toMatchObject([{ platform: 'lark', messageId: 'om_abc', body: { msg_type: 'text', content: '{"text":"created"}' } }]);
  });

  it('takes a Lark card reply, and refuses one over 30 KB with code 230025', async () => {
    const token = await larkToken();
    const reply = (content: string) =>
      post(`${chat.url}/open-apis/im/v1/messages/om_1/reply`, { msg_type: 'interactive', content }, { authorization: `Bearer ${token}` });

    expect((await reply(JSON.stringify({ elements: [] }))).status).toBe(200);
    expect(await reply(JSON.stringify({ elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'x'.repeat(30_000) } }] }))).toMatchObject({
      status: 400,
      json: { code: 230025 },
    });
    expect(chat.replies).toHaveLength(1);
  });

  it('answers a wrong Lark app secret with code 10014', async () => {
    const response = await post(`${chat.url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: DEV_LARK_APP.appId, app_secret: 'wrong' });
    expect(response.json).toMatchObject({ code: 10014, msg: expect.any(String) });
    expect(response.json?.tenant_access_token).toBeUndefined();
  });

  it.each([
    ['no token', undefined, 99991661],
    ['an unknown token', 't-forged', 99991663],
  ])('refuses a Lark reply with %s', async (_name, token, code) => {
    const response = await post(
      `${chat.url}/open-apis/im/v1/messages/om_x/reply`,
      { msg_type: 'text', content: '{}' },
      token ? { authorization: `Bearer ${token}` } : {},
    );
    expect(response).toMatchObject({ status: 400, json: { code } });
    expect(chat.replies).toHaveLength(0);
  });

  it('refuses a Lark token after its two hours, by the injected clock', async () => {
    const token = await larkToken();
    clock += 7200 * 1000;
    expect((await larkReply(token)).json?.code).toBe(99991663);
  });

  it('answers 404 for an unknown endpoint and records it', async () => {
    const response = await post(`${chat.url}/somewhere/else`, {});
    expect(response.status).toBe(404);
    expect(chat.requests).toMatchObject([{ action: undefined, status: 404 }]);
  });
});

describe('chat double: injected faults', () => {
  it.each([
    ['throttling', 'slack', 429, { ok: false, error: 'rate_limited' }],
    ['throttling', 'dingtalk', 200, { errcode: 130101 }],
    ['unavailable', 'dingtalk', 503, { errcode: -1 }],
    ['internal', 'slack', 500, { ok: false, error: 'internal_error' }],
  ] as const)('%s on %s answers %i in the platform’s shape and records no reply', async (fault, action, status, body) => {
    chat.inject(fault, { action });
    const url = action === 'slack' ? chat.slackResponseUrl() : chat.dingtalkSessionWebhook();

    const response = await post(url, { msgtype: 'text', text: { content: 'x' } });

    expect(response.status).toBe(status);
    expect(response.json).toMatchObject(body);
    expect(chat.replies).toHaveLength(0);
    expect(chat.requests).toMatchObject([{ action, fault, status }]);
  });

  it('throttles Lark replies with 400 code 99991400, after token authentication', async () => {
    chat.inject('throttling', { action: 'lark-reply' });
    const token = await larkToken();
    expect((await larkReply(token)).json?.code).toBe(99991400);
  });

  it('answers a { code, status, message } fault with numeric codes kept numeric', async () => {
    chat.inject({ code: '130102', status: 200, message: 'robot disabled' }, { action: 'dingtalk' });
    const response = await post(chat.dingtalkSessionWebhook(), { msgtype: 'text', text: { content: 'x' } });
    expect(response.json).toEqual({ errcode: 130102, errmsg: 'robot disabled' });
  });

  it('reset drops the connection and records no reply', async () => {
    chat.inject('reset');
    await expect(post(chat.slackResponseUrl(), { text: 'x' })).rejects.toThrow();
    expect(chat.replies).toHaveLength(0);
  });

  it('drop-after-success records the reply, then drops the connection', async () => {
    chat.inject('drop-after-success', { action: 'slack' });
    await expect(post(chat.slackResponseUrl(), { text: 'x' })).rejects.toThrow();
    expect(chat.replies).toHaveLength(1);
  });

  it('hang leaves the reply unanswered until close()', async () => {
    chat.inject('hang');
    const url = chat.dingtalkSessionWebhook();
    const { pathname, search } = new URL(url);
    const pending = send(
      { url, method: 'POST', target: pathname + search, headers: { 'content-type': 'application/json' }, body: '{"msgtype":"text"}' },
      10_000,
    );
    await until(() => chat.requests.length === 1);

    await chat.close();

    await expect(pending).rejects.toThrow();
    expect(chat.requests).toMatchObject([{ fault: 'hang', status: undefined }]);
  });
});
