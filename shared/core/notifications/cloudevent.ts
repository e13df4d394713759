/**
 * An {@link Outcome} as a CloudEvents 1.0 JSON event, and its serialisation within the topic's
 * message size. Pure: the event id, time and function identity are passed in.
 */
import type { PendingApproval } from '../approval';
import type { Outcome, OutcomeError, OutcomeKind, OutcomeResult, TriggerKind } from '../outcome';
import type { BandwidthPlanRequest } from '../schema';

/** A topic's largest (and default) `MaximumMessageSize`, in bytes (docs/sources.md, "MNS"). */
export const MNS_MAX_MESSAGE_BYTES = 65_536;

export const EVENT_TYPE_PREFIX = 'cen.bandwidthplan.';

export interface CloudEventContext {
  /** Unique per outcome; consumers deduplicate on it. */
  readonly id: string;
  readonly time: Date;
  readonly region: string;
  readonly accountId: string;
  readonly functionName: string;
}

export interface BandwidthPlanEventData {
  readonly outcome: OutcomeKind;
  readonly trigger: { readonly kind: TriggerKind; readonly id: string };
  readonly requester?: string;
  /** Who approved (or rejected) a purchase that needed approval. */
  readonly approver?: string;
  /** `awaiting-approval`: the code an approver sends with `approve`, until when, who may, and why. */
  readonly approval?: PendingApproval;
  /** The request as sent to CEN; it carries no credentials by construction. */
  readonly request?: BandwidthPlanRequest;
  readonly result?: OutcomeResult;
  readonly error?: OutcomeError;
  readonly clientToken?: string;
  readonly fcRequestId: string;
  readonly notes: readonly string[];
  /** What arrived, when it could not be read as a request (see `Outcome.received`). */
  readonly received?: string;
  /** Present when fields were shortened to fit the message size; a note then says which. */
  readonly truncated?: true;
}

export interface BandwidthPlanCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  /** `acs:fc:{region}:{accountId}:functions/{functionName}` */
  readonly source: string;
  /** `cen.bandwidthplan.{created|pending|failed|rejected}` */
  readonly type: `${typeof EVENT_TYPE_PREFIX}${OutcomeKind}`;
  /** RFC 3339, UTC. */
  readonly time: string;
  /** The plan id, else the ClientToken, else the trigger id. */
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly data: BandwidthPlanEventData;
}

/** The data of a `cen.bandwidthplan.test` event: nothing was bought, this only proves the topic works. */
export interface TestEventData {
  readonly test: true;
  readonly fcRequestId: string;
  readonly note: string;
}

/** The post-deploy check's event: the envelope of the outcome events, with {@link TestEventData}. */
export type TestCloudEvent = Omit<BandwidthPlanCloudEvent, 'type' | 'data'> & {
  readonly type: `${typeof EVENT_TYPE_PREFIX}test`;
  readonly data: TestEventData;
};

/** A `cen.bandwidthplan.test` event (MessageTag `test`): published on request by the ping, to prove the role may publish. */
export function testCloudEvent(context: CloudEventContext, fcRequestId: string): TestCloudEvent {
  return {
    specversion: '1.0',
    id: context.id,
    source: `acs:fc:${context.region}:${context.accountId}:functions/${context.functionName}`,
    type: `${EVENT_TYPE_PREFIX}test`,
    time: context.time.toISOString(),
    subject: 'post-deploy-check',
    datacontenttype: 'application/json',
    data: { test: true, fcRequestId, note: 'A post-deploy check (npm run smoke): nothing was bought.' },
  };
}

export function toCloudEvent(outcome: Outcome, context: CloudEventContext): BandwidthPlanCloudEvent {
  const clientToken = outcome.clientToken ?? outcome.request?.ClientToken;
  // Optional fields are left out rather than set to undefined, so the event reads the same as its JSON.
  const data: BandwidthPlanEventData = {
    outcome: outcome.kind,
    trigger: { kind: outcome.trigger.kind, id: outcome.trigger.id },
    ...(outcome.trigger.requester !== undefined && { requester: outcome.trigger.requester }),
    ...(outcome.approver !== undefined && { approver: outcome.approver }),
    ...(outcome.approval !== undefined && { approval: outcome.approval }),
    ...(outcome.request !== undefined && { request: outcome.request }),
    ...(outcome.result !== undefined && { result: outcome.result }),
    ...(outcome.error !== undefined && { error: outcome.error }),
    ...(clientToken !== undefined && { clientToken }),
    fcRequestId: outcome.fcRequestId,
    notes: outcome.notes ?? [],
    ...(outcome.received !== undefined && { received: outcome.received }),
  };
  return {
    specversion: '1.0',
    id: context.id,
    source: `acs:fc:${context.region}:${context.accountId}:functions/${context.functionName}`,
    type: `${EVENT_TYPE_PREFIX}${outcome.kind}`,
    time: context.time.toISOString(),
    subject: outcome.result?.CenBandwidthPackageId || clientToken || outcome.trigger.id,
    datacontenttype: 'application/json',
    data,
  };
}

export interface SerialisedEvent {
  /** The JSON to publish as the message body. */
  readonly json: string;
  /** The event `json` encodes: the input itself, or a trimmed copy. */
  readonly event: BandwidthPlanCloudEvent;
  readonly truncated: boolean;
}

/**
 * JSON that XML 1.0 can carry. JSON.stringify already escapes control characters and lone surrogates,
 * but leaves U+FFFE and U+FFFF raw, and XML forbids them even as character references: as JSON
 * escapes they stay the same string to every JSON reader.
 */
export function toXmlSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** Bytes the JSON occupies once XML-escaped into `MessageBody`: what the topic's size limit sees, at most. */
export function escapedJsonBytes(value: unknown): number {
  return escapedBytes(toXmlSafeJson(value));
}

/**
 * The event as JSON whose XML-escaped UTF-8 form fits in `maxBytes`. When it does not, the biggest
 * fields are shortened (strings cut, lists such as issues or notes shortened) until it does, and
 * `data.truncated` plus a note record what was trimmed. Envelope attributes other than `subject`
 * and the outcome kind are never trimmed, so consumers can always route and deduplicate.
 * Throws a `RangeError` if even the fully trimmed event is too big (only for a tiny `maxBytes`).
 */
export function serialiseWithinLimit(event: BandwidthPlanCloudEvent, maxBytes: number = MNS_MAX_MESSAGE_BYTES): SerialisedEvent {
  const json = toXmlSafeJson(event);
  if (escapedBytes(json) <= maxBytes) return { json, event, truncated: false };

  // Trim a copy; the note is added afresh on each pass because it names what has been trimmed so far.
  const trimmed = JSON.parse(json) as MutableEvent;
  const trimmedPaths = new Set<string>();
  for (;;) {
    const candidate = {
      ...trimmed,
      data: { ...trimmed.data, notes: [...trimmed.data.notes, truncationNote(maxBytes, trimmedPaths)], truncated: true },
    };
    const candidateJson = toXmlSafeJson(candidate);
    const excess = escapedBytes(candidateJson) - maxBytes;
    if (excess <= 0) return { json: candidateJson, event: candidate as unknown as BandwidthPlanCloudEvent, truncated: true };
    const field = largestTrimmableField(trimmed);
    if (!field) throw new RangeError(`the event does not fit in ${maxBytes} bytes even with every field trimmed`);
    trimField(field, excess);
    trimmedPaths.add(field.path);
  }
}

/** `Buffer.byteLength(escapeXmlText(json))` without building the escaped copy: this runs on every trimming step. */
function escapedBytes(json: string): number {
  let entityBytes = 0;
  for (let index = 0; index < json.length; index++) {
    const unit = json.charCodeAt(index);
    if (unit === AMPERSAND) entityBytes += '&amp;'.length - 1;
    else if (unit === LESS_THAN || unit === GREATER_THAN) entityBytes += '&lt;'.length - 1;
  }
  return Buffer.byteLength(json, 'utf8') + entityBytes;
}

const AMPERSAND = 0x26;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type MutableEvent = { data: { notes: string[] } & Record<string, Json> } & Record<string, Json>;

/** A string or list inside the event that may be shortened, and where it sits. */
interface TrimmableField {
  readonly path: string;
  readonly parent: Json[] | Record<string, Json>;
  readonly key: string | number;
  readonly value: string | Json[];
  /** How much shortening it can save, in escaped bytes (see {@link largestTrimmableField}). */
  readonly weight: number;
}

/** Attributes consumers route and deduplicate on: never trimmed. */
const FIXED_PATHS = new Set(['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data.outcome', 'data.trigger.kind']);
const ELLIPSIS = '…';

/**
 * The field whose trimming saves the most. A list weighs its size minus its largest element, so a
 * list of one huge issue is cut inside that message, while a list of many small issues is
 * shortened as a whole.
 */
function largestTrimmableField(event: MutableEvent): TrimmableField | undefined {
  let largest: TrimmableField | undefined;
  const visit = (parent: Json[] | Record<string, Json>, key: string | number, path: string): void => {
    const value = (parent as Record<string | number, Json>)[key]!;
    if (FIXED_PATHS.has(path)) return;
    let weight = 0;
    if (typeof value === 'string' && value.length > 0) weight = escapedJsonBytes(value);
    else if (Array.isArray(value) && value.length > 0) {
      weight = escapedJsonBytes(value) - value.reduce<number>((max, element) => Math.max(max, escapedJsonBytes(element)), 0);
    }
    if (weight > 0 && (!largest || weight > largest.weight)) largest = { path, parent, key, value: value as string | Json[], weight };
    if (typeof value === 'object' && value !== null) {
      for (const childKey of Array.isArray(value) ? value.keys() : Object.keys(value)) {
        visit(value, childKey, `${path}.${childKey}`);
      }
    }
  };
  for (const key of Object.keys(event)) visit(event, key, key);
  return largest;
}

/** Shortens the field in place so the whole event shrinks by at least `excess` escaped bytes, or empties it. */
function trimField(field: TrimmableField, excess: number): void {
  const { value } = field;
  const target = escapedJsonBytes(value) - excess;
  const shortened = typeof value === 'string' ? cutString(value, target) : cutList(value, target);
  (field.parent as Record<string | number, Json>)[field.key] = shortened;
}

/** The longest head of the list whose escaped JSON fits in `target` bytes (possibly empty). */
function cutList(value: Json[], target: number): Json[] {
  // Every element takes at least a byte, so no more than `target` of them can fit.
  const max = Math.min(value.length - 1, target);
  return value.slice(
    0,
    Math.max(
      0,
      longestPrefix(max, (n) => escapedJsonBytes(value.slice(0, n)) <= target),
    ),
  );
}

/** The longest prefix (whole code points, then `…`) whose escaped JSON fits in `target` bytes; `''` if none. */
function cutString(value: string, target: number): string {
  const codePoints = Array.from(value);
  const cut = (n: number) => `${codePoints.slice(0, n).join('')}${ELLIPSIS}`;
  // Every code point takes at least a byte, so no more than `target` of them can fit.
  const keep = longestPrefix(Math.min(codePoints.length - 1, target), (n) => escapedJsonBytes(cut(n)) <= target);
  return keep < 0 ? '' : cut(keep);
}

/** Largest n in [0, max] with `fits(n)`, or -1; `fits` must be monotone (true up to some n). */
function longestPrefix(max: number, fits: (n: number) => boolean): number {
  let low = -1;
  let high = max;
  while (low < high) {
    const middle = low + Math.ceil((high - low) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

const MAX_LISTED_PATHS = 8;

function truncationNote(maxBytes: number, paths: ReadonlySet<string>): string {
  const listed = [...paths].slice(0, MAX_LISTED_PATHS);
  const more = paths.size > listed.length ? ` and ${paths.size - listed.length} more` : '';
  return `Trimmed to fit the ${maxBytes}-byte message limit: ${listed.join(', ')}${more}.`;
}
