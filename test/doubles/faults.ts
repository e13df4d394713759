/**
 * The fault queue every double shares: tests (and the local run) queue failures, and requests take
 * them in order. A fault is consumed only by a request it matches (an optional action filter), and
 * only once the request has been authenticated, so a badly signed request is reported as such
 * instead of silently eating a fault meant for the retry after it.
 */

/** Failures at the connection level, the same for every double. */
export const TRANSPORT_FAULTS = ['reset', 'hang', 'drop-after-success'] as const;
export type TransportFault = (typeof TRANSPORT_FAULTS)[number];

/** An arbitrary error answer: any code, any HTTP status. */
export interface ErrorFault {
  readonly code: string;
  readonly status: number;
  readonly message?: string;
}

export interface InjectOptions {
  /** How many matching requests the fault hits; default 1, `Infinity` allowed. */
  readonly times?: number;
  /** Only requests for this action take the fault; default any. */
  readonly action?: string;
  /**
   * Only requests whose query carries every one of these parameters take the fault (e.g. the describe
   * that looks a plan up by id, not the one that lists plans by tag); default any.
   */
  readonly params?: Readonly<Record<string, string>>;
}

interface QueuedFault<Fault> {
  readonly fault: Fault;
  readonly action: string | undefined;
  readonly params: Readonly<Record<string, string>> | undefined;
  remaining: number;
}

export class FaultQueue<Name extends string> {
  readonly #names: readonly Name[];
  readonly #queue: QueuedFault<Name | ErrorFault>[] = [];

  /** @param names the named faults this double understands; anything else is refused at inject time. */
  constructor(names: readonly Name[]) {
    this.#names = names;
  }

  inject(fault: Name | ErrorFault, options: InjectOptions = {}): void {
    const times = options.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`times must be a whole number of at least 1, or Infinity (got ${times})`);
    }
    if (typeof fault === 'string' && !this.#names.includes(fault)) {
      throw new TypeError(`unknown fault "${fault}": expected one of ${this.#names.join(', ')} or { code, status }`);
    }
    if (typeof fault === 'object' && !isErrorStatus(fault.status)) {
      throw new RangeError(`an error fault needs a 2xx, 4xx or 5xx HTTP status (got ${fault.status})`);
    }
    this.#queue.push({ fault, action: options.action, params: options.params, remaining: times });
  }

  /** Takes the first queued fault that applies to a request for `action` with these query parameters, if any. */
  take(action: string | undefined, params: Readonly<Record<string, string>> = {}): Name | ErrorFault | undefined {
    const index = this.#queue.findIndex(
      (queued) =>
        (queued.action === undefined || queued.action === action) && Object.entries(queued.params ?? {}).every(([name, value]) => params[name] === value),
    );
    const queued = this.#queue[index];
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return queued.fault;
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** Faults still queued (an `Infinity` fault stays queued). */
  get size(): number {
    return this.#queue.length;
  }
}

/** 4xx and 5xx, and 2xx too: DingTalk, for one, reports errors in a 200 body. A 3xx would be a redirect. */
function isErrorStatus(status: number): boolean {
  return Number.isInteger(status) && ((status >= 200 && status <= 299) || (status >= 400 && status <= 599));
}

/** A fault's name for request records: the name itself, or the code of an error fault. */
export function faultLabel(fault: string | ErrorFault): string {
  return typeof fault === 'string' ? fault : fault.code;
}
