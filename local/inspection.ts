/**
 * The local-only routes of `npm start` (`GET /_local/...`): what the embedded cloud has seen, as
 * JSON, so the effect of a request can be looked at without a console.
 */
import type { Cloud } from '../test/doubles';

export const INSPECTION_PREFIX = '/_local/';

export const INSPECTION_ROUTES = {
  plans: "the CEN double's bandwidth plans, with their status as of now",
  messages: "the MNS double's messages, the body parsed as the CloudEvent it is",
  replies:
    "the chat replies (Slack response_url, DingTalk sessionWebhook, Lark reply API); replacedOriginal marks a reply that replaced a pressed button's message",
  invocations: 'the FC InvokeFunction calls (async chat-ops continuations)',
} as const;

/** The JSON a `/_local/<name>` route answers, or undefined for an unknown name. */
export function inspect(cloud: Cloud, name: string): unknown {
  switch (name) {
    case 'plans':
      return cloud.cen.plans;
    case 'messages':
      return cloud.mns.messages.map((message) => ({ ...message, body: parsedJson(message.body) }));
    case 'replies':
      return cloud.chat.replies;
    case 'invocations':
      return cloud.fc.invocations.map((invocation) => ({
        ...invocation,
        body: parsedJson(invocation.body.toString('utf8')),
        errors: invocation.errors.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))),
      }));
    default:
      return undefined;
  }
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
