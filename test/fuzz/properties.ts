/**
 * Every entry point of the function, fuzzed: what is generated for it and the properties each input
 * must satisfy. Shared by the CI-sized vitest run (`*.fuzz.test.ts`) and the long run (`run.ts`).
 *
 * Properties, for every input:
 * - the handler settles; async sources never throw for bad input (they return a rejected outcome);
 * - every HTTP answer has the documented JSON shape, 4xx for bad input, never 5xx;
 * - bad input reaches CEN not at all; valid input is sent exactly as given (checked against the
 *   oracle in plans.ts) and CEN's ClientToken rules hold (new → bought, same → replayed, other → 409);
 * - chat never buys without a valid confirmation code from the same allowed user;
 * - no secret appears in anything that leaves the function.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FcHttpResponse } from '../../shared/runtime/fc';
import { dingtalkCallback, dingtalkSigned, larkEncryptedText, larkMessageEvent, larkSignedBody, slackSigned } from '../support/chat';
import { cloudEvent, type Harness, type HttpCall, httpEvent, LARK_VERIFICATION_TOKEN, signWebhook, VALID_PLAN, WEBHOOK_SECRET } from '../support/harness';
import { type ChatPlanCommand, chatPlanCommand, codeInPreview, commandishText, randomCode, randomText } from './chat-text';
import { BODY_LIMIT, type Garbage, garbageBody, garbageEvent, withKeyAt } from './garbage';
import { checkHttpAnswer } from './http-shape';
import { awaitsPayment, expectedWire, invalidPlan, normalised, type Plan, validPlan } from './plans';
import type { Delta, FuzzSession } from './session';

export interface EntryPoint<Input = any> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<Input>;
  /** Prepares a fresh harness (e.g. plans to look up). */
  readonly setup?: (h: Harness) => Promise<void>;
  /** Runs one input and checks every property (throws when one breaks); returns the outcome, for the tally. */
  check(session: FuzzSession, input: Input): Promise<string>;
}

const HEX48 = /^[0-9a-f]{48}$/;
/** README: an Idempotency-Key is 1–128 printable ASCII characters, no space, no comma. */
const IDEMPOTENCY_KEY = /^[!-+\--~]{1,128}$/;

/* ------------------------------------------------------------------ HTTP API ------------------ */

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
}

const apiCreateInput = fc.record({
  body: apiBody,
  transport,
  idempotencyKey: fc.option(fc.oneof(fc.constantFrom('order-1', 'order-2'), fc.string({ minLength: 1, maxLength: 40 })), { nil: undefined }),
  auth: apiAuth,
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

/** An FC HTTP trigger event with exactly this body and flag, signed over the bytes the function will decode. */
function apiEvent(call: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  auth: ApiAuth;
  wire: { text: string; flagged: boolean; decoded: Buffer };
}) {
  const event = httpEvent({ method: call.method, path: call.path, query: call.query ?? {}, headers: call.headers ?? {}, sign: false, body: '' });
  event.body = call.wire.text;
  event.isBase64Encoded = call.wire.flagged;
  if (call.auth !== 'unsigned') {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = call.auth === 'stale' ? now - 301 - (call.wire.decoded.length % 1000) : now;
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

function assertNothingCalled(delta: Delta): void {
  assert.deepEqual(
    delta.cen.map((request) => request.action),
    [],
    'CEN was called for bad input',
  );
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

/** One valid purchase: sent exactly as given, and CEN's ClientToken rule decides what happened. */
function checkPurchase(session: FuzzSession, h: Harness, plan: Plan, token: string, create: Delta['creates'][number] | undefined, plansAdded: number) {
  const wire = expectedWire(plan, token);
  assert.ok(create, 'a valid request reached CEN');
  assert.deepEqual({ ...create.params }, wire, 'CEN received the request exactly as given');
  const prediction = session.model.predict(token, wire);
  if (prediction.kind === 'new') {
    assert.equal(plansAdded, 1, 'a new token buys one plan');
    const planId = h.cen.plans.find((plan) => plan.clientToken === token)?.id;
    assert.ok(planId, 'the plan carries the token');
    session.model.record(token, wire, planId);
    return { kind: 'new' as const, planId };
  }
  assert.equal(plansAdded, 0, 'a repeated token buys nothing');
  return prediction;
}

export const httpCreate: EntryPoint<ApiCreateInput> = {
  name: 'HTTP POST /bandwidth-plans',
  arbitrary: apiCreateInput,
  async check(session, input) {
    const h = await session.harness();
    const wire = onTheWire(input.body, input.transport);
    const headers: Record<string, string> = input.idempotencyKey === undefined ? {} : { 'Idempotency-Key': input.idempotencyKey };
    const event = apiEvent({ method: 'POST', path: '/bandwidth-plans', headers, auth: input.auth, wire });
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
    assert.equal(delta.creates.length, 1);
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
    const event = apiEvent({ method: 'POST', path: '/bandwidth-plans', query: { dryRun: 'true' }, headers, auth: input.auth, wire });
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
    assert.deepEqual(answer.body.request, normalised(plan, token), 'the dry run shows the request exactly as it would be sent');
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
  }),
  async setup(h) {
    for (const Bandwidth of [10, 20, 30]) await h.http({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth } });
  },
  async check(session, input) {
    const h = await session.harness();
    const id = input.id.kind === 'existing' ? h.cen.plans[input.id.index % h.cen.plans.length]!.id : input.id.id;
    const wire = { text: '', flagged: false, decoded: Buffer.alloc(0) };
    const event = apiEvent({ method: input.method, path: `/bandwidth-plans/${id}${input.trailingSlash ? '/' : ''}`, auth: input.auth, wire });
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

/* ------------------------------------------------------------------ EventBridge and timer ----- */

type DataCase =
  | { kind: 'valid'; plan: Plan; asString: boolean }
  | { kind: 'invalid'; plan: Plan; asString: boolean }
  | { kind: 'garbage value'; value: unknown }
  | { kind: 'garbage text'; text: string }
  | { kind: 'prototype key'; text: string; asString: boolean }
  | { kind: 'missing' };

/** The `data` of a CloudEvent, as an object or as a JSON string. */
const dataCase: fc.Arbitrary<DataCase> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), plan: validPlan, asString: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('invalid' as const), plan: invalidPlan.map(({ plan }) => plan), asString: fc.boolean() }) },
  fc.record({ kind: fc.constant('garbage value' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({
    kind: fc.constant('garbage text' as const),
    text: garbageBody.filter((garbage) => typeof garbage.body === 'string').map((garbage) => garbage.body as string),
  }),
  fc.record({
    kind: fc.constant('prototype key' as const),
    text: fc
      .tuple(validPlan, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat(5))
      .map(([plan, key, depth]) => withKeyAt(JSON.stringify(plan), key, depth)),
    asString: fc.boolean(),
  }),
  fc.constant({ kind: 'missing' as const }),
);

const dataOf = (data: DataCase): unknown => {
  switch (data.kind) {
    case 'valid':
    case 'invalid':
      return data.asString ? JSON.stringify(data.plan) : data.plan;
    case 'garbage value':
      return data.value;
    case 'garbage text':
      return data.text;
    case 'prototype key':
      // JSON.parse keeps "__proto__" as an own key, so the event carries it as sent.
      return data.asString ? data.text : JSON.parse(data.text);
    case 'missing':
      return undefined;
  }
};

const identityText = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('ops.bandwidth-planner', 'evt-1', 'evt-2', '', 'a/b') },
  fc.string({ unit: 'binary', maxLength: 60 }),
);

interface CloudEventInput {
  readonly source: string;
  readonly id: string;
  readonly data: DataCase;
}
const cloudEventInput = fc.record({ source: identityText, id: identityText, data: dataCase });

/** What an async source returns for one event. */
interface AsyncResult {
  readonly outcome: string;
  readonly clientToken?: string;
  readonly CenBandwidthPackageId?: string;
  readonly Status?: string;
  readonly error?: { code: string; message: string };
  readonly notification?: { delivered: boolean };
}

/**
 * One event's result: bad data is a published rejection and costs no CEN call; valid data is bought
 * (or replayed, or refused as a conflict) exactly as given. `create` is the CEN request it made, if any.
 */
function checkAsyncResult(
  session: FuzzSession,
  h: Harness,
  result: AsyncResult,
  data: DataCase,
  identity: readonly string[],
  create: Delta['creates'][number] | undefined,
  plansAdded: number,
): string {
  assert.equal(result.notification?.delivered, true, 'every outcome is published');
  if (data.kind !== 'valid') {
    assert.equal(result.outcome, 'rejected', `bad data must be rejected, got ${JSON.stringify(result).slice(0, 300)}`);
    assert.equal(create, undefined, 'CEN was called for bad data');
    return `rejected ${result.error?.code}`;
  }
  const token = result.clientToken!;
  if (typeof data.plan.ClientToken === 'string') assert.equal(token, data.plan.ClientToken);
  else {
    assert.equal(token.slice(0, identity[0]!.length + 1), `${identity[0]}-`);
    assert.match(token.slice(identity[0]!.length + 1), HEX48);
    session.model.derived(identity, token);
  }
  const purchase = checkPurchase(session, h, data.plan, token, create, plansAdded);
  if (purchase.kind === 'conflict') {
    assert.deepEqual([result.outcome, result.error?.code], ['failed', 'IdempotenceParam.NotMatch']);
    return 'failed IdempotenceParam.NotMatch';
  }
  const pending = awaitsPayment(data.plan);
  assert.deepEqual(
    [result.outcome, result.Status, result.CenBandwidthPackageId],
    [pending ? 'pending' : 'created', pending ? 'pending' : 'Idle', purchase.planId],
  );
  return `${result.outcome} (${purchase.kind === 'new' ? 'bought' : 'replayed'})`;
}

/** A CloudEvent names its intent by a non-empty `source` and `id`; without them it is not one. */
const identifies = (source: string, id: string): boolean => source !== '' && id !== '';

/** An element that is not a CloudEvent: a published rejection that carries what arrived, and no purchase. */
function checkUnrecognised(
  result: AsyncResult,
  delta: Pick<Delta, 'creates'>,
  published: { outcome: string; trigger: { kind: string }; received?: string },
): string {
  assert.deepEqual([result.outcome, result.error?.code, result.notification?.delivered], ['rejected', 'UnknownEvent', true]);
  assert.equal(delta.creates.length, 0, 'CEN was called for an element that is not a CloudEvent');
  assert.deepEqual([published.outcome, published.trigger.kind, typeof published.received], ['rejected', 'unrecognised', 'string']);
  return 'rejected UnknownEvent (not a CloudEvent)';
}

/** Runs an async event: it must return (a thrown error would make FC retry bad input forever). */
async function invokeAsync(h: Harness, event: unknown): Promise<unknown> {
  try {
    return await h.invoke(event);
  } catch (error) {
    assert.fail(`the handler threw for this event: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`);
  }
}

export const eventBridgeSingle: EntryPoint<{ kind: 'event'; event: CloudEventInput } | { kind: 'garbage'; garbage: Garbage }> = {
  name: 'EventBridge (one CloudEvent)',
  arbitrary: fc.oneof(
    { weight: 9, arbitrary: cloudEventInput.map((event) => ({ kind: 'event' as const, event })) },
    { weight: 1, arbitrary: garbageEvent.map((garbage) => ({ kind: 'garbage' as const, garbage })) },
  ),
  async check(session, input) {
    const h = await session.harness();
    if (input.kind === 'garbage') {
      const { result, delta } = await session.observe(h, () => invokeAsync(h, input.garbage.body));
      assertNothingCalled(delta);
      // An array is a batch: one rejection per element (none for an empty one); anything else is one element.
      const results = Array.isArray(result) ? (result as AsyncResult[]) : [result as AsyncResult];
      for (const each of results) assert.equal(each?.outcome, 'rejected', `unexpected ${JSON.stringify(result)?.slice(0, 200)}`);
      assert.equal(delta.messages.length, results.length, 'every element leaves exactly one published outcome');
      return Array.isArray(result) ? `batch of ${results.length} rejected` : `rejected ${(result as AsyncResult).error?.code}`;
    }
    const { source, id, data } = input.event;
    const { result, delta } = await session.observe(h, () => invokeAsync(h, cloudEvent(id, dataOf(data), source)));
    assert.equal(delta.messages.length, 1);
    const published = JSON.parse(delta.messages[0]!.body).data;
    if (!identifies(source, id)) return checkUnrecognised(result as AsyncResult, delta, published);
    assert.ok(delta.creates.length <= 1);
    const label = checkAsyncResult(session, h, result as AsyncResult, data, ['eventbridge', source, id], delta.creates[0], delta.plansAdded);
    assert.equal(published.trigger.id, `${source}/${id}`);
    return label;
  },
};

export const eventBridgeBatch: EntryPoint<CloudEventInput[]> = {
  name: 'EventBridge (a batch of CloudEvents)',
  arbitrary: fc.array(
    fc.record({
      source: fc.oneof(fc.constant('ops.bandwidth-planner'), identityText),
      id: fc.oneof(fc.constantFrom('b-1', 'b-2'), identityText),
      data: dataCase,
    }),
    { minLength: 1, maxLength: 5 },
  ),
  async check(session, events) {
    const h = await session.harness();
    const { result, delta } = await session.observe(h, () =>
      invokeAsync(
        h,
        events.map((event) => cloudEvent(event.id, dataOf(event.data), event.source)),
      ),
    );
    assert.ok(Array.isArray(result), 'a batch answers one result per event');
    const results = result as AsyncResult[];
    assert.equal(results.length, events.length);
    // Events run in order: each valid one made the next CEN create request. A plan id not seen before
    // the batch (nor earlier in it) is the one plan that event bought.
    let creates = 0;
    const known = new Set(h.cen.plans.slice(0, h.cen.plans.length - delta.plansAdded).map((plan) => plan.id));
    const published = delta.messages.map((message) => JSON.parse(message.body).data);
    assert.equal(published.length, events.length, 'every element leaves exactly one published outcome');
    const labels = events.map((event, index) => {
      if (!identifies(event.source, event.id)) {
        assert.match(published[index].trigger.id, new RegExp(`\\[${index}\\]$`));
        return checkUnrecognised(results[index]!, { creates: [] }, published[index]);
      }
      const create = event.data.kind === 'valid' ? delta.creates[creates++] : undefined;
      const planId = results[index]!.CenBandwidthPackageId;
      const bought = planId !== undefined && !known.has(planId) ? 1 : 0;
      if (planId !== undefined) known.add(planId);
      assert.equal(published[index].trigger.id, `${event.source}/${event.id}`);
      return checkAsyncResult(session, h, results[index]!, event.data, ['eventbridge', event.source, event.id], create, bought);
    });
    assert.equal(creates, delta.creates.length);
    assert.equal(known.size, h.cen.plans.length, 'every plan bought is named by its event');
    // The summary counts the batches by size and, alongside, the outcome of every event in them.
    for (const label of labels) session.count(`  event: ${label}`);
    return `batch of ${events.length}`;
  },
};

type PayloadCase =
  | { kind: 'valid'; plan: Plan }
  | { kind: 'invalid'; plan: Plan }
  | { kind: 'garbage text'; text: string }
  | { kind: 'not a string'; value: unknown }
  | { kind: 'missing' };

export const timer: EntryPoint<{ name: string; time: string; payload: PayloadCase }> = {
  name: 'Timer',
  arbitrary: fc.record({
    name: fc.oneof(fc.constantFrom('monthly', 'nightly'), fc.string({ unit: 'binary', maxLength: 40 })),
    time: fc.oneof(
      fc.constantFrom('2025-02-01T01:00:00Z', '2025-03-01T01:00:00Z'),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.string({ maxLength: 30 }),
    ),
    payload: fc.oneof(
      { weight: 3, arbitrary: validPlan.map((plan) => ({ kind: 'valid' as const, plan })) },
      { weight: 4, arbitrary: invalidPlan.map(({ plan }) => ({ kind: 'invalid' as const, plan })) },
      fc.record({
        kind: fc.constant('garbage text' as const),
        text: garbageBody.filter((garbage) => typeof garbage.body === 'string').map((garbage) => garbage.body as string),
      }),
      fc.record({ kind: fc.constant('not a string' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.constant({ kind: 'missing' as const }),
    ),
  }),
  async check(session, { name, time, payload }) {
    const h = await session.harness();
    const event: Record<string, unknown> = { triggerTime: time, triggerName: name };
    if (payload.kind === 'valid' || payload.kind === 'invalid') event.payload = JSON.stringify(payload.plan);
    else if (payload.kind === 'garbage text') event.payload = payload.text;
    else if (payload.kind === 'not a string') event.payload = payload.value;
    const { result, delta } = await session.observe(h, () => invokeAsync(h, event));
    const data: DataCase = payload.kind === 'valid' ? { kind: 'valid', plan: payload.plan, asString: true } : { kind: 'missing' };
    const label = checkAsyncResult(session, h, result as AsyncResult, data, ['timer', name, time], delta.creates[0], delta.plansAdded);
    assert.equal(JSON.parse(delta.messages[0]!.body).data.trigger.id, `${name}@${time}`);
    return label;
  },
};

/* ------------------------------------------------------------------ chat: the signed envelope - */

type ChatAuth = 'signed' | 'forged' | 'stale' | 'unsigned';
const chatAuth = fc.oneof({ weight: 12, arbitrary: fc.constant<ChatAuth>('signed') }, fc.constantFrom<ChatAuth>('forged', 'stale', 'unsigned'));
const signing = (auth: ChatAuth, staleMs: number) =>
  auth === 'forged' ? { secret: 'forged-platform-secret-000' } : auth === 'stale' ? { skew: -staleMs } : auth === 'unsigned' ? { unsigned: true } : {};

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

export const slackEnvelope: EntryPoint<{ body: EnvelopeBody<(typeof SLACK_FIELDS)[number]>; auth: ChatAuth }> = {
  name: 'Slack (signed envelope)',
  arbitrary: fc.record({ body: envelopeBody(SLACK_FIELDS), auth: chatAuth }),
  async check(session, { body, auth }) {
    const h = await session.harness();
    const form = new URLSearchParams({
      team_id: 'T0001',
      user_id: 'U0001',
      channel_id: 'C0001',
      trigger_id: `trigger-${session.inputs}`,
      response_url: h.chat.slackResponseUrl(),
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
    const call = slackSigned(raw, signing(auth, 301_000));
    const { result, delta } = await session.observe(h, () => h.invoke(httpEvent(call)) as Promise<FcHttpResponse>);
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

export const dingtalkEnvelope: EntryPoint<{ body: EnvelopeBody<(typeof DINGTALK_FIELDS)[number]>; auth: ChatAuth }> = {
  name: 'DingTalk (signed envelope)',
  arbitrary: fc.record({ body: envelopeBody(DINGTALK_FIELDS), auth: chatAuth }),
  async check(session, { body, auth }) {
    const h = await session.harness();
    const callback = dingtalkCallback('help', h.chat.dingtalkSessionWebhook());
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
    const call = dingtalkSigned(raw, signing(auth, 3_600_001));
    const { result, delta } = await session.observe(h, () => h.invoke(httpEvent(call)) as Promise<FcHttpResponse>);
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

export const larkEnvelope: EntryPoint<{ body: LarkBody; auth: ChatAuth }> = {
  name: 'Lark (signed envelope)',
  arbitrary: fc.record({
    body: fc.oneof(
      { weight: 6, arbitrary: envelopeBody(LARK_FIELDS) as fc.Arbitrary<LarkBody> },
      fc.record({
        kind: fc.constant('not encrypted' as const),
        value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(larkMessageEvent('plan 100 China Europe'))),
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
  }),
  async check(session, { body, auth }) {
    const h = await session.harness();
    const event = larkMessageEvent('help');
    const options = signing(auth, 301_000);
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
    const { result, delta } = await session.observe(h, () => h.invoke(httpEvent(call)) as Promise<FcHttpResponse>);
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

/* ------------------------------------------------------------------ chat: the command text ----- */

type Platform = 'slack' | 'dingtalk' | 'lark';

type CommandCase =
  | { kind: 'random text'; text: string }
  | { kind: 'preview'; command: ChatPlanCommand }
  | { kind: 'purchase'; command: ChatPlanCommand; confirmTwice: boolean }
  | { kind: 'tampered code'; command: ChatPlanCommand; tamper: 'flip' | 'truncate' | 'append' | 'case' }
  | { kind: 'random code'; code: string };

interface CommandInput {
  readonly command: CommandCase;
  /** Whether the sender is on the allow-list. */
  readonly allowed: boolean;
}

const commandInput: fc.Arbitrary<CommandInput> = fc.record({
  command: fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('random text' as const), text: fc.oneof(commandishText, randomText) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('preview' as const), command: fc.oneof(chatPlanCommand('plan'), chatPlanCommand('create')) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('purchase' as const), command: chatPlanCommand('create'), confirmTwice: fc.boolean() }) },
    fc.record({
      kind: fc.constant('tampered code' as const),
      command: chatPlanCommand('create'),
      tamper: fc.constantFrom('flip', 'truncate', 'append', 'case'),
    }),
    fc.record({ kind: fc.constant('random code' as const), code: randomCode }),
  ),
  allowed: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
});

/** Slack escapes `&`, `<` and `>` in command text before sending it. */
const slackEscaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function chatCall(h: Harness, platform: Platform, text: string, allowed: boolean): HttpCall {
  const user = allowed ? undefined : 'outsider';
  switch (platform) {
    case 'slack': {
      const form = new URLSearchParams({
        team_id: 'T0001',
        user_id: user ?? 'U0001',
        channel_id: 'C0001',
        trigger_id: `trigger-${Math.random()}`,
        response_url: h.chat.slackResponseUrl(),
        text: slackEscaped(text),
        command: '/bwp',
      });
      return slackSigned(form.toString());
    }
    case 'dingtalk':
      return dingtalkSigned(JSON.stringify(dingtalkCallback(text, h.chat.dingtalkSessionWebhook(), user ?? 'staff-1')));
    case 'lark':
      return larkEncryptedText(JSON.stringify(larkMessageEvent(text, user ?? 'ou_alice')));
  }
}

/** Sends one command; returns the answer and the text of the reply the user sees. */
async function sendCommand(session: FuzzSession, h: Harness, platform: Platform, text: string, allowed: boolean) {
  const { result, delta } = await session.observe(h, () => h.invoke(httpEvent(chatCall(h, platform, text, allowed))) as Promise<FcHttpResponse>);
  const answer = checkHttpAnswer(result, 'chat');
  assert.equal(answer.status, 200, `a verified command answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  const replyText = platform === 'slack' ? String(answer.body.text) : delta.replies.map((reply) => JSON.stringify(reply.body)).join('\n');
  if (platform === 'slack') assert.equal(typeof answer.body.text, 'string');
  else {
    assert.deepEqual(answer.body, {});
    assert.ok(delta.replies.length >= 1, 'the command got a reply');
  }
  return { delta, replyText };
}

function tampered(code: string, how: 'flip' | 'truncate' | 'append' | 'case'): string {
  switch (how) {
    case 'flip':
      return code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    case 'truncate':
      return code.slice(0, -2);
    case 'append':
      return `${code}0`;
    case 'case':
      return code.replace(/[a-z]/, (char) => char.toUpperCase()) === code
        ? code.replace(/[A-Z]/, (char) => char.toLowerCase())
        : code.replace(/[a-z]/, (char) => char.toUpperCase());
  }
}

const PLATFORM_NAMES: Record<Platform, string> = { slack: 'Slack', dingtalk: 'DingTalk', lark: 'Lark' };

function chatCommands(platform: Platform): EntryPoint<CommandInput> {
  return {
    name: `${PLATFORM_NAMES[platform]} (command text)`,
    arbitrary: commandInput,
    async check(session, { command, allowed }) {
      const h = await session.harness();
      if (command.kind === 'random text' || command.kind === 'random code') {
        const text = command.kind === 'random text' ? command.text : `confirm ${command.code}`;
        const { delta } = await sendCommand(session, h, platform, text, allowed);
        assert.equal(delta.creates.length, 0, 'text without a valid code bought something');
        return command.kind === 'random text' ? 'random text: nothing bought' : 'random code: refused';
      }
      const preview = await sendCommand(session, h, platform, command.command.text, allowed);
      assert.equal(preview.delta.creates.length, 0, 'a preview bought something');
      if (!allowed) {
        assert.match(preview.replyText, /not allowed/);
        return `${command.command.kind} by an outsider: refused`;
      }
      assert.match(preview.replyText, /Bandwidth plan preview/);
      const code = codeInPreview(preview.replyText);
      assert.equal(code !== undefined, command.command.kind === 'create', 'create (and only create) issues a code');
      if (command.kind === 'preview') return `${command.command.kind}: preview`;
      if (command.kind === 'tampered code') {
        const refused = await sendCommand(session, h, platform, `confirm ${tampered(code!, command.tamper)}`, allowed);
        assert.equal(refused.delta.creates.length, 0, 'a tampered code bought something');
        assert.equal(refused.delta.invocations.length, 0, 'a tampered code started a job');
        assert.match(refused.replyText, /Not confirmed/);
        return 'tampered code: refused';
      }
      const confirmed = await sendCommand(session, h, platform, `confirm ${code}`, allowed);
      assert.equal(confirmed.delta.invocations.length, 1);
      assert.equal(confirmed.delta.creates.length, 1);
      const token = confirmed.delta.creates[0]!.params.ClientToken!;
      assert.match(token, /^chat-[0-9a-f]{32}$/);
      const purchase = checkPurchase(session, h, command.command.plan, token, confirmed.delta.creates[0], confirmed.delta.plansAdded);
      assert.equal(purchase.kind, 'new', 'a fresh code buys a new plan');
      const event = JSON.parse(confirmed.delta.messages.at(-1)!.body);
      assert.deepEqual(
        [event.type, event.data.trigger.kind, event.subject],
        [`cen.bandwidthplan.${awaitsPayment(command.command.plan) ? 'pending' : 'created'}`, platform, (purchase as { planId: string }).planId],
      );
      if (command.confirmTwice) {
        const again = await sendCommand(session, h, platform, `confirm ${code}`, allowed);
        assert.equal(again.delta.plansAdded, 0, 'confirming the same code twice bought twice');
        return 'create → confirm ×2: bought once';
      }
      return 'create → confirm: bought';
    },
  };
}

export const slackCommands = chatCommands('slack');
export const dingtalkCommands = chatCommands('dingtalk');
export const larkCommands = chatCommands('lark');

export const ENTRY_POINTS: readonly EntryPoint[] = [
  httpCreate,
  httpDryRun,
  httpStatus,
  eventBridgeSingle,
  eventBridgeBatch,
  timer,
  slackEnvelope,
  slackCommands,
  dingtalkEnvelope,
  dingtalkCommands,
  larkEnvelope,
  larkCommands,
];
