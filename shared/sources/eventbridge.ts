/**
 * EventBridge as a source: CloudEvents 1.0 with Alibaba's extensions, one event or a batch (array).
 * `data` holds the CreateCenBandwidthPackage parameters. Delivery is at least once; receivers treat
 * events with the same `source` and `id` as duplicates, so the ClientToken derives from them.
 */
import type { Issue } from '../errors';
import { derivedClientToken } from '../idempotency';
import type { CreateCommand } from '../pipeline';
import { findForbiddenKey, isPlainObject, parseUntrustedJson } from './json';

export interface CloudEventLike {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly data?: unknown;
}

export function isCloudEvent(event: unknown): event is CloudEventLike {
  return isPlainObject(event) && typeof event.specversion === 'string' && typeof event.id === 'string' && typeof event.source === 'string';
}

/** A batch delivery (`event-streaming` mode): an array whose items are all CloudEvents. */
export function isCloudEventBatch(event: unknown): event is CloudEventLike[] {
  return Array.isArray(event) && event.length > 0 && event.every(isCloudEvent);
}

/**
 * The command for one CloudEvent. `data` may arrive as an object or as a JSON string; anything else is
 * passed on as is so validation names the problem. ClientToken: `data.ClientToken`, else derived from
 * `source` + `id`.
 */
export function createCommandFromCloudEvent(event: CloudEventLike): CreateCommand {
  const parsed = typeof event.data === 'string' ? parseData(event.data) : checkData(event.data);
  const own = isPlainObject(parsed.input) && typeof parsed.input.ClientToken === 'string' ? parsed.input.ClientToken : undefined;
  return {
    trigger: { kind: 'eventbridge', id: `${event.source}/${event.id}` },
    input: parsed.input,
    clientToken: own ?? derivedClientToken('eventbridge', event.source, event.id),
    ...(parsed.issue ? { inputIssues: [parsed.issue] } : {}),
  };
}

/** `data` already parsed as part of FC's event: refused, with a reason, if it carries a prototype key. */
function checkData(data: unknown): { input: unknown; issue?: Issue } {
  const key = findForbiddenKey(data);
  return key === undefined ? { input: data } : { input: undefined, issue: { path: 'data', message: `must not contain the key "${key}"` } };
}

function parseData(text: string): { input: unknown; issue?: Issue } {
  try {
    return { input: parseUntrustedJson(text) };
  } catch (error) {
    return { input: undefined, issue: { path: 'data', message: `is not valid JSON (${error instanceof Error ? error.message : 'parse error'})` } };
  }
}
