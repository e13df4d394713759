/**
 * The work a chat command hands to an asynchronous invocation of this same function (chat platforms
 * want an answer within ~3 s; a purchase can take longer). The job travels as the async event; it is
 * MAC'd with CHATOPS_CONFIRM_SECRET so that only this function can create one — an event that merely
 * looks like a job buys nothing.
 */
import { createHmac } from 'node:crypto';
import type { Platform, ReplyTarget } from './message';
import { isPlainObject, parseUntrustedJson } from '../json';
import { timingSafeEqualText } from './verification';

interface JobBase {
  readonly platform: Platform;
  /** The chat message that asked: the trigger id of the outcome. */
  readonly messageId: string;
  readonly userKey: string;
  readonly replyTo: ReplyTarget;
}

export type ChatJob =
  /** Buy what `code` describes. `acceptedAt` is when the code was checked (it may expire while queued). */
  | (JobBase & { readonly kind: 'confirm'; readonly code: string; readonly acceptedAt: number })
  | (JobBase & { readonly kind: 'status'; readonly id: string });

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

/** The job, or undefined when the MAC does not match (or no key is configured). */
export function openChatJob(event: ChatJobEvent, key: string | undefined): ChatJob | undefined {
  if (!key || !timingSafeEqualText(event.mac, mac(event.chatopsJob, key))) return undefined;
  const job = parseUntrustedJson(event.chatopsJob);
  return isPlainObject(job) && (job.kind === 'confirm' || job.kind === 'status') ? (job as unknown as ChatJob) : undefined;
}
