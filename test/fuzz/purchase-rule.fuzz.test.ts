/**
 * The purchase rule, stated once and searched for a counterexample at every entry point:
 *
 *   CreateCenBandwidthPackage is called if and only if the input is a documented purchase that passed
 *   authentication, validation and the guardrails, and whose intent has no plan yet.
 *
 * An intent is its ClientToken (README "Intent tags and runaway limits": the plan is looked up by it
 * before buying): the caller's ClientToken, else the Idempotency-Key, the CloudEvent's source and id,
 * or the timer's name and time it derives from; an HTTP request with none of them is a new intent.
 *
 * "Documented purchase" is decided here from README alone (the oracle below), not from the product's
 * code: HTTP `POST /bandwidth-plans` (a trailing slash is the same path) with no query or exactly
 * `dryRun=false`, a valid signature of the right version, an absent or well-formed Idempotency-Key,
 * no Content-Encoding, no header given twice, a body that is a valid plan; an EventBridge CloudEvent
 * 1.0 with a non-empty source and id and valid data (alone or as one element of a batch); a timer
 * event with a valid payload; a chat `confirm` of a code issued to the same allowed user. Query
 * strings, header sets, encodings and batch mixes are generated too, not only bodies. Every draw is
 * fast-check's, the time between requests and each chat message's skew, ids, IV and nonce included
 * (delivery.ts), and the harness's clock is held: a failure replays from its seed (FUZZ_SEED and
 * FUZZ_PATH, ci-runs.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingtalkMessage, larkMessage, slackCommand } from '../support/chat';
import { TestClock } from '../support/clock';
import { cloudEvent, type Harness, type HarnessOptions, httpEvent, signWebhook, startHarness, WEBHOOK_SECRET } from '../support/harness';
import { FUZZ_REPLAY } from './ci-runs';
import { type Delivery, delivery, sentAt, WINDOWS } from './delivery';
import { garbageBody } from './garbage';
import { invalidPlan, type Plan, validPlan } from './plans';
import { FUZZ_EPOCH } from './session';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** The guardrails of this harness: README's MAX_BANDWIDTH_MBPS and ALLOWED_AREAS. */
const MAX_BANDWIDTH = 8000;
const ALLOWED_AREAS = ['China', 'Europe', 'Asia-Pacific', 'North-America'];
const withinGuardrails = (plan: Plan) =>
  (plan.Bandwidth as number) <= MAX_BANDWIDTH &&
  ALLOWED_AREAS.includes(plan.GeographicRegionAId as string) &&
  ALLOWED_AREAS.includes(plan.GeographicRegionBId as string);

/** README: an Idempotency-Key is 1–128 printable ASCII characters, no space, no comma. */
const WELL_FORMED_KEY = /^[!-+\--~]{1,128}$/;

let h: Harness;
/** The intents bought so far in this file's harness (see the rule above). */
const boughtIntents = new Set<string>();
/** Whether a documented purchase of `intent` is its first (and records it); undefined: always new. */
function firstPurchase(intent: string | undefined): boolean {
  if (intent === undefined) return true;
  if (boughtIntents.has(intent)) return false;
  boughtIntents.add(intent);
  return true;
}
const explicitToken = (plan: Plan): string | undefined => (typeof plan.ClientToken === 'string' ? `token:${plan.ClientToken}` : undefined);
/** A harness with this file's guardrails, on a held clock. */
const start = (env: HarnessOptions['env'] = {}) =>
  startHarness({ env: { MAX_BANDWIDTH_MBPS: String(MAX_BANDWIDTH), ALLOWED_AREAS: ALLOWED_AREAS.join(','), ...env }, clock: new TestClock(FUZZ_EPOCH) });
beforeAll(async () => {
  h = await start();
});

/** Moves the harness's clock on by `elapsedMs` (the time between two requests); returns the time the next one is sent at. */
function later(elapsedMs: number): number {
  (h.clock as TestClock).advance(elapsedMs);
  return h.clock.now();
}
afterAll(async () => {
  await h.close();
});

/** CreateCenBandwidthPackage calls made while `run` ran (including async chat jobs it started). */
async function createCalls(run: () => Promise<unknown>): Promise<number> {
  const before = h.cen.requests.length;
  await run().catch(() => undefined);
  await h.fc.idle();
  return h.cen.requests.slice(before).filter((request) => request.action === 'CreateCenBandwidthPackage').length;
}

/* ------------------------------------------------------------------ HTTP ---------------------- */

type Body = { kind: 'valid'; plan: Plan } | { kind: 'invalid'; plan: Plan } | { kind: 'garbage'; text: string | Buffer };
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 8, arbitrary: validPlan.map((plan) => ({ kind: 'valid' as const, plan })) },
  { weight: 2, arbitrary: invalidPlan.map(({ plan }) => ({ kind: 'invalid' as const, plan })) },
  { weight: 1, arbitrary: garbageBody.map((garbage) => ({ kind: 'garbage' as const, text: garbage.body })) },
);
const queryName = fc.constantFrom('dryRun', 'dryRun', 'DryRun', 'dryrun', 'dry_run', 'clientToken', 'x', '__proto__');
const queryValue = fc.constantFrom('true', 'false', 'false', 'True', 'FALSE', '1', '0', '', 'true,true', 'false,true', ' false');
const httpCase = fc.record({
  method: fc.oneof({ weight: 20, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT', 'post')),
  path: fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom('/bandwidth-plans', '/bandwidth-plans/') },
    fc.constantFrom('/bandwidth-plans/cenbwp-abc', '/Bandwidth-Plans', '/chatops/slack', '/2023-03-30/functions/create-bandwidth-plan/invocations'),
  ),
  query: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<Record<string, string>>({}, { dryRun: 'false' }) },
    fc.dictionary<string>(queryName, queryValue, { maxKeys: 2 }),
  ),
  idempotencyKey: fc.option(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom('order-1', 'order-2', 'k'.repeat(128), '~!#$%&*+-./:;<=>?@[]^_`{|}') }, fc.string({ maxLength: 130 })),
    { nil: undefined, freq: 2 },
  ),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'identity', 'br'), { nil: undefined, freq: 10 }),
  repeatedHeader: fc.integer({ min: 0, max: 19 }).map((draw) => draw === 0),
  transport: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('raw', 'base64') }, fc.constant('base64 not flagged')),
  auth: fc.oneof({ weight: 20, arbitrary: fc.constant('right version') }, fc.constantFrom('always v1', 'always v2', 'forged', 'stale', 'missing')),
  skew: fc.integer({ min: -250, max: 250 }),
  elapsed: fc.integer({ min: 1, max: 120_000 }),
  body,
});
type HttpCase = typeof httpCase extends fc.Arbitrary<infer T> ? T : never;

/** README's rule for an HTTP purchase. */
function httpBuys(input: HttpCase): boolean {
  const plainCreate = input.method === 'POST' && Object.keys(input.query).length === 0 && input.idempotencyKey === undefined;
  const authenticated = input.auth === 'right version' || (input.auth === 'always v1' && plainCreate) || (input.auth === 'always v2' && !plainCreate);
  const exactQuery = Object.keys(input.query).length === 0 || (Object.keys(input.query).length === 1 && input.query.dryRun === 'false');
  return (
    input.method === 'POST' &&
    (input.path === '/bandwidth-plans' || input.path === '/bandwidth-plans/') &&
    authenticated &&
    exactQuery &&
    (input.idempotencyKey === undefined || WELL_FORMED_KEY.test(input.idempotencyKey)) &&
    (input.contentEncoding === undefined || input.contentEncoding === 'identity') &&
    !input.repeatedHeader &&
    input.transport !== 'base64 not flagged' &&
    input.body.kind === 'valid' &&
    withinGuardrails(input.body.plan)
  );
}

function httpEventOf(input: HttpCase): Record<string, unknown> {
  const bytes = input.body.kind === 'garbage' ? input.body.text : JSON.stringify(input.body.plan);
  const raw = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
  const headers: Record<string, string> = {};
  if (input.idempotencyKey !== undefined) headers['Idempotency-Key'] = input.idempotencyKey;
  if (input.contentEncoding !== undefined) headers['Content-Encoding'] = input.contentEncoding;
  const sentAtMs = later(input.elapsed);
  const event = httpEvent({ method: input.method, path: input.path, query: input.query, headers, sign: false, body: '', now: sentAtMs });
  const wire = input.transport === 'raw' ? raw.toString('utf8') : raw.toString('base64');
  event.body = wire;
  event.isBase64Encoded = input.transport === 'base64';
  const decoded = input.transport === 'raw' ? Buffer.from(wire, 'utf8') : input.transport === 'base64' ? raw : Buffer.from(wire, 'utf8');
  const eventHeaders = event.headers as Record<string, string>;
  if (input.repeatedHeader) eventHeaders['content-type'] = 'text/plain';
  if (input.auth === 'missing') return event;
  const now = Math.floor(sentAtMs / 1000);
  const timestamp = input.auth === 'stale' ? now - 400 + input.skew * 4 - 1000 : now + input.skew;
  const method = input.method.toUpperCase();
  const line = {
    method: input.auth === 'always v1' ? 'POST' : method,
    path: input.path,
    query: input.auth === 'always v1' ? {} : input.query,
    idempotencyKey: input.auth === 'always v1' ? undefined : input.idempotencyKey,
  };
  let signature = signWebhook(input.auth === 'forged' ? 'a-forged-secret-of-thirty-two-characters' : WEBHOOK_SECRET, timestamp, decoded, line);
  // "always v2": sign the request line even for a plain create (v1 is the only form that verifies there).
  if (input.auth === 'always v2' && signature.startsWith('v1=')) {
    signature = signWebhook(WEBHOOK_SECRET, timestamp, decoded, { ...line, query: { v: '2' } });
  }
  eventHeaders['X-Webhook-Timestamp'] = String(timestamp);
  eventHeaders['X-Webhook-Signature'] = signature;
  return event;
}

/* ------------------------------------------------------------------ EventBridge and timer ----- */

type Data = { kind: 'valid'; plan: Plan } | { kind: 'invalid'; plan: Plan };
const data: fc.Arbitrary<Data> = fc.oneof(
  { weight: 3, arbitrary: validPlan.map((plan) => ({ kind: 'valid' as const, plan })) },
  invalidPlan.map(({ plan }) => ({ kind: 'invalid' as const, plan })),
);
type Element =
  | { kind: 'cloudevent'; id: string; source: string; specversion: string; data: Data; dataAsString: boolean }
  | { kind: 'not a cloudevent'; value: unknown };
const element: fc.Arbitrary<Element> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('cloudevent' as const),
      id: fc.oneof(fc.constantFrom('e-1', 'e-2', ''), fc.uuid()),
      source: fc.constantFrom('ops.bandwidth-planner', 'other', ''),
      specversion: fc.constantFrom('1.0', '1.0', '1.0', '0.3', '1'),
      data,
      dataAsString: fc.boolean(),
    }),
  },
  fc.oneof(
    data.map((d) => ({ kind: 'not a cloudevent' as const, value: d.plan })),
    fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'not a cloudevent' as const, value })),
    fc.constant({ kind: 'not a cloudevent' as const, value: null }),
  ),
);
const asyncCase = fc.record({ elements: fc.array(element, { minLength: 1, maxLength: 5 }), batch: fc.boolean() });

function eventOf(e: Element): unknown {
  if (e.kind === 'not a cloudevent') return e.value;
  const event = cloudEvent(e.id, e.dataAsString ? JSON.stringify(e.data.plan) : e.data.plan, e.source);
  event.specversion = e.specversion;
  return event;
}
/** README: a CloudEvent 1.0 with a non-empty source and id and valid data is bought (within the guardrails). */
const elementBuys = (e: Element) =>
  e.kind === 'cloudevent' && e.specversion === '1.0' && e.id !== '' && e.source !== '' && e.data.kind === 'valid' && withinGuardrails(e.data.plan);

const timerCase = fc.record({
  name: fc.constantFrom('monthly', 'nightly'),
  time: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  payload: data,
});

/* ------------------------------------------------------------------ chat ---------------------- */

const PLATFORMS = ['slack', 'dingtalk', 'lark'] as const;
const chatCase = fc.record({
  /** The platform, and how the create and the confirm are sent there. */
  sender: fc.oneof(
    ...PLATFORMS.map((platform) => fc.record({ platform: fc.constant(platform), sent: fc.tuple(delivery(WINDOWS[platform]), delivery(WINDOWS[platform])) })),
  ),
  creator: fc.constantFrom('allowed', 'allowed', 'allowed', 'not allowed'),
  confirmer: fc.constantFrom('creator', 'creator', 'creator', 'another allowed user', 'not allowed'),
  code: fc.constantFrom('issued', 'issued', 'issued', 'tampered', 'made up'),
  plan: fc.record({
    Bandwidth: fc.integer({ min: 2, max: MAX_BANDWIDTH + 1000 }),
    a: fc.constantFrom(...ALLOWED_AREAS, 'Australia'),
    b: fc.constantFrom(...ALLOWED_AREAS),
  }),
});
type ChatCase = typeof chatCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * Users: the allowed one on each platform (harness allow-list), a second allowed one, and a stranger.
 * The message is sent `sent.elapsed` ms after the one before, signed as `sent` draws it.
 */
function message(platform: ChatCase['sender']['platform'], who: 'allowed' | 'another allowed user' | 'not allowed', text: string, sent: Delivery) {
  const user = who === 'allowed' ? 0 : who === 'another allowed user' ? 1 : 2;
  const options = sentAt(sent, later(sent.elapsed));
  if (platform === 'slack') return slackCommand(text, h.chat.slackResponseUrl(sent.replyId), ['U0001', 'U0002', 'U9999'][user], 'T0001', options);
  if (platform === 'dingtalk') return dingtalkMessage(text, h.chat.dingtalkSessionWebhook(sent.replyId), ['staff-1', 'staff-2', 'staff-9'][user], options);
  return larkMessage(text, ['ou_alice', 'ou_bob', 'ou_mallory'][user], options);
}
const replyText = (answer: { body: unknown }, platform: string, repliesBefore: number): string =>
  platform === 'slack' ? JSON.stringify(answer.body) : JSON.stringify(h.chat.replies.slice(repliesBefore).map((reply) => reply.body));

describe('the purchase rule: CreateCenBandwidthPackage is called if and only if the input is a documented purchase that passed authentication, validation and the guardrails', () => {
  it('HTTP: any method, path, query string, header set, encoding, signature and body', async () => {
    await fc.assert(
      fc.asyncProperty(httpCase, async (input) => {
        const calls = await createCalls(() => h.invoke(httpEventOf(input)));
        const intent =
          input.body.kind === 'valid'
            ? (explicitToken(input.body.plan) ?? (input.idempotencyKey === undefined ? undefined : `key:${input.idempotencyKey}`))
            : undefined;
        expect(calls).toBe(httpBuys(input) && firstPurchase(intent) ? 1 : 0);
      }),
      { numRuns: RUNS * 3, ...FUZZ_REPLAY },
    );
  });

  it('EventBridge: one event or a batch of any mix of elements', async () => {
    await fc.assert(
      fc.asyncProperty(asyncCase, async ({ elements, batch }) => {
        const event = batch || elements.length > 1 ? elements.map(eventOf) : eventOf(elements[0]!);
        const before = h.mns.messages.length;
        const calls = await createCalls(() => h.invoke(event));
        const buys = elements.filter(
          (element) =>
            element.kind === 'cloudevent' &&
            element.data.kind === 'valid' &&
            elementBuys(element) &&
            firstPurchase(explicitToken(element.data.plan) ?? `cloudevent:${element.source}\n${element.id}`),
        );
        expect(calls).toBe(buys.length);
        // An array delivered alone is itself a batch: its elements are the elements.
        const count = Array.isArray(event) ? event.length : 1;
        // Every element leaves exactly one published outcome.
        expect(h.mns.messages.length - before).toBe(count);
      }),
      { numRuns: RUNS, ...FUZZ_REPLAY },
    );
  });

  it('timer: any payload', async () => {
    await fc.assert(
      fc.asyncProperty(timerCase, async ({ name, time, payload }) => {
        const calls = await createCalls(() => h.invoke({ triggerTime: time, triggerName: name, payload: JSON.stringify(payload.plan) }));
        const documented = payload.kind === 'valid' && withinGuardrails(payload.plan);
        expect(calls).toBe(documented && firstPurchase(explicitToken(payload.plan) ?? `timer:${name}\n${time}`) ? 1 : 0);
      }),
      { numRuns: RUNS, ...FUZZ_REPLAY },
    );
  });

  it('chat: create then confirm, by any user, with any code, on every platform', async () => {
    const allowedUsers =
      'slack:T0001/U0001,slack:T0001/U0002,dingtalk:ding-corp/staff-1,dingtalk:ding-corp/staff-2,lark:tenant-1/ou_alice,lark:tenant-1/ou_bob';
    const chat = await start({ CHATOPS_ALLOWED_USERS: allowedUsers });
    const outer = h;
    h = chat;
    try {
      await fc.assert(
        fc.asyncProperty(chatCase, async (input) => {
          const text = `create ${input.plan.Bandwidth} ${input.plan.a} ${input.plan.b}`;
          const repliesBefore = h.chat.replies.length;
          const { platform, sent } = input.sender;
          const created = await h.http(message(platform, input.creator === 'allowed' ? 'allowed' : 'not allowed', text, sent[0]));
          const issued = /confirm ([A-Za-z0-9]+)/.exec(replyText(created, platform, repliesBefore))?.[1];
          const code =
            input.code === 'made up'
              ? 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
              : issued && input.code === 'tampered'
                ? `${issued.slice(0, -1)}${issued.endsWith('A') ? 'B' : 'A'}`
                : issued;
          const who = input.confirmer === 'creator' ? (input.creator === 'allowed' ? 'allowed' : 'not allowed') : input.confirmer;
          const calls = code === undefined ? 0 : await createCalls(() => h.http(message(platform, who, `confirm ${code}`, sent[1])));
          const withinRules = input.plan.Bandwidth <= MAX_BANDWIDTH && ALLOWED_AREAS.includes(input.plan.a);
          const buys = input.creator === 'allowed' && withinRules && input.code === 'issued' && input.confirmer === 'creator';
          expect(calls).toBe(buys ? 1 : 0);
        }),
        { numRuns: RUNS, ...FUZZ_REPLAY },
      );
    } finally {
      h = outer;
      await chat.close();
    }
  });
});
