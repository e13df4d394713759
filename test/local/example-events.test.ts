/**
 * The invoke CLI's signing, checked by the product's own verifiers: a second implementation on each
 * side, so a mistake in either shows up here rather than as a puzzling 401 in a demo.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_SECRETS } from '../../local/environment';
import { eventKind, FRESH_CODE, MissingSecretError, prepareEvent, type ReplyUrls } from '../../local/example-events';
import { verifyConfirmationCode } from '../../shared/sources/chat/confirmation';
import { verifyDingTalkRequest } from '../../shared/sources/chat/dingtalk/verify';
import { openLarkRequest } from '../../shared/sources/chat/lark/open';
import { verifySlackRequest } from '../../shared/sources/chat/slack/verify';
import { verifyWebhook } from '../../shared/sources/http-api/webhook-auth';
import { ROOT } from './processes';

const NOW = 1_735_787_045_123;
const REPLY_URLS: ReplyUrls = {
  slackResponseUrl: () => 'http://127.0.0.1:9999/commands/T00LOCAL/1000000001/r1',
  slackActionUrl: () => 'http://127.0.0.1:9999/actions/T00LOCAL/2000000001/a1',
  dingtalkSessionWebhook: () => 'http://127.0.0.1:9999/robot/sendBySession?session=s1',
};

const example = (file: string): any => JSON.parse(readFileSync(resolve(ROOT, 'examples', file), 'utf8'));
const prepared = (file: string): any => prepareEvent(example(file), { env: LOCAL_SECRETS, replyUrls: REPLY_URLS, now: NOW });

describe('eventKind', () => {
  it.each([
    ['http-create.json', 'http'],
    ['http-status.json', 'http'],
    ['slack.json', 'slack'],
    ['slack-button.json', 'slack'],
    ['lark-card-action.json', 'lark'],
    ['dingtalk.json', 'dingtalk'],
    ['lark.json', 'lark'],
    ['eventbridge-single.json', 'other'],
    ['eventbridge-batch.json', 'other'],
    ['timer.json', 'other'],
  ])('%s is %s', (file, kind) => {
    expect(eventKind(example(file))).toBe(kind);
  });
});

/** What the function's verifier is told about a prepared HTTP example (a v2 signature covers it). */
function lineOf(event: any) {
  const key = Object.entries(event.headers as Record<string, string>).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  return { method: event.requestContext.http.method, path: event.requestContext.http.path, query: event.queryParameters ?? {}, idempotencyKey: key };
}

describe('prepareEvent', () => {
  it.each(['eventbridge-single.json', 'eventbridge-batch.json', 'timer.json'])('passes %s through unchanged', (file) => {
    expect(prepareEvent(example(file), { env: {} })).toEqual(example(file));
  });

  it('signs an API request the way the function verifies it, over the compact JSON body', () => {
    const event = prepared('http-create.json');
    expect(event.body).toBe(JSON.stringify(example('http-create.json').body));
    const verdict = verifyWebhook(
      { timestamp: event.headers['X-Webhook-Timestamp'], signature: event.headers['X-Webhook-Signature'] },
      event.body,
      [LOCAL_SECRETS.WEBHOOK_SECRET],
      Math.floor(NOW / 1000),
      lineOf(event),
    );
    expect(verdict).toEqual({ ok: true });
    expect(event).toMatchObject({ isBase64Encoded: false, requestContext: { timeEpoch: String(NOW), time: '2025-01-02T03:04:05Z' } });
  });

  it('signs a GET with its empty body', () => {
    const event = prepared('http-status.json');
    expect(event.body).toBe('');
    expect(
      verifyWebhook(
        { timestamp: event.headers['X-Webhook-Timestamp'], signature: event.headers['X-Webhook-Signature'] },
        '',
        [LOCAL_SECRETS.WEBHOOK_SECRET],
        NOW / 1000,
        lineOf(event),
      ),
    ).toEqual({ ok: true });
  });

  it('replaces a stale signature whatever the case of its header name', () => {
    const stale = { ...example('http-create.json'), headers: { 'x-webhook-signature': 'v1=old', 'X-WEBHOOK-TIMESTAMP': '1' } };
    const headers = Object.keys((prepareEvent(stale, { env: LOCAL_SECRETS, now: NOW }) as any).headers).map((name) => name.toLowerCase());
    expect(headers.filter((name) => name.startsWith('x-webhook-'))).toEqual(['x-webhook-timestamp', 'x-webhook-signature']);
  });

  it('signs the first of several (rotating) secrets', () => {
    const event: any = prepareEvent(example('http-create.json'), { env: { WEBHOOK_SECRET: ' new-secret , old-secret' }, now: NOW });
    expect(
      verifyWebhook(
        { timestamp: event.headers['X-Webhook-Timestamp'], signature: event.headers['X-Webhook-Signature'] },
        event.body,
        ['new-secret'],
        NOW / 1000,
        lineOf(event),
      ),
    ).toEqual({ ok: true });
  });

  it('points a Slack command at the local response_url and signs the form it sends', () => {
    const event = prepared('slack.json');
    expect(new URLSearchParams(event.body).get('response_url')).toBe(REPLY_URLS.slackResponseUrl());
    expect(new URLSearchParams(event.body).get('text')).toBe('plan 100 China Europe');
    expect(verifySlackRequest({ headers: event.headers, rawBody: event.body, now: NOW, signingSecrets: [LOCAL_SECRETS.SLACK_SIGNING_SECRET] })).toEqual({
      ok: true,
    });
  });

  it('points a Slack button press at the local response_url, inside its payload, and signs the form it sends', () => {
    const event = prepared('slack-button.json');
    const form = new URLSearchParams(event.body);
    expect([...form.keys()]).toEqual(['payload']);
    const original = JSON.parse(new URLSearchParams(example('slack-button.json').body).get('payload')!);
    const sent = JSON.parse(form.get('payload')!);
    // The placeholder became a code the function accepts from this presser.
    expect(original.actions[0].value).toBe(FRESH_CODE);
    const code = sent.actions[0].value;
    expect(
      verifyConfirmationCode(code, { requester: `slack:${original.team.id}/${original.user.id}`, now: NOW, keys: [LOCAL_SECRETS.CHATOPS_CONFIRM_SECRET] }),
    ).toMatchObject({ ok: true });
    expect(sent).toEqual({ ...original, actions: [{ ...original.actions[0], value: code }], response_url: REPLY_URLS.slackActionUrl() });
    expect(verifySlackRequest({ headers: event.headers, rawBody: event.body, now: NOW, signingSecrets: [LOCAL_SECRETS.SLACK_SIGNING_SECRET] })).toEqual({
      ok: true,
    });
  });

  it('encrypts and signs a Lark card callback like an event', () => {
    const event = prepared('lark-card-action.json');
    const opened = openLarkRequest({
      headers: event.headers,
      rawBody: event.body,
      now: NOW,
      encryptKey: LOCAL_SECRETS.LARK_ENCRYPT_KEY,
      verificationToken: LOCAL_SECRETS.LARK_VERIFICATION_TOKEN,
    });
    const original = example('lark-card-action.json').body;
    const sent = opened.ok && opened.kind === 'event' ? (opened.event.event as typeof original.event) : undefined;
    expect(original.event.action.value.code).toBe(FRESH_CODE);
    const code = sent?.action.value.code;
    const requester = `lark:${original.header.tenant_key}/${original.event.operator.open_id}`;
    expect(verifyConfirmationCode(code, { requester, now: NOW, keys: [LOCAL_SECRETS.CHATOPS_CONFIRM_SECRET] })).toMatchObject({ ok: true });
    expect(sent).toEqual({ ...original.event, action: { ...original.event.action, value: { ...original.event.action.value, code } } });
  });

  it('points a DingTalk message at the local sessionWebhook, refreshes its times and signs it', () => {
    const event = prepared('dingtalk.json');
    expect(JSON.parse(event.body)).toMatchObject({
      sessionWebhook: REPLY_URLS.dingtalkSessionWebhook(),
      createAt: NOW,
      sessionWebhookExpiredTime: NOW + 5_400_060,
    });
    expect(verifyDingTalkRequest({ headers: event.headers, now: NOW, appSecret: LOCAL_SECRETS.DINGTALK_APP_SECRET })).toEqual({ ok: true });
  });

  it('encrypts and signs a Lark event so the function opens it with its keys', () => {
    const event = prepared('lark.json');
    expect(Object.keys(JSON.parse(event.body))).toEqual(['encrypt']);
    const opened = openLarkRequest({
      headers: event.headers,
      rawBody: event.body,
      now: NOW,
      encryptKey: LOCAL_SECRETS.LARK_ENCRYPT_KEY,
      verificationToken: LOCAL_SECRETS.LARK_VERIFICATION_TOKEN,
    });
    expect(opened).toMatchObject({ ok: true, kind: 'event', event: { header: { token: LOCAL_SECRETS.LARK_VERIFICATION_TOKEN, create_time: String(NOW) } } });
    expect(opened.ok && opened.kind === 'event' && opened.event.event).toEqual(example('lark.json').body.event);
  });

  it.each([
    ['http-create.json', 'WEBHOOK_SECRET'],
    ['slack.json', 'SLACK_SIGNING_SECRET'],
    ['dingtalk.json', 'DINGTALK_APP_SECRET'],
    ['lark.json', 'LARK_ENCRYPT_KEY'],
  ])('refuses to sign %s without %s', (file, variable) => {
    expect(() => prepareEvent(example(file), { env: {} })).toThrow(new MissingSecretError(variable));
  });
});
