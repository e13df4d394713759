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
  // One firing, however its time is written (`…Z`, `….000Z`, `+08:00`): the token derives from the
  // instant, written as FC writes it (`2023-12-26T07:49:00Z`), so tokens of FC's own events are unchanged.
  const instant = rfc3339Instant(String(event.triggerTime));
  const firing = Number.isNaN(instant) ? String(event.triggerTime) : new Date(instant).toISOString().replace('.000Z', 'Z');
  const extra = Object.keys(event).filter((key) => !TIMER_FIELDS.includes(key));
  return {
    trigger: { kind: 'timer', id: `${event.triggerName}@${firing}` },
    input: parsed.input,
    clientToken: own ?? derivedClientToken('timer', event.triggerName, firing),
    inputIssues: definedIssues(
      parsed.issue,
      foreignTokenIssue(own, 'timer'),
      Number.isNaN(instant) ? { path: 'triggerTime', message: 'must be an RFC 3339 time' } : undefined,
      // A field the timer event does not have (`dryRun`, say) is not ignored: it may have been meant.
      extra.length > 0 ? { path: extra[0]!, message: `is not a field of a timer event (it has ${TIMER_FIELDS.join(', ')})` } : undefined,
    ),
  };
}

const TIMER_FIELDS: readonly string[] = ['triggerTime', 'triggerName', 'payload'];
/** RFC 3339 date-time (Date.parse alone also takes "Dec 1 2026" and other local forms). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * The instant an RFC 3339 time names, or NaN. Its fields must exist as written: Date.parse rolls
 * `02-30` over to March and `24:00` to the next day, so two written firings would share a token.
 */
function rfc3339Instant(text: string): number {
  const fields = RFC3339.exec(text);
  if (!fields) return Number.NaN;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = fields.slice(1).map((field) => Number(field ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const exists = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second! <= 59;
  return exists && offsetHours <= 23 && offsetMinutes <= 59 ? Date.parse(text) : Number.NaN;
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
