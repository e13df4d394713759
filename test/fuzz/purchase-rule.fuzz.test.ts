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
 * event with a valid payload; a chat `confirm` of a code issued to the same allowed user — typed, or
 * pressed as the preview's Confirm button (a Slack `block_actions` click, a Lark card action) that is
 * signed with the platform's secret within its window; a press replayed later buys nothing more. Query
 * strings, header sets, encodings and batch mixes are generated too, not only bodies. Every draw is
 * fast-check's, the time between requests and each chat message's skew, ids, IV and nonce included
 * (delivery.ts), and the harness's clock is held: a failure replays from its seed (FUZZ_SEED and
 * FUZZ_PATH, ci-runs.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingtalkMessage, larkCardAction, larkMessage, slackButton, slackCommand } from '../support/chat';
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
  // FC's times are RFC 3339 (four-digit years); text that is not one is refused (test/fuzz/properties/async.ts).
  time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
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
  /**
   * How the confirm is sent: typed, or pressed (Slack and Lark have buttons; DingTalk stays typed) —
   * signed as the platform signs, forged, or stale — and a press is then replayed as captured.
   */
  confirmedBy: fc.oneof(
    fc.constant({ kind: 'typed' as const }),
    fc.record({
      kind: fc.constant('button' as const),
      signature: fc.constantFrom('genuine', 'genuine', 'genuine', 'forged', 'stale'),
      replayAfterMs: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
    }),
  ),
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

/** README: Slack accepts a request stamped within 5 minutes of its clock, Lark within 10. */
const WINDOW_SECONDS = { slack: 300, lark: 600 } as const;
/** Whether `call`, signed at the time its timestamp header says, is within its platform's window now. */
function withinWindow(platform: 'slack' | 'lark', call: { headers?: Record<string, string> }): boolean {
  const stamped = Number(call.headers?.[platform === 'slack' ? 'X-Slack-Request-Timestamp' : 'X-Lark-Request-Timestamp']) * 1000;
  return Math.abs(h.clock.now() - stamped) <= WINDOW_SECONDS[platform] * 1000;
}

type ButtonSignature = 'genuine' | 'forged' | 'stale';
/** A press of Confirm carrying `code`, by `who`, `sent.elapsed` ms after the request before, signed as `signature` says. */
function press(platform: 'slack' | 'lark', who: 'allowed' | 'another allowed user' | 'not allowed', code: string, sent: Delivery, signature: ButtonSignature) {
  const user = who === 'allowed' ? 0 : who === 'another allowed user' ? 1 : 2;
  const options = {
    ...sentAt(sent, later(sent.elapsed), signature === 'stale'),
    ...(signature === 'forged' ? { secret: 'a-forged-secret-of-thirty-two-characters' } : {}),
  };
  if (platform === 'slack') {
    const presser = { user: ['U0001', 'U0002', 'U9999'][user], team: 'T0001', responseUrl: h.chat.slackActionUrl(sent.replyId) };
    return slackButton('confirm', code, presser, options);
  }
  return larkCardAction('confirm', code, ['ou_alice', 'ou_bob', 'ou_mallory'][user], options);
}

/* ------------------------------------------------------------------ approval ------------------ */

/** README "Approval": above 100 Mbit/s a purchase waits for one of APPROVERS who is not the requester. */
const APPROVAL_ABOVE = 100;
/** Alice asks (every platform); Bob approves (Slack, Lark: never DingTalk), Alice too on Slack; Carol is allowed but no approver; Mallory is neither. */
const PEOPLE = {
  slack: { alice: 'U0001', bob: 'U0002', carol: 'U0003', mallory: 'U9999' },
  dingtalk: { alice: 'staff-1', bob: 'staff-2', carol: 'staff-3', mallory: 'staff-9' },
  lark: { alice: 'ou_alice', bob: 'ou_bob', carol: 'ou_carol', mallory: 'ou_mallory' },
} as const;
type Person = keyof (typeof PEOPLE)['slack'];
const APPROVAL_ENV = {
  CHATOPS_ALLOWED_USERS: (['alice', 'bob', 'carol'] as const)
    .flatMap((who) => [`slack:T0001/${PEOPLE.slack[who]}`, `dingtalk:ding-corp/${PEOPLE.dingtalk[who]}`, `lark:tenant-1/${PEOPLE.lark[who]}`])
    .join(','),
  // Alice approves others' requests too (listed bare, as every workspace's), never her own.
  APPROVERS: `slack:T0001/${PEOPLE.slack.bob},lark:tenant-1/${PEOPLE.lark.bob},slack:${PEOPLE.slack.alice}`,
  APPROVAL_ABOVE_MBPS: String(APPROVAL_ABOVE),
};

const approvalCase = fc.record({
  /** Alice's create: on any platform, of any size (some need approval, some do not). */
  asked: fc.oneof(...PLATFORMS.map((platform) => fc.record({ platform: fc.constant(platform), sent: delivery(WINDOWS[platform]) }))),
  Bandwidth: fc.integer({ min: 2, max: 3 * APPROVAL_ABOVE }),
  /** Then someone answers the code — on Slack or Lark, or Alice where she asked — typed or pressed, genuine or forged. */
  answer: fc.record({
    who: fc.constantFrom<Person>('alice', 'bob', 'bob', 'carol', 'mallory'),
    where: fc.constantFrom('slack', 'lark'),
    command: fc.constantFrom('approve', 'approve', 'confirm', 'reject'),
    by: fc.constantFrom('typed', 'button'),
    signature: fc.constantFrom<ButtonSignature>('genuine', 'genuine', 'genuine', 'forged', 'stale'),
    code: fc.constantFrom('issued', 'issued', 'issued', 'tampered'),
    /** How it is sent, for each platform it may be sent on (each has its own window and units). */
    sent: fc.record({ slack: delivery(WINDOWS.slack), dingtalk: delivery(WINDOWS.dingtalk), lark: delivery(WINDOWS.lark) }),
  }),
});
type ApprovalCase = typeof approvalCase extends fc.Arbitrary<infer T> ? T : never;

/** The answer as sent: typed as a command, or a press of the button that stands for it (not on DingTalk). */
function answerCall(platform: ChatCase['sender']['platform'], answer: ApprovalCase['answer'], code: string) {
  const user = PEOPLE[platform][answer.who];
  const sent = answer.sent[platform];
  const options = {
    ...sentAt(sent, later(sent.elapsed), answer.signature === 'stale'),
    ...(answer.signature === 'forged' ? { secret: 'a-forged-secret-of-thirty-two-characters' } : {}),
  };
  if (answer.by === 'button' && platform === 'slack') {
    return slackButton(answer.command, code, { user, team: 'T0001', responseUrl: h.chat.slackActionUrl(sent.replyId) }, options);
  }
  if (answer.by === 'button' && platform === 'lark') return larkCardAction(answer.command, code, user, options);
  const text = `${answer.command} ${code}`;
  if (platform === 'slack') return slackCommand(text, h.chat.slackResponseUrl(sent.replyId), user, 'T0001', options);
  if (platform === 'dingtalk') return dingtalkMessage(text, h.chat.dingtalkSessionWebhook(sent.replyId), user, options);
  return larkMessage(text, user, options);
}

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
          /** README: a confirmation code lives 10 minutes from the create. */
          const codeExpiresAt = h.clock.now() + 600_000;
          const issued = /confirm ([A-Za-z0-9]+)/.exec(replyText(created, platform, repliesBefore))?.[1];
          const code =
            input.code === 'made up'
              ? 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
              : issued && input.code === 'tampered'
                ? `${issued.slice(0, -1)}${issued.endsWith('A') ? 'B' : 'A'}`
                : issued;
          const who = input.confirmer === 'creator' ? (input.creator === 'allowed' ? 'allowed' : 'not allowed') : input.confirmer;
          const { confirmedBy } = input;
          // DingTalk's robot has no button callbacks: its confirm is always typed.
          const pressed = confirmedBy.kind === 'button' && platform !== 'dingtalk' ? confirmedBy : undefined;
          const confirm =
            code === undefined
              ? undefined
              : pressed
                ? press(platform as 'slack' | 'lark', who, code, sent[1], pressed.signature)
                : message(platform, who, `confirm ${code}`, sent[1]);
          const calls = confirm === undefined ? 0 : await createCalls(() => h.http(confirm));
          const withinRules = input.plan.Bandwidth <= MAX_BANDWIDTH && ALLOWED_AREAS.includes(input.plan.a);
          const authentic = pressed === undefined || pressed.signature === 'genuine';
          const documented = input.creator === 'allowed' && withinRules && input.code === 'issued' && input.confirmer === 'creator';
          const buys = documented && authentic;
          expect(calls).toBe(buys ? 1 : 0);
          if (confirm && pressed?.replayAfterMs !== undefined) {
            // Replayed as captured: within the window the same command runs again, and an intent bought is not bought
            // again; outside it, 401. A press stamped ahead of the clock becomes fresh as the clock catches up: then it
            // is the press the platform signed, arriving in its window, and buys if it has not.
            later(pressed.replayAfterMs);
            const nowFresh = pressed.signature === 'stale' && withinWindow(platform as 'slack' | 'lark', confirm) && h.clock.now() < codeExpiresAt;
            expect(await createCalls(() => h.http(confirm))).toBe(documented && !buys && nowFresh ? 1 : 0);
          }
        }),
        { numRuns: RUNS * 3, ...FUZZ_REPLAY },
      );
    } finally {
      h = outer;
      await chat.close();
    }
  });
  it('approval: a purchase that needs approval is bought only by an approver other than the requester, typed or pressed', async () => {
    const approval = await start(APPROVAL_ENV);
    const outer = h;
    h = approval;
    try {
      await fc.assert(
        fc.asyncProperty(approvalCase, async ({ asked, Bandwidth, answer }) => {
          const repliesBefore = h.chat.replies.length;
          const { platform, sent } = asked;
          const created = await h.http(
            platform === 'slack'
              ? slackCommand(
                  `create ${Bandwidth} China Europe`,
                  h.chat.slackResponseUrl(sent.replyId),
                  PEOPLE.slack.alice,
                  'T0001',
                  sentAt(sent, later(sent.elapsed)),
                )
              : platform === 'dingtalk'
                ? dingtalkMessage(
                    `create ${Bandwidth} China Europe`,
                    h.chat.dingtalkSessionWebhook(sent.replyId),
                    PEOPLE.dingtalk.alice,
                    sentAt(sent, later(sent.elapsed)),
                  )
                : larkMessage(`create ${Bandwidth} China Europe`, PEOPLE.lark.alice, sentAt(sent, later(sent.elapsed))),
          );
          const needsApproval = Bandwidth > APPROVAL_ABOVE;
          const issued = /(?:confirm|approve) ([A-Za-z0-9]+)/.exec(replyText(created, platform, repliesBefore))?.[1];
          expect(issued).toBeDefined();
          const code = answer.code === 'tampered' ? `${issued!.slice(0, -1)}${issued!.endsWith('A') ? 'B' : 'A'}` : issued!;
          // Alice answers where she asked; the others on Slack or Lark (DingTalk has no approvers).
          const where = answer.who === 'alice' ? platform : answer.where;
          const call = answerCall(where, answer.by === 'button' && where === 'dingtalk' ? { ...answer, by: 'typed' } : answer, code);
          const calls = await createCalls(() => h.http(call));
          const authentic = answer.signature === 'genuine' && answer.code === 'issued';
          // The rule: a plan that needs approval is bought by an approver's approve; one that does not, by the requester's confirm.
          const buys =
            authentic && (needsApproval ? answer.command === 'approve' && answer.who === 'bob' : answer.command === 'confirm' && answer.who === 'alice');
          expect(calls).toBe(buys ? 1 : 0);
        }),
        { numRuns: RUNS * 2, ...FUZZ_REPLAY },
      );
    } finally {
      h = outer;
      await approval.close();
    }
  });
});
