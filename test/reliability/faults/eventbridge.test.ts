/**
 * The fault matrix through EventBridge: every network step of an async purchase × every fault ×
 * once / repeatedly, each row stating its results. An invocation that could not finish throws, so
 * FC runs the event again; `redelivered` is that run, once the fault has cleared: it buys nothing new.
 */
import { describe, expect, it } from 'vitest';
import { cloudEvent, type Harness, VALID_PLAN } from '../../support/harness';
import { logsWith, publishedEvents, settle } from '../../support/observe';
import {
  type AsyncResult,
  BY_ID,
  CREATE,
  DESCRIBE,
  expectAsyncResult,
  expectPromisesKept,
  type Fault,
  FINAL,
  inject,
  LOOKUP,
  open,
  PUBLISH,
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

describe.concurrent('CEN create via eventbridge', () => {
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

    const run = await purchase(h, 'eventbridge');

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

// Before buying, the intent's plan is looked up by its ClientToken tag; a lookup that cannot be made buys
// nothing. A retryable failure is thrown, so FC runs the event again; the redelivery buys once.
describe.concurrent('CEN lookup of the intent before buying, via eventbridge', () => {
  type Row = readonly [
    Fault,
    Times,
    AsyncResult,
    { readonly lookups: number; readonly creates: number; readonly published: readonly string[]; readonly redelivered?: true },
  ];
  const rows: readonly Row[] = [
    ['throttling', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['throttling', 'repeatedly', { threw: 'Throttling.User', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['unavailable', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['unavailable', 'repeatedly', { threw: 'ServiceUnavailable', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['internal', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['internal', 'repeatedly', { threw: 'InternalError', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['blocking', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['blocking', 'repeatedly', { threw: 'Operation.Blocking', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['reset', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['reset', 'repeatedly', { threw: 'NetworkError', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['hang', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['hang', 'repeatedly', { threw: 'NetworkError', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    ['drop-after-success', 'once', { outcome: 'created', Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['drop-after-success', 'repeatedly', { threw: 'NetworkError', retryable: true }, { lookups: 3, creates: 0, published: ['failed'], redelivered: true }],
    // Not retryable: returned as the outcome; nothing is bought until the role may describe.
    ['final', 'once', { outcome: 'failed', code: 'Forbidden.RAM' }, { lookups: 1, creates: 0, published: ['failed'] }],
    ['final', 'repeatedly', { outcome: 'failed', code: 'Forbidden.RAM' }, { lookups: 1, creates: 0, published: ['failed'] }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, result, expected], context) => {
    const h = await open(context);
    inject(h.cen, DESCRIBE, fault, times, FINAL.describe, LOOKUP);

    const run = await purchase(h, 'eventbridge');

    expectAsyncResult(run.first, result, h.cen.plans[0]?.id);
    expect(requestsFor(h, DESCRIBE, LOOKUP)).toHaveLength(expected.lookups);
    expect(requestsFor(h, CREATE)).toHaveLength(expected.creates);
    expect(publishedKinds(publishedEvents(h))).toEqual(expected.published);
    if (expected.redelivered) {
      h.cen.clearFaults();
      expect(returned(await run.redeliver())).toMatchObject({ outcome: 'created', CenBandwidthPackageId: h.cen.plans[0]?.id });
      expect(requestsFor(h, CREATE)).toHaveLength(1);
      expect(h.cen.plans).toHaveLength(1);
      expect(publishedKinds(publishedEvents(h))).toEqual([...expected.published, 'created']);
    }
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('CEN describe while waiting for the new plan, via eventbridge', () => {
  // The plan is Creating for its first 300 ms: the wait reads it, sleeps 500 ms, reads it Idle.
  type Row = readonly [Fault, Times, AsyncResult, { readonly describes: number; readonly notRead: number; readonly published: string }];
  const rows: readonly Row[] = [
    ['throttling', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['throttling', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['unavailable', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['unavailable', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['internal', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['internal', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['blocking', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['blocking', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['reset', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['reset', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['hang', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['hang', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['drop-after-success', 'once', { outcome: 'created', Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['drop-after-success', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    // A status that cannot be read makes the bought plan pending, never failed: nothing for FC to run again.
    ['final', 'once', { outcome: 'pending', Status: 'pending' }, { describes: 1, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['final', 'repeatedly', { outcome: 'pending', Status: 'pending' }, { describes: 1, notRead: 1, published: 'cen.bandwidthplan.pending' }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, result, expected], context) => {
    const h = await open(context, { cen: { readyAfterMs: 300 } });
    inject(h.cen, DESCRIBE, fault, times, FINAL.describe, BY_ID);

    const run = await purchase(h, 'eventbridge');

    expect(h.cen.plans).toHaveLength(1);
    const id = h.cen.plans[0]!.id;
    expectAsyncResult(run.first, result, id);
    expect(requestsFor(h, CREATE)).toHaveLength(1);
    expect(requestsFor(h, DESCRIBE, BY_ID)).toHaveLength(expected.describes);
    expect(requestsFor(h, DESCRIBE, LOOKUP)).toHaveLength(1);
    expect(logsWith(h, 'could not read the new plan status')).toHaveLength(expected.notRead);
    expect(publishedEvents(h).map((event) => [event.type, event.subject])).toEqual([[expected.published, id]]);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('MNS publish via eventbridge', () => {
  /** What the topic holds: messages, distinct event ids (an answer lost after MNS stored the message makes the retry store it again, same id). */
  interface Topic {
    readonly publishes: number;
    readonly stored: number;
    readonly storedIds: number;
  }
  type Row = readonly [
    Fault,
    Times,
    { readonly notification: { readonly delivered: true } } | { readonly threw: 'NotificationFailed' },
    Topic & { readonly notDelivered: number; readonly redelivered?: Topic & { readonly creates: number } },
  ];
  const rows: readonly Row[] = [
    ['throttling', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'throttling',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 4, stored: 1, storedIds: 1 } },
    ],
    ['unavailable', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'unavailable',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 4, stored: 1, storedIds: 1 } },
    ],
    ['internal', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'internal',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 4, stored: 1, storedIds: 1 } },
    ],
    ['reset', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'reset',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 4, stored: 1, storedIds: 1 } },
    ],
    ['hang', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'hang',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 4, stored: 1, storedIds: 1 } },
    ],
    // At least once: each attempt whose answer was lost had stored the message; the redelivery publishes a new event.
    ['drop-after-success', 'once', { notification: { delivered: true } }, { publishes: 2, notDelivered: 0, stored: 2, storedIds: 1 }],
    [
      'drop-after-success',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 3, notDelivered: 1, stored: 3, storedIds: 1, redelivered: { creates: 1, publishes: 4, stored: 4, storedIds: 2 } },
    ],
    [
      'final',
      'once',
      { threw: 'NotificationFailed' },
      { publishes: 1, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 2, stored: 1, storedIds: 1 } },
    ],
    [
      'final',
      'repeatedly',
      { threw: 'NotificationFailed' },
      { publishes: 1, notDelivered: 1, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 2, stored: 1, storedIds: 1 } },
    ],
  ];

  function expectTopic(h: Harness, id: string, topic: Topic): void {
    expect(h.mns.requests).toHaveLength(topic.publishes);
    const stored = publishedEvents(h);
    expect(stored).toHaveLength(topic.stored);
    for (const event of stored) expect(event).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });
    expect(new Set(stored.map((event) => event.id)).size).toBe(topic.storedIds);
  }

  it.for(rows)('%s × %s', async ([fault, times, result, expected], context) => {
    const h = await open(context);
    inject(h.mns, PUBLISH, fault, times, FINAL.publish);

    const run = await purchase(h, 'eventbridge');

    expect(h.cen.plans).toHaveLength(1);
    const id = h.cen.plans[0]!.id;
    // An outcome that could not be published is thrown, so FC runs the event again.
    if ('threw' in result) expect(run.first).toMatchObject({ kind: 'threw', error: { code: result.threw } });
    else expect(returned(run.first)).toMatchObject({ outcome: 'created', CenBandwidthPackageId: id, notification: result.notification });
    expectTopic(h, id, expected);
    const notDelivered = logsWith(h, 'notification not delivered');
    expect(notDelivered).toHaveLength(expected.notDelivered);
    for (const record of notDelivered) expect(record.cloudEvent).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });

    const again = expected.redelivered;
    if (again) {
      h.mns.clearFaults();
      const redelivered = await run.redeliver();
      expect(returned(redelivered)).toMatchObject({ outcome: 'created', CenBandwidthPackageId: id, notification: { delivered: true } });
      expect(requestsFor(h, CREATE)).toHaveLength(again.creates);
      expectTopic(h, id, again);
      expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });
    }
    expect(h.cen.plans).toHaveLength(1);
    expectPromisesKept(h, [run.first]);
  });
});

describe('FC re-invocation of a thrown EventBridge event', () => {
  it('every redelivery after a thrown failure reuses the token, buys once, and the outcome is published', async (context) => {
    const h = await open(context);
    // Every attempt of the first run is cut before CEN answers (3 attempts): the invocation throws, and
    // FC runs the event again with the same ClientToken, which buys once.
    h.cen.inject('reset', { times: 3, action: CREATE });

    const runs = [];
    for (let run = 0; run < 2; run++) runs.push(await settle(h.invoke(cloudEvent('redelivered-1', VALID_PLAN)), SETTLE_LIMIT_MS));

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
