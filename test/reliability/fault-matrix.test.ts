/**
 * The fault matrix: every step that talks to the network × every fault the doubles can inject ×
 * once / repeatedly, through the real handler. Each cell checks the promises that must hold whatever
 * failed: at most one plan per intent, every outcome published or logged in full (and thrown for FC
 * to re-invoke when an async source could not finish), non-retryable errors never retried, the
 * invocation ends, no secret leaves the function.
 */
import { describe, expect, it, onTestFinished, type TestContext } from 'vitest';
import { validateBandwidthPlan } from '../../shared/core/schema';
import { clientTokenForConfirmation, issueConfirmationCode } from '../../shared/sources/chat/confirmation';
import type { ErrorFault } from '../doubles/faults';
import { dingtalkMessage, larkMessage, slackCommand } from '../support/chat';
import {
  CHAT_USERS,
  CHATOPS_CONFIRM_SECRET,
  cloudEvent,
  type Harness,
  type HarnessOptions,
  type HttpAnswer,
  startHarness,
  timerEvent,
  VALID_PLAN,
} from '../support/harness';
import { accountForOutcomes, capturedTexts, leakedSecrets, logsWith, publishedEvents, type Settled, settle } from '../support/observe';

/** Short attempts, few of them: a hang costs one attempt timeout, a cell stays well under a second or two. */
const RETRIES = { baseDelayMs: 2, maxDelayMs: 10, attemptTimeoutMs: 400, maxAttempts: 3 } as const;
const MAX = RETRIES.maxAttempts;
/** FC timeout of every invocation: leaves the create 3 s and the wait 3 s (the pipeline keeps 4 s back). */
const TIMEOUT_SECONDS = 8;
/** The "never hangs" guard: the function timeout plus a generous margin, not a performance bound. */
const SETTLE_LIMIT_MS = TIMEOUT_SECONDS * 1000 + 15_000;
/** FC's own retries of a failed async invocation (the FC double's default). */
const FC_ASYNC_RUNS = 4;

const FAULTS = ['throttling', 'unavailable', 'internal', 'blocking', 'reset', 'hang', 'drop-after-success', 'final'] as const;
type Fault = (typeof FAULTS)[number];
/** Faults every double understands (`blocking` is CEN's `Operation.Blocking`; MNS's `QpsLimitExceeded` is its `throttling`). */
const COMMON_FAULTS = FAULTS.filter((fault) => fault !== 'blocking');
const TIMES = { once: 1, repeatedly: Infinity } as const;
type Times = keyof typeof TIMES;

const CREATE = 'CreateCenBandwidthPackage';
const DESCRIBE = 'DescribeCenBandwidthPackages';
const PUBLISH = 'PublishMessage';
const INVOKE = 'InvokeFunction';

/** The non-retryable answer each step gets in the `final` column. */
const FINAL = {
  create: { code: 'OperationInvalid.UserCanNotBuyBwp', status: 400 },
  describe: { code: 'Forbidden.RAM', status: 403 },
  publish: { code: 'AccessDenied', status: 403 },
  invoke: { code: 'AccessDenied', status: 403 },
} as const satisfies Record<string, ErrorFault>;

interface Cell<Source extends string> {
  readonly name: string;
  readonly fault: Fault;
  readonly times: Times;
  readonly source: Source;
}

/**
 * The cross product of faults × once/repeatedly × sources, named for the test list. The tables run
 * with `it.for` (vitest's `it.each` that also hands over the test context): cells run concurrently,
 * and each closes its own harness through the context's `onTestFinished`.
 */
function cells<Source extends string>(step: string, faults: readonly Fault[], sources: readonly Source[]): Cell<Source>[] {
  return faults.flatMap((fault) =>
    (Object.keys(TIMES) as Times[]).flatMap((times) =>
      sources.map((source) => ({ name: `${step} × ${fault} × ${times} via ${source}`, fault, times, source })),
    ),
  );
}

/** The step succeeds in the end: the fault hit one attempt, and a retry was allowed. */
const recovers = (fault: Fault, times: Times): boolean => times === 'once' && fault !== 'final';
/** Requests one call makes: a final error is never retried; a repeated fault uses every attempt. */
const attemptsOf = (fault: Fault, times: Times): number => (fault === 'final' ? 1 : times === 'once' ? 2 : MAX);
const injected = <Named extends string>(fault: Fault, final: ErrorFault): Named | ErrorFault => (fault === 'final' ? final : (fault as Named));

/** What CEN's last error becomes once the client gives up: HTTP status and code. */
const CEN_GIVES_UP: Record<Exclude<Fault, 'final'>, { status: number; code: string }> = {
  throttling: { status: 429, code: 'Throttling.User' },
  unavailable: { status: 502, code: 'ServiceUnavailable' },
  internal: { status: 502, code: 'InternalError' },
  blocking: { status: 502, code: 'Operation.Blocking' },
  reset: { status: 502, code: 'NetworkError' },
  hang: { status: 502, code: 'NetworkError' },
  'drop-after-success': { status: 502, code: 'NetworkError' },
};
const cenFailure = (fault: Fault, final: ErrorFault & { httpStatus: number }) =>
  fault === 'final' ? { status: final.httpStatus, code: final.code } : CEN_GIVES_UP[fault];

const MNS_GIVES_UP: Record<Fault, string> = {
  throttling: 'QpsLimitExceeded',
  unavailable: 'ServiceUnavailable',
  internal: 'InternalError',
  blocking: 'n/a',
  reset: 'NetworkError',
  hang: 'NetworkError',
  'drop-after-success': 'NetworkError',
  final: FINAL.publish.code,
};

/** A harness for one cell, closed when the cell ends (cells run concurrently: the hook comes from the test's context). */
async function open(context: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({
    timeoutSeconds: TIMEOUT_SECONDS,
    ...options,
    env: { WAIT_SECONDS: '3', ...options.env },
    handler: { retryPolicy: RETRIES },
  });
  context.onTestFinished(() => h.close());
  return h;
}

const requestsFor = (h: Harness, action: string) => h.cen.requests.filter((request) => request.action === action);

function returned<T>(settled: Settled): T {
  if (settled.kind !== 'returned') throw new Error(`expected the invocation to return, it ${settled.kind === 'threw' ? `threw ${settled.error}` : 'hung'}`);
  return settled.value as T;
}

/** A confirmation code for `requester`, issued as the bot would have after `create`. */
function confirmationCode(requester: string): string {
  const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
  if (!validation.ok) throw new Error('fixture');
  return issueConfirmationCode({ request: validation.request, requester, now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
}

type PurchaseSource = 'http' | 'eventbridge' | 'timer' | 'slack-job';

interface Purchase {
  /** HTTP sources: the answer; async sources: what the invocation returned or threw. */
  readonly first: Settled;
  /** FC runs the same event again (async sources; for the chat job, the job event FC holds). */
  redeliver(): Promise<Settled>;
}

async function purchase(h: Harness, source: PurchaseSource): Promise<Purchase> {
  switch (source) {
    case 'http': {
      const call = { path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'matrix-1' } };
      return { first: await settle(h.http(call), SETTLE_LIMIT_MS), redeliver: () => settle(h.http(call), SETTLE_LIMIT_MS) };
    }
    case 'eventbridge':
    case 'timer': {
      const event = source === 'timer' ? timerEvent(VALID_PLAN) : cloudEvent('matrix-1', VALID_PLAN);
      return { first: await settle(h.invoke(event), SETTLE_LIMIT_MS), redeliver: () => settle(h.invoke(event), SETTLE_LIMIT_MS) };
    }
    case 'slack-job': {
      const code = confirmationCode(CHAT_USERS.slack);
      const first = await settle(h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl())), SETTLE_LIMIT_MS);
      expect(await settle(h.fc.idle(), FC_ASYNC_RUNS * SETTLE_LIMIT_MS)).toEqual({ kind: 'returned', value: undefined });
      return { first, redeliver: () => settle(h.invoke(h.fc.invocations[0]!.body), SETTLE_LIMIT_MS) };
    }
  }
}

/** Checks every cell makes, whatever its step. */
function expectPromisesKept(h: Harness, extra: readonly unknown[]): void {
  expect(h.cen.plans.length).toBeLessThanOrEqual(1);
  expect(h.cen.distinctClientTokens()).toBeLessThanOrEqual(1);
  expect(new Set(requestsFor(h, CREATE).map((request) => request.params.ClientToken)).size).toBeLessThanOrEqual(1);
  expect(accountForOutcomes(h).lost).toBe(0);
  expect(leakedSecrets(capturedTexts(h, extra))).toEqual([]);
}

describe.concurrent('CEN create', () => {
  const final = { ...FINAL.create, httpStatus: 403 };

  it.for(cells('CEN create', FAULTS, ['http', 'eventbridge', 'timer', 'slack-job'] as const))('$name', async ({ fault, times, source }, context) => {
    const h = await open(context);
    h.cen.inject(injected(fault, final), { times: TIMES[times], action: CREATE });

    const run = await purchase(h, source);

    const recovered = recovers(fault, times);
    const failure = cenFailure(fault, final);
    const perRun = attemptsOf(fault, times);
    // A repeated retryable failure must reach FC, which runs the event again.
    const handedToFc = !recovered && fault !== 'final';
    let runs = 1;
    if (source === 'http') {
      const answer = returned<HttpAnswer>(run.first);
      if (recovered) expect(answer).toMatchObject({ status: 201, body: { CenBandwidthPackageId: h.cen.plans[0]!.id, Status: 'Idle' } });
      else expect(answer).toMatchObject({ status: failure.status, body: { error: { code: failure.code }, ClientToken: expect.any(String) } });
      expect(requestsFor(h, CREATE)).toHaveLength(perRun);
    } else if (source === 'slack-job') {
      expect(returned<HttpAnswer>(run.first).body.text).toContain('Confirmed: buying');
      const [job] = h.fc.invocations;
      runs = handedToFc ? FC_ASYNC_RUNS : 1;
      expect(job).toMatchObject({ attempts: runs, state: handedToFc ? 'failed' : 'succeeded' });
      if (!handedToFc) expect(job!.result).toMatchObject({ outcome: recovered ? 'created' : 'failed' });
      expect(requestsFor(h, CREATE)).toHaveLength(runs * perRun);
    } else {
      if (recovered) expect(returned(run.first)).toMatchObject({ outcome: 'created', Status: 'Idle' });
      else if (fault === 'final') expect(returned(run.first)).toMatchObject({ outcome: 'failed', error: { code: failure.code } });
      else expect(run.first).toMatchObject({ kind: 'threw', error: { code: failure.code, retryable: true } });
      expect(requestsFor(h, CREATE)).toHaveLength(perRun);
    }
    // Bought when an attempt got through: a drop after success buys even though no answer came back.
    expect(h.cen.plans).toHaveLength(recovered || fault === 'drop-after-success' ? 1 : 0);
    expect(publishedEvents(h).map((event) => event.data.outcome)).toEqual(Array(runs).fill(recovered ? 'created' : 'failed'));

    if (handedToFc && source !== 'http') {
      h.cen.clearFaults();
      const again = await run.redeliver();
      expect(returned(again)).toMatchObject({ outcome: 'created' });
      expect(h.cen.plans).toHaveLength(1);
      expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
    }
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('CEN describe while waiting for the new plan', () => {
  it.for(cells('CEN describe (wait)', FAULTS, ['http', 'eventbridge'] as const))('$name', async ({ fault, times, source }, context) => {
    // The plan is Creating for 300 ms, so the wait polls DescribeCenBandwidthPackages more than once.
    const h = await open(context, { cen: { readyAfterMs: 300 } });
    h.cen.inject(injected(fault, FINAL.describe), { times: TIMES[times], action: DESCRIBE });

    const run = await purchase(h, source);

    // The plan was bought; a status that cannot be read makes it pending, never failed.
    const status = recovers(fault, times) ? 'Idle' : 'pending';
    const outcome = status === 'Idle' ? 'created' : 'pending';
    if (source === 'http') expect(returned(run.first)).toMatchObject({ status: 201, body: { CenBandwidthPackageId: h.cen.plans[0]!.id, Status: status } });
    else expect(returned(run.first)).toMatchObject({ outcome, CenBandwidthPackageId: h.cen.plans[0]!.id, Status: status });
    expect(h.cen.plans).toHaveLength(1);
    expect(requestsFor(h, CREATE)).toHaveLength(1);
    const describes = requestsFor(h, DESCRIBE).length;
    if (recovers(fault, times)) expect(describes).toBeGreaterThanOrEqual(2);
    else expect(describes).toBe(attemptsOf(fault, times));
    expect(logsWith(h, 'could not read the new plan status')).toHaveLength(status === 'Idle' ? 0 : 1);
    expect(publishedEvents(h).map((event) => [event.type, event.subject])).toEqual([[`cen.bandwidthplan.${outcome}`, h.cen.plans[0]!.id]]);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('CEN describe for GET /bandwidth-plans/{id}', () => {
  const final = { ...FINAL.describe, httpStatus: 403 };

  it.for(cells('CEN describe (status)', FAULTS, ['http'] as const))('$name', async ({ fault, times }, context) => {
    const h = await open(context);
    const created = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    const before = requestsFor(h, DESCRIBE).length;
    h.cen.inject(injected(fault, FINAL.describe), { times: TIMES[times], action: DESCRIBE });

    const settled = await settle(h.http({ method: 'GET', path: `/bandwidth-plans/${created.body.CenBandwidthPackageId}` }), SETTLE_LIMIT_MS);

    const answer = returned<HttpAnswer>(settled);
    if (recovers(fault, times))
      expect(answer).toMatchObject({ status: 200, body: { CenBandwidthPackageId: created.body.CenBandwidthPackageId, Status: 'Idle' } });
    else expect(answer).toMatchObject({ status: cenFailure(fault, final).status, body: { error: { code: cenFailure(fault, final).code } } });
    expect(requestsFor(h, DESCRIBE).length - before).toBe(attemptsOf(fault, times));
    expect(h.cen.plans).toHaveLength(1);
    expectPromisesKept(h, [answer]);
  });
});

describe.concurrent('MNS publish', () => {
  it.for(cells('MNS publish', COMMON_FAULTS, ['http', 'eventbridge', 'slack-job'] as const))('$name', async ({ fault, times, source }, context) => {
    const h = await open(context);
    h.mns.inject(injected(fault, FINAL.publish), { times: TIMES[times], action: PUBLISH });

    const run = await purchase(h, source);

    const delivered = recovers(fault, times);
    const notification = delivered ? { delivered: true } : { delivered: false, error: { code: MNS_GIVES_UP[fault] } };
    const perRun = attemptsOf(fault, times);
    // Runs of the pipeline before the checks below: FC's own retries for the chat job, one otherwise.
    let runs = 1;
    if (source === 'http') {
      expect(returned(run.first)).toMatchObject({ status: 201, body: { CenBandwidthPackageId: h.cen.plans[0]!.id, notification } });
    } else if (source === 'slack-job') {
      runs = delivered ? 1 : times === 'once' ? 2 : FC_ASYNC_RUNS;
      expect(h.fc.invocations[0]).toMatchObject({ attempts: runs, state: times === 'once' ? 'succeeded' : 'failed' });
    } else if (delivered) {
      expect(returned(run.first)).toMatchObject({ outcome: 'created', notification });
    } else {
      // An outcome that could not be published is thrown, so FC runs the event again.
      expect(run.first).toMatchObject({ kind: 'threw', error: { code: 'NotificationFailed' } });
    }
    const faultedRuns = times === 'once' ? 1 : runs;
    const cleanRuns = runs - faultedRuns;
    expect(h.mns.requests).toHaveLength(faultedRuns * perRun + cleanRuns);
    const notDelivered = logsWith(h, 'notification not delivered');
    expect(notDelivered).toHaveLength(delivered ? 0 : faultedRuns);
    for (const record of notDelivered) expect(record.cloudEvent).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
    // At least once: a publish whose answer was lost is stored again by the retry, under the same event id.
    const storedPerFaultedRun = fault === 'drop-after-success' ? perRun : delivered ? 1 : 0;
    const stored = publishedEvents(h);
    expect(stored).toHaveLength(faultedRuns * storedPerFaultedRun + cleanRuns);
    expect(new Set(stored.map((event) => event.id)).size).toBe((storedPerFaultedRun > 0 ? faultedRuns : 0) + cleanRuns);

    if (!delivered && source !== 'http') {
      h.mns.clearFaults();
      const again = await run.redeliver();
      expect(returned(again)).toMatchObject({ outcome: 'created' });
      expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
    }
    expect(h.cen.plans).toHaveLength(1);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('FC InvokeFunction (the chat confirm hand-off)', () => {
  it.for(cells('FC invoke', COMMON_FAULTS, ['slack'] as const))('$name', async ({ fault, times }, context) => {
    const h = await open(context);
    h.fc.inject(injected(fault, FINAL.invoke), { times: TIMES[times], action: INVOKE });
    const code = confirmationCode(CHAT_USERS.slack);

    const settled = await settle(h.http(slackCommand(`confirm ${code}`, h.chat.slackResponseUrl())), SETTLE_LIMIT_MS);
    expect(await settle(h.fc.idle(), SETTLE_LIMIT_MS)).toEqual({ kind: 'returned', value: undefined });

    const answer = returned<HttpAnswer>(settled);
    const handedOff = recovers(fault, times);
    expect(answer.status).toBe(200);
    expect(answer.body.text).toContain(handedOff ? 'Confirmed: buying' : 'Not sure it started');
    expect(logsWith(h, 'could not start the async chat job')).toHaveLength(handedOff ? 0 : 1);
    expect(h.fc.requests.filter((request) => request.action === INVOKE)).toHaveLength(attemptsOf(fault, times));
    // FC ran the job once per accepted invocation: also when the 202 was lost on the way back.
    const accepted = fault === 'drop-after-success' ? attemptsOf(fault, times) : handedOff ? 1 : 0;
    expect(h.fc.invocations).toHaveLength(accepted);
    expect(h.cen.plans).toHaveLength(accepted > 0 ? 1 : 0);
    if (accepted > 0) expect(h.cen.plans[0]!.clientToken).toBe(clientTokenForConfirmation(code));
    // A hand-off that may have failed is an outcome too: `failed` (HandOffFailed), besides any the job published.
    const expected = [...Array(accepted).fill('created'), ...(handedOff ? [] : ['failed'])].sort();
    expect(
      publishedEvents(h)
        .map((event) => event.data.outcome)
        .sort(),
    ).toEqual(expected);
    if (!handedOff)
      expect(publishedEvents(h).find((event) => event.data.outcome === 'failed')!.data).toMatchObject({
        error: { code: 'HandOffFailed' },
        clientToken: clientTokenForConfirmation(code),
      });
    expectPromisesKept(h, [answer]);
  });
});

type ReplyEndpoint = 'slack' | 'dingtalk' | 'lark-reply' | 'lark-token';

/** Where each platform's replies go, how many a confirm sends (ack + result), and its final refusal. */
const REPLY_ENDPOINTS: Record<ReplyEndpoint, { readonly sends: number; readonly final: ErrorFault; readonly platform: 'slack' | 'dingtalk' | 'lark' }> = {
  // Slack's ack is the HTTP answer itself; only the result goes to response_url.
  slack: { sends: 1, final: { code: 'used_url', status: 404 }, platform: 'slack' },
  // DingTalk reports errors in a 200 body.
  dingtalk: { sends: 2, final: { code: '300005', status: 200, message: 'token is not exist' }, platform: 'dingtalk' },
  'lark-reply': { sends: 2, final: { code: '230002', status: 400, message: 'The bot can not be outside the group.' }, platform: 'lark' },
  'lark-token': { sends: 2, final: { code: '10014', status: 400, message: 'app secret invalid' }, platform: 'lark' },
};

function chatConfirm(h: Harness, platform: 'slack' | 'dingtalk' | 'lark') {
  switch (platform) {
    case 'slack':
      return slackCommand(`confirm ${confirmationCode(CHAT_USERS.slack)}`, h.chat.slackResponseUrl());
    case 'dingtalk':
      return dingtalkMessage(`confirm ${confirmationCode(CHAT_USERS.dingtalk)}`, h.chat.dingtalkSessionWebhook());
    case 'lark':
      return larkMessage(`confirm ${confirmationCode(CHAT_USERS.lark)}`);
  }
}

describe.concurrent('chat replies', () => {
  it.for(cells('chat reply', COMMON_FAULTS, ['slack', 'dingtalk', 'lark-reply', 'lark-token'] as const))('$name', async ({ fault, times, source }, context) => {
    const h = await open(context, { env: { WAIT_SECONDS: '1' } });
    const endpoint = REPLY_ENDPOINTS[source];
    h.chat.inject(injected(fault, endpoint.final), { times: TIMES[times], action: source });

    const settled = await settle(h.http(chatConfirm(h, endpoint.platform)), SETTLE_LIMIT_MS);
    expect(await settle(h.fc.idle(), SETTLE_LIMIT_MS)).toEqual({ kind: 'returned', value: undefined });

    // A reply that cannot be sent is logged; the purchase goes on and is not run again for it.
    expect(returned<HttpAnswer>(settled).status).toBe(200);
    expect(h.cen.plans).toHaveLength(1);
    expect(h.fc.invocations).toHaveLength(1);
    expect(h.fc.invocations[0]).toMatchObject({ attempts: 1, state: 'succeeded', result: { job: 'confirm', outcome: 'created' } });
    expect(publishedEvents(h).map((event) => event.type)).toEqual(['cen.bandwidthplan.created']);

    const recovered = recovers(fault, times);
    const failedSends = recovered ? 0 : times === 'once' ? 1 : endpoint.sends;
    expect(logsWith(h, 'chat reply not delivered')).toHaveLength(failedSends);
    if (endpoint.sends === 1 || failedSends !== 1) expect(h.fc.invocations[0]!.result).toMatchObject({ replied: failedSends === 0 });

    const requests = h.chat.requests.filter((request) => request.action === source).length;
    const faultedSends = times === 'once' ? 1 : endpoint.sends;
    const expected = faultedSends * attemptsOf(fault, times) + (endpoint.sends - faultedSends);
    // A token fetched for one reply serves the next, unless both replies asked for one at once.
    if (source === 'lark-token' && recovered) expect([expected - 1, expected]).toContain(requests);
    else expect(requests).toBe(expected);

    const replies = h.chat.replies.filter((reply) => reply.platform === endpoint.platform).length;
    const storedTwice = fault === 'drop-after-success' && source !== 'lark-token';
    expect(replies).toBe(storedTwice ? expected : endpoint.sends - failedSends);
    expectPromisesKept(h, [settled]);
  });
});

describe('FC re-invocation of a thrown async event', () => {
  it.each([
    ['EventBridge', () => cloudEvent('redelivered-1', VALID_PLAN)],
    ['timer', () => timerEvent(VALID_PLAN, '2025-06-01T00:00:00Z')],
  ])('%s: every redelivery after a thrown failure reuses the token, buys once, and the outcome is published', async (_name, event) => {
    const h = await startHarness({ timeoutSeconds: TIMEOUT_SECONDS, handler: { retryPolicy: RETRIES } });
    onTestFinished(() => h.close());
    // The create succeeds server-side but no answer comes back, three invocations in a row.
    h.cen.inject('drop-after-success', { times: MAX * 3, action: CREATE });

    const runs = [];
    for (let run = 0; run < 4; run++) runs.push(await settle(h.invoke(event()), SETTLE_LIMIT_MS));

    expect(runs.map((settled) => settled.kind)).toEqual(['threw', 'threw', 'threw', 'returned']);
    expect(returned(runs[3]!)).toMatchObject({ outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(h.cen.plans).toHaveLength(1);
    expect(new Set(requestsFor(h, CREATE).map((request) => request.params.ClientToken)).size).toBe(1);
    expect(publishedEvents(h).map((e) => e.data.outcome)).toEqual(['failed', 'failed', 'failed', 'created']);
    expectPromisesKept(h, runs);
  });
});

describe('the chat answer after a hand-off whose answer was lost', () => {
  // Found by this matrix: when every InvokeFunction answer is lost after FC accepted the event, the
  // job runs (and buys), so the user must not be told that nothing was bought.
  it('does not tell the user that nothing was bought when FC may have accepted the job', async () => {
    const h = await startHarness({ timeoutSeconds: TIMEOUT_SECONDS, handler: { retryPolicy: RETRIES } });
    onTestFinished(() => h.close());
    h.fc.inject('drop-after-success', { times: Infinity, action: INVOKE });

    const answer = await h.http(slackCommand(`confirm ${confirmationCode(CHAT_USERS.slack)}`, h.chat.slackResponseUrl()));
    await h.fc.idle();

    expect(h.cen.plans).toHaveLength(1);
    expect(answer.body.text).not.toContain('Nothing was bought');
  });
});
