/**
 * Chat-ops, end to end, for every platform alike: the platform's adapter verifies and reads the
 * request → the allow-list → the command. Validation, previews and refusals answer at once; `confirm`
 * and `status` acknowledge at once and continue in an asynchronous invocation of this function
 * ({@link runChatJob}), which posts the final reply. Purchases go through the same pipeline,
 * guardrails and notifications as every other source, with a ClientToken derived from the
 * confirmation code (a double confirm buys once).
 */
import type { PlanStatus } from '../../clients/cen/client';
import { asBandwidthPlanError, type BandwidthPlanError, ProductError, ValidationError } from '../../core/errors';
import type { ChatPlatform, Trigger } from '../../core/outcome';
import {
  createBandwidthPlan,
  describeBandwidthPlan,
  type Invocation,
  type PipelineDeps,
  previewBandwidthPlan,
  redeliveryReason,
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
import { clientTokenForConfirmation, issueConfirmationCode, verifyConfirmationCode } from './confirmation';
import { parseCommand } from './grammar';
import { CHAT_JOB_MAX_AGE_MS, type ChatJob, type ChatJobEvent, isChatJobEvent, openChatJob, sealChatJob } from './jobs';
import type { ChatMessage, ReplyTarget } from './message';
import type { ChatPlatformAdapter } from './platform';
import type { ReplyPoster } from './poster';
import {
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
} from './replies';

export interface ChatopsDeps {
  readonly config: ChatopsConfig;
  readonly pipeline: PipelineDeps;
  readonly platforms: Readonly<Record<ChatPlatform, ChatPlatformAdapter>>;
  readonly poster: ReplyPoster;
  /** Starts an asynchronous invocation of this function with the job (FC InvokeFunction, Async), by `deadline` (epoch ms). */
  readonly invokeSelf: (event: ChatJobEvent, deadline: number) => Promise<void>;
  readonly log: Logger;
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
    if (adapter.ignoresNonCommands) {
      deps.log.info('chat event ignored', { platform, reason: `${issue.path}: ${issue.message}` });
      return jsonResponse(200, {});
    }
    return jsonResponse(400, errorBody(new ProductError('InvalidParameter', `${issue.path}: ${issue.message}`, { issues: [issue] })));
  }
  const message = opened.parsed.message;
  const quick: Invocation = { ...invocation, deadline: Math.min(invocation.deadline, now + SYNC_BUDGET_MS) };
  const reply = await commandReply(message, deps, quick, now);
  // A platform that takes the reply as the answer's body gets it there; the others get `{}` and a post.
  const body = adapter.answerBody(reply);
  if (body !== undefined) return jsonResponse(200, body);
  await sendReply(message.replyTo, reply, deps, quick.deadline);
  return jsonResponse(200, {});
}

/** Allow-list entries name immutable ids: `slack:T…/U…` (tenant-qualified) or `slack:U…`; `userKey` is the former. */
export function isAllowedUser(userKey: string, allowedUsers: readonly string[]): boolean {
  const [, platform, user] = /^([^:]+):[^/]+\/(.+)$/.exec(userKey) ?? [];
  return allowedUsers.includes(userKey) || (platform !== undefined && allowedUsers.includes(`${platform}:${user}`));
}

function triggerOf(message: ChatMessage): Trigger {
  return { kind: message.platform, id: message.messageId, requester: message.userKey };
}

async function commandReply(message: ChatMessage, deps: ChatopsDeps, invocation: Invocation, now: number): Promise<Reply> {
  const command = parseCommand(message.text);
  if (command.kind === 'help') return helpReply();
  const purchaseAttempt =
    command.kind === 'create' || command.kind === 'confirm' || (command.kind === 'invalid' && (command.command === 'create' || command.command === 'confirm'));
  const { config } = deps;
  if (!isAllowedUser(message.userKey, config.allowedUsers)) {
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
      if (command.kind === 'plan') return previewReply({ kind: 'plan', request, verdict: shownVerdict });
      if (!verdict.allowed) {
        await refuse(message, new ProductError('PolicyDenied', verdict.reasons.join('; ')), deps, invocation, request);
        return previewReply({ kind: 'create', request, verdict: shownVerdict });
      }
      const [signingKey] = config.confirmSecrets;
      if (!signingKey) {
        await refuse(message, NO_CONFIRM_SECRET, deps, invocation, request);
        return errorReply(NO_CONFIRM_SECRET);
      }
      const code = issueConfirmationCode({ request, requester: message.userKey, now, key: signingKey });
      return previewReply({ kind: 'create', request, verdict: shownVerdict, code });
    }
    case 'confirm': {
      if (config.confirmSecrets.length === 0) {
        await refuse(message, NO_CONFIRM_SECRET, deps, invocation);
        return errorReply(NO_CONFIRM_SECRET);
      }
      const check = verifyConfirmationCode(command.code, { requester: message.userKey, now, keys: config.confirmSecrets });
      if (!check.ok) {
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
    case 'status': {
      if (config.confirmSecrets.length === 0) return errorReply(NO_CONFIRM_SECRET);
      const started = await handOff({ ...jobBase(message, now), kind: 'status', id: command.id }, deps, invocation.deadline);
      return started?.reply ?? { title: 'Looking it up', lines: [`Reading the status of ${command.id}; the answer follows here.`] };
    }
  }
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
  if (age > CHAT_JOB_MAX_AGE_MS || age < -CHAT_JOB_MAX_AGE_MS) {
    return refuseJob(
      job,
      trigger,
      new ProductError('InvalidParameter', 'This chat job is older than FC keeps async events: a replayed copy. Nothing was bought.'),
      deps,
      invocation,
      expiredJobReply(),
    );
  }
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
    const reply = await statusReply(job.id, deps, invocation);
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
  if (job.kind === 'confirm') {
    const completed = await reportRejection(trigger, error, deps.pipeline, invocation);
    const again = redeliveryReason(completed);
    if (again) throw again;
  }
  return {
    job: job.kind,
    outcome: job.kind === 'confirm' ? 'rejected' : undefined,
    replied: await sendReply(job.replyTo, reply, deps, invocation.deadline),
  } as ChatJobResult;
}

async function statusReply(id: string, deps: ChatopsDeps, invocation: Invocation): Promise<Reply> {
  let plan: PlanStatus | undefined;
  try {
    plan = await describeBandwidthPlan(id, deps.pipeline, invocation);
  } catch (error) {
    const failure = asBandwidthPlanError(error);
    return {
      title: 'Could not read the status',
      lines: [failure.message, `Error code: ${failure.code}${failure.requestId ? ` (request id ${failure.requestId})` : ''}`],
    };
  }
  if (!plan) return { title: 'No such plan', lines: [`No bandwidth plan ${id} in this account.`] };
  const lines = [`Plan: ${plan.CenBandwidthPackageId} (status ${plan.Status}${plan.BusinessStatus ? `, ${plan.BusinessStatus}` : ''})`];
  if (plan.Bandwidth !== undefined) lines.push(`${plan.Bandwidth} Mbit/s between ${plan.GeographicRegionAId ?? '?'} and ${plan.GeographicRegionBId ?? '?'}`);
  if (plan.BandwidthPackageChargeType) lines.push(`Billing: ${plan.BandwidthPackageChargeType === 'PREPAY' ? 'prepaid' : 'pay-as-you-go'}`);
  if (plan.ExpiredTime) lines.push(`Expires: ${plan.ExpiredTime}`);
  return { title: 'Bandwidth plan status', lines };
}

/** The async invocation chat-ops hands its slow work to (see {@link runChatJob}). */
export const chatJobSource: EventSource<ChatJobEvent> = {
  name: 'chat job',
  matches: isChatJobEvent,
  run: (event, scope) => runChatJob(event, scope.chatops(), scope.invocation),
};
