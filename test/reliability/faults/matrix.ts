/**
 * What the fault matrix files share: a harness per cell (on a TestClock, so waits and polls take the
 * same number of steps on any machine), the faults and how they are injected, the purchase each source
 * makes, and the promises every cell checks whatever failed. Nothing here computes what a cell
 * expects: each file states its cells' results literally, row by row.
 */
import { expect, type TestContext } from 'vitest';
import { CLIENT_TOKEN_TAG_KEY } from '../../../shared/core/intent';
import { validateBandwidthPlan } from '../../../shared/core/schema';
import { issueApprovalCode, issueConfirmationCode } from '../../../shared/sources/chat/confirmation';
import type { ErrorFault } from '../../doubles/faults';
import { dingtalkMessage, larkMessage, slackButton, slackCommand } from '../../support/chat';
import { TestClock } from '../../support/clock';
import {
  CHAT_USERS,
  CHATOPS_CONFIRM_SECRET,
  cloudEvent,
  type Harness,
  type HarnessOptions,
  type HttpCall,
  startHarness,
  timerEvent,
  VALID_PLAN,
} from '../../support/harness';
import { accountForOutcomes, capturedTexts, leakedSecrets, type Settled, settle } from '../../support/observe';

/** Short attempts, three at most: a fault once costs one retry, a repeated fault uses all three, a final answer is not retried. */
export const RETRIES = { baseDelayMs: 2, maxDelayMs: 10, attemptTimeoutMs: 400, maxAttempts: 3 } as const;
/** FC timeout of every invocation: leaves the create 3 s and the wait 3 s (the pipeline keeps 4 s back). */
export const TIMEOUT_SECONDS = 8;
/** The "never hangs" guard: the function timeout plus a generous margin, not a performance bound. */
export const SETTLE_LIMIT_MS = TIMEOUT_SECONDS * 1000 + 15_000;
/** The guard for FC's background runs of a job: its first run and FC's three retries, each bounded as above. */
const IDLE_LIMIT_MS = 4 * SETTLE_LIMIT_MS;

/** What the doubles inject: their named faults, plus `final`, a non-retryable answer of the step's own (see each file). */
export type Fault = 'throttling' | 'unavailable' | 'internal' | 'blocking' | 'reset' | 'hang' | 'drop-after-success' | 'final';
export type Times = 'once' | 'repeatedly';
const TIMES: Record<Times, number> = { once: 1, repeatedly: Infinity };

export const CREATE = 'CreateCenBandwidthPackage';
export const DESCRIBE = 'DescribeCenBandwidthPackages';
export const PUBLISH = 'PublishMessage';
export const INVOKE = 'InvokeFunction';

/** The non-retryable answer each step gets in the `final` column. */
export const FINAL = {
  create: { code: 'OperationInvalid.UserCanNotBuyBwp', status: 400 },
  describe: { code: 'Forbidden.RAM', status: 403 },
  publish: { code: 'AccessDenied', status: 403 },
  invoke: { code: 'AccessDenied', status: 403 },
  // Slack refuses a spent response_url; DingTalk reports errors in a 200 body; Lark answers 400.
  slack: { code: 'used_url', status: 404 },
  dingtalk: { code: '300005', status: 200, message: 'token is not exist' },
  'lark-reply': { code: '230002', status: 400, message: 'The bot can not be outside the group.' },
  'lark-token': { code: '10014', status: 400, message: 'app secret invalid' },
} as const satisfies Record<string, ErrorFault>;

/** The two describes of a purchase: the lookup of the intent's plan by tag before buying, and the reads of a plan by id. */
export const LOOKUP: Readonly<Record<string, string>> = { 'Tag.1.Key': CLIENT_TOKEN_TAG_KEY };
export const BY_ID: Readonly<Record<string, string>> = { 'Filter.1.Key': 'CenBandwidthPackageId' };

interface Injectable {
  inject(fault: any, options: { times: number; action: string; params?: Readonly<Record<string, string>> }): void;
}

/** Queues `fault` (`final`: the step's own refusal) on `double` for requests to `action` (with `params`), once or for good. */
export function inject(double: Injectable, action: string, fault: Fault, times: Times, final: ErrorFault, params?: Readonly<Record<string, string>>): void {
  double.inject(fault === 'final' ? final : fault, { times: TIMES[times], action, ...(params ? { params } : {}) });
}

/** A harness for one cell on its own TestClock, closed when the cell ends (cells run concurrently: the hook comes from the test's context). */
export async function open(context: Pick<TestContext, 'onTestFinished'>, options: Omit<HarnessOptions, 'clock' | 'handler'> = {}): Promise<Harness> {
  const h = await startHarness({
    timeoutSeconds: TIMEOUT_SECONDS,
    clock: new TestClock(),
    ...options,
    env: { WAIT_SECONDS: '3', ...options.env },
    handler: { retryPolicy: RETRIES },
  });
  context.onTestFinished(() => h.close());
  return h;
}

export const requestsFor = (h: Harness, action: string, params: Readonly<Record<string, string>> = {}) =>
  h.cen.requests.filter((request) => request.action === action && Object.entries(params).every(([name, value]) => request.params[name] === value));

/** The kinds of the published outcomes, in the order the topic stored them. */
export const publishedKinds = (events: readonly any[]): string[] => events.map((event) => event.data.outcome);

export function returned<T>(settled: Settled): T {
  if (settled.kind !== 'returned') throw new Error(`expected the invocation to return, it ${settled.kind === 'threw' ? `threw ${settled.error}` : 'hung'}`);
  return settled.value as T;
}

/** A confirmation code for `requester`, issued as the bot would have after `create`. */
export function confirmationCode(requester: string): string {
  const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
  if (!validation.ok) throw new Error('fixture');
  return issueConfirmationCode({ request: validation.request, requester, now: Date.now(), key: CHATOPS_CONFIRM_SECRET });
}

/** The approval rule of the `slack-approval-job` rows: the matrix's 100 Mbit/s plan needs Bob's approval. */
export const APPROVER = 'slack:T0001/U0002';
export const APPROVAL_ENV = { APPROVERS: APPROVER, APPROVAL_ABOVE_MBPS: '50' } as const;

/** An approval code for the matrix's plan, asked by `requester` (what a `create` above the limit answers). */
export function approvalCode(requester: string): string {
  const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
  if (!validation.ok) throw new Error('fixture');
  return issueApprovalCode({ request: validation.request, requester, now: Date.now(), key: CHATOPS_CONFIRM_SECRET, ttlMs: 86_400_000 });
}

/** A signed `confirm <code>` from an allowed user of `platform`. */
export function chatConfirm(h: Harness, platform: 'slack' | 'dingtalk' | 'lark', code = confirmationCode(CHAT_USERS[platform])): HttpCall {
  switch (platform) {
    case 'slack':
      return slackCommand(`confirm ${code}`, h.chat.slackResponseUrl());
    case 'dingtalk':
      return dingtalkMessage(`confirm ${code}`, h.chat.dingtalkSessionWebhook());
    case 'lark':
      return larkMessage(`confirm ${code}`);
  }
}

/** The preview's Confirm button pressed in Slack by the allowed user: its reply and result go to the press's response_url. */
export function chatPress(h: Harness, code = confirmationCode(CHAT_USERS.slack)): HttpCall {
  return slackButton('confirm', code, { responseUrl: h.chat.slackActionUrl() });
}

/** Sends `call` and waits until FC has finished every async run it started (FC's retries included). */
export async function chatCall(h: Harness, call: HttpCall): Promise<Settled> {
  const settled = await settle(h.http(call), SETTLE_LIMIT_MS);
  expect(await settle(h.fc.idle(), IDLE_LIMIT_MS)).toEqual({ kind: 'returned', value: undefined });
  return settled;
}

export type PurchaseSource = 'http' | 'eventbridge' | 'timer' | 'slack-job' | 'slack-approval-job';

export interface Purchase {
  /** HTTP sources: the answer; async sources: what the invocation returned or threw; the chat job: the chat answer. */
  readonly first: Settled;
  /** FC runs the same event again (async sources; for the chat job, the job event FC holds). */
  redeliver(): Promise<Settled>;
}

/** One purchase of VALID_PLAN (the chat job: of a confirmed plan) through `source`. */
export async function purchase(h: Harness, source: PurchaseSource): Promise<Purchase> {
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
      const first = await chatCall(h, chatConfirm(h, 'slack'));
      return { first, redeliver: () => settle(h.invoke(h.fc.invocations[0]!.body), SETTLE_LIMIT_MS) };
    }
    case 'slack-approval-job': {
      // Bob approves what the allowed Slack user asked (the harness needs APPROVAL_ENV).
      const first = await chatCall(h, slackCommand(`approve ${approvalCode(CHAT_USERS.slack)}`, h.chat.slackResponseUrl(), 'U0002', 'T0001'));
      return { first, redeliver: () => settle(h.invoke(h.fc.invocations[0]!.body), SETTLE_LIMIT_MS) };
    }
  }
}

/**
 * What an async invocation did, as a row states it: returned an outcome (with the plan's status or
 * the error code), or threw an error with this code for FC to run the event again.
 */
export type AsyncResult =
  | { readonly outcome: 'created' | 'pending'; readonly Status: string }
  | { readonly outcome: 'failed'; readonly code: string }
  | { readonly threw: string; readonly retryable?: boolean };

/** Checks `settled` against the row's `expected`; `planId` is the plan bought, if any. */
export function expectAsyncResult(settled: Settled, expected: AsyncResult, planId: string | undefined): void {
  if ('threw' in expected) {
    const error = expected.retryable === undefined ? { code: expected.threw } : { code: expected.threw, retryable: expected.retryable };
    expect(settled).toMatchObject({ kind: 'threw', error });
  } else if ('code' in expected) expect(returned(settled)).toMatchObject({ outcome: expected.outcome, error: { code: expected.code } });
  else expect(returned(settled)).toMatchObject({ outcome: expected.outcome, CenBandwidthPackageId: planId, Status: expected.Status });
}

/** Checks every cell makes, whatever its step: one plan and one ClientToken at most, every outcome accounted for, no secret out. */
export function expectPromisesKept(h: Harness, extra: readonly unknown[]): void {
  expect(h.cen.plans.length).toBeLessThanOrEqual(1);
  expect(h.cen.distinctClientTokens()).toBeLessThanOrEqual(1);
  expect(new Set(requestsFor(h, CREATE).map((request) => request.params.ClientToken)).size).toBeLessThanOrEqual(1);
  expect(accountForOutcomes(h).lost).toBe(0);
  expect(leakedSecrets(capturedTexts(h, extra))).toEqual([]);
}
