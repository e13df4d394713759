/**
 * The seam the pipeline uses to announce an outcome. The MNS notifier publishes it as a CloudEvent;
 * when publishing fails for good, the whole event goes to the log instead, so no outcome is lost,
 * and the caller gets a report rather than an exception (it decides whether a failed notification
 * fails the invocation, e.g. so FC retries an async event).
 */
import { randomUUID } from 'node:crypto';
import type { MessagePublisher } from '../../clients/mns/publisher';
import type { Credentials } from '../../runtime/credentials';
import type { Logger } from '../../runtime/log';
import { asBandwidthPlanError } from '../errors';
import { MESSAGE_TAGS, type Outcome } from '../outcome';
import { type BandwidthPlanCloudEvent, serialiseWithinLimit, type TestCloudEvent, testCloudEvent, toCloudEvent, toXmlSafeJson } from './cloudevent';

export interface NotifyCall {
  readonly credentials: Credentials;
  /** Epoch ms by which the last publish attempt must have ended. */
  readonly deadline: number;
  /** The invocation doing the notifying, for the log (the event carries the outcome's own). */
  readonly fcRequestId?: string | undefined;
}

export interface NotificationError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export type NotificationReport =
  | { readonly delivered: true; readonly messageId: string }
  | { readonly delivered: false; readonly error: NotificationError }
  | { readonly delivered: false; readonly disabled: true };

export interface Notifier {
  /** Never throws: a failure is reported (and logged with the whole event). */
  notify(outcome: Outcome, call: NotifyCall): Promise<NotificationReport>;
  /** Publishes a `cen.bandwidthplan.test` event (MessageTag `test`) that proves the topic takes messages. Never throws. */
  notifyTest(call: NotifyCall & { readonly fcRequestId: string }): Promise<NotificationReport>;
}

export interface MnsNotifierOptions {
  readonly publisher: MessagePublisher;
  /** FC `context.region`, `context.accountId` and the function's name: the event `source`. */
  readonly region: string;
  readonly accountId: string;
  readonly functionName: string;
  readonly log: Logger;
  /** Event id, unique per outcome. Default: a random UUID. */
  readonly newId?: () => string;
  /** Event time. Default: now. */
  readonly now?: () => Date;
}

export function createMnsNotifier(options: MnsNotifierOptions): Notifier {
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? (() => new Date());
  const { publisher, log } = options;
  const context = () => ({ id: newId(), time: now(), region: options.region, accountId: options.accountId, functionName: options.functionName });

  /** Publishes one event with its filter tag; a failure is reported, with the whole event logged. */
  async function publish(
    cloudEvent: BandwidthPlanCloudEvent | TestCloudEvent,
    tag: string,
    call: NotifyCall,
    fcRequestId: string,
  ): Promise<NotificationReport> {
    const fields = { eventId: cloudEvent.id, type: cloudEvent.type, fcRequestId: call.fcRequestId ?? fcRequestId };
    try {
      // A test event is small and fixed: nothing to trim.
      const { json, truncated } =
        'test' in cloudEvent.data ? { json: toXmlSafeJson(cloudEvent), truncated: false } : serialiseWithinLimit(cloudEvent as BandwidthPlanCloudEvent);
      const published = await publisher.publish({ body: json, tag }, call);
      log.info('notification published', { ...fields, messageId: published.messageId, upstreamRequestId: published.requestId, truncated });
      return { delivered: true, messageId: published.messageId };
    } catch (thrown) {
      const failure = asBandwidthPlanError(thrown);
      const error: NotificationError = {
        code: failure.code,
        // Upstream text was cleaned of the call's keys where it entered (clients/signed-call.ts).
        message: failure.message,
        retryable: failure.retryable,
      };
      // The log line is the outcome's record of last resort: the whole event, untrimmed.
      log.error('notification not delivered', { ...fields, cloudEvent, error: { ...error, upstreamRequestId: failure.requestId } });
      return { delivered: false, error };
    }
  }

  return {
    // The outcome kind is the filter tag: subscribers can take, say, only failures (or approval requests).
    notify: (outcome, call) => publish(toCloudEvent(outcome, context()), MESSAGE_TAGS[outcome.kind], call, outcome.fcRequestId),
    notifyTest: (call) => publish(testCloudEvent(context(), call.fcRequestId), 'test', call, call.fcRequestId),
  };
}

/** For when no topic is configured (`NOTIFY_TOPIC` unset): reports, publishes nothing. */
export const disabledNotifier: Notifier = {
  notify: async () => ({ delivered: false, disabled: true }),
  notifyTest: async () => ({ delivered: false, disabled: true }),
};
