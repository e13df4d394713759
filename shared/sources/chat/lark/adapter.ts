/**
 * Lark/Feishu (event subscription and card callbacks, one URL): signature + AES-encrypted body +
 * verification token, the URL-verification challenge, replies through the IM reply API with a tenant
 * token (cached until it expires) from LARK_API_BASE; a card button press is answered in the
 * callback's own answer (a toast, and the updated card).
 */
import { ProductError } from '../../../core/errors';
import type { ReplyEndpoint } from '../message';
import type { ChatPlatformAdapter } from '../platform';
import { codeAnswerCheck, jsonAnswer, type ReplyPoster } from '../poster';
import { isLarkCardAction, parseLarkCardAction } from './card-action';
import { openLarkRequest } from './open';
import { parseLarkMessage } from './parse';
import { renderLark, renderLarkCardAction } from './render';

/** The two Lark APIs replies use, under LARK_API_BASE. */
export const LARK_REPLY_ENDPOINT: ReplyEndpoint = {
  path: /^\/open-apis\/(?:im\/v1\/messages\/[^/]+\/reply|auth\/v3\/tenant_access_token\/internal)$/,
  shape: '/open-apis/…',
};

/** Why an old-style card callback is refused: the app is configured for the callback this function does not serve. */
const LEGACY_CARD_CALLBACK = {
  path: 'X-Lark-Signature',
  message:
    'is an old-style card callback (card.action.trigger_v1), which is not served: in the app, set Events & Callbacks → Callback Configuration to this URL and add card.action.trigger, and clear the bot’s message card request URL',
};

/** Lark tokens live 2 hours; refresh a little early so one never expires mid-request. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** Lark answers `{code: 0}`; its "request trigger frequency limit" (99991400) is throttling. */
const larkAccepted = codeAnswerCheck('Lark', { code: 'code', message: 'msg' }, 99991400);

/** Lark's adapter keeps the tenant token of the instance it lives in. */
export function createLarkPlatform(): ChatPlatformAdapter {
  let cached: { value: string; expiresAt: number } | undefined;

  async function tenantToken(poster: ReplyPoster, deadline: number): Promise<string> {
    if (cached && cached.expiresAt > poster.clock.now()) return cached.value;
    const { larkAppId, larkAppSecret, larkApiBase } = poster.config;
    if (!larkAppId || !larkAppSecret) throw new ProductError('ConfigurationError', 'Lark replies need LARK_APP_ID and LARK_APP_SECRET.');
    let token: { value: string; expiresAt: number } | undefined;
    await poster.post(
      'lark',
      LARK_REPLY_ENDPOINT,
      `${larkApiBase.replace(/\/+$/, '')}/open-apis/auth/v3/tenant_access_token/internal`,
      { app_id: larkAppId, app_secret: larkAppSecret },
      {
        deadline,
        check: (response) => {
          const body = jsonAnswer(response.body);
          if (response.status !== 200 || body?.code !== 0 || typeof body.tenant_access_token !== 'string') return larkAccepted(response);
          const lifetimeMs = (typeof body.expire === 'number' ? body.expire : 7200) * 1000;
          token = { value: body.tenant_access_token, expiresAt: poster.clock.now() + lifetimeMs - TOKEN_MARGIN_MS };
          return undefined;
        },
      },
    );
    cached = token;
    return token!.value;
  }

  return {
    name: 'lark',
    replyEndpoint: LARK_REPLY_ENDPOINT,
    open(request, config, now) {
      const opened = openLarkRequest({
        headers: request.headers,
        rawBody: request.rawBody,
        now,
        encryptKey: config.larkEncryptKey,
        verificationToken: config.larkVerificationToken,
      });
      if (!opened.ok) return { refused: opened.reason };
      if (opened.kind === 'challenge') return { challenge: opened.challenge };
      if (opened.kind === 'legacy-card-callback') return { parsed: { ok: false, issue: LEGACY_CARD_CALLBACK } };
      // A button press is answered, even when it cannot be read; any other event that is not a command is ignored.
      if (isLarkCardAction(opened.event)) return { parsed: parseLarkCardAction(opened.event) };
      return { parsed: parseLarkMessage(opened.event), ignoredUnlessCommand: true };
    },
    // A card callback is answered within 3 s by its own answer (docs/buttons.md §3.2); messages get replies.
    deliver: (reply, message) => (message.replyTo.fromButton ? { body: renderLarkCardAction(reply) } : { post: 'json' }),
    async send(target, reply, poster, deadline) {
      const token = await tenantToken(poster, deadline);
      const url = `${poster.config.larkApiBase.replace(/\/+$/, '')}/open-apis/im/v1/messages/${encodeURIComponent(target.messageId ?? '')}/reply`;
      await poster.post('lark', LARK_REPLY_ENDPOINT, url, renderLark(reply), { headers: { authorization: `Bearer ${token}` }, deadline, check: larkAccepted });
    },
  };
}
