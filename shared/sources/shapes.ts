/**
 * What each kind of FC event looks like, apart from what is done with it. Every invocation asks every
 * shape whether the event is its own (dispatch.ts `sourceFor`), but only the one source that claims
 * it needs its code: so the shapes live here, small, and the composition root
 * (functions/create-bandwidth-plan/handler.ts) loads a source's `run` when an event of its shape first
 * arrives. Each source spreads its shape, so a name or a rule is written once.
 */
import type { FcHttpEvent } from '../runtime/fc';
import { type ChatJobEvent, isChatJobEvent } from './chat/jobs';
import type { EventShape } from './dispatch';
import { isPlainObject } from './json';

export function isHttpEvent(event: unknown): event is FcHttpEvent {
  return isPlainObject(event) && typeof event.rawPath === 'string' && (isPlainObject(event.requestContext) || typeof event.version === 'string');
}

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

export interface TimerEvent {
  readonly triggerTime: string;
  readonly triggerName: string;
  readonly payload?: unknown;
}

export function isTimerEvent(event: unknown): event is TimerEvent {
  return isPlainObject(event) && typeof event.triggerTime === 'string' && typeof event.triggerName === 'string';
}

export interface PingEvent {
  readonly ping: { readonly publish?: boolean };
}

export function isPingEvent(event: unknown): event is PingEvent {
  if (!isPlainObject(event) || Object.keys(event).length !== 1 || !isPlainObject(event.ping)) return false;
  const { ping } = event;
  return Object.keys(ping).every((key) => key === 'publish') && (ping.publish === undefined || typeof ping.publish === 'boolean');
}

export const httpShape: EventShape<FcHttpEvent> = { name: 'HTTP request', matches: isHttpEvent };
export const chatJobShape: EventShape<ChatJobEvent> = { name: 'chat job', matches: isChatJobEvent };
/** `event-streaming` delivery: an array of CloudEvents (its elements are checked one by one). */
export const cloudEventBatchShape: EventShape<readonly unknown[]> = {
  name: 'batch of CloudEvents',
  matches: (event): event is readonly unknown[] => Array.isArray(event),
};
/** `event-driven` delivery: one CloudEvent. */
export const cloudEventShape: EventShape<CloudEventLike> = { name: 'CloudEvent', matches: isCloudEvent };
export const timerShape: EventShape<TimerEvent> = { name: 'timer event', matches: isTimerEvent };
export const pingShape: EventShape<PingEvent> = { name: 'ping', matches: isPingEvent };
