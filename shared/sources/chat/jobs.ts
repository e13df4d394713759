/**
 * The work a chat command hands to an asynchronous invocation of this same function (chat platforms
 * want an answer within ~3 s; a purchase can take longer). The job travels as the async event; it is
 * MAC'd with CHATOPS_CONFIRM_SECRET so that only this function can create one — an event that merely
 * looks like a job buys nothing.
 */
import { createHmac } from 'node:crypto';
import { isPlainObject, parseUntrustedJson } from '../json';
import type { StatusKey } from './grammar';
import type { Platform, ReplyTarget } from './message';
import { timingSafeEqualText } from './verification';

/**
 * How long after it was sealed a job may still run: FC keeps an async event for at most
 * `maxAsyncEventAgeInSeconds` (s.yaml, a test keeps it within this), so a job older than this did not
 * come from FC's queue — it is a copy, replayed.
 */
export const CHAT_JOB_MAX_AGE_MS = 86_400_000;

/**
 * How long after its `confirm` or `approve` a purchase job may still buy. FC retries a failed async
 * invocation within minutes (s.yaml: 3 attempts), so an hour covers every retry and a long queue; a
 * copy replayed later — say, a job refused for a limit, once room frees up — buys nothing, and the
 * person who was told "nothing was bought" is not surprised by a plan hours later. A job that did
 * wait longer in FC's queue is answered "send the create command again".
 */
export const PURCHASE_JOB_MAX_AGE_MS = 3_600_000;

interface JobBase {
  readonly platform: Platform;
  /** When the job was sealed (ms since the epoch): a `confirm`'s code is checked as of then. */
  readonly acceptedAt: number;
  /** The chat message that asked: the trigger id of the outcome. */
  readonly messageId: string;
  readonly userKey: string;
  readonly replyTo: ReplyTarget;
}

export type ChatJob =
  /** Buy what `code` describes (the code was valid at `acceptedAt`; it may expire while queued). */
  | (JobBase & { readonly kind: 'confirm'; readonly code: string })
  /** Buy what an approval `code` describes; `userKey` is the approver (checked again as the job runs). */
  | (JobBase & { readonly kind: 'approve'; readonly code: string })
  | (JobBase & { readonly kind: 'status'; readonly id: string; readonly by?: StatusKey | undefined });

/** The async event: the job as a JSON string (signed exactly as sent) and its MAC. */
export interface ChatJobEvent {
  readonly chatopsJob: string;
  readonly mac: string;
}

const mac = (job: string, key: string): string => createHmac('sha256', key).update(`chatops-job\n${job}`).digest('hex');

export function sealChatJob(job: ChatJob, key: string): ChatJobEvent {
  const text = JSON.stringify(job);
  return { chatopsJob: text, mac: mac(text, key) };
}

export function isChatJobEvent(event: unknown): event is ChatJobEvent {
  return isPlainObject(event) && typeof event.chatopsJob === 'string' && typeof event.mac === 'string';
}

/** The job, or undefined when the MAC matches none of `keys` (or none is configured). */
export function openChatJob(event: ChatJobEvent, keys: readonly string[]): ChatJob | undefined {
  let sealed = false;
  for (const key of keys) if (timingSafeEqualText(event.mac, mac(event.chatopsJob, key))) sealed = true;
  if (!sealed) return undefined;
  const job = parseUntrustedJson(event.chatopsJob);
  return isPlainObject(job) && (job.kind === 'confirm' || job.kind === 'approve' || job.kind === 'status') ? (job as unknown as ChatJob) : undefined;
}
