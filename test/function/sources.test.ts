import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webhookSignature as localWebhookSignature } from '../../local/signatures';
import { derivedClientToken, freshClientToken } from '../../shared/core/idempotency';
import { chatJobSource } from '../../shared/sources/chat/service';
import { decodeEvent, sourceFor } from '../../shared/sources/dispatch';
import { cloudEventBatchSource, cloudEventProblem, cloudEventSource, createCommandFromCloudEvent } from '../../shared/sources/eventbridge';
import { createCommandFromHttp } from '../../shared/sources/http-api/create';
import { type HttpRequestView, isHttpEvent, MAX_BODY_BYTES, readHttpEvent } from '../../shared/sources/http-api/request';
import { matchRoute } from '../../shared/sources/http-api/routes';
import { createHttpSource } from '../../shared/sources/http-api/serve';
import { verifyWebhook, webhookSignature, webhookSignedText } from '../../shared/sources/http-api/webhook-auth';
import { parseUntrustedJson } from '../../shared/sources/json';
import { createCommandFromTimer, timerSource } from '../../shared/sources/timer';
import { signWebhook } from '../support/harness';

const view = (overrides: Partial<HttpRequestView> = {}): HttpRequestView => ({
  method: 'POST',
  path: '/bandwidth-plans',
  headers: {},
  repeatedHeaders: [],
  query: {},
  rawBody: Buffer.from('{}'),
  ...overrides,
});

describe('webhook signature', () => {
  const secret = 'whsec-test-0123456789';
  const body = '{"Bandwidth":2}';
  const now = 1_735_787_045;

  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 as v1=<hex>', () => {
    // Independent computation of the documented formula.
    const expected = `v1=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}`;
    expect(webhookSignature(secret, String(now), body)).toBe(expected);
  });

  it('v2: one canonical string, the query sorted by parameter name even when one name is a prefix of another', () => {
    const line = { method: 'post', path: '/bandwidth-plans', query: { 'a-': '2', a: '1', dryRun: 'true' }, idempotencyKey: 'k-1' };
    // Written out by hand from the README: "a" sorts before "a-" (sorting "a=1" and "a-=2" would not).
    const text = `${now}.POST./bandwidth-plans.a=1&a-=2&dryRun=true.k-1.${body}`;
    const expected = `v2=${createHmac('sha256', secret).update(text).digest('hex')}`;
    expect(webhookSignedText(String(now), line)).toEqual({ version: 'v2', prefix: text.slice(0, -body.length) });
    expect(webhookSignature(secret, String(now), body, line)).toBe(expected);
    expect(localWebhookSignature(secret, now, body, line)).toBe(expected);
    expect(signWebhook(secret, now, body, line)).toBe(expected);
  });

  it.each([
    ['a valid signature', [secret], String(now), webhookSignature(secret, String(now), body), { ok: true }],
    ['the old secret during rotation', ['new-secret-abcdef', secret], String(now), webhookSignature(secret, String(now), body), { ok: true }],
    ['no secret configured (fail closed)', [], String(now), webhookSignature(secret, String(now), body), { ok: false, reason: 'not-configured' }],
    ['a missing timestamp', [secret], undefined, webhookSignature(secret, String(now), body), { ok: false, reason: 'missing-signature' }],
    ['a missing signature', [secret], String(now), undefined, { ok: false, reason: 'missing-signature' }],
    ['a timestamp 301 s old', [secret], String(now - 301), webhookSignature(secret, String(now - 301), body), { ok: false, reason: 'stale' }],
    ['a timestamp 301 s ahead', [secret], String(now + 301), webhookSignature(secret, String(now + 301), body), { ok: false, reason: 'stale' }],
    ['a timestamp 300 s old', [secret], String(now - 300), webhookSignature(secret, String(now - 300), body), { ok: true }],
    ['a non-numeric timestamp', [secret], 'yesterday', webhookSignature(secret, 'yesterday', body), { ok: false, reason: 'bad-timestamp' }],
    [
      'a repeated timestamp header (comma-joined)',
      [secret],
      `${now},${now}`,
      webhookSignature(secret, `${now},${now}`, body),
      { ok: false, reason: 'bad-timestamp' },
    ],
    ['another secret', [secret], String(now), webhookSignature('other-secret-123', String(now), body), { ok: false, reason: 'bad-signature' }],
    ['a signature over another body', [secret], String(now), webhookSignature(secret, String(now), '{"Bandwidth":3}'), { ok: false, reason: 'bad-signature' }],
    ['a truncated signature', [secret], String(now), webhookSignature(secret, String(now), body).slice(0, 20), { ok: false, reason: 'bad-signature' }],
  ])('verifies %s', (_name, secrets, timestamp, signature, expected) => {
    expect(verifyWebhook({ timestamp, signature }, body, secrets, now)).toEqual(expected);
  });
});

describe('untrusted JSON', () => {
  it.each([
    '{"__proto__":{"admin":true}}',
    '{"a":{"constructor":{"prototype":{}}}}',
    '[{"prototype":1}]',
    String.raw`{"\u005f_proto__":{"admin":true}}`,
    String.raw`{"a":[{"constr\u0075ctor":1}]}`,
  ])('refuses prototype keys in %s', (text) => {
    expect(() => parseUntrustedJson(text)).toThrow(/is not allowed/);
  });

  it.each([
    ['{"Bandwidth":2,"Bandwidth":2000}', 'Bandwidth'],
    ['{"Tag":[{"Key":"a","Key":"b"}]}', 'Key'],
    [String.raw`{"a":1,"\u0061":2}`, 'a'],
    ['{"x":{"y":1},"y":2,"z":{"y":3,"y":4}}', 'y'],
    [String.raw`{"a\"b":1,"a\"b":2}`, 'a"b'],
  ])('refuses a key given twice in one object: %s', (text, key) => {
    expect(() => parseUntrustedJson(text)).toThrow(`the key "${key}" appears twice in one object`);
  });

  it('reads the same key in different objects, and strings that look like keys, as one', () => {
    expect(parseUntrustedJson('{"a":{"a":1},"b":[{"a":2},{"a":3}],"c":"\\"a\\":1,"}')).toEqual({ a: { a: 1 }, b: [{ a: 2 }, { a: 3 }], c: '"a":1,' });
  });

  it('accepts every JSON text JSON.stringify writes (no object in it has a key twice)', () => {
    fc.assert(
      // Prototype keys are refused for another reason (above).
      fc.property(
        fc.jsonValue().filter((value) => !/__proto__|constructor|prototype/.test(JSON.stringify(value))),
        (value) => {
          expect(parseUntrustedJson(JSON.stringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parses ordinary JSON', () => {
    expect(parseUntrustedJson('{"Bandwidth":2,"Tag":[{"Key":"a"}]}')).toEqual({ Bandwidth: 2, Tag: [{ Key: 'a' }] });
  });
});

describe('HTTP trigger events', () => {
  const event = (overrides: Record<string, unknown> = {}) => ({
    version: 'v1',
    rawPath: '/bandwidth-plans',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' },
    queryParameters: {},
    body: '{"Bandwidth":2}',
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/bandwidth-plans', sourceIp: '203.0.113.10' } },
    ...overrides,
  });

  it('recognises the FC 3.0 HTTP event shape and nothing else', () => {
    expect(isHttpEvent(event())).toBe(true);
    expect(isHttpEvent({ triggerTime: 'x', triggerName: 'y' })).toBe(false);
    expect(isHttpEvent({ specversion: '1.0', id: 'a', source: 'b' })).toBe(false);
  });

  it('lower-cases header names and decodes Base64 bodies', () => {
    const request = readHttpEvent(event({ body: Buffer.from('{"Bandwidth":5}').toString('base64'), isBase64Encoded: true }));
    expect(request.headers['idempotency-key']).toBe('k-1');
    expect(request.rawBody.toString()).toBe('{"Bandwidth":5}');
    expect(request.sourceIp).toBe('203.0.113.10');
  });

  it.each([
    ['plain', false, 'x'.repeat(MAX_BODY_BYTES + 1)],
    ['Base64', true, Buffer.alloc(MAX_BODY_BYTES + 1).toString('base64')],
  ])('refuses a %s body over 64 KB with 413', (_name, isBase64Encoded, body) => {
    expect(() => readHttpEvent(event({ body, isBase64Encoded }))).toThrow(expect.objectContaining({ code: 'PayloadTooLarge', status: 413 }));
  });

  it.each([
    ['POST', '/bandwidth-plans', { name: 'create' }],
    ['POST', '/bandwidth-plans/', { name: 'create' }],
    ['GET', '/bandwidth-plans/cenbwp-abc123', { name: 'status', id: 'cenbwp-abc123' }],
    ['POST', '/chatops/slack', { name: 'chatops', platform: 'slack' }],
    ['POST', '/chatops/lark', { name: 'chatops', platform: 'lark' }],
    ['POST', '/chatops/dingtalk', { name: 'chatops', platform: 'dingtalk' }],
  ])('routes %s %s', (method, path, expected) => {
    expect(matchRoute(method, path.length > 1 ? path.replace(/\/$/, '') : path)).toEqual(expected);
  });

  it.each([
    ['PUT', '/bandwidth-plans', 405],
    ['DELETE', '/bandwidth-plans', 405],
    ['POST', '/bandwidth-plans/cenbwp-1', 405],
    ['POST', '/plans', 404],
    ['POST', '/chatops/teams', 404],
    ['GET', '/', 404],
    ['GET', '/2023-03-30/functions/create-bandwidth-plan/invocations', 405],
  ])('answers %s %s with %i', (method, path, status) => {
    expect(() => matchRoute(method, path)).toThrow(expect.objectContaining({ status }));
  });
});

describe('ClientToken precedence', () => {
  it('takes the caller’s ClientToken first', () => {
    const command = createCommandFromHttp(view({ rawBody: Buffer.from('{"ClientToken":"mine-1"}'), headers: { 'idempotency-key': 'k' } }), 'fc-1');
    expect(command.clientToken).toBe('mine-1');
  });

  it('then a hash of the Idempotency-Key header, stable across deliveries', () => {
    const first = createCommandFromHttp(view({ headers: { 'idempotency-key': 'order-42' } }), 'fc-1');
    const again = createCommandFromHttp(view({ headers: { 'idempotency-key': 'order-42' } }), 'fc-2');
    expect(first.clientToken).toBe(derivedClientToken('http', 'order-42'));
    expect(again.clientToken).toBe(first.clientToken);
    expect(first.clientToken).toMatch(/^http-[0-9a-f]{48}$/);
  });

  it('else a token derived from the request signature: the same signed request, the same token', () => {
    const signed = (signature: string) => view({ headers: { 'x-webhook-signature': signature } });
    expect(createCommandFromHttp(signed('v1=aa'), 'fc-1').clientToken).toBe(derivedClientToken('http', 'signed-request', 'v1=aa'));
    expect(createCommandFromHttp(signed('v1=aa'), 'fc-2').clientToken).toBe(createCommandFromHttp(signed('v1=aa'), 'fc-1').clientToken);
    expect(createCommandFromHttp(signed('v1=bb'), 'fc-1').clientToken).not.toBe(createCommandFromHttp(signed('v1=aa'), 'fc-1').clientToken);
  });

  it('and a fresh token when there is nothing to derive from', () => {
    const a = createCommandFromHttp(view(), 'fc-1').clientToken;
    const b = createCommandFromHttp(view(), 'fc-1').clientToken;
    expect(a).toMatch(/^http-[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(freshClientToken()).not.toBe(a);
  });

  it('derives EventBridge tokens from source + id', () => {
    const event = { specversion: '1.0', id: 'e-1', source: 'ops.bandwidth-planner', data: { Bandwidth: 2 } };
    const command = createCommandFromCloudEvent(event);
    expect(command.clientToken).toBe(derivedClientToken('eventbridge', 'ops.bandwidth-planner', 'e-1'));
    expect(createCommandFromCloudEvent({ ...event, id: 'e-2' }).clientToken).not.toBe(command.clientToken);
    expect(createCommandFromCloudEvent({ ...event, data: { ClientToken: 'eb-own' } }).clientToken).toBe('eb-own');
    expect(command.trigger).toEqual({ kind: 'eventbridge', id: 'ops.bandwidth-planner/e-1' });
  });

  it('derives timer tokens from trigger name + time', () => {
    const event = { triggerName: 'monthly', triggerTime: '2025-02-01T01:00:00Z', payload: '{"Bandwidth":2}' };
    expect(createCommandFromTimer(event).clientToken).toBe(derivedClientToken('timer', 'monthly', '2025-02-01T01:00:00Z'));
    expect(createCommandFromTimer({ ...event, triggerTime: '2025-03-01T01:00:00Z' }).clientToken).not.toBe(createCommandFromTimer(event).clientToken);
  });

  it.each(['2025-02-01T01:00:00.000Z', '2025-02-01T09:00:00+08:00', '2025-02-01t01:00:00z'])(
    'reads the firing %s as the instant FC writes 2025-02-01T01:00:00Z (one token, one plan)',
    (triggerTime) => {
      const command = createCommandFromTimer({ triggerName: 'monthly', triggerTime, payload: '{"Bandwidth":2}' });
      expect(command.clientToken).toBe(derivedClientToken('timer', 'monthly', '2025-02-01T01:00:00Z'));
      expect(command.trigger.id).toBe('monthly@2025-02-01T01:00:00Z');
      expect(command.inputIssues ?? []).toEqual([]);
    },
  );

  it.each([
    [{ triggerTime: 'Feb 1 2025 01:00', triggerName: 'monthly', payload: '{}' }, 'triggerTime', /RFC 3339/],
    [{ triggerTime: '', triggerName: 'monthly', payload: '{}' }, 'triggerTime', /RFC 3339/],
    // Times Date.parse would roll over into other instants.
    [{ triggerTime: '2023-02-30T00:00:00Z', triggerName: 'monthly', payload: '{}' }, 'triggerTime', /RFC 3339/],
    [{ triggerTime: '2023-03-01T24:00:00Z', triggerName: 'monthly', payload: '{}' }, 'triggerTime', /RFC 3339/],
    [{ triggerTime: '2023-03-01T10:00:00+24:00', triggerName: 'monthly', payload: '{}' }, 'triggerTime', /RFC 3339/],
    [{ triggerTime: '2025-02-01T01:00:00Z', triggerName: 'monthly', payload: '{}', dryRun: true }, 'dryRun', /not a field of a timer event/],
  ])('refuses a timer event %j at %s rather than ignoring it', (event, path, message) => {
    const issues = createCommandFromTimer(event as never).inputIssues ?? [];
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('keeps identity parts apart (no concatenation collisions)', () => {
    expect(derivedClientToken('eventbridge', 'a:b', 'c')).not.toBe(derivedClientToken('eventbridge', 'a', 'b:c'));
    expect(derivedClientToken('timer', 'x', 'y').length).toBeLessThanOrEqual(64);
  });
});

describe('event shapes: exactly one source claims each event, or none does', () => {
  const sources = [createHttpSource({ openApiDocument: () => undefined }), chatJobSource, cloudEventBatchSource, cloudEventSource, timerSource];
  const claimedBy = (event: unknown) => {
    const found = sourceFor(sources, decodeEvent(Buffer.from(JSON.stringify(event))));
    return 'source' in found ? found.source.name : `unrecognised: ${found.unrecognised}`;
  };

  it.each([
    [{ specversion: '1.0', id: 'a', source: 's' }, 'CloudEvent'],
    [[{ specversion: '1.0', id: 'a', source: 's' }, { id: 'b' }], 'batch of CloudEvents'],
    [[], 'batch of CloudEvents'],
    [{ triggerTime: 't', triggerName: 'n', payload: '{}' }, 'timer event'],
    [{ chatopsJob: '{}', mac: 'x' }, 'chat job'],
    [{ version: 'v1', rawPath: '/bandwidth-plans', requestContext: {} }, 'HTTP request'],
    [{ id: 'a' }, 'unrecognised: it is not an HTTP request, a CloudEvent, a batch of CloudEvents or a timer event'],
    [
      { Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' },
      'unrecognised: it is not an HTTP request, a CloudEvent, a batch of CloudEvents or a timer event',
    ],
    [
      { specversion: '1.0', id: 'a', source: 's', triggerTime: 't', triggerName: 'n' },
      'unrecognised: it has the shape of more than one event (CloudEvent, timer event)',
    ],
    [null, 'unrecognised: it is not an HTTP request, a CloudEvent, a batch of CloudEvents or a timer event'],
  ])('%j → %s', (event, expected) => {
    expect(claimedBy(event)).toBe(expected);
  });

  it('does not guess at bytes that are not JSON', () => {
    expect(sourceFor(sources, decodeEvent(Buffer.from('not json')))).toEqual({ unrecognised: 'it is not JSON' });
  });

  it.each([
    [{ specversion: '1.0', id: 'a', source: 's' }, undefined],
    [{ id: 'a', source: 's', Bandwidth: 2 }, 'it has no "specversion" (a bare data object, as a $.data transform delivers?)'],
    [{ specversion: '0.3', id: 'a', source: 's' }, '"specversion" must be "1.0"'],
    [{ specversion: '1.0', id: '', source: 's' }, '"id" must be a non-empty string'],
    [{ specversion: '1.0', id: 'a', source: 7 }, '"source" must be a non-empty string'],
    [null, 'it is null, not an object'],
    ['text', 'it is a string, not an object'],
    [[1], 'it is an array, not an object'],
  ])('says why %j is not a CloudEvent', (value, problem) => {
    expect(cloudEventProblem(value)).toBe(problem);
  });

  it('turns an unparseable timer payload into a reported issue, not a throw', () => {
    expect(createCommandFromTimer({ triggerName: 'n', triggerTime: 't', payload: '{oops' }).inputIssues?.[0]?.path).toBe('payload');
    expect(createCommandFromTimer({ triggerName: 'n', triggerTime: 't' }).inputIssues?.[0]?.message).toMatch(/must be a JSON string/);
  });
});
