/**
 * Wires four-eyes approval for the pipeline: codes are issued with the chat-ops confirmation key
 * (CHATOPS_CONFIRM_SECRET, which the configuration requires with an approval rule) and announced to
 * APPROVAL_CHANNEL_URL when set. Both modules load when a purchase first needs approval.
 */
import type { PipelineDeps } from '../../shared/core/pipeline';
import type { Clock } from '../../shared/runtime/clock';
import type { Config } from '../../shared/runtime/config';
import { type HttpTransport, nodeHttpTransport } from '../../shared/runtime/http';
import type { Logger } from '../../shared/runtime/log';

export interface ApprovalWiring {
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport?: HttpTransport;
}

export function approvalDeps(config: Config, wiring: ApprovalWiring): PipelineDeps['approval'] {
  const rule = config.approval;
  const key = config.chatops.confirmSecrets[0];
  if (!rule || key === undefined) return undefined;
  const { approvalChannel } = config;
  return {
    rule,
    issuer: {
      async issue(request, requester, clientToken, now) {
        const { issueApprovalCode } = await import('../../shared/sources/chat/confirmation');
        return { code: issueApprovalCode({ request, requester, now, key, ttlMs: rule.ttlMs, clientToken }), expiresAt: now + rule.ttlMs };
      },
    },
    ...(approvalChannel
      ? {
          async announce(outcome, deadline) {
            const { approvalAnnouncer } = await import('../../shared/sources/chat/approval-channel');
            await approvalAnnouncer({ channel: approvalChannel, transport: wiring.transport ?? nodeHttpTransport, clock: wiring.clock, log: wiring.log })(
              outcome,
              deadline,
            );
          },
        }
      : {}),
  };
}
