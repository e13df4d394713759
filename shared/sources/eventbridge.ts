/**
 * EventBridge as a source: CloudEvents 1.0 with Alibaba's extensions, one event or a batch (array).
 * `data` holds the CreateCenBandwidthPackage parameters. Delivery is at least once; receivers treat
 * events with the same `source` and `id` as duplicates, so the ClientToken derives from them.
 */
import { definedIssues, type Issue } from '../core/errors';
import { derivedClientToken, foreignTokenIssue } from '../core/idempotency';
import type { CreateCommand } from '../core/pipeline';
import { type Meaning, meaningOf } from '../core/suggest';
import { type AsyncElement, runAsyncElements } from './async';
import { AmbiguousJson, type EventSource, type InvocationScope } from './dispatch';
import { findForbiddenKey, isPlainObject, readJsonInput } from './json';
import { type CloudEventLike, cloudEventBatchShape, cloudEventProblem, cloudEventShape } from './shapes';

// The shape lives in shapes.ts (asked at every invocation); what is done with a CloudEvent lives here.
export { cloudEventProblem } from './shapes';

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
    inputIssues: definedIssues(parsed.issue, foreignTokenIssue(own, 'eventbridge'), ...attributeIssues(event)),
  };
}

/** What an event's producer may have meant by an attribute this function does not read. */
const ATTRIBUTE_ADVICE: Record<Meaning, string> = {
  idempotency: 'put a ClientToken in data (events with one source and id are already one intent)',
  clientToken: 'put the ClientToken in data',
  dryRun: 'an event always buys; preview with POST /bandwidth-plans?dryRun=true',
};

/**
 * Attributes that would change the purchase if they were read: `data_base64` beside (or instead of)
 * `data` — which one was meant? — and extensions that look like a dry run or an intent
 * (`dryrun`, `clienttoken`). Other extensions (EventBridge's `aliyun…`) are ignored, as CloudEvents intends.
 */
function attributeIssues(event: CloudEventLike): Issue[] {
  const issues: Issue[] = [];
  for (const name of Object.keys(event)) {
    if (name === 'data_base64') issues.push({ path: name, message: 'is not read: send the parameters as data (a JSON object or string), and only there' });
    const meaning = meaningOf(name);
    if (meaning) issues.push({ path: name, message: `is not read by this function, which would ignore it: ${ATTRIBUTE_ADVICE[meaning]}` });
  }
  return issues;
}

/** `data` already parsed as part of FC's event: refused, with a reason, if it carries a prototype key. */
function checkData(data: unknown): { input: unknown; issue?: Issue } {
  const key = findForbiddenKey(data);
  return key === undefined ? { input: data } : { input: undefined, issue: { path: 'data', message: `must not contain the key "${key}"` } };
}

/** `event-driven` delivery: one CloudEvent. */
export const cloudEventSource: EventSource<CloudEventLike> = {
  ...cloudEventShape,
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
  ...cloudEventBatchShape,
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
