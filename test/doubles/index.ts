/**
 * The loopback cloud: every double the function talks to, started together on 127.0.0.1 with one
 * credential registry and one clock. Used by the product's tests and embedded by the local run.
 */
import { type CenDouble, type CenDoubleOptions, startCenDouble } from './cen';
import { type ChatDouble, type ChatDoubleOptions, startChatDouble } from './chat';
import { type CloudCredential, DEFAULT_CREDENTIALS } from './credentials';
import { type FcDouble, type FcDoubleOptions, startFcDouble } from './fc';
import { type MnsDouble, type MnsDoubleOptions, startMnsDouble } from './mns';

export * from './cen';
export * from './chat';
export { type CloudCredential, DEV_CREDENTIALS } from './credentials';
export * from './fc';
export * from './mns';

type Shared = 'credentials' | 'now';

export interface CloudOptions {
  /** Keys every ACS3/MNS double accepts; default {@link DEFAULT_CREDENTIALS}. */
  readonly credentials?: readonly CloudCredential[];
  /** One clock for all doubles (epoch ms); default `Date.now`. */
  readonly now?: () => number;
  readonly cen?: Omit<CenDoubleOptions, Shared>;
  readonly mns?: Omit<MnsDoubleOptions, Shared>;
  readonly fc?: Omit<FcDoubleOptions, Shared>;
  readonly chat?: Omit<ChatDoubleOptions, 'now'>;
}

export interface Cloud {
  readonly cen: CenDouble;
  readonly mns: MnsDouble;
  readonly fc: FcDouble;
  readonly chat: ChatDouble;
  /** Closes every double, hanging connections included. */
  close(): Promise<void>;
}

export async function startCloud(options: CloudOptions = {}): Promise<Cloud> {
  const shared = { credentials: options.credentials ?? DEFAULT_CREDENTIALS, ...(options.now ? { now: options.now } : {}) };
  const started = await Promise.allSettled([
    startCenDouble({ ...options.cen, ...shared }),
    startMnsDouble({ ...options.mns, ...shared }),
    startFcDouble({ ...options.fc, ...shared }),
    startChatDouble({ ...options.chat, ...(options.now ? { now: options.now } : {}) }),
  ] as const);
  const [cen, mns, fc, chat] = started;
  if (cen.status === 'fulfilled' && mns.status === 'fulfilled' && fc.status === 'fulfilled' && chat.status === 'fulfilled') {
    const doubles = { cen: cen.value, mns: mns.value, fc: fc.value, chat: chat.value };
    return {
      ...doubles,
      async close() {
        await Promise.all(Object.values(doubles).map((double) => double.close()));
      },
    };
  }
  // One failed to start: close the others rather than leak their servers.
  await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
  throw new Error('the loopback cloud failed to start', { cause: started.find((result) => result.status === 'rejected')?.reason });
}
