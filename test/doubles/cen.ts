/**
 * A loopback double of the CEN API (Cbn 2017-09-12, RPC style): CreateCenBandwidthPackage and
 * DescribeCenBandwidthPackages behind real ACS3 verification, with the API's ClientToken
 * semantics (and a memory for tokens that tests can shorten), tags, filters and paging, lazily
 * computed plan status, seedable plans and a queue of injectable faults.
 */

import { PlanBook, type PlanRecord, type PlanSeed } from './cen-plans';
import { type CloudCredential, DEFAULT_CREDENTIALS } from './credentials';
import { type ErrorFault, FaultQueue, type InjectOptions, TRANSPORT_FAULTS } from './faults';
import { type OpenApiAnswer, OpenApiEndpoint, type OpenApiRequestRecord, type VerifiedCall } from './openapi-endpoint';
import { type ApiError, openApiError } from './openapi-errors';
import { type LoopbackServer, startLoopbackServer } from './server';

export const CEN_API_VERSION = '2017-09-12';
export const CEN_HOST_ID = 'cbn.aliyuncs.com';
export const CEN_ACTIONS = { create: 'CreateCenBandwidthPackage', describe: 'DescribeCenBandwidthPackages' } as const;

export const CEN_FAULTS = ['throttling', 'unavailable', 'internal', 'blocking', ...TRANSPORT_FAULTS] as const;
export type CenFaultName = (typeof CEN_FAULTS)[number];
export type CenFault = CenFaultName | ErrorFault;

export interface CenDoubleOptions {
  /** Keys the double accepts; default {@link DEFAULT_CREDENTIALS}. */
  readonly credentials?: readonly CloudCredential[];
  /** Epoch ms; default `Date.now`. Drives the `x-acs-date` check and plan status. */
  readonly now?: () => number;
  /** How long a new plan stays `Creating` before it turns `Idle`; default 0 (at once). */
  readonly readyAfterMs?: number;
  /** The charge types the account may buy; default both. Most real accounts today: `['PREPAY']`. */
  readonly chargeTypes?: readonly string[];
  /**
   * How long the double remembers a ClientToken, in ms from the creation of the plan it bought, by
   * `now`; default `Infinity`. After that the same token buys a new plan, as if CEN had forgotten it
   * (the real lifetime is UNCONFIRMED). `0`: never remembered, every create buys.
   */
  readonly clientTokenMemoryMs?: number;
}

export type CenRequestRecord = OpenApiRequestRecord;
export type { PlanRecord, PlanSeed } from './cen-plans';

export class CenDouble {
  readonly #server: LoopbackServer;
  readonly #endpoint: OpenApiEndpoint<CenFaultName>;
  readonly #faults: FaultQueue<CenFaultName>;
  readonly #book: PlanBook;

  private constructor(server: LoopbackServer, endpoint: OpenApiEndpoint<CenFaultName>, faults: FaultQueue<CenFaultName>, book: PlanBook) {
    this.#server = server;
    this.#endpoint = endpoint;
    this.#faults = faults;
    this.#book = book;
  }

  static async start(options: CenDoubleOptions = {}): Promise<CenDouble> {
    const now = options.now ?? Date.now;
    const book = new PlanBook({
      now,
      readyAfterMs: options.readyAfterMs ?? 0,
      chargeTypes: options.chargeTypes ?? ['POSTPAY', 'PREPAY'],
      clientTokenMemoryMs: options.clientTokenMemoryMs ?? Number.POSITIVE_INFINITY,
    });
    const faults = new FaultQueue(CEN_FAULTS);
    const endpoint = new OpenApiEndpoint<CenFaultName>({
      product: 'Cbn',
      hostId: CEN_HOST_ID,
      version: CEN_API_VERSION,
      credentials: options.credentials ?? DEFAULT_CREDENTIALS,
      now,
      faults,
      faultErrors: { throttling: 'Throttling.User', unavailable: 'ServiceUnavailable', internal: 'InternalError', blocking: 'Operation.Blocking' },
      perform: async (call) => perform(book, call),
    });
    const server = await startLoopbackServer(endpoint.handle);
    return new CenDouble(server, endpoint, faults, book);
  }

  /** `http://127.0.0.1:PORT`: the CEN endpoint to configure. */
  get url(): string {
    return this.#server.url;
  }

  /** Every request received, in order, including refused ones. */
  get requests(): readonly CenRequestRecord[] {
    return this.#endpoint.requests;
  }

  /** Every plan bought or seeded, in that order, with its status as of now (`seeded` tells them apart). */
  get plans(): readonly PlanRecord[] {
    return this.#book.plans;
  }

  /** How many different ClientTokens bought plans through the API (seeded plans not counted). */
  distinctClientTokens(): number {
    return this.#book.distinctClientTokens();
  }

  /**
   * Puts in place a plan that already exists, e.g. one bought 23 hours ago with the product's tags,
   * as DescribeCenBandwidthPackages will show it. No request is recorded. Throws on a seed that would
   * not have been a valid create call.
   */
  seedPlan(seed: PlanSeed = {}): PlanRecord {
    return this.#book.seed(seed);
  }

  /** Queues a fault for the next matching authenticated request(s). */
  inject(fault: CenFault, options?: InjectOptions): void {
    this.#faults.inject(fault, options);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}

export const startCenDouble = (options?: CenDoubleOptions): Promise<CenDouble> => CenDouble.start(options);

function perform(book: PlanBook, call: VerifiedCall): OpenApiAnswer | { error: ApiError } {
  // RPC style: everything is addressed to `/`, the action travels in a header.
  if (call.path !== '/') return { error: openApiError('InvalidAction.NotFound', `RPC calls are addressed to "/", not "${call.path}".`) };
  switch (call.action) {
    case CEN_ACTIONS.create: {
      const created = book.create(call.query);
      if (!created.ok) return { error: created.error };
      return {
        status: 200,
        body: { CenBandwidthPackageId: created.plan.id, CenBandwidthPackageOrderId: created.plan.orderId, RequestId: call.requestId },
      };
    }
    case CEN_ACTIONS.describe: {
      const described = book.describe(call.query);
      if (!described.ok) return { error: described.error };
      return { status: 200, body: { ...described.body, RequestId: call.requestId } };
    }
    default:
      return { error: openApiError('InvalidAction.NotFound', `Specified api "${call.action}" is not found, please check your url and method.`) };
  }
}
