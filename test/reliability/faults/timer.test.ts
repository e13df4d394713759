/**
 * The fault matrix through the timer trigger: the CEN create of a scheduled purchase × every fault ×
 * once / repeatedly, each row stating its results. An invocation that could not finish throws, so FC
 * runs the event again; `redelivered` is that run, once the fault has cleared: it buys nothing new
 * (the ClientToken derives from the trigger time).
 */
import { describe, expect, it } from 'vitest';
import { timerEvent, VALID_PLAN } from '../../support/harness';
import { publishedEvents, settle } from '../../support/observe';
import {
  type AsyncResult,
  CREATE,
  DESCRIBE,
  expectAsyncResult,
  expectPromisesKept,
  type Fault,
  FINAL,
  inject,
  LOOKUP,
  open,
  publishedKinds,
  purchase,
  requestsFor,
  returned,
  SETTLE_LIMIT_MS,
  type Times,
} from './matrix';

interface Redelivered {
  readonly outcome: 'created';
  readonly creates: number;
  readonly plans: number;
  readonly published: readonly string[];
}

describe.concurrent('CEN create via timer', () => {
  type Row = readonly [
    Fault,
    Times,
    AsyncResult,
    { readonly creates: number; readonly plans: number; readonly published: readonly string[]; readonly redelivered?: Redelivered },
  ];
  const rows: readonly Row[] = [
    ['throttling', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'throttling',
      'repeatedly',
      { threw: 'Throttling.User', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['unavailable', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'unavailable',
      'repeatedly',
      { threw: 'ServiceUnavailable', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['internal', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'internal',
      'repeatedly',
      { threw: 'InternalError', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['blocking', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'blocking',
      'repeatedly',
      { threw: 'Operation.Blocking', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['reset', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'reset',
      'repeatedly',
      { threw: 'NetworkError', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['hang', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    [
      'hang',
      'repeatedly',
      { threw: 'NetworkError', retryable: true },
      { creates: 3, plans: 0, published: ['failed'], redelivered: { outcome: 'created', creates: 4, plans: 1, published: ['failed', 'created'] } },
    ],
    ['drop-after-success', 'once', { outcome: 'created', Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    // Bought by the first attempt though no answer came back: found by its ClientToken tag, it is the outcome.
    ['drop-after-success', 'repeatedly', { outcome: 'created', Status: 'Idle' }, { creates: 3, plans: 1, published: ['created'] }],
    // A final refusal is an outcome, returned: FC has nothing to run again.
    ['final', 'once', { outcome: 'failed', code: 'OperationInvalid.UserCanNotBuyBwp' }, { creates: 1, plans: 0, published: ['failed'] }],
    ['final', 'repeatedly', { outcome: 'failed', code: 'OperationInvalid.UserCanNotBuyBwp' }, { creates: 1, plans: 0, published: ['failed'] }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, result, expected], context) => {
    const h = await open(context);
    inject(h.cen, CREATE, fault, times, FINAL.create);

    const run = await purchase(h, 'timer');

    expectAsyncResult(run.first, result, h.cen.plans[0]?.id);
    expect(requestsFor(h, CREATE)).toHaveLength(expected.creates);
    expect(h.cen.plans).toHaveLength(expected.plans);
    expect(publishedKinds(publishedEvents(h))).toEqual(expected.published);

    const again = expected.redelivered;
    if (again) {
      h.cen.clearFaults();
      const redelivered = await run.redeliver();
      expect(returned(redelivered)).toMatchObject({ outcome: again.outcome, CenBandwidthPackageId: h.cen.plans[0]?.id });
      expect(requestsFor(h, CREATE)).toHaveLength(again.creates);
      expect(h.cen.plans).toHaveLength(again.plans);
      expect(publishedKinds(publishedEvents(h))).toEqual(again.published);
      expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
    }
    expectPromisesKept(h, [run.first]);
  });
});

describe('FC re-invocation of a thrown timer event', () => {
  it('every redelivery after a thrown failure reuses the token, buys once, and the outcome is published', async (context) => {
    const h = await open(context);
    // Every attempt of the first run is cut before CEN answers (3 attempts): the invocation throws, and
    // FC runs the event again with the same ClientToken, which buys once.
    h.cen.inject('reset', { times: 3, action: CREATE });

    const runs = [];
    for (let run = 0; run < 2; run++) runs.push(await settle(h.invoke(timerEvent(VALID_PLAN, '2025-06-01T00:00:00Z')), SETTLE_LIMIT_MS));

    expect(runs.map((settled) => settled.kind)).toEqual(['threw', 'returned']);
    expect(runs[0]).toMatchObject({ kind: 'threw', error: { code: 'NetworkError', retryable: true } });
    expect(returned(runs[1]!)).toMatchObject({ outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]!.id });
    expect(h.cen.plans).toHaveLength(1);
    expect(requestsFor(h, CREATE)).toHaveLength(4);
    // Before buying, and after the failed attempts (nothing there yet); then the re-run's own.
    expect(requestsFor(h, DESCRIBE, LOOKUP)).toHaveLength(3);
    expect(new Set(requestsFor(h, CREATE).map((request) => request.params.ClientToken)).size).toBe(1);
    expect(publishedKinds(publishedEvents(h))).toEqual(['failed', 'created']);
    expectPromisesKept(h, runs);
  });
});
