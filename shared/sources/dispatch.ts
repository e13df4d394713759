/**
 * Which source an FC event belongs to: an ordered table of `{name, matches, run}`. The matchers are
 * mutually exclusive by construction (an HTTP event has `rawPath`, a chat job `chatopsJob`, a batch is
 * an array, …), and the table checks it: an event that more than one claims, or that none claims, is
 * not guessed at — it is an unrecognised element, published as a rejection (see `async.ts`).
 */

import type { Invocation, PipelineDeps } from '../core/pipeline';
import type { Clock } from '../runtime/clock';
import type { Config } from '../runtime/config';
import type { Logger } from '../runtime/log';
import type { ChatopsDeps } from './chat/service';
import { isPlainObject, repeatedKeys } from './json';

/** What one invocation works with, whichever source it is. */
export interface InvocationScope {
  readonly invocation: Invocation;
  readonly log: Logger;
  readonly clock: Clock;
  /** This function's name (FC context), e.g. for its own InvokeFunction calls. */
  readonly functionName: string;
  /** The instance's configuration; throws its ConfigurationError when it is misconfigured. */
  config(): Config;
  /** The pipeline's dependencies for this invocation (throws like {@link config}). */
  pipeline(): PipelineDeps;
  /**
   * Chat-ops' dependencies for this invocation (rejects like {@link config}). Asynchronous: chat-ops'
   * code is loaded when a chat request or job first needs it, never at cold start.
   */
  chatops(): Promise<ChatopsDeps>;
}

/** What an event of a source looks like: its name and the test that claims an event (see `shapes.ts`). */
export interface EventShape<Event = unknown> {
  readonly name: string;
  matches(event: unknown): event is Event;
}

export interface EventSource<Event = unknown> extends EventShape<Event> {
  run(event: Event, scope: InvocationScope): Promise<unknown>;
}

/**
 * A source whose code is loaded when an event of its shape first arrives (and kept for the life of the
 * instance): an invocation reads only the code of the source it runs.
 */
export function lazySource<Event>(shape: EventShape<Event>, load: () => Promise<EventSource<Event>>): EventSource<Event> {
  let loaded: EventSource<Event> | undefined;
  let loading: Promise<EventSource<Event>> | undefined;
  return {
    name: shape.name,
    matches: shape.matches,
    // Once loaded, the source is called directly: a warm invocation pays nothing for the laziness.
    run: (event, scope) => {
      if (loaded) return loaded.run(event, scope);
      loading ??= load().then((source) => {
        loaded = source;
        return source;
      });
      return loading.then((source) => source.run(event, scope));
    },
  };
}

/** What the FC event decoded to: JSON, or text that is not JSON. */
export type DecodedEvent = { readonly json: true; readonly value: unknown } | { readonly json: false; readonly text: string };

/**
 * An async event (or an element of a batch) in which an object gives a key twice: parsers disagree on
 * which value counts, so it is not read at all (see `json.ts`). It stands where the element was.
 */
export class AmbiguousJson {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}

  get why(): string {
    return `it gives the key "${this.key}" twice in one object`;
  }
}

/**
 * FC passes the event as a Buffer; tests and local runs may pass a string or an object. The envelope
 * is FC's own, so it is parsed as is: a prototype key somewhere inside must not make the whole event
 * unrecognisable (its outcome would be lost). Each source checks the parts that become input — the
 * HTTP body, CloudEvent `data`, the timer payload, chat bodies — and rejects prototype keys there.
 */
export function decodeEvent(event: unknown): DecodedEvent {
  const text = Buffer.isBuffer(event) ? event.toString('utf8') : typeof event === 'string' ? event : undefined;
  if (text === undefined) return { json: true, value: event };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { json: false, text };
  }
  // An HTTP event's envelope is FC's own; its body is checked where it is read.
  if (isPlainObject(value) && typeof value.rawPath === 'string') return { json: true, value };
  const repeated = repeatedKeys(text);
  if (repeated.length === 0) return { json: true, value };
  if (!Array.isArray(value) || repeated.some((found) => found.element === undefined)) return { json: true, value: new AmbiguousJson(repeated[0]!.key, value) };
  const marked = [...value];
  for (const { key, element } of repeated) marked[element!] = new AmbiguousJson(key, value[element!]);
  return { json: true, value: marked };
}

/** The one source that claims `event`, or why none can. */
export function sourceFor(sources: readonly EventSource[], event: DecodedEvent): { source: EventSource } | { unrecognised: string } {
  if (!event.json) return { unrecognised: 'it is not JSON' };
  if (event.value instanceof AmbiguousJson) return { unrecognised: event.value.why };
  const claimed = sources.filter((source) => source.matches(event.value));
  if (claimed.length === 1) return { source: claimed[0]! };
  if (claimed.length > 1) return { unrecognised: `it has the shape of more than one event (${claimed.map((source) => source.name).join(', ')})` };
  return { unrecognised: 'it is not an HTTP request, a CloudEvent, a batch of CloudEvents or a timer event' };
}
