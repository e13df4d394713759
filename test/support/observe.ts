/**
 * What a reliability test reads back from a harness run: how an invocation ended (returned, threw,
 * or did not end at all), the structured log, whether every outcome was published or logged in full,
 * and every text that left the function, for the secret scan.
 */
import { type Harness, SECRETS } from './harness';

export type Settled<T = unknown> =
  | { readonly kind: 'returned'; readonly value: T }
  | { readonly kind: 'threw'; readonly error: any }
  | { readonly kind: 'hung' };

/**
 * How `promise` ended, or `hung` if it had not ended after `limitMs`. The limit is a guard against a
 * test that would otherwise wait for the runner's timeout: pass the function timeout plus a generous
 * margin, never a performance expectation.
 */
export async function settle<T>(promise: Promise<T>, limitMs: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung' }), limitMs);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Settled<T> => ({ kind: 'returned', value }),
        (error: unknown): Settled<T> => ({ kind: 'threw', error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: any;
}

export function logRecords(h: Pick<Harness, 'logs'>): LogRecord[] {
  return h.logs.map((line) => JSON.parse(line) as LogRecord);
}

export function logsWith(h: Pick<Harness, 'logs'>, message: string): LogRecord[] {
  return logRecords(h).filter((record) => record.message === message);
}

/** The published CloudEvents, parsed, in order. */
export function publishedEvents(h: Pick<Harness, 'mns'>): any[] {
  return h.mns.messages.map((message) => JSON.parse(message.body));
}

export interface OutcomeAccount {
  /** Outcomes the pipeline produced: one `bandwidth plan outcome` line each. */
  readonly outcomes: number;
  /** Of those, published: a `notification published` line naming a message the topic stored. */
  readonly published: number;
  /** Of those, logged in full: a `notification not delivered` line carrying the whole CloudEvent. */
  readonly loggedInFull: number;
  /** Outcomes neither published nor logged in full: must be 0. */
  readonly lost: number;
}

/**
 * "Never lose an outcome", checked from the outside: every outcome the pipeline logged is either in
 * the topic or in the log as a whole CloudEvent.
 */
export function accountForOutcomes(h: Pick<Harness, 'logs' | 'mns'>): OutcomeAccount {
  const stored = new Set(h.mns.messages.map((message) => message.messageId));
  const outcomes = logsWith(h, 'bandwidth plan outcome').length;
  const published = logsWith(h, 'notification published').filter((record) => stored.has(record.messageId)).length;
  const loggedInFull = logsWith(h, 'notification not delivered').filter(
    (record) => typeof record.cloudEvent?.type === 'string' && typeof record.cloudEvent?.data?.outcome === 'string',
  ).length;
  return { outcomes, published, loggedInFull, lost: outcomes - published - loggedInFull };
}

/** An error as text: its name, message and own fields (what FC would log for a thrown error). */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return JSON.stringify(error) ?? String(error);
  return `${error.name}: ${error.message} ${JSON.stringify(error)} ${error.cause === undefined ? '' : describeThrown(error.cause)}`;
}

/**
 * Every text that left the function in a harness run: log lines, published messages, chat replies,
 * the events handed to FC, what the async invocations returned or threw, plus `extra` (HTTP answers,
 * async results, thrown errors the test collected).
 */
export function capturedTexts(h: Harness, extra: readonly unknown[] = []): string[] {
  return [
    ...h.logs,
    ...h.mns.messages.map((message) => message.body),
    ...h.chat.replies.map((reply) => `${reply.path} ${JSON.stringify(reply.body)}`),
    ...h.fc.invocations.flatMap((invocation) => [
      invocation.body.toString('utf8'),
      JSON.stringify(invocation.result ?? null),
      ...invocation.errors.map(describeThrown),
    ]),
    ...extra.map((value) => (value instanceof Error ? describeThrown(value) : (JSON.stringify(value) ?? String(value)))),
  ];
}

/** A secret as it could appear in text: as is, JSON-escaped, percent-encoded, Base64. */
export function secretForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
  return [...new Set(forms)];
}

/** The texts that contain any secret in any of its forms (empty when none leaked). */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[] = SECRETS): string[] {
  const forms = secrets.flatMap(secretForms);
  return texts.filter((text) => forms.some((form) => text.includes(form))).map((text) => text.slice(0, 300));
}

/**
 * The DescribeCenBandwidthPackages calls, in order, by what they asked: the intent's plan by its
 * ClientToken tag (`lookup`), the plans this function bought (`listing`, for the runaway limits), or a
 * plan by id (`by id`: the wait and the status).
 */
export function describes(h: Pick<Harness, 'cen'>): string[] {
  return h.cen.requests
    .filter((request) => request.action === 'DescribeCenBandwidthPackages')
    .map((request) =>
      request.params['Tag.1.Key'] === 'bandwidth-plan:client-token'
        ? 'lookup'
        : request.params['Tag.1.Key'] === 'bandwidth-plan:product'
          ? 'listing'
          : request.params['Filter.1.Key'] === 'CenBandwidthPackageId'
            ? 'by id'
            : 'other',
    );
}
