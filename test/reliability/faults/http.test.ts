/**
 * The fault matrix through the HTTP API: every network step of POST /bandwidth-plans and
 * GET /bandwidth-plans/{id} × every fault × once / repeatedly, each row stating its results. A fault
 * once costs one retry (2 requests), a repeated one uses all 3 attempts, a final answer is not retried.
 */
import { describe, expect, it } from 'vitest';
import { type HttpAnswer, VALID_PLAN } from '../../support/harness';
import { logsWith, publishedEvents, settle } from '../../support/observe';
import {
  BY_ID,
  CREATE,
  DESCRIBE,
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

/** The function's answer: 201 with the plan's status, or an error status and code. */
type Answer = { readonly status: 201; readonly Status: 'Idle' } | { readonly status: number; readonly code: string };

function expectAnswer(answer: HttpAnswer, expected: Answer, planId: string | undefined): void {
  if ('code' in expected) expect(answer).toMatchObject({ status: expected.status, body: { error: { code: expected.code }, ClientToken: expect.any(String) } });
  else expect(answer).toMatchObject({ status: expected.status, body: { CenBandwidthPackageId: planId, Status: expected.Status } });
}

describe.concurrent('CEN create via http', () => {
  type Row = readonly [Fault, Times, Answer, { readonly creates: number; readonly plans: number; readonly published: readonly string[] }];
  const rows: readonly Row[] = [
    ['throttling', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['throttling', 'repeatedly', { status: 429, code: 'Throttling.User' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['unavailable', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['unavailable', 'repeatedly', { status: 502, code: 'ServiceUnavailable' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['internal', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['internal', 'repeatedly', { status: 502, code: 'InternalError' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['blocking', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['blocking', 'repeatedly', { status: 502, code: 'Operation.Blocking' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['reset', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['reset', 'repeatedly', { status: 502, code: 'NetworkError' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['hang', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    ['hang', 'repeatedly', { status: 502, code: 'NetworkError' }, { creates: 3, plans: 0, published: ['failed'] }],
    ['drop-after-success', 'once', { status: 201, Status: 'Idle' }, { creates: 2, plans: 1, published: ['created'] }],
    // Bought by the first attempt, though no answer ever came back: found by its ClientToken tag, it is the outcome.
    ['drop-after-success', 'repeatedly', { status: 201, Status: 'Idle' }, { creates: 3, plans: 1, published: ['created'] }],
    ['final', 'once', { status: 403, code: 'OperationInvalid.UserCanNotBuyBwp' }, { creates: 1, plans: 0, published: ['failed'] }],
    ['final', 'repeatedly', { status: 403, code: 'OperationInvalid.UserCanNotBuyBwp' }, { creates: 1, plans: 0, published: ['failed'] }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, answer, expected], context) => {
    const h = await open(context);
    inject(h.cen, CREATE, fault, times, FINAL.create);

    const run = await purchase(h, 'http');

    expectAnswer(returned<HttpAnswer>(run.first), answer, h.cen.plans[0]?.id);
    expect(requestsFor(h, CREATE)).toHaveLength(expected.creates);
    expect(h.cen.plans).toHaveLength(expected.plans);
    expect(publishedKinds(publishedEvents(h))).toEqual(expected.published);
    expectPromisesKept(h, [run.first]);
  });
});

// Before buying, the intent's plan is looked up by its ClientToken tag. A lookup that cannot be made
// buys nothing (buying blind could buy twice): the caller gets the error and the ClientToken to retry with.
describe.concurrent('CEN lookup of the intent before buying, via http', () => {
  type Row = readonly [Fault, Times, Answer, { readonly lookups: number; readonly creates: number; readonly published: readonly string[] }];
  const rows: readonly Row[] = [
    ['throttling', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['throttling', 'repeatedly', { status: 429, code: 'Throttling.User' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['unavailable', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['unavailable', 'repeatedly', { status: 502, code: 'ServiceUnavailable' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['internal', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['internal', 'repeatedly', { status: 502, code: 'InternalError' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['blocking', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['blocking', 'repeatedly', { status: 502, code: 'Operation.Blocking' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['reset', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['reset', 'repeatedly', { status: 502, code: 'NetworkError' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['hang', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['hang', 'repeatedly', { status: 502, code: 'NetworkError' }, { lookups: 3, creates: 0, published: ['failed'] }],
    ['drop-after-success', 'once', { status: 201, Status: 'Idle' }, { lookups: 2, creates: 1, published: ['created'] }],
    ['drop-after-success', 'repeatedly', { status: 502, code: 'NetworkError' }, { lookups: 3, creates: 0, published: ['failed'] }],
    // A role that may not describe cannot prove the intent unbought: nothing is bought until it may.
    ['final', 'once', { status: 403, code: 'Forbidden.RAM' }, { lookups: 1, creates: 0, published: ['failed'] }],
    ['final', 'repeatedly', { status: 403, code: 'Forbidden.RAM' }, { lookups: 1, creates: 0, published: ['failed'] }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, answer, expected], context) => {
    const h = await open(context);
    inject(h.cen, DESCRIBE, fault, times, FINAL.describe, LOOKUP);

    const run = await purchase(h, 'http');

    expectAnswer(returned<HttpAnswer>(run.first), answer, h.cen.plans[0]?.id);
    expect(requestsFor(h, DESCRIBE, LOOKUP)).toHaveLength(expected.lookups);
    expect(requestsFor(h, CREATE)).toHaveLength(expected.creates);
    expect(h.cen.plans).toHaveLength(expected.creates);
    expect(publishedKinds(publishedEvents(h))).toEqual(expected.published);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('CEN describe while waiting for the new plan, via http', () => {
  // The plan is Creating for its first 300 ms: the wait reads it, sleeps 500 ms, reads it Idle.
  type Row = readonly [
    Fault,
    Times,
    { readonly status: 201; readonly Status: string },
    { readonly describes: number; readonly notRead: number; readonly published: string },
  ];
  const rows: readonly Row[] = [
    ['throttling', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['throttling', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['unavailable', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['unavailable', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['internal', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['internal', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['blocking', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['blocking', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['reset', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['reset', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['hang', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['hang', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['drop-after-success', 'once', { status: 201, Status: 'Idle' }, { describes: 3, notRead: 0, published: 'cen.bandwidthplan.created' }],
    ['drop-after-success', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 3, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    // A status that cannot be read makes the bought plan pending, never failed.
    ['final', 'once', { status: 201, Status: 'pending' }, { describes: 1, notRead: 1, published: 'cen.bandwidthplan.pending' }],
    ['final', 'repeatedly', { status: 201, Status: 'pending' }, { describes: 1, notRead: 1, published: 'cen.bandwidthplan.pending' }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, answer, expected], context) => {
    const h = await open(context, { cen: { readyAfterMs: 300 } });
    inject(h.cen, DESCRIBE, fault, times, FINAL.describe, BY_ID);

    const run = await purchase(h, 'http');

    expect(h.cen.plans).toHaveLength(1);
    const id = h.cen.plans[0]!.id;
    expect(returned(run.first)).toMatchObject({ status: answer.status, body: { CenBandwidthPackageId: id, Status: answer.Status } });
    expect(requestsFor(h, CREATE)).toHaveLength(1);
    expect(requestsFor(h, DESCRIBE, BY_ID)).toHaveLength(expected.describes);
    expect(requestsFor(h, DESCRIBE, LOOKUP)).toHaveLength(1);
    expect(logsWith(h, 'could not read the new plan status')).toHaveLength(expected.notRead);
    expect(publishedEvents(h).map((event) => [event.type, event.subject])).toEqual([[expected.published, id]]);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('CEN describe for GET /bandwidth-plans/{id}', () => {
  type Answer = { readonly status: 200; readonly Status: 'Idle' } | { readonly status: number; readonly code: string };
  const rows: readonly (readonly [Fault, Times, Answer, { readonly describes: number }])[] = [
    ['throttling', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['throttling', 'repeatedly', { status: 429, code: 'Throttling.User' }, { describes: 3 }],
    ['unavailable', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['unavailable', 'repeatedly', { status: 502, code: 'ServiceUnavailable' }, { describes: 3 }],
    ['internal', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['internal', 'repeatedly', { status: 502, code: 'InternalError' }, { describes: 3 }],
    ['blocking', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['blocking', 'repeatedly', { status: 502, code: 'Operation.Blocking' }, { describes: 3 }],
    ['reset', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['reset', 'repeatedly', { status: 502, code: 'NetworkError' }, { describes: 3 }],
    ['hang', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['hang', 'repeatedly', { status: 502, code: 'NetworkError' }, { describes: 3 }],
    ['drop-after-success', 'once', { status: 200, Status: 'Idle' }, { describes: 2 }],
    ['drop-after-success', 'repeatedly', { status: 502, code: 'NetworkError' }, { describes: 3 }],
    ['final', 'once', { status: 403, code: 'Forbidden.RAM' }, { describes: 1 }],
    ['final', 'repeatedly', { status: 403, code: 'Forbidden.RAM' }, { describes: 1 }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, answer, expected], context) => {
    const h = await open(context);
    const created = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
    const id = created.body.CenBandwidthPackageId;
    const before = requestsFor(h, DESCRIBE, BY_ID).length;
    inject(h.cen, DESCRIBE, fault, times, FINAL.describe, BY_ID);

    const settled = await settle(h.http({ method: 'GET', path: `/bandwidth-plans/${id}` }), SETTLE_LIMIT_MS);

    const got = returned<HttpAnswer>(settled);
    if ('code' in answer) expect(got).toMatchObject({ status: answer.status, body: { error: { code: answer.code } } });
    else expect(got).toMatchObject({ status: answer.status, body: { CenBandwidthPackageId: id, Status: answer.Status } });
    expect(requestsFor(h, DESCRIBE, BY_ID).length - before).toBe(expected.describes);
    expect(h.cen.plans).toHaveLength(1);
    expectPromisesKept(h, [got]);
  });
});

describe.concurrent('MNS publish via http', () => {
  type Notification = { readonly delivered: true } | { readonly delivered: false; readonly error: { readonly code: string } };
  /** `stored`: the messages the topic holds (an answer lost after MNS stored the message makes the retry store it again, same event id). */
  type Row = readonly [
    Fault,
    Times,
    Notification,
    { readonly publishes: number; readonly notDelivered: number; readonly stored: number; readonly storedIds: number },
  ];
  const rows: readonly Row[] = [
    ['throttling', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    ['throttling', 'repeatedly', { delivered: false, error: { code: 'QpsLimitExceeded' } }, { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0 }],
    ['unavailable', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    ['unavailable', 'repeatedly', { delivered: false, error: { code: 'ServiceUnavailable' } }, { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0 }],
    ['internal', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    ['internal', 'repeatedly', { delivered: false, error: { code: 'InternalError' } }, { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0 }],
    ['reset', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    ['reset', 'repeatedly', { delivered: false, error: { code: 'NetworkError' } }, { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0 }],
    ['hang', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    ['hang', 'repeatedly', { delivered: false, error: { code: 'NetworkError' } }, { publishes: 3, notDelivered: 1, stored: 0, storedIds: 0 }],
    // At least once: each attempt whose answer was lost had stored the message.
    ['drop-after-success', 'once', { delivered: true }, { publishes: 2, notDelivered: 0, stored: 2, storedIds: 1 }],
    ['drop-after-success', 'repeatedly', { delivered: false, error: { code: 'NetworkError' } }, { publishes: 3, notDelivered: 1, stored: 3, storedIds: 1 }],
    ['final', 'once', { delivered: false, error: { code: 'AccessDenied' } }, { publishes: 1, notDelivered: 1, stored: 0, storedIds: 0 }],
    ['final', 'repeatedly', { delivered: false, error: { code: 'AccessDenied' } }, { publishes: 1, notDelivered: 1, stored: 0, storedIds: 0 }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, notification, expected], context) => {
    const h = await open(context);
    inject(h.mns, PUBLISH, fault, times, FINAL.publish);

    const run = await purchase(h, 'http');

    expect(h.cen.plans).toHaveLength(1);
    const id = h.cen.plans[0]!.id;
    expect(returned(run.first)).toMatchObject({ status: 201, body: { CenBandwidthPackageId: id, notification } });
    expect(h.mns.requests.filter((request) => request.action === PUBLISH)).toHaveLength(expected.publishes);
    expect(h.mns.requests).toHaveLength(expected.publishes);
    const notDelivered = logsWith(h, 'notification not delivered');
    expect(notDelivered).toHaveLength(expected.notDelivered);
    for (const record of notDelivered) expect(record.cloudEvent).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });
    const stored = publishedEvents(h);
    expect(stored).toHaveLength(expected.stored);
    for (const event of stored) expect(event).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });
    expect(new Set(stored.map((event) => event.id)).size).toBe(expected.storedIds);
    expectPromisesKept(h, [run.first]);
  });
});
