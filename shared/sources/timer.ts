/**
 * The timer trigger as a source: `{triggerTime, triggerName, payload}` where `payload` is a JSON string
 * of the parameters. Each firing is one intent: the ClientToken derives from the trigger name and
 * the firing time, so FC's re-invocation of the same firing buys nothing new.
 */
import { definedIssues, type Issue } from '../core/errors';
import { derivedClientToken, foreignTokenIssue } from '../core/idempotency';
import type { CreateCommand } from '../core/pipeline';
import { runAsyncElements } from './async';
import type { EventSource } from './dispatch';
import { isPlainObject, readJsonInput } from './json';
import { type TimerEvent, timerShape } from './shapes';

/** A bad payload still yields a command: the pipeline reports it as a rejected outcome (published, not retried). */
export function createCommandFromTimer(event: TimerEvent): CreateCommand {
  const parsed = parsePayload(event.payload);
  const own = isPlainObject(parsed.input) && typeof parsed.input.ClientToken === 'string' ? parsed.input.ClientToken : undefined;
  return {
    trigger: { kind: 'timer', id: `${event.triggerName}@${event.triggerTime}` },
    input: parsed.input,
    clientToken: own ?? derivedClientToken('timer', event.triggerName, event.triggerTime),
    inputIssues: definedIssues(parsed.issue, foreignTokenIssue(own, 'timer')),
  };
}

function parsePayload(payload: unknown): { input: unknown; issue?: Issue } {
  if (typeof payload !== 'string')
    return { input: undefined, issue: { path: 'payload', message: 'must be a JSON string of CreateCenBandwidthPackage parameters' } };
  return readJsonInput(payload, 'payload');
}

export const timerSource: EventSource<TimerEvent> = {
  ...timerShape,
  async run(event, scope) {
    const [result] = await runAsyncElements([{ command: createCommandFromTimer(event) }], scope);
    return result;
  },
};
