/**
 * What the chat reply endpoints look like (docs/sources.md, "Chat platforms"): the routes, and each
 * platform's way of saying "no". Slack answers `{ok, error}`, DingTalk `{errcode, errmsg}` (with
 * HTTP 200 for business errors), Lark `{code, msg}`.
 */
import type { ErrorFault } from './faults';

export const CHAT_ACTIONS = {
  slack: 'slack',
  dingtalk: 'dingtalk',
  larkToken: 'lark-token',
  larkReply: 'lark-reply',
} as const;
export type ChatAction = (typeof CHAT_ACTIONS)[keyof typeof CHAT_ACTIONS];
export type ChatPlatform = 'slack' | 'dingtalk' | 'lark';

export interface ChatRoute {
  readonly action: ChatAction;
  readonly platform: ChatPlatform;
  /** The path parameter: Slack's response id, or Lark's message id being replied to. */
  readonly id: string | undefined;
  /** Slack: `commands` (a slash command's response_url) or `actions` (a button press's). */
  readonly kind?: string | undefined;
}

const ROUTES: readonly { readonly action: ChatAction; readonly platform: ChatPlatform; readonly path: RegExp }[] = [
  // The platforms' own paths (the function replies only to those): Slack `response_url`s are
  // /commands/<team>/<id>/<secret> (or /actions/…), DingTalk session webhooks /robot/sendBySession.
  { action: CHAT_ACTIONS.slack, platform: 'slack', path: /^\/(commands|actions)\/([^/]+\/[^/]+\/[^/]+)$/ },
  { action: CHAT_ACTIONS.dingtalk, platform: 'dingtalk', path: /^\/robot\/sendBySession$/ },
  { action: CHAT_ACTIONS.larkToken, platform: 'lark', path: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/ },
  { action: CHAT_ACTIONS.larkReply, platform: 'lark', path: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/ },
];

/** Every endpoint takes POST only. */
export function routeOf(method: string, path: string): ChatRoute | undefined {
  if (method !== 'POST') return undefined;
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    // Slack's paths name their kind before the id.
    const [kind, id] = route.action === CHAT_ACTIONS.slack ? [match[1], match[2]] : [undefined, match[1]];
    return { action: route.action, platform: route.platform, id: id === undefined ? undefined : decodeURIComponent(id), kind };
  }
  return undefined;
}

export interface ChatAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A named fault's answer on each platform: throttling, unavailable, internal. */
const NAMED_FAULT_ANSWERS = {
  throttling: {
    slack: { status: 429, body: { ok: false, error: 'rate_limited' } },
    dingtalk: { status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } },
    lark: { status: 400, body: { code: 99991400, msg: 'request trigger frequency limit' } },
  },
  unavailable: {
    slack: { status: 503, body: { ok: false, error: 'service_unavailable' } },
    dingtalk: { status: 503, body: { errcode: -1, errmsg: 'system busy' } },
    lark: { status: 503, body: { code: 2200, msg: 'service unavailable' } },
  },
  internal: {
    slack: { status: 500, body: { ok: false, error: 'internal_error' } },
    dingtalk: { status: 500, body: { errcode: -1, errmsg: 'system error' } },
    lark: { status: 500, body: { code: 2200, msg: 'internal error' } },
  },
} as const satisfies Record<string, Record<ChatPlatform, ChatAnswer>>;

export type NamedChatFault = keyof typeof NAMED_FAULT_ANSWERS;

export function faultAnswer(platform: ChatPlatform, fault: NamedChatFault | ErrorFault): ChatAnswer {
  if (typeof fault === 'string') return NAMED_FAULT_ANSWERS[fault][platform];
  return errorAnswer(platform, fault.status, fault.code, fault.message ?? fault.code);
}

/** An error in the platform's own shape; numeric codes stay numbers for DingTalk and Lark. */
export function errorAnswer(platform: ChatPlatform, status: number, code: string | number, message: string): ChatAnswer {
  const numeric = typeof code === 'number' ? code : Number.isInteger(Number(code)) ? Number(code) : code;
  switch (platform) {
    case 'slack':
      return { status, body: { ok: false, error: String(code) } };
    case 'dingtalk':
      return { status, body: { errcode: numeric, errmsg: message } };
    case 'lark':
      return { status, body: { code: numeric, msg: message } };
  }
}
