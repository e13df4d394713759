/**
 * Chooses the notifier for an invocation: MNS when NOTIFY_TOPIC is set, otherwise none. The MNS
 * endpoint defaults to the function's own account and region, known only from the FC context, so
 * publishers are made on first use and kept per endpoint for the life of the instance.
 */
import { defaultMnsEndpoint, MnsPublisher } from '../../shared/clients/mns/publisher';
import { ProductError } from '../../shared/core/errors';
import { createMnsNotifier, disabledNotifier, type Notifier } from '../../shared/core/notifications/notifier';
import type { Clock } from '../../shared/runtime/clock';
import type { Config } from '../../shared/runtime/config';
import type { FunctionIdentity } from '../../shared/runtime/fc';
import type { HttpTransport } from '../../shared/runtime/http';
import type { Logger } from '../../shared/runtime/log';
import type { RetryPolicy } from '../../shared/runtime/retry';

export interface NotifierOptions {
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport?: HttpTransport;
  readonly newId?: () => string;
  readonly retryPolicy?: Partial<RetryPolicy>;
}

/** Returns the notifier for an invocation, keeping one publisher per endpoint for the instance's life. */
export function notifierFactory(config: Config, options: NotifierOptions): (identity: FunctionIdentity, log: Logger) => Notifier {
  const publishers = new Map<string, MnsPublisher>();
  return (identity, log) => {
    const topic = config.notifyTopic;
    if (!topic) return disabledNotifier;
    const { accountId, region } = identity;
    const endpoint = config.mnsEndpoint ?? (accountId && region ? defaultMnsEndpoint(accountId, region) : undefined);
    if (!endpoint) {
      throw new ProductError('ConfigurationError', 'MNS_ENDPOINT is not set and the FC context has no accountId/region to derive it from.');
    }
    let publisher = publishers.get(endpoint);
    if (!publisher) {
      publisher = new MnsPublisher({
        endpoint,
        topic,
        clock: options.clock,
        log: options.log,
        ...(options.transport ? { transport: options.transport } : {}),
        ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      });
      publishers.set(endpoint, publisher);
    }
    return createMnsNotifier({
      publisher,
      region: region ?? '',
      accountId: accountId ?? '',
      functionName: identity.functionName,
      log,
      ...(options.newId ? { newId: options.newId } : {}),
    });
  };
}
