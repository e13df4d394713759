/**
 * The optional approval channel (APPROVAL_CHANNEL_URL): a Slack incoming webhook, a DingTalk group
 * robot or a Lark custom bot, told by URL alone that a purchase waits for an approver. It only
 * informs: approvers approve in chat with the code (webhooks cannot carry working buttons,
 * docs/sources.md "Chat platforms"). The topic gets the same request as an `awaiting-approval` event,
 * so a failed post is logged and the purchase's outcome is unaffected.
 */

import type { ChatPlatform } from '../../core/outcome';
import type { ApprovalAnnouncer } from '../../core/pipeline';
import type { Clock } from '../../runtime/clock';
import type { ApprovalChannel } from '../../runtime/config';
import type { HttpTransport } from '../../runtime/http';
import type { Logger } from '../../runtime/log';
import { oneLine, summarise } from './replies';

/** A post that takes longer is abandoned (the awaiting-approval event is on the topic regardless). */
const POST_TIMEOUT_MS = 3_000;

export interface ApprovalChannelDeps {
  readonly channel: ApprovalChannel;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * The text approvers read: what, who asked, why it waits, and the exact command to approve; or, for
 * a request rejected or withdrawn, that it ended and its code must not be approved.
 */
export function approvalNotice(outcome: Parameters<ApprovalAnnouncer>[0]): string {
  const { approval, request, trigger } = outcome;
  // Event ids and sources are the sender's text: one line each, so none can pose as a line of ours.
  const asker = oneLine(trigger.requester ?? `${trigger.kind} ${trigger.id}`);
  if (outcome.kind === 'rejected' && request && outcome.error) {
    return [
      `No longer waiting: ${summarise(request)}, asked by ${asker}.`,
      oneLine(outcome.error.message),
      'Do not approve its code: codes keep no state, so it would still buy until it expires.',
    ].join('\n');
  }
  if (!approval || !request) return '';
  return [
    `Approval needed: ${summarise(request)}.`,
    `Asked by ${asker}; it waits because ${approval.reasons.join('; ')}.`,
    `One of ${approval.approvers.join(', ')} can send, in chat, before ${approval.expiresAt}:`,
    `approve ${approval.code}`,
    'or reject it the same way. Nothing is bought until then.',
  ].join('\n');
}

/** Each webhook's body for a plain text message, and how it says it failed. */
const FORMATS: Record<ChatPlatform, { body: (text: string) => unknown; failed: (status: number, body: string) => string | undefined }> = {
  slack: {
    // Slack reads &, < and > as markup (`<!channel>` notifies everyone): escaped, as Slack documents.
    body: (text) => ({ text: text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;') }),
    failed: (status, body) => (status === 200 && body.trim() === 'ok' ? undefined : `HTTP ${status} ${body.slice(0, 100)}`),
  },
  dingtalk: {
    body: (content) => ({ msgtype: 'text', text: { content } }),
    failed: (status, body) => (status === 200 && /"errcode"\s*:\s*0\b/.test(body) ? undefined : `HTTP ${status} ${body.slice(0, 100)}`),
  },
  lark: {
    body: (text) => ({ msg_type: 'text', content: { text } }),
    failed: (status, body) => (status === 200 && /"(?:code|StatusCode)"\s*:\s*0\b/.test(body) ? undefined : `HTTP ${status} ${body.slice(0, 100)}`),
  },
};

export function approvalAnnouncer(deps: ApprovalChannelDeps): ApprovalAnnouncer {
  const format = FORMATS[deps.channel.platform];
  return async (outcome, deadline) => {
    const timeoutMs = Math.min(POST_TIMEOUT_MS, deadline - deps.clock.now());
    if (timeoutMs <= 0) return;
    let problem: string | undefined;
    try {
      const response = await deps.transport({
        method: 'POST',
        url: new URL(deps.channel.url),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(format.body(approvalNotice(outcome))),
        timeoutMs,
      });
      problem = format.failed(response.status, response.body.toString('utf8'));
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    // The URL is the channel's credential: the log names the platform only.
    if (problem) deps.log.warn('approval channel not told', { platform: deps.channel.platform, problem, clientToken: outcome.clientToken });
  };
}
