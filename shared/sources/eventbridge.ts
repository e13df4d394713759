/**
 * EventBridge as a source: CloudEvents 1.0 with Alibaba's extensions, one event or a batch (array).
 * `data` holds the CreateCenBandwidthPackage parameters. Delivery is at least once; receivers treat
 * events with the same `source` and `id` as duplicates, so the ClientToken derives from them.
 */
import { definedIssues, type Issue } from '../core/errors';
import { derivedClientToken, foreignTokenIssue } from '../core/idempotency';
import type { CreateCommand } from '../core/pipeline';
import { type AsyncElement, runAsyncElements } from './async';
import { AmbiguousJson, type EventSource, type InvocationScope } from './dispatch';
import { findForbiddenKey, isPlainObject, readJsonInput } from './json';

export interface CloudEventLike {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly data?: unknown;
}

/**
 * Why `value` is not a CloudEvent this function can act on, or undefined when it is one: version 1.0
 * with a non-empty `id` and `source` (the pair that names the intent, so a redelivery buys nothing).
 */
export function cloudEventProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `it is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not an object`;
  if (value.specversion === undefined) return 'it has no "specversion" (a bare data object, as a $.data transform delivers?)';
  if (value.specversion !== '1.0') return '"specversion" must be "1.0"';
  for (const field of ['id', 'source'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') return `"${field}" must be a non-empty string`;
  }
  return undefined;
}

export function isCloudEvent(event: unknown): event is CloudEventLike {
  return cloudEventProblem(event) === undefined;
}

/**
 * The command for one CloudEvent. `data` may arrive as an object or as a JSON string; anything else is
 * passed on as is so validation names the problem. ClientToken: `data.ClientToken`, else derived from
 * `source` + `id`.
 */
export function createCommandFromCloudEvent(event: CloudEventLike): CreateCommand {
  const parsed = typeof event.data === 'string' ? readJsonInput(event.data, 'data') : checkData(event.data);
  const own = isPlainObject(parsed.input) && typeof parsed.input.ClientToken === 'string' ? parsed.input.ClientToken : undefined;
  return {
    trigger: { kind: 'eventbridge', id: `${event.source}/${event.id}` },
    input: parsed.input,
    clientToken: own ?? derivedClientToken('eventbridge', event.source, event.id),
    inputIssues: definedIssues(parsed.issue, foreignTokenIssue(own, 'eventbridge')),
  };
}

/** `data` already parsed as part of FC's event: refused, with a reason, if it carries a prototype key. */
function checkData(data: unknown): { input: unknown; issue?: Issue } {
  const key = findForbiddenKey(data);
  return key === undefined ? { input: data } : { input: undefined, issue: { path: 'data', message: `must not contain the key "${key}"` } };
}

/** `event-driven` delivery: one CloudEvent. */
export const cloudEventSource: EventSource<CloudEventLike> = {
  name: 'CloudEvent',
  matches: isCloudEvent,
  async run(event, scope) {
    const [result] = await runAsyncElements([{ command: createCommandFromCloudEvent(event) }], scope);
    return result;
  },
};

/**
 * `event-streaming` delivery: an array of CloudEvents. Each element is run on its own; one that is
 * not a CloudEvent is a published rejection naming why, and never costs its neighbours their purchase.
 */
export const cloudEventBatchSource: EventSource<readonly unknown[]> = {
  name: 'batch of CloudEvents',
  matches: (event): event is readonly unknown[] => Array.isArray(event),
  async run(events, scope) {
    if (events.length === 0) scope.log.warn('an empty batch: nothing to do');
    return runAsyncElements(
      events.map((element, index) => batchElement(element, index, scope)),
      scope,
    );
  },
};

function batchElement(element: unknown, index: number, scope: InvocationScope): AsyncElement {
  const problem = element instanceof AmbiguousJson ? element.why : cloudEventProblem(element);
  if (problem === undefined) return { command: createCommandFromCloudEvent(element as CloudEventLike) };
  return {
    unrecognised: {
      trigger: { kind: 'unrecognised', id: `${scope.invocation.fcRequestId}[${index}]` },
      why: `element ${index} of the batch is not a CloudEvent: ${problem}`,
      received: element instanceof AmbiguousJson ? element.value : element,
    },
  };
}
