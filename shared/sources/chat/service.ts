/**
 * Chat-ops, end to end, for every platform alike: the platform's adapter verifies and reads the
 * request → the allow-list → the command. Validation, previews and refusals answer at once; `confirm`
 * and `status` acknowledge at once and continue in an asynchronous invocation of this function
 * ({@link runChatJob}), which posts the final reply. Purchases go through the same pipeline,
 * guardrails and notifications as every other source, with a ClientToken derived from the
 * confirmation code (a double confirm buys once). A button press (Slack, Lark) is read as the
 * `<command> <code>` it stands for and takes the same path as the typed command.
 */
import type { PlanStatus } from '../../clients/cen/client';
import { type ApprovalRule, approvalReasons, describeApproval } from '../../core/approval';
import { asBandwidthPlanError, type BandwidthPlanError, ProductError, ValidationError } from '../../core/errors';
import { describeRoom } from '../../core/intent';
import { CHAT_PLATFORMS, type ChatPlatform, type Trigger } from '../../core/outcome';
import {
  createBandwidthPlan,
  describeBandwidthPlan,
  findPlanByIntent,
  type Invocation,
  type PipelineDeps,
  previewBandwidthPlan,
  quotaRoom,
  redeliveryReason,
  reportAwaitingApproval,
  reportFailure,
  reportRejection,
} from '../../core/pipeline';
import type { BandwidthPlanRequest } from '../../core/schema';
import type { ChatopsConfig } from '../../runtime/config';
import type { FcHttpResponse } from '../../runtime/fc';
import type { Logger } from '../../runtime/log';
import type { EventSource } from '../dispatch';
import type { HttpRequestView } from '../http-api/request';
import { errorBody, jsonResponse } from '../http-api/responses';
import { chatJobShape } from '../shapes';
import {
  clientTokenForConfirmation,
  isListedUser,
  issueApprovalCode,
  issueConfirmationCode,
  readApprovalCode,
  verifyApprovalCode,
  verifyConfirmationCode,
} from './confirmation';
import { parseCommand, type StatusKey } from './grammar';
import { CHAT_JOB_MAX_AGE_MS, type ChatJob, type ChatJobEvent, openChatJob, PURCHASE_JOB_MAX_AGE_MS, sealChatJob } from './jobs';
import type { ChatMessage, ReplyTarget } from './message';
import type { ChatPlatformAdapter } from './platform';
import type { ReplyPoster } from './poster';
import {
  cancelledReply,
  confirmationRefusedReply,
  confirmedReply,
  expiredJobReply,
  helpReply,
  invalidCommandReply,
  invalidRequestReply,
  notAllowedReply,
  outcomeReply,
  previewReply,
  type Reply,
  summarise,
} from './replies';

export interface ChatopsDeps {
  readonly config: ChatopsConfig;
  readonly pipeline: PipelineDeps;
  readonly platforms: Readonly<Record<ChatPlatform, ChatPlatformAdapter>>;
  readonly poster: ReplyPoster;
  /** Starts an asynchronous invocation of this function with the job (FC InvokeFunction, Async), by `deadline` (epoch ms). */
  readonly invokeSelf: (event: ChatJobEvent, deadline: number) => Promise<void>;
  readonly log: Logger;
  /** Which purchases need a second person (APPROVERS and the rule); undefined: none do. */
  readonly approval?: ApprovalRule | undefined;
}

/** What an async job returns to FC. */
export interface ChatJobResult {
  readonly job: ChatJob['kind'] | 'invalid';
  readonly outcome?: string;
  readonly CenBandwidthPackageId?: string | undefined;
  readonly replied: boolean;
}

/**
 * Slack and Lark give up after 3 s: everything the synchronous answer waits for — publishing a
 * refusal, the hand-off to the async run, posting the reply — shares this budget.
 */
const SYNC_BUDGET_MS = 2_500;
/** Of that budget, what reading the runaway limits' room for a preview may take; past it the preview goes without. */
const ROOM_BUDGET_MS = 1_000;

const NO_CONFIRM_SECRET = new ProductError('ConfigurationError', 'Buying from chat is switched off: the owner has not set CHATOPS_CONFIRM_SECRET.');

/** Serves `POST /chatops/{platform}`. Unverified requests get 401 and nothing else happens. */
export async function handleChatRequest(platform: ChatPlatform, request: HttpRequestView, deps: ChatopsDeps, invocation: Invocation): Promise<FcHttpResponse> {
  const adapter = deps.platforms[platform];
  const now = deps.pipeline.clock.now();
  const opened = adapter.open(request, deps.config, now);
  if ('refused' in opened) {
    deps.log.warn('chat request refused', { platform, reason: opened.refused });
    return jsonResponse(401, errorBody(new ProductError('Unauthorized', `The ${platform} request could not be verified (${opened.refused}).`)));
  }
  if ('challenge' in opened) return jsonResponse(200, { challenge: opened.challenge });
  if (!opened.parsed.ok) {
    const { issue } = opened.parsed;
    if (opened.ignoredUnlessCommand) {
      deps.log.info('chat event ignored', { platform, reason: `${issue.path}: ${issue.message}` });
      return jsonResponse(200, {});
    }
    return jsonResponse(400, errorBody(new ProductError('InvalidParameter', `${issue.path}: ${issue.message}`, { issues: [issue] })));
  }
  const message = opened.parsed.message;
  const quick: Invocation = { ...invocation, deadline: Math.min(invocation.deadline, now + SYNC_BUDGET_MS) };
  const reply = await commandReply(message, deps, quick, now);
  // The reply is the answer's body where the platform takes it there; otherwise it is posted and the request acknowledged.
  const delivery = adapter.deliver(reply, message);
  if ('body' in delivery) return jsonResponse(200, delivery.body);
  await sendReply(message.replyTo, reply, deps, quick.deadline);
  return delivery.post === 'empty' ? EMPTY_ANSWER : jsonResponse(200, {});
}

/** An empty 200: how a Slack button press is acknowledged (it takes no message in the answer). */
const EMPTY_ANSWER: FcHttpResponse = { statusCode: 200, headers: { 'cache-control': 'no-store' }, isBase64Encoded: false, body: '' };

/** Allow-list entries name immutable ids (`slack:T…/U…` or `slack:U…`): one rule with APPROVERS. */
export const isAllowedUser = isListedUser;

/** The message as a trigger; `requester` is who asked for the purchase when that was someone else (an approval). */
function triggerOf(message: ChatMessage, requester: string = message.userKey): Trigger {
  return { kind: message.platform, id: message.messageId, requester };
}

async function commandReply(message: ChatMessage, deps: ChatopsDeps, invocation: Invocation, now: number): Promise<Reply> {
  const command = parseCommand(message.text);
  if (command.kind === 'help') return helpReply();
  const purchaseAttempt =
    command.kind === 'create' ||
    command.kind === 'confirm' ||
    command.kind === 'approve' ||
    (command.kind === 'invalid' && (command.command === 'create' || command.command === 'confirm' || command.command === 'approve'));
  const { config } = deps;
  // Approvers need not be on the allow-list to approve or reject: that is their whole role.
  const approving = (command.kind === 'approve' || command.kind === 'reject') && isListedUser(message.userKey, deps.approval?.approvers ?? []);
  if (!approving && !isAllowedUser(message.userKey, config.allowedUsers)) {
    deps.log.warn('chat user not allowed', { platform: message.platform, requester: message.userKey, command: command.kind });
    if (purchaseAttempt) {
      await refuse(message, new ProductError('NotAllowed', `${message.userKey} is not on the chat-ops allow-list (CHATOPS_ALLOWED_USERS).`), deps, invocation);
    }
    return notAllowedReply();
  }
  switch (command.kind) {
    case 'invalid':
      // A create or confirm the grammar could not read is a refused purchase attempt; other typos are not.
      if (purchaseAttempt) await refuse(message, new ValidationError([{ path: 'text', message: command.message }]), deps, invocation);
      return invalidCommandReply(command);
    case 'plan':
    case 'create': {
      // The pipeline's own preview: the same validation and guardrails as a dry run.
      const checked = previewBandwidthPlan(command.input, undefined, deps.pipeline);
      if (!checked.ok) {
        if (command.kind === 'create') await refuse(message, new ValidationError(checked.issues), deps, invocation);
        return invalidRequestReply(checked.issues);
      }
      const { request, verdict } = checked.preview;
      const shownVerdict = { allowed: verdict.allowed, reasons: [...verdict.reasons, ...verdict.notes] };
      const room = verdict.allowed ? await quotaRoom(deps.pipeline, invocation, now + ROOM_BUDGET_MS) : undefined;
      const shownRoom = room && describeRoom(room);
      const reasons = deps.approval && verdict.allowed ? approvalReasons(request, deps.approval) : [];
      const approvalLine = deps.approval && reasons.length > 0 ? describeApproval(reasons, deps.approval) : undefined;
      if (command.kind === 'plan') return previewReply({ kind: 'plan', request, verdict: shownVerdict, room: shownRoom, approvalLine });
      if (!verdict.allowed) {
        await refuse(message, new ProductError('PolicyDenied', verdict.reasons.join('; ')), deps, invocation, request);
        return previewReply({ kind: 'create', request, verdict: shownVerdict });
      }
      const [signingKey] = config.confirmSecrets;
      if (!signingKey) {
        await refuse(message, NO_CONFIRM_SECRET, deps, invocation, request);
        return errorReply(NO_CONFIRM_SECRET);
      }
      if (deps.approval && approvalLine !== undefined) {
        // Asked of the channel: the code carries the request, who asked and until when (stateless).
        const expiresAt = now + deps.approval.ttlMs;
        const approvalCode = issueApprovalCode({ request, requester: message.userKey, now, key: signingKey, ttlMs: deps.approval.ttlMs });
        const pending = { code: approvalCode, expiresAt: new Date(expiresAt).toISOString(), approvers: deps.approval.approvers, reasons };
        // The ClientToken the approved purchase will use: every outcome of this intent can be matched to it.
        await reportAwaitingApproval(triggerOf(message), request, pending, deps.pipeline, invocation, clientTokenForConfirmation(approvalCode));
        return previewReply({ kind: 'create', request, verdict: shownVerdict, room: shownRoom, approvalLine, approval: { code: approvalCode, expiresAt } });
      }
      const code = issueConfirmationCode({ request, requester: message.userKey, now, key: signingKey });
      return previewReply({ kind: 'create', request, verdict: shownVerdict, code, room: shownRoom });
    }
    case 'confirm': {
      if (config.confirmSecrets.length === 0) {
        await refuse(message, NO_CONFIRM_SECRET, deps, invocation);
        return errorReply(NO_CONFIRM_SECRET);
      }
      const check = verifyConfirmationCode(command.code, { requester: message.userKey, now, keys: config.confirmSecrets });
      if (!check.ok) {
        if (check.reason === 'tampered' && readApprovalCode(command.code, config.confirmSecrets)) {
          // A code that waits for an approver: confirming it yourself is exactly what four eyes forbid.
          await refuse(message, new ProductError('ApprovalRequired'), deps, invocation);
          return approvalRefusedReply('confirm');
        }
        await refuse(message, new ProductError('InvalidParameter', `The confirmation code was refused (${check.reason}).`), deps, invocation);
        return confirmationRefusedReply(check.reason);
      }
      const job: ChatJob = { ...jobBase(message, now), kind: 'confirm', code: command.code };
      const started = await handOff(job, deps, invocation.deadline);
      if (started) {
        // Whether the purchase runs is unknown: say so where outcomes are read, as well as in chat.
        const failure = new ProductError(
          'HandOffFailed',
          `The purchase could not be handed to its asynchronous run (${started.code}); it may still run, and then its own outcome follows.`,
        );
        await reportFailure(triggerOf(message), failure, deps.pipeline, invocation, {
          request: check.request,
          clientToken: clientTokenForConfirmation(command.code),
        });
        return started.reply;
      }
      return confirmedReply(check.request);
    }
    case 'cancel': {
      // Nothing to undo (codes are stateless) and nothing to publish: not a purchase attempt. Only
      // the person who asked closes their preview (a shared Lark card would close for everyone).
      if (config.confirmSecrets.length === 0) return errorReply(NO_CONFIRM_SECRET);
      if (readApprovalCode(command.code, config.confirmSecrets) !== undefined) return cancelledReply(true);
      const check = verifyConfirmationCode(command.code, { requester: message.userKey, now, keys: config.confirmSecrets });
      if (!check.ok && check.reason !== 'expired') return { title: 'Not cancelled', lines: [CANCEL_REFUSALS[check.reason]] };
      return cancelledReply(false);
    }
    case 'approve':
    case 'reject':
      return approvalCommandReply(command.kind, command.code, message, deps, invocation, now);
    case 'status': {
      if (config.confirmSecrets.length === 0) return errorReply(NO_CONFIRM_SECRET);
      const started = await handOff({ ...jobBase(message, now), kind: 'status', id: command.id, by: command.by }, deps, invocation.deadline);
      return started?.reply ?? { title: 'Looking it up', lines: [`Reading the status of ${command.id}; the answer follows here.`] };
    }
  }
}

/** Why a `cancel` was refused: the preview stays as it is, for the person who asked. */
const CANCEL_REFUSALS = {
  'other-user': 'Only the person who asked can cancel this preview.',
  malformed: 'That is not a code from a preview. Copy it exactly.',
  tampered: 'That code is not valid. Copy it exactly from the preview.',
} as const;

/** Why an approval step was refused, in words, by the failure the code check found. */
const APPROVAL_REFUSALS = {
  confirm: 'This purchase needs approval by another person: one of APPROVERS must send "approve <code>". You cannot confirm it yourself.',
  'own-request': 'You asked for this purchase: another approver must approve it.',
  'not-approver': 'Only an approver (APPROVERS) can approve or reject a purchase.',
  expired: 'That approval code has expired. Ask again with create.',
  malformed: 'That is not an approval code. Copy it exactly from the request.',
  tampered: 'That approval code is not valid. Copy it exactly from the request.',
} as const;

function approvalRefusedReply(reason: keyof typeof APPROVAL_REFUSALS): Reply {
  return { title: 'Not approved', lines: [APPROVAL_REFUSALS[reason], 'Nothing was bought.'] };
}

/**
 * `approve <code>` hands the purchase to the async run (the code's ClientToken makes a second
 * approval, or two approvers at once, buy once); `reject <code>` ends the request for this approver
 * and publishes it. A requester may reject (withdraw) their own request, never approve it.
 */
async function approvalCommandReply(
  kind: 'approve' | 'reject',
  code: string,
  message: ChatMessage,
  deps: ChatopsDeps,
  invocation: Invocation,
  now: number,
): Promise<Reply> {
  const { config } = deps;
  if (config.confirmSecrets.length === 0 || !deps.approval)
    return errorReply(new ProductError('ApprovalRefused', 'No purchase here needs approval: APPROVERS and the approval rule are not set.'));
  const check = verifyApprovalCode(code, { approver: message.userKey, approvers: deps.approval.approvers, now, keys: config.confirmSecrets });
  const withdrawing = kind === 'reject' && !check.ok && check.reason === 'own-request';
  if (!check.ok && !withdrawing) {
    if (kind === 'approve') {
      const error = new ProductError('ApprovalRefused', `The approval of ${message.userKey} was refused (${check.reason}).`);
      await reportRejection(triggerOf(message, check.requester), error, deps.pipeline, invocation, { approver: message.userKey });
    }
    return approvalRefusedReply(check.reason);
  }
  if (kind === 'reject') {
    const { request, requester, clientToken, expiresAt } = readApprovalCode(code, config.confirmSecrets)!;
    const error = new ProductError(
      'ApprovalRejected',
      `${message.userKey} ${withdrawing ? 'withdrew' : 'rejected'} the purchase asked by ${requester}. Nothing was bought.`,
    );
    // With the ClientToken, whoever reads the topic can match this to the request (and to a plan, if
    // another approver approves the code anyway); the approval channel is told not to approve it.
    const completed = await reportRejection(triggerOf(message, requester), error, deps.pipeline, invocation, {
      request,
      clientToken,
      approver: message.userKey,
    });
    await deps.pipeline.approval?.announce?.(completed.outcome, invocation.deadline);
    return {
      title: withdrawing ? 'Withdrawn' : 'Rejected',
      lines: [
        error.message,
        `Codes keep no state: another approver could still approve this one until it expires (${new Date(expiresAt).toISOString()}). Approvers have been told not to.`,
      ],
      settles: true,
    };
  }
  if (!check.ok) return approvalRefusedReply(check.reason);
  const started = await handOff({ ...jobBase(message, now), kind: 'approve', code }, deps, invocation.deadline);
  if (started) {
    const failure = new ProductError('HandOffFailed', `The approved purchase could not be handed to its asynchronous run (${started.code}); it may still run.`);
    await reportFailure(triggerOf(message, check.requester), failure, deps.pipeline, invocation, { request: check.request, clientToken: check.clientToken });
    return started.reply;
  }
  return {
    title: 'Approved: buying',
    lines: [summarise(check.request), `Approved by ${message.userKey}, asked by ${check.requester}.`, 'The result follows here when the plan is ready.'],
    settles: true,
  };
}

/**
 * A refused purchase attempt (`create`, or `confirm`) is an outcome like any other: published as
 * `rejected` with who asked and why. Previews, `help` and `status` are not purchase attempts.
 */
async function refuse(
  message: ChatMessage,
  error: BandwidthPlanError,
  deps: ChatopsDeps,
  invocation: Invocation,
  request?: BandwidthPlanRequest,
): Promise<void> {
  await reportRejection(triggerOf(message), error, deps.pipeline, invocation, { request });
}

function jobBase(message: ChatMessage, now: number) {
  return { platform: message.platform, messageId: message.messageId, userKey: message.userKey, replyTo: message.replyTo, acceptedAt: now };
}

/** Starts the async run; returns an error reply (and its code) if it could not be started, else undefined. */
async function handOff(job: ChatJob, deps: ChatopsDeps, deadline: number): Promise<{ reply: Reply; code: string } | undefined> {
  try {
    await deps.invokeSelf(sealChatJob(job, deps.config.confirmSecrets[0]!), deadline);
    return undefined;
  } catch (error) {
    const failure = asBandwidthPlanError(error);
    deps.log.error('could not start the async chat job', { job: job.kind, messageId: job.messageId, error: failure });
    // The answer may have been lost after FC accepted the job: whether it runs is unknown, not "no".
    const reply = {
      title: 'Not sure it started',
      lines: [
        'The purchase may or may not have started; the result will follow here if it did.',
        'Sending the same command again is safe: it cannot buy twice.',
        `Error code: ${failure.code}`,
      ],
    };
    return { reply, code: failure.code };
  }
}

function errorReply(error: BandwidthPlanError): Reply {
  return { title: 'Cannot do that here', lines: [error.message] };
}

async function sendReply(target: ReplyTarget, reply: Reply, deps: ChatopsDeps, deadline: number): Promise<boolean> {
  try {
    await deps.platforms[target.platform].send(target, reply, deps.poster, deadline);
    return true;
  } catch (error) {
    deps.log.error('chat reply not delivered', { platform: target.platform, title: reply.title, error: asBandwidthPlanError(error) });
    return false;
  }
}

/**
 * Runs a job in the async invocation. A retryable purchase failure (or an outcome that could not be
 * published) is thrown, so FC runs the job again: the ClientToken derives from the confirmation
 * code, so nothing is bought twice.
 */
export async function runChatJob(event: ChatJobEvent, deps: ChatopsDeps, invocation: Invocation): Promise<ChatJobResult> {
  const job = openChatJob(event, deps.config.confirmSecrets);
  if (!job) {
    // Not sealed by this function (or sealed with a key since removed): nothing in it can be trusted
    // — not even where to reply — but that a job was refused is an outcome.
    deps.log.warn('chat job refused: its MAC matches no CHATOPS_CONFIRM_SECRET');
    const refusal = new ProductError(
      'Unauthorized',
      'A chat job not sealed with a current CHATOPS_CONFIRM_SECRET (rotated or removed?) was refused; nothing was bought.',
    );
    const completed = await reportRejection({ kind: 'unrecognised', id: invocation.fcRequestId }, refusal, deps.pipeline, invocation);
    const again = redeliveryReason(completed);
    if (again) throw again;
    return { job: 'invalid', replied: false };
  }
  const trigger: Trigger = { kind: job.platform, id: job.messageId, requester: job.userKey };
  const age = deps.pipeline.clock.now() - job.acceptedAt;
  const maxAge = job.kind === 'status' ? CHAT_JOB_MAX_AGE_MS : PURCHASE_JOB_MAX_AGE_MS;
  // A late purchase job may be FC's retry of one whose plan was bought but whose answer was lost: its
  // outcome is then that plan (the pipeline finds it by its intent tag), not "nothing was bought".
  const late = age > maxAge || age < -CHAT_JOB_MAX_AGE_MS;
  const boughtBefore = late && job.kind !== 'status' && age <= CHAT_JOB_MAX_AGE_MS && (await boughtAlready(job, deps, invocation));
  if (late && !boughtBefore) {
    return refuseJob(
      job,
      trigger,
      new ProductError(
        'InvalidParameter',
        `This chat job is ${job.kind === 'status' ? 'older than FC keeps async events' : 'more than an hour after its command'}: a replayed or stale copy. Nothing was bought.`,
      ),
      deps,
      invocation,
      expiredJobReply(),
    );
  }
  if (job.kind === 'approve') return runApproval(job, trigger, deps, invocation);
  // The allow-list as it is now: someone removed since they asked can no longer buy.
  if (!isAllowedUser(job.userKey, deps.config.allowedUsers)) {
    return refuseJob(
      job,
      trigger,
      new ProductError('NotAllowed', `${job.userKey} is not on the chat-ops allow-list (CHATOPS_ALLOWED_USERS).`),
      deps,
      invocation,
      notAllowedReply(),
    );
  }
  if (job.kind === 'status') {
    const reply = await statusReply(job.id, job.by ?? 'plan', deps, invocation);
    return { job: 'status', replied: await sendReply(job.replyTo, reply, deps, invocation.deadline) };
  }
  // The code was valid when accepted; it must not expire while the job waits in FC's queue.
  const check = verifyConfirmationCode(job.code, { requester: job.userKey, now: job.acceptedAt, keys: deps.config.confirmSecrets });
  if (!check.ok) {
    return refuseJob(
      job,
      trigger,
      new ProductError('InvalidParameter', `The confirmation code was refused (${check.reason}).`),
      deps,
      invocation,
      confirmationRefusedReply(check.reason),
    );
  }
  const result = await createBandwidthPlan({ trigger, input: check.request, clientToken: clientTokenForConfirmation(job.code) }, deps.pipeline, invocation);
  if (result.kind === 'preview') return { job: 'confirm', replied: false };
  const replied = await sendReply(job.replyTo, outcomeReply(result.outcome), deps, invocation.deadline);
  const again = redeliveryReason(result);
  if (again) throw again;
  return { job: 'confirm', outcome: result.outcome.kind, CenBandwidthPackageId: result.outcome.result?.CenBandwidthPackageId, replied };
}

/** Whether the plan a purchase job is for exists (a lookup that fails is thrown: FC runs the job again). */
async function boughtAlready(job: ChatJob & { kind: 'confirm' | 'approve' }, deps: ChatopsDeps, invocation: Invocation): Promise<boolean> {
  const clientToken = jobClientToken(job, deps.config.confirmSecrets);
  return clientToken !== undefined && (await findPlanByIntent(clientToken, deps.pipeline, invocation)) !== undefined;
}

/** The ClientToken a purchase job buys with (undefined for an approval code that does not open). */
function jobClientToken(job: ChatJob & { kind: 'confirm' | 'approve' }, keys: readonly string[]): string | undefined {
  return job.kind === 'confirm' ? clientTokenForConfirmation(job.code) : readApprovalCode(job.code, keys)?.clientToken;
}

/** A requester who is a chat user (not an HTTP caller or an event source) must still be on the allow-list. */
const isChatUser = (requester: string): boolean => CHAT_PLATFORMS.some((platform) => requester.startsWith(`${platform}:`));

/**
 * An approved purchase, as its job runs: the approver must still be on APPROVERS (someone removed
 * since cannot approve) and the code valid as of when the approval was accepted. The purchase is the
 * code's request under the code's ClientToken, through the same pipeline and guardrails.
 */
async function runApproval(job: ChatJob & { kind: 'approve' }, trigger: Trigger, deps: ChatopsDeps, invocation: Invocation): Promise<ChatJobResult> {
  const check = verifyApprovalCode(job.code, {
    approver: job.userKey,
    approvers: deps.approval?.approvers ?? [],
    now: job.acceptedAt,
    keys: deps.config.confirmSecrets,
  });
  if (!check.ok) {
    const error = new ProductError('ApprovalRefused', `The approval of ${job.userKey} was refused as it ran (${check.reason}). Nothing was bought.`);
    return refuseJob(job, { ...trigger, requester: check.requester ?? trigger.requester }, error, deps, invocation, approvalRefusedReply(check.reason));
  }
  // Someone removed from the allow-list since they asked can no longer buy, approved or not.
  if (isChatUser(check.requester) && !isAllowedUser(check.requester, deps.config.allowedUsers)) {
    const error = new ProductError(
      'NotAllowed',
      `${check.requester}, who asked, is no longer on the chat-ops allow-list (CHATOPS_ALLOWED_USERS). Nothing was bought.`,
    );
    return refuseJob(job, { ...trigger, requester: check.requester }, error, deps, invocation, {
      title: 'Not bought',
      lines: [error.message],
    });
  }
  const result = await createBandwidthPlan(
    { trigger: { ...trigger, requester: check.requester }, input: check.request, clientToken: check.clientToken, approvedBy: job.userKey },
    deps.pipeline,
    invocation,
  );
  if (result.kind === 'preview') return { job: 'approve', replied: false };
  const replied = await sendReply(job.replyTo, outcomeReply(result.outcome), deps, invocation.deadline);
  const again = redeliveryReason(result);
  if (again) throw again;
  return { job: 'approve', outcome: result.outcome.kind, CenBandwidthPackageId: result.outcome.result?.CenBandwidthPackageId, replied };
}

/** A sealed job refused as it runs: a `confirm` is a refused purchase attempt (published); both are told why. */
async function refuseJob(
  job: ChatJob,
  trigger: Trigger,
  error: BandwidthPlanError,
  deps: ChatopsDeps,
  invocation: Invocation,
  reply: Reply,
): Promise<ChatJobResult> {
  deps.log.warn('chat job refused', { job: job.kind, requester: job.userKey, code: error.code, reason: error.message });
  if (job.kind === 'confirm' || job.kind === 'approve') {
    const clientToken = jobClientToken(job, deps.config.confirmSecrets);
    const completed = await reportRejection(trigger, error, deps.pipeline, invocation, {
      clientToken,
      ...(job.kind === 'approve' ? { approver: job.userKey } : {}),
    });
    const again = redeliveryReason(completed);
    if (again) throw again;
  }
  return {
    job: job.kind,
    outcome: job.kind === 'confirm' ? 'rejected' : undefined,
    // It settles the request: a job started by a button replaces the "buying" note the press left.
    replied: await sendReply(job.replyTo, { ...reply, settles: true }, deps, invocation.deadline),
  } as ChatJobResult;
}

async function statusReply(id: string, by: StatusKey, deps: ChatopsDeps, invocation: Invocation): Promise<Reply> {
  let plan: PlanStatus | undefined;
  try {
    plan = by === 'intent' ? await findPlanByIntent(id, deps.pipeline, invocation) : await describeBandwidthPlan(id, deps.pipeline, invocation);
  } catch (error) {
    const failure = asBandwidthPlanError(error);
    return {
      title: 'Could not read the status',
      lines: [failure.message, `Error code: ${failure.code}${failure.requestId ? ` (request id ${failure.requestId})` : ''}`],
    };
  }
  if (!plan) {
    return {
      title: 'No such plan',
      lines: [by === 'intent' ? `No bandwidth plan was bought with ClientToken ${id}.` : `No bandwidth plan ${id} in this account.`],
    };
  }
  const lines = [`Plan: ${plan.CenBandwidthPackageId} (status ${plan.Status}${plan.BusinessStatus ? `, ${plan.BusinessStatus}` : ''})`];
  if (plan.Bandwidth !== undefined) lines.push(`${plan.Bandwidth} Mbit/s between ${plan.GeographicRegionAId ?? '?'} and ${plan.GeographicRegionBId ?? '?'}`);
  if (plan.BandwidthPackageChargeType) lines.push(`Billing: ${plan.BandwidthPackageChargeType === 'PREPAY' ? 'prepaid' : 'pay-as-you-go'}`);
  if (plan.ExpiredTime) lines.push(`Expires: ${plan.ExpiredTime}`);
  return { title: 'Bandwidth plan status', lines };
}

/** The async invocation chat-ops hands its slow work to (see {@link runChatJob}). */
export const chatJobSource: EventSource<ChatJobEvent> = {
  ...chatJobShape,
  run: async (event, scope) => runChatJob(event, await scope.chatops(), scope.invocation),
};
