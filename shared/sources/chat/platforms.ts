/**
 * The chat platforms this function serves, one adapter each (see `platform.ts`). The list of names is
 * the domain's (`CHAT_PLATFORMS` in `core/outcome.ts`); this registry must cover it exactly.
 */
import type { ChatPlatform } from '../../core/outcome';
import { dingtalkPlatform } from './dingtalk/adapter';
import { createLarkPlatform } from './lark/adapter';
import type { ChatPlatformAdapter } from './platform';
import { slackPlatform } from './slack/adapter';

/** Adapters for one instance (Lark's keeps the instance's tenant token). */
export function createChatPlatforms(): Readonly<Record<ChatPlatform, ChatPlatformAdapter>> {
  return { dingtalk: dingtalkPlatform, slack: slackPlatform, lark: createLarkPlatform() };
}
