/**
 * The HTTP API, fuzzed: `POST /bandwidth-plans` (a purchase), its dry run, and `GET
 * /bandwidth-plans/{id}`, with valid, invalid and garbage bodies, every transport, and signed, forged,
 * unsigned or stale requests. A request is stamped at the harness's clock plus a drawn skew.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FcHttpResponse } from '../../../shared/runtime/fc';
import { httpEvent, signWebhook, VALID_PLAN, WEBHOOK_SECRET } from '../../support/harness';
import { type Delivery, delivery, WINDOWS } from '../delivery';
import { BODY_LIMIT, type Garbage, garbageBody } from '../garbage';
import { checkHttpAnswer } from '../http-shape';
import { asSent, awaitsPayment, invalidPlan, type Plan, validPlan } from '../plans';
import type { FuzzSession } from '../session';
import { assertNothingCalled, checkPurchase, type EntryPoint, HEX48 } from './common';

/** README: an Idempotency-Key is 1–128 printable ASCII characters, no space, no comma. */
const IDEMPOTENCY_KEY = /^[!-+\--~]{1,128}$/;

type ApiAuth = 'signed' | 'unsigned' | 'forged' | 'stale';
const apiAuth = fc.oneof({ weight: 16, arbitrary: fc.constant<ApiAuth>('signed') }, fc.constantFrom<ApiAuth>('unsigned', 'forged', 'stale'));

type ApiBody = { kind: 'valid'; plan: Plan } | { kind: 'invalid'; plan: Plan; broken: string[] } | { kind: 'garbage'; garbage: Garbage };
const apiBody: fc.Arbitrary<ApiBody> = fc.oneof(
  { weight: 3, arbitrary: validPlan.map((plan) => ({ kind: 'valid' as const, plan })) },
  { weight: 4, arbitrary: invalidPlan.map(({ plan, broken }) => ({ kind: 'invalid' as const, plan, broken })) },
  { weight: 3, arbitrary: garbageBody.map((garbage) => ({ kind: 'garbage' as const, garbage })) },
);

/** How the body travels: as text, as Base64 (flagged), or with the flag wrong either way. */
type Transport = 'raw' | 'base64' | 'base64-unflagged' | 'raw-flagged-base64';
const transport = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Transport>('raw', 'base64') },
  fc.constantFrom<Transport>('base64-unflagged', 'raw-flagged-base64'),
);

interface ApiCreateInput {
  readonly body: ApiBody;
  readonly transport: Transport;
  readonly idempotencyKey: string | undefined;
  readonly auth: ApiAuth;
  readonly sent: Delivery;
}

/** When an HTTP request is sent (after the one before), its clock skew (fresh, or stale when the auth says so) and its request id. */
const sent = delivery(WINDOWS.http);

const apiCreateInput = fc.record({
  body: apiBody,
  transport,
  idempotencyKey: fc.option(fc.oneof(fc.constantFrom('order-1', 'order-2'), fc.string({ minLength: 1, maxLength: 40 })), { nil: undefined }),
  auth: apiAuth,
  sent,
});

/** The body on the wire and the bytes the function decodes from it. */
function onTheWire(body: ApiBody, how: Transport): { text: string; flagged: boolean; decoded: Buffer } {
  const content = body.kind === 'garbage' ? body.garbage.body : JSON.stringify(body.plan);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  if (how === 'raw' && typeof content === 'string') return { text: content, flagged: false, decoded: bytes };
  if (how === 'raw-flagged-base64' && typeof content === 'string') return { text: content, flagged: true, decoded: Buffer.from(content, 'base64') };
  if (how === 'base64-unflagged') {
    const text = bytes.toString('base64');
    return { text, flagged: false, decoded: Buffer.from(text, 'utf8') };
  }
  return { text: bytes.toString('base64'), flagged: true, decoded: bytes };
}

/**
 * An FC HTTP trigger event with exactly this body and flag, signed over the bytes the function will
 * decode, sent at `now` (the harness's clock) and stamped with the drawn skew (outside the 300 s
 * window when stale).
 */
function apiEvent(
  now: number,
  call: {
    method: string;
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    auth: ApiAuth;
    sent: Delivery;
    wire: { text: string; flagged: boolean; decoded: Buffer };
  },
) {
  const event = httpEvent({
    method: call.method,
    path: call.path,
    query: call.query ?? {},
    headers: call.headers ?? {},
    sign: false,
    body: '',
    now,
    requestId: `http-req-${call.sent.sequence}`,
  });
  event.body = call.wire.text;
  event.isBase64Encoded = call.wire.flagged;
  if (call.auth !== 'unsigned') {
    const timestamp = Math.floor(now / 1000) + (call.auth === 'stale' ? call.sent.staleSkew : call.sent.skew);
    const headers = event.headers as Record<string, string>;
    headers['X-Webhook-Timestamp'] = String(timestamp);
    const idempotencyKey = Object.entries(call.headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
    const line = { method: call.method, path: call.path, query: call.query ?? {}, idempotencyKey };
    headers['X-Webhook-Signature'] = signWebhook(call.auth === 'forged' ? 'forged-webhook-secret' : WEBHOOK_SECRET, timestamp, call.wire.decoded, line);
  }
  return event;
}

/** Too large as the function measures it: the decoded body, or the encoded text before decoding. */
function tooLarge(wire: { text: string; flagged: boolean; decoded: Buffer }): boolean {
  const encodedLimit = wire.flagged ? Math.ceil((BODY_LIMIT * 4) / 3) + 4 : BODY_LIMIT * 4;
  return wire.decoded.length > BODY_LIMIT || wire.text.length > encodedLimit;
}

/**
 * The ClientToken rules of an HTTP create: the body's, else derived from the Idempotency-Key, else
 * derived from the request's signature (a replay of the same signed request is the same intent).
 */
function checkHttpToken(session: FuzzSession, plan: Plan, key: string | undefined, token: string, signature: string): void {
  if (typeof plan.ClientToken === 'string') assert.equal(token, plan.ClientToken, 'the body ClientToken is used');
  else {
    assert.match(token, /^http-/);
    assert.match(token.slice(5), HEX48);
    session.model.derived(key !== undefined ? ['http', key] : ['http', 'signed-request', signature], token);
  }
}

const signatureOf = (event: Record<string, unknown>): string => (event.headers as Record<string, string>)['X-Webhook-Signature'] ?? '';

export const httpCreate: EntryPoint<ApiCreateInput> = {
  name: 'HTTP POST /bandwidth-plans',
  arbitrary: apiCreateInput,
  async check(session, input) {
    const h = await session.harness();
    const wire = onTheWire(input.body, input.transport);
    const headers: Record<string, string> = input.idempotencyKey === undefined ? {} : { 'Idempotency-Key': input.idempotencyKey };
    const event = apiEvent(session.advance(input.sent.elapsed), {
      method: 'POST',
      path: '/bandwidth-plans',
      headers,
      auth: input.auth,
      sent: input.sent,
      wire,
    });
    const { result, delta } = await session.observe(h, () => h.invoke(event) as Promise<FcHttpResponse>);
    const answer = checkHttpAnswer(result, 'created');
    if (tooLarge(wire)) {
      assert.equal(answer.body.error?.code, 'PayloadTooLarge');
      assertNothingCalled(delta);
      return '413 PayloadTooLarge';
    }
    if (input.auth !== 'signed') {
      assert.equal(answer.status, 401);
      assertNothingCalled(delta);
      return '401 Unauthorized';
    }
    if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      assert.deepEqual([answer.status, answer.body.error.code, answer.body.error.issues?.[0]?.path], [400, 'InvalidParameter', 'header.idempotency-key']);
      assertNothingCalled(delta);
      assert.equal(delta.messages.length, 1, 'a refused purchase attempt is published');
      assert.equal(JSON.parse(delta.messages[0]!.body).data.outcome, 'rejected');
      return '400 Idempotency-Key';
    }
    const valid = input.body.kind === 'valid' && (input.transport === 'raw' || input.transport === 'base64');
    if (!valid) {
      assert.equal(answer.status, 400, `bad input answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      assert.ok(['InvalidJson', 'InvalidParameter'].includes(answer.body.error.code));
      assertNothingCalled(delta);
      return `400 ${answer.body.error.code}`;
    }
    const plan = (input.body as { plan: Plan }).plan;
    const token = answer.body.ClientToken as string;
    checkHttpToken(session, plan, input.idempotencyKey, token, signatureOf(event));
    assert.ok(delta.creates.length <= 1);
    const purchase = checkPurchase(session, h, plan, token, delta.creates[0], delta.plansAdded);
    if (purchase.kind === 'conflict') {
      assert.equal(answer.status, 409);
      assert.equal(answer.body.error.code, 'IdempotenceParam.NotMatch');
      return '409 IdempotenceParam.NotMatch';
    }
    assert.equal(answer.status, 201);
    assert.equal(answer.body.CenBandwidthPackageId, purchase.planId);
    assert.equal(answer.body.Status, awaitsPayment(plan) ? 'pending' : 'Idle');
    assert.deepEqual(answer.body.notification?.delivered, true);
    return purchase.kind === 'new' ? '201 bought' : '201 replayed';
  },
};

export const httpDryRun: EntryPoint<ApiCreateInput> = {
  name: 'HTTP POST /bandwidth-plans?dryRun=true',
  arbitrary: apiCreateInput,
  async check(session, input) {
    const h = await session.harness();
    const wire = onTheWire(input.body, input.transport);
    const headers: Record<string, string> = input.idempotencyKey === undefined ? {} : { 'Idempotency-Key': input.idempotencyKey };
    const event = apiEvent(session.advance(input.sent.elapsed), {
      method: 'POST',
      path: '/bandwidth-plans',
      query: { dryRun: 'true' },
      headers,
      auth: input.auth,
      sent: input.sent,
      wire,
    });
    const { result, delta } = await session.observe(h, () => h.invoke(event) as Promise<FcHttpResponse>);
    const answer = checkHttpAnswer(result, 'dry-run');
    // A dry run calls CEN for nothing and publishes nothing, ever.
    assertNothingCalled(delta);
    assert.equal(delta.mnsRequests, 0, 'a dry run published something');
    if (tooLarge(wire)) {
      assert.equal(answer.status, 413);
      return '413 PayloadTooLarge';
    }
    if (input.auth !== 'signed') {
      assert.equal(answer.status, 401);
      return '401 Unauthorized';
    }
    if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'InvalidParameter']);
      return '400 Idempotency-Key';
    }
    if (!(input.body.kind === 'valid' && (input.transport === 'raw' || input.transport === 'base64'))) {
      assert.equal(answer.status, 400);
      return `400 ${answer.body.error.code}`;
    }
    const plan = input.body.plan;
    assert.equal(answer.status, 200);
    const token = answer.body.request.ClientToken as string;
    checkHttpToken(session, plan, input.idempotencyKey, token, signatureOf(event));
    assert.deepEqual(answer.body.request, asSent(plan, token), 'the dry run shows the request exactly as it would be sent');
    assert.deepEqual(
      { allowed: answer.body.guardrails.allowed, reasons: answer.body.guardrails.reasons, notes: answer.body.guardrails.notes.length },
      { allowed: true, reasons: [], notes: awaitsPayment(plan) ? 1 : 0 },
    );
    return '200 dry run';
  },
};

type IdCase = { kind: 'existing'; index: number } | { kind: 'unknown'; id: string } | { kind: 'malformed'; id: string };
const PLAN_ID = /^cenbwp-[a-z0-9]{1,64}$/;

interface StatusInput {
  readonly id: IdCase;
  readonly method: string;
  readonly auth: ApiAuth;
  readonly trailingSlash: boolean;
  readonly sent: Delivery;
}

export const httpStatus: EntryPoint<StatusInput> = {
  name: 'HTTP GET /bandwidth-plans/{id}',
  arbitrary: fc.record({
    id: fc.oneof(
      fc.nat(2).map((index) => ({ kind: 'existing' as const, index })),
      fc
        .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 64 })
        .map((tail) => ({ kind: 'unknown' as const, id: `cenbwp-${tail}` })),
      fc
        .oneof(
          fc.constantFrom(
            'CENBWP-ABC',
            'cenbwp-',
            'cenbwp_abc',
            'cenbwp-ABC',
            `cenbwp-${'a'.repeat(65)}`,
            'bwp-123',
            '..',
            '%2e%2e',
            'cenbwp-abc%20',
            ' cenbwp-abc',
            'cenbwp-abc\n',
            'cenbwp-ab.c',
            '?',
            '#',
          ),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
        )
        .filter((id) => !id.includes('/') && !PLAN_ID.test(id))
        .map((id) => ({ kind: 'malformed' as const, id })),
    ),
    method: fc.constantFrom('GET', 'GET', 'GET', 'get', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'),
    auth: apiAuth,
    trailingSlash: fc.boolean(),
    sent,
  }),
  async setup(h) {
    for (const Bandwidth of [10, 20, 30]) await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth } });
  },
  async check(session, input) {
    const h = await session.harness();
    const id = input.id.kind === 'existing' ? h.cen.plans[input.id.index % h.cen.plans.length]!.id : input.id.id;
    const wire = { text: '', flagged: false, decoded: Buffer.alloc(0) };
    const path = `/bandwidth-plans/${id}${input.trailingSlash ? '/' : ''}`;
    const event = apiEvent(session.advance(input.sent.elapsed), { method: input.method, path, auth: input.auth, sent: input.sent, wire });
    const { result, delta } = await session.observe(h, () => h.invoke(event) as Promise<FcHttpResponse>);
    const answer = checkHttpAnswer(result, 'status');
    if (input.method !== 'GET') {
      assert.equal(answer.status, 405);
      assert.equal(result.headers.allow, 'GET');
      assertNothingCalled(delta);
      return '405 MethodNotAllowed';
    }
    if (input.auth !== 'signed') {
      assert.equal(answer.status, 401);
      assertNothingCalled(delta);
      return '401 Unauthorized';
    }
    if (input.id.kind === 'malformed') {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'InvalidParameter');
      assertNothingCalled(delta);
      return '400 InvalidParameter';
    }
    assert.deepEqual(
      delta.cen.map((request) => request.action),
      ['DescribeCenBandwidthPackages'],
    );
    if (input.id.kind === 'existing') {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.CenBandwidthPackageId, id);
      return '200 found';
    }
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'NotFound');
    return '404 NotFound';
  },
};
