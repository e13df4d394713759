import { describe, expect, it } from 'vitest';
import { isSlackInteraction, parseSlackInteraction } from '../../shared/sources/chat/slack/interaction';
import { parseSlackCommand, unescapeSlackText } from '../../shared/sources/chat/slack/parse';
import { slackSignature, verifySlackRequest } from '../../shared/sources/chat/slack/verify';

// Slack's official worked example (docs/sources.md, "Chat platforms").
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = 1531420618_000;

const signed = { 'X-Slack-Request-Timestamp': TIMESTAMP, 'X-Slack-Signature': SIGNATURE };

describe('slackSignature', () => {
  it("reproduces Slack's official example", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('signs raw bytes the same as the string', () => {
    expect(slackSignature(SECRET, TIMESTAMP, Buffer.from(BODY))).toBe(SIGNATURE);
  });
});

describe('verifySlackRequest', () => {
  it.each([
    ['the official example', signed, BODY, NOW, [SECRET], { ok: true }],
    ['lower-case header names', { 'x-slack-request-timestamp': TIMESTAMP, 'x-slack-signature': SIGNATURE }, BODY, NOW, [SECRET], { ok: true }],
    ['the previous secret during rotation', signed, BODY, NOW, ['new-secret', SECRET], { ok: true }],
    ['a clock 300 s behind', signed, BODY, NOW + 300_000, [SECRET], { ok: true }],
    ['a clock 300 s ahead', signed, BODY, NOW - 300_000, [SECRET], { ok: true }],
    ['no secret configured', signed, BODY, NOW, [], { ok: false, reason: 'not-configured' }],
    ['only empty secrets', signed, BODY, NOW, [''], { ok: false, reason: 'not-configured' }],
    ['no signature header', { 'X-Slack-Request-Timestamp': TIMESTAMP }, BODY, NOW, [SECRET], { ok: false, reason: 'missing-signature' }],
    ['no timestamp header', { 'X-Slack-Signature': SIGNATURE }, BODY, NOW, [SECRET], { ok: false, reason: 'missing-signature' }],
    ['an empty signature header', { ...signed, 'X-Slack-Signature': '' }, BODY, NOW, [SECRET], { ok: false, reason: 'missing-signature' }],
    ['a non-numeric timestamp', { ...signed, 'X-Slack-Request-Timestamp': '1531420618.5' }, BODY, NOW, [SECRET], { ok: false, reason: 'bad-timestamp' }],
    ['a request 301 s old', signed, BODY, NOW + 301_000, [SECRET], { ok: false, reason: 'stale' }],
    ['a request 301 s in the future', signed, BODY, NOW - 301_000, [SECRET], { ok: false, reason: 'stale' }],
    ['another secret', signed, BODY, NOW, ['8f742231b10e8888abcd99yyyzzz85a6'], { ok: false, reason: 'bad-signature' }],
    ['a changed body', signed, BODY.replace('text=', 'text=plan+100+China+Europe'), NOW, [SECRET], { ok: false, reason: 'bad-signature' }],
    [
      'the other published token',
      signed,
      BODY.replace('xyzz0WbapA4vBCDEFasx0q6G', 'xyzz0WbapA4vBCDEbOTG7M2Z'),
      NOW,
      [SECRET],
      { ok: false, reason: 'bad-signature' },
    ],
    ['an upper-case signature', { ...signed, 'X-Slack-Signature': SIGNATURE.toUpperCase() }, BODY, NOW, [SECRET], { ok: false, reason: 'bad-signature' }],
    ['a truncated signature', { ...signed, 'X-Slack-Signature': SIGNATURE.slice(0, -1) }, BODY, NOW, [SECRET], { ok: false, reason: 'bad-signature' }],
    ['a v1 signature', { ...signed, 'X-Slack-Signature': SIGNATURE.replace('v0=', 'v1=') }, BODY, NOW, [SECRET], { ok: false, reason: 'bad-signature' }],
  ])('%s', (_name, headers, rawBody, now, signingSecrets, expected) => {
    expect(verifySlackRequest({ headers, rawBody, now, signingSecrets })).toEqual(expected);
  });

  it('refuses a re-signed old timestamp as stale, not as a bad signature', () => {
    const old = String(Number(TIMESTAMP) - 3600);
    const headers = { 'X-Slack-Request-Timestamp': old, 'X-Slack-Signature': slackSignature(SECRET, old, BODY) };
    expect(verifySlackRequest({ headers, rawBody: BODY, now: NOW, signingSecrets: [SECRET] })).toEqual({ ok: false, reason: 'stale' });
  });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const COMMAND = {
  team_id: 'T1DC2JH3J',
  channel_id: 'G8PSS9T3V',
  user_id: 'U2CERLKJA',
  user_name: 'roadrunner',
  command: '/bwp',
  text: 'plan 100 China Europe desc="A & B"',
  response_url: 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
  trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
};

describe('parseSlackCommand', () => {
  it("parses the official example's body", () => {
    expect(parseSlackCommand(BODY)).toEqual({
      ok: true,
      message: {
        platform: 'slack',
        messageId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
        userId: 'U2CERLKJA',
        tenantId: 'T1DC2JH3J',
        userKey: 'slack:T1DC2JH3J/U2CERLKJA',
        displayName: 'roadrunner',
        text: '',
        channelId: 'G8PSS9T3V',
        replyTo: { platform: 'slack', url: 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN' },
      },
    });
  });

  it.each([
    ['+ as a space', 'text=plan+100+China+Europe', 'plan 100 China Europe'],
    ['%20 as a space', 'text=plan%20100', 'plan 100'],
    ['Slack HTML escapes', 'text=desc%3D%22A+%26amp%3B+B+%26lt%3B3%26gt%3B%22', 'desc="A & B <3>"'],
    ['surrounding spaces', 'text=++help++', 'help'],
  ])('decodes %s in text', (_name, textField, expected) => {
    const body = `${form({ ...COMMAND, text: 'x' }).replace('text=x', textField)}`;
    const parsed = parseSlackCommand(body);
    expect(parsed.ok && parsed.message.text).toBe(expected);
  });

  it.each([
    ['team_id', { team_id: '' }, 'must be a non-empty string'],
    ['user_id', { user_id: 'U1/U2' }, 'must be an id without spaces, "/" or ":"'],
    ['team_id', { team_id: 'T 1' }, 'must be an id without spaces, "/" or ":"'],
    [
      'response_url',
      { response_url: 'https://evil.example/commands/1' },
      'must be a slack reply URL: https://hooks.slack.com with the path /commands/… or /actions/…',
    ],
    [
      'response_url',
      { response_url: 'http://hooks.slack.com/commands/1' },
      'must be a slack reply URL: https://hooks.slack.com with the path /commands/… or /actions/…',
    ],
    ['response_url', { response_url: 'not a url' }, 'must be a slack reply URL: https://hooks.slack.com with the path /commands/… or /actions/…'],
  ])('names %s when it is wrong', (path, change, message) => {
    expect(parseSlackCommand(form({ ...COMMAND, ...change }))).toEqual({ ok: false, issue: { path, message } });
  });

  it.each(['team_id', 'user_id', 'channel_id', 'trigger_id', 'response_url', 'text'])('names a missing %s', (field) => {
    const fields: Record<string, string> = { ...COMMAND };
    delete fields[field];
    expect(parseSlackCommand(form(fields))).toEqual({ ok: false, issue: { path: field, message: 'is required' } });
  });

  it('refuses a repeated field instead of picking one', () => {
    expect(parseSlackCommand(`${form(COMMAND)}&user_id=U999`)).toEqual({ ok: false, issue: { path: 'user_id', message: 'must appear only once' } });
  });

  it('is not confused by a __proto__ field', () => {
    const parsed = parseSlackCommand(`${form(COMMAND)}&__proto__=x&constructor=y`);
    expect(parsed.ok && parsed.message.userKey).toBe('slack:T1DC2JH3J/U2CERLKJA');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves out an absent display name', () => {
    const { user_name: _, ...fields } = COMMAND;
    const parsed = parseSlackCommand(form(fields));
    expect(parsed.ok && parsed.message.displayName).toBeUndefined();
  });
});

describe('unescapeSlackText', () => {
  it.each([
    ['&lt;@U123&gt;', '<@U123>'],
    ['A &amp; B', 'A & B'],
    ['&amp;lt;', '&lt;'],
  ])('%j → %j', (text, expected) => {
    expect(unescapeSlackText(text)).toBe(expected);
  });
});

// The ephemeral block_actions fixture of docs/buttons.md §2.2 (bolt-python's), pressing our Confirm button.
const PRESS = {
  type: 'block_actions',
  user: { id: 'W111', username: 'primary-owner', name: 'primary-owner', team_id: 'T111' },
  api_app_id: 'A111',
  token: 'verification_token',
  container: { type: 'message', message_ts: '111.222', channel_id: 'C111', is_ephemeral: true },
  trigger_id: '111.222.valid',
  team: { id: 'T111', domain: 'workspace-domain', enterprise_id: 'E111', enterprise_name: 'Sandbox Org' },
  channel: { id: 'C111', name: 'test-channel' },
  response_url: 'https://hooks.slack.com/actions/T111/111/random-value',
  actions: [
    {
      action_id: 'confirm',
      block_id: 'b',
      text: { type: 'plain_text', text: 'Confirm', emoji: true },
      value: 'AbC123xyz',
      type: 'button',
      action_ts: '1596530385.194939',
    },
  ],
};
const pressed = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const withAction = (change: object) => ({ ...PRESS, actions: [{ ...PRESS.actions[0], ...change }] });

describe('parseSlackInteraction', () => {
  it('reads a button press as the command it stands for, by the same user key as a slash command', () => {
    expect(isSlackInteraction(pressed(PRESS))).toBe(true);
    expect(parseSlackInteraction(pressed(PRESS))).toEqual({
      ok: true,
      message: {
        platform: 'slack',
        messageId: '111.222.valid',
        userId: 'W111',
        tenantId: 'T111',
        userKey: 'slack:T111/W111',
        displayName: 'primary-owner',
        text: 'confirm AbC123xyz',
        channelId: 'C111',
        replyTo: { platform: 'slack', url: 'https://hooks.slack.com/actions/T111/111/random-value', fromButton: true },
      },
    });
  });

  it.each(['confirm', 'cancel', 'approve', 'reject'])('reads the %s button', (command) => {
    const parsed = parseSlackInteraction(pressed(withAction({ action_id: command })));
    expect(parsed.ok && parsed.message.text).toBe(`${command} AbC123xyz`);
  });

  it('takes the channel from the container when the payload names none', () => {
    const { channel: _, ...rest } = PRESS;
    const parsed = parseSlackInteraction(pressed(rest));
    expect(parsed.ok && parsed.message.channelId).toBe('C111');
  });

  it('is not a slash command, and a slash command is not an interaction', () => {
    expect(isSlackInteraction(BODY)).toBe(false);
  });

  it.each([
    ['payload.type', { ...PRESS, type: 'view_submission' }, 'must be "block_actions"'],
    ['payload.type', { ...PRESS, type: 'interactive_message' }, 'must be "block_actions"'],
    ['payload.team.id', { ...PRESS, team: null }, 'is required'],
    ['payload.team.id', { ...PRESS, team: { id: 'T 1' } }, 'must be an id without spaces, "/" or ":"'],
    ['payload.user.id', { ...PRESS, user: { id: 'U1/U2' } }, 'must be an id without spaces, "/" or ":"'],
    ['payload.user.id', { ...PRESS, user: {} }, 'is required'],
    ['payload.trigger_id', { ...PRESS, trigger_id: undefined }, 'is required'],
    ['payload.channel.id', { ...PRESS, channel: undefined, container: {} }, 'is required'],
    ['payload.actions', { ...PRESS, actions: [] }, 'must hold exactly one action'],
    ['payload.actions', { ...PRESS, actions: [PRESS.actions[0], PRESS.actions[0]] }, 'must hold exactly one action'],
    ['payload.actions', { ...PRESS, actions: PRESS.actions[0] }, 'must hold exactly one action'],
    ['payload.actions.0.type', withAction({ type: 'static_select' }), 'must be "button"'],
    ['payload.actions.0.action_id', withAction({ action_id: 'create' }), 'must be one of confirm, cancel, approve, reject'],
    ['payload.actions.0.action_id', withAction({ action_id: undefined }), 'is required'],
    ['payload.actions.0.value', withAction({ value: 'AbC 123' }), 'must be a code: 1 to 2000 letters and digits'],
    ['payload.actions.0.value', withAction({ value: 'x'.repeat(2001) }), 'must be a code: 1 to 2000 letters and digits'],
    ['payload.actions.0.value', withAction({ value: undefined }), 'is required'],
    [
      'payload.response_url',
      { ...PRESS, response_url: 'https://evil.example/actions/T1/1/x' },
      'must be a slack reply URL: https://hooks.slack.com with the path /commands/… or /actions/…',
    ],
  ])('names %s when it is wrong', (path, payload, message) => {
    expect(parseSlackInteraction(pressed(payload))).toEqual({ ok: false, issue: { path, message } });
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bnot+json', { path: 'payload', message: 'must be valid JSON' }],
    ['a payload that is not an object', 'payload=%5B%5D', { path: 'payload', message: 'must be a JSON object' }],
    ['a repeated payload', `${pressed(PRESS)}&${pressed(PRESS)}`, { path: 'payload', message: 'must appear only once' }],
    [
      'a field beside the payload',
      `${pressed(PRESS)}&command=%2Fbwp`,
      { path: 'command', message: 'is not part of an interaction (its body is payload=<JSON> alone)' },
    ],
    [
      'a __proto__ key',
      pressed(PRESS).replace('%22type%22', '%22__proto__%22%3A%7B%7D%2C%22type%22'),
      { path: 'payload', message: 'must not contain a "__proto__" key' },
    ],
    [
      'a key given twice',
      pressed(PRESS).replace('%22type%22', '%22user%22%3A%7B%22id%22%3A%22U9%22%7D%2C%22type%22'),
      { path: 'payload', message: 'must not give the key "user" twice in one object' },
    ],
  ])('refuses %s', (_name, body, issue) => {
    expect(parseSlackInteraction(body)).toEqual({ ok: false, issue });
  });
});
