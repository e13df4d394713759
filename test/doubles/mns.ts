/**
 * A loopback double of an MNS topic endpoint: PublishMessage (`POST /topics/{name}/messages`)
 * behind real MNS signature verification, with strict XML parsing, stored messages and a queue of
 * injectable faults.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CloudCredential, DEFAULT_CREDENTIALS } from './credentials';
import { type ErrorFault, FaultQueue, faultLabel, type InjectOptions, TRANSPORT_FAULTS } from './faults';
import { type MnsErrorCode, mnsError, newMnsRequestId, sendMnsError, sendMnsXml } from './mns-errors';
import { verifyMns } from './mns-verify';
import { escapeText, MNS_NAMESPACE, parseMessageXml } from './mns-xml';
import type { ApiError } from './openapi-errors';
import { BodyTooLargeError, dropConnection, headerValue, type LoopbackServer, readBody, splitTarget, startLoopbackServer } from './server';

export const DEFAULT_TOPICS: readonly string[] = Object.freeze(['bandwidth-plan-events']);
export const PUBLISH_ACTION = 'PublishMessage';
/** Topic `MaximumMessageSize` default and ceiling (docs/sources.md, "MNS"). */
export const MAX_MESSAGE_BYTES = 65_536;
/** One filter tag of at most 16 characters (docs/sources.md, "MNS"). */
export const MAX_TAG_LENGTH = 16;

export const MNS_FAULTS = ['throttling', 'unavailable', 'internal', ...TRANSPORT_FAULTS] as const;
export type MnsFaultName = (typeof MNS_FAULTS)[number];
export type MnsFault = MnsFaultName | ErrorFault;

const FAULT_ERRORS = { throttling: 'QpsLimitExceeded', unavailable: 'ServiceUnavailable', internal: 'InternalError' } as const satisfies Record<
  Exclude<MnsFaultName, (typeof TRANSPORT_FAULTS)[number]>,
  MnsErrorCode
>;

const PUBLISH_PATH = /^\/topics\/([A-Za-z0-9-]{1,120})\/messages$/;

export interface MnsDoubleOptions {
  /** Keys the double accepts; default {@link DEFAULT_CREDENTIALS}. */
  readonly credentials?: readonly CloudCredential[];
  /** Epoch ms; default `Date.now`. Drives the `Date` check. */
  readonly now?: () => number;
  /** Topics that exist; default {@link DEFAULT_TOPICS}. */
  readonly topics?: readonly string[];
}

export interface PublishedMessage {
  readonly topic: string;
  readonly messageId: string;
  /** Unescaped: exactly what a subscriber receives. */
  readonly body: string;
  readonly tag: string | undefined;
  /** Epoch ms by the double's clock. */
  readonly receivedAt: number;
}

export interface MnsRequestRecord {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** The topic named in the path, when the path is a publish path. */
  readonly topic: string | undefined;
  /** `PublishMessage` for a publish path, else undefined. */
  readonly action: string | undefined;
  /** The raw request body (XML). */
  readonly body: string;
  readonly accessKeyId: string | undefined;
  readonly verified: boolean;
  /** The HTTP status answered; undefined while in flight and when no answer was sent. */
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly fault: string | undefined;
  readonly requestId: string;
  readonly receivedAt: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class MnsDouble {
  readonly #credentials: readonly CloudCredential[];
  readonly #now: () => number;
  readonly #topics: ReadonlySet<string>;
  readonly #faults = new FaultQueue(MNS_FAULTS);
  readonly #requests: MnsRequestRecord[] = [];
  readonly #messages: PublishedMessage[] = [];
  #server: LoopbackServer | undefined;
  #sequence = 0;

  private constructor(options: MnsDoubleOptions) {
    this.#credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    this.#now = options.now ?? Date.now;
    this.#topics = new Set(options.topics ?? DEFAULT_TOPICS);
  }

  static async start(options: MnsDoubleOptions = {}): Promise<MnsDouble> {
    const double = new MnsDouble(options);
    double.#server = await startLoopbackServer((request, response) => double.#handle(request, response));
    return double;
  }

  /** `http://127.0.0.1:PORT`: the MNS endpoint to configure. */
  get url(): string {
    return this.#server?.url ?? '';
  }

  get requests(): readonly MnsRequestRecord[] {
    return this.#requests;
  }

  /** Every message stored, in order. */
  get messages(): readonly PublishedMessage[] {
    return this.#messages;
  }

  /** Queues a fault for the next matching authenticated request(s); the only action is `PublishMessage`. */
  inject(fault: MnsFault, options?: InjectOptions): void {
    this.#faults.inject(fault, options);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  close(): Promise<void> {
    return this.#server?.close() ?? Promise.resolve();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    const route = PUBLISH_PATH.exec(splitTarget(target).path);
    const record: Mutable<MnsRequestRecord> = {
      method: request.method ?? '',
      path: target,
      topic: route?.[1],
      action: route && request.method === 'POST' ? PUBLISH_ACTION : undefined,
      body: '',
      accessKeyId: undefined,
      verified: false,
      status: undefined,
      code: undefined,
      fault: undefined,
      requestId: newMnsRequestId(),
      receivedAt: this.#now(),
    };
    this.#requests.push(record);
    const fail = (error: ApiError): void => {
      record.status = error.status;
      record.code = error.code;
      sendMnsError(response, error, record.requestId);
    };

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return fail(mnsError('InvalidArgument', error.message));
    }
    record.body = body.toString('utf8');
    const headers = Object.fromEntries(Object.keys(request.headers).map((name) => [name, headerValue(request, name)]));
    const verdict = verifyMns({ method: record.method, resource: target, headers, body }, { credentials: this.#credentials, now: this.#now });
    record.accessKeyId = verdict.accessKeyId;
    if (!verdict.ok) return fail(verdict.error);
    record.verified = true;
    if (record.action === undefined || record.topic === undefined) {
      return fail(mnsError('InvalidRequestURL', `This double serves only POST /topics/{TopicName}/messages, not ${record.method} ${target}.`));
    }

    const fault = this.#faults.take(record.action);
    if (fault !== undefined) record.fault = faultLabel(fault);
    if (fault === 'reset') return dropConnection(response);
    if (fault === 'hang') return;
    if (typeof fault === 'object') return fail({ status: fault.status, code: fault.code, message: fault.message ?? fault.code });
    if (fault !== undefined && fault !== 'drop-after-success') return fail(mnsError(FAULT_ERRORS[fault]));

    const published = this.#publish(record.topic, headers['content-type'], record.body);
    if (fault === 'drop-after-success') return dropConnection(response);
    if ('error' in published) return fail(published.error);
    record.status = 201;
    sendMnsXml(
      response,
      201,
      `<Message xmlns="${MNS_NAMESPACE}"><MessageId>${escapeText(published.messageId)}</MessageId>` +
        `<MessageBodyMD5>${published.bodyMd5}</MessageBodyMD5></Message>`,
      record.requestId,
    );
  }

  #publish(topic: string, contentType: string | undefined, xml: string): { messageId: string; bodyMd5: string } | { error: ApiError } {
    if (!this.#topics.has(topic)) return { error: mnsError('TopicNotExist') };
    if (!/^(text|application)\/xml\b/i.test(contentType ?? '')) {
      return { error: mnsError('InvalidArgument', `Content-Type must be text/xml (got "${contentType ?? ''}").`) };
    }
    const parsed = parseMessageXml(xml);
    if (!parsed.ok) return { error: mnsError(parsed.code, parsed.message) };
    // Measured as sent (escaped UTF-8), the conservative reading of the limit (docs/sources.md, "MNS").
    if (parsed.bodyTextBytes > MAX_MESSAGE_BYTES) {
      return { error: mnsError('InvalidArgument', `MessageBody should be between 1 and ${MAX_MESSAGE_BYTES} bytes (got ${parsed.bodyTextBytes}).`) };
    }
    if (parsed.tag !== undefined && (parsed.tag.length === 0 || parsed.tag.length > MAX_TAG_LENGTH)) {
      return { error: mnsError('InvalidArgument', `MessageTag should be between 1 and ${MAX_TAG_LENGTH} characters.`) };
    }
    const messageId = this.#newMessageId();
    this.#messages.push({ topic, messageId, body: parsed.body, tag: parsed.tag, receivedAt: this.#now() });
    return { messageId, bodyMd5: createHash('md5').update(parsed.body, 'utf8').digest('hex').toUpperCase() };
  }

  /** Shaped like the service's ids, e.g. `D273CD6A89564E54-1-15180395A19-200000001`. */
  #newMessageId(): string {
    this.#sequence += 1;
    return `${randomBytes(8).toString('hex').toUpperCase()}-1-${this.#now().toString(16).toUpperCase()}-${200_000_000 + this.#sequence}`;
  }
}

export const startMnsDouble = (options?: MnsDoubleOptions): Promise<MnsDouble> => MnsDouble.start(options);
