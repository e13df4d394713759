/**
 * Slack (slash commands and button presses, one Request URL): v0 signature, the form body, the reply
 * as the command's answer body or a post to `response_url` — for a button press always the post,
 * after an empty acknowledgement.
 */
import { ProductError } from '../../../core/errors';
import type { HttpResponse } from '../../../runtime/http';
import type { ChatPlatformAdapter } from '../platform';
import { isSlackInteraction, parseSlackInteraction } from './interaction';
import { parseSlackCommand, SLACK_REPLY_ENDPOINT } from './parse';
import { renderSlack } from './render';
import { verifySlackRequest } from './verify';

/** Slack answers 2xx when it took the reply; 429 and 5xx are worth another try. */
function slackAccepted(response: HttpResponse): ProductError | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  const retryable = response.status === 429 || response.status >= 500;
  return new ProductError('ReplyFailed', `Slack answered HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 100)}`, { retryable });
}

export const slackPlatform: ChatPlatformAdapter = {
  name: 'slack',
  replyEndpoint: SLACK_REPLY_ENDPOINT,
  open(request, config, now) {
    // Both kinds are signed alike, over the raw form body, before either is read.
    const verification = verifySlackRequest({ headers: request.headers, rawBody: request.rawBody, now, signingSecrets: config.slackSigningSecrets });
    if (!verification.ok) return { refused: verification.reason };
    const body = request.rawBody.toString('utf8');
    return { parsed: isSlackInteraction(body) ? parseSlackInteraction(body, config.replyHosts) : parseSlackCommand(body, config.replyHosts) };
  },
  // Slack shows a slash command's answer body to the user; a button press takes no message in its
  // answer (docs/buttons.md §2.1), so its reply goes to its response_url.
  deliver: (reply, message) => (message.replyTo.fromButton ? { post: 'empty' } : { body: renderSlack(reply) }),
  send: (target, reply, poster, deadline) =>
    poster.post('slack', SLACK_REPLY_ENDPOINT, target.url ?? '', renderSlack(reply, target.fromButton ? 'button' : 'command'), {
      deadline,
      check: slackAccepted,
    }),
};
