/**
 * Publishes one message to an MNS topic (PublishMessage, docs/sources.md, "MNS"): POST
 * `/topics/{topic}/messages`, MNS-signed afresh for every attempt, retried through {@link retry}
 * within the caller's deadline. Only an HTTP 201 that names a MessageId counts as published.
 */
import { notAnAnswer, ProductError, UpstreamError } from '../../core/errors';
import { type Clock, systemClock } from '../../runtime/clock';
import type { Credentials } from '../../runtime/credentials';
import { type HttpResponse, type HttpTransport, headerValue, nodeHttpTransport } from '../../runtime/http';
import type { Logger } from '../../runtime/log';
import type { RetryPolicy } from '../../runtime/retry';
import { type ClientDeps, signedCall } from '../signed-call';
import { signMns } from './signature';
import { buildPublishMessageXml, parseMnsXml } from './xml';

export const MNS_API_VERSION = '2015-06-06';
/** Sent and signed byte for byte as the docs write it. */
export const MNS_CONTENT_TYPE = 'text/xml;charset=utf-8';
/** A topic accepts one filter tag per message, at most 16 characters (docs/sources.md, "MNS"). */
export const MAX_MESSAGE_TAG_LENGTH = 16;

// Letters, digits and hyphens, starting with a letter: nothing in it needs percent-encoding, so the
// signed resource is the path as sent.
const TOPIC_NAME = /^[A-Za-z][A-Za-z0-9-]{0,255}$/;

/** The public endpoint of an account's MNS in a region. */
export function defaultMnsEndpoint(accountId: string, region: string): string {
  return `https://${accountId}.mns.${region}.aliyuncs.com`;
}

export interface OutgoingMessage {
  /** Message text; XML-escaped into `MessageBody` (not Base64). */
  readonly body: string;
  /** Subscription filter tag, at most 16 characters; left out when empty. */
  readonly tag?: string | undefined;
}

/** Per call: whose credentials, and when the last attempt must have ended. */
export interface PublishCall {
  readonly credentials: Credentials;
  /** Epoch ms. */
  readonly deadline: number;
}

export interface PublishedMessage {
  readonly messageId: string;
  /** `x-mns-request-id` of the successful answer, for support. */
  readonly requestId?: string | undefined;
}

/** What the notifier needs from a publisher; {@link MnsPublisher} is the real one. */
export interface MessagePublisher {
  publish(message: OutgoingMessage, call: PublishCall): Promise<PublishedMessage>;
}

export interface MnsPublisherOptions {
  /** `https://{accountId}.mns.{region}.aliyuncs.com` (see {@link defaultMnsEndpoint}); `http://127.0.0.1:PORT` works for local doubles. */
  readonly endpoint: string;
  readonly topic: string;
  /** Default: the shared keep-alive node:http(s) transport. */
  readonly transport?: HttpTransport;
  /** Default: the system clock. Also dates each attempt's signature. */
  readonly clock?: Clock;
  /** Default: {@link DEFAULT_RETRY_POLICY} from retry.ts. */
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly log?: Logger;
}

export class MnsPublisher implements MessagePublisher {
  readonly #url: URL;
  readonly #resource: string;
  readonly #topic: string;
  readonly #deps: ClientDeps;

  /** @throws ProductError `ConfigurationError` for an endpoint that is not an http(s) URL or an invalid topic name. */
  constructor(options: MnsPublisherOptions) {
    if (!TOPIC_NAME.test(options.topic)) {
      throw new ProductError('ConfigurationError', `The notification topic name "${options.topic}" is not a valid MNS topic name.`);
    }
    this.#topic = options.topic;
    this.#resource = `/topics/${options.topic}/messages`;
    this.#url = new URL(this.#resource, parseEndpoint(options.endpoint));
    this.#deps = { transport: options.transport ?? nodeHttpTransport, clock: options.clock ?? systemClock, retryPolicy: options.retryPolicy, log: options.log };
  }

  /**
   * Publishes `message`. Throttling, MNS-side failures, network errors and timeouts are retried until
   * the deadline; the last error is then thrown as is (retryable errors stay retryable). Other MNS
   * errors are thrown at once as an {@link UpstreamError} with MNS's code.
   */
  async publish(message: OutgoingMessage, call: PublishCall): Promise<PublishedMessage> {
    if (message.tag !== undefined && message.tag.length > MAX_MESSAGE_TAG_LENGTH) {
      throw new ProductError('InvalidParameter', `The message tag must be at most ${MAX_MESSAGE_TAG_LENGTH} characters.`);
    }
    const body = buildPublishMessageXml(message.body, message.tag);
    return signedCall(this.#deps, {
      service: 'MNS',
      action: 'PublishMessage',
      logFields: { topic: this.#topic },
      deadline: call.deadline,
      credentials: call.credentials,
      // A fresh Date every attempt: MNS refuses a request dated more than 15 minutes off.
      sign: (date) => ({ method: 'POST', url: this.#url, headers: this.#signedHeaders(date.toUTCString(), call.credentials), body }),
      read: parsePublishResponse,
    });
  }

  #signedHeaders(date: string, credentials: Credentials): Record<string, string> {
    const mnsHeaders = { 'x-mns-version': MNS_API_VERSION };
    const { authorization } = signMns(
      // No Content-MD5: optional, and the SDKs' hex-then-Base64 form is not what RFC 1864 says (docs/sources.md, "MNS").
      { method: 'POST', path: this.#resource, contentType: MNS_CONTENT_TYPE, date, mnsHeaders },
      credentials,
    );
    const headers: Record<string, string> = { date, 'content-type': MNS_CONTENT_TYPE, ...mnsHeaders, authorization };
    // Not an x-mns-* header, so it is not signed (docs/sources.md, "MNS").
    if (credentials.securityToken) headers['security-token'] = credentials.securityToken;
    return headers;
  }
}

function parseEndpoint(endpoint: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new ProductError('ConfigurationError', `The MNS endpoint "${endpoint}" is not an http(s) URL.`);
  }
  return url;
}

/** A 201 naming a MessageId is the only success; MNS errors keep their code and RequestId. */
export function parsePublishResponse(response: HttpResponse): PublishedMessage {
  const headerRequestId = headerValue(response.headers, 'x-mns-request-id');
  const document = parseMnsXml(response.body.toString('utf8'));
  const messageId = document?.root === 'Message' ? document.fields.MessageId?.trim() : undefined;
  if (response.status === 201 && messageId) {
    return headerRequestId === undefined ? { messageId } : { messageId, requestId: headerRequestId };
  }
  const code = document?.root === 'Error' ? document.fields.Code?.trim() : undefined;
  if (code) {
    const requestId = document?.fields.RequestId?.trim() || headerRequestId;
    throw new UpstreamError(code, document?.fields.Message?.trim(), response.status, requestId, 'MNS');
  }
  throw notAnAnswer(
    `MNS PublishMessage: HTTP ${response.status} without ${response.status === 201 ? 'a MessageId' : 'an MNS error document'}`,
    response.status,
    headerRequestId,
  );
}
