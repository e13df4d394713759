/**
 * The async sources, fuzzed: one CloudEvent, a batch, a timer firing. Bad input is a published
 * rejection, never a throw (FC would retry it forever); valid input is bought, replayed or refused as
 * a conflict exactly as CEN's ClientToken rules say.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cloudEvent, type Harness } from '../../support/harness';
import { type Garbage, garbageBody, garbageEvent, withKeyAt } from '../garbage';
import { awaitsPayment, invalidPlan, type Plan, validPlan } from '../plans';
import type { Delta, FuzzSession } from '../session';
import { assertNothingCalled, checkPurchase, type EntryPoint, HEX48 } from './common';

type DataCase =
  | { kind: 'valid'; plan: Plan; asString: boolean }
  | { kind: 'invalid'; plan: Plan; asString: boolean }
  | { kind: 'garbage value'; value: unknown }
  | { kind: 'garbage text'; text: string }
  | { kind: 'prototype key'; text: string; asString: boolean }
  | { kind: 'missing' };

/** The `data` of a CloudEvent, as an object or as a JSON string. */
const dataCase: fc.Arbitrary<DataCase> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), plan: validPlan, asString: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('invalid' as const), plan: invalidPlan.map(({ plan }) => plan), asString: fc.boolean() }) },
  fc.record({ kind: fc.constant('garbage value' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({
    kind: fc.constant('garbage text' as const),
    text: garbageBody.filter((garbage) => typeof garbage.body === 'string').map((garbage) => garbage.body as string),
  }),
  fc.record({
    kind: fc.constant('prototype key' as const),
    text: fc
      .tuple(validPlan, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat(5))
      .map(([plan, key, depth]) => withKeyAt(JSON.stringify(plan), key, depth)),
    asString: fc.boolean(),
  }),
  fc.constant({ kind: 'missing' as const }),
);

const dataOf = (data: DataCase): unknown => {
  switch (data.kind) {
    case 'valid':
    case 'invalid':
      return data.asString ? JSON.stringify(data.plan) : data.plan;
    case 'garbage value':
      return data.value;
    case 'garbage text':
      return data.text;
    case 'prototype key':
      // JSON.parse keeps "__proto__" as an own key, so the event carries it as sent.
      return data.asString ? data.text : JSON.parse(data.text);
    case 'missing':
      return undefined;
  }
};

const identityText = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('ops.bandwidth-planner', 'evt-1', 'evt-2', '', 'a/b') },
  fc.string({ unit: 'binary', maxLength: 60 }),
);

interface CloudEventInput {
  readonly source: string;
  readonly id: string;
  readonly data: DataCase;
}
const cloudEventInput = fc.record({ source: identityText, id: identityText, data: dataCase });

/** What an async source returns for one event. */
interface AsyncResult {
  readonly outcome: string;
  readonly clientToken?: string;
  readonly CenBandwidthPackageId?: string;
  readonly Status?: string;
  readonly error?: { code: string; message: string };
  readonly notification?: { delivered: boolean };
}

/**
 * One event's result: bad data is a published rejection and costs no CEN call; valid data is bought
 * (or replayed, or refused as a conflict) exactly as given. `create` is the CEN request it made, if any.
 */
function checkAsyncResult(
  session: FuzzSession,
  h: Harness,
  result: AsyncResult,
  data: DataCase,
  identity: readonly string[],
  create: Delta['creates'][number] | undefined,
  plansAdded: number,
): string {
  assert.equal(result.notification?.delivered, true, 'every outcome is published');
  if (data.kind !== 'valid') {
    assert.equal(result.outcome, 'rejected', `bad data must be rejected, got ${JSON.stringify(result).slice(0, 300)}`);
    assert.equal(create, undefined, 'CEN was called for bad data');
    return `rejected ${result.error?.code}`;
  }
  const token = result.clientToken!;
  if (typeof data.plan.ClientToken === 'string') assert.equal(token, data.plan.ClientToken);
  else {
    assert.equal(token.slice(0, identity[0]!.length + 1), `${identity[0]}-`);
    assert.match(token.slice(identity[0]!.length + 1), HEX48);
    session.model.derived(identity, token);
  }
  const purchase = checkPurchase(session, h, data.plan, token, create, plansAdded);
  if (purchase.kind === 'conflict') {
    assert.deepEqual([result.outcome, result.error?.code], ['failed', 'IdempotenceParam.NotMatch']);
    return 'failed IdempotenceParam.NotMatch';
  }
  const pending = awaitsPayment(data.plan);
  assert.deepEqual(
    [result.outcome, result.Status, result.CenBandwidthPackageId],
    [pending ? 'pending' : 'created', pending ? 'pending' : 'Idle', purchase.planId],
  );
  return `${result.outcome} (${purchase.kind === 'new' ? 'bought' : 'replayed'})`;
}

/** A CloudEvent names its intent by a non-empty `source` and `id`; without them it is not one. */
const identifies = (source: string, id: string): boolean => source !== '' && id !== '';

/** An element that is not a CloudEvent: a published rejection that carries what arrived, and no purchase. */
function checkUnrecognised(
  result: AsyncResult,
  delta: Pick<Delta, 'creates'>,
  published: { outcome: string; trigger: { kind: string }; received?: string },
): string {
  assert.deepEqual([result.outcome, result.error?.code, result.notification?.delivered], ['rejected', 'UnknownEvent', true]);
  assert.equal(delta.creates.length, 0, 'CEN was called for an element that is not a CloudEvent');
  assert.deepEqual([published.outcome, published.trigger.kind, typeof published.received], ['rejected', 'unrecognised', 'string']);
  return 'rejected UnknownEvent (not a CloudEvent)';
}

/** Runs an async event: it must return (a thrown error would make FC retry bad input forever). */
async function invokeAsync(h: Harness, event: unknown): Promise<unknown> {
  try {
    return await h.invoke(event);
  } catch (error) {
    assert.fail(`the handler threw for this event: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`);
  }
}

export const eventBridgeSingle: EntryPoint<{ kind: 'event'; event: CloudEventInput } | { kind: 'garbage'; garbage: Garbage }> = {
  name: 'EventBridge (one CloudEvent)',
  arbitrary: fc.oneof(
    { weight: 9, arbitrary: cloudEventInput.map((event) => ({ kind: 'event' as const, event })) },
    { weight: 1, arbitrary: garbageEvent.map((garbage) => ({ kind: 'garbage' as const, garbage })) },
  ),
  async check(session, input) {
    const h = await session.harness();
    if (input.kind === 'garbage') {
      const { result, delta } = await session.observe(h, () => invokeAsync(h, input.garbage.body));
      assertNothingCalled(delta);
      // An array is a batch: one rejection per element (none for an empty one); anything else is one element.
      const results = Array.isArray(result) ? (result as AsyncResult[]) : [result as AsyncResult];
      for (const each of results) assert.equal(each?.outcome, 'rejected', `unexpected ${JSON.stringify(result)?.slice(0, 200)}`);
      assert.equal(delta.messages.length, results.length, 'every element leaves exactly one published outcome');
      return Array.isArray(result) ? `batch of ${results.length} rejected` : `rejected ${(result as AsyncResult).error?.code}`;
    }
    const { source, id, data } = input.event;
    const { result, delta } = await session.observe(h, () => invokeAsync(h, cloudEvent(id, dataOf(data), source)));
    assert.equal(delta.messages.length, 1);
    const published = JSON.parse(delta.messages[0]!.body).data;
    if (!identifies(source, id)) return checkUnrecognised(result as AsyncResult, delta, published);
    assert.ok(delta.creates.length <= 1);
    const label = checkAsyncResult(session, h, result as AsyncResult, data, ['eventbridge', source, id], delta.creates[0], delta.plansAdded);
    assert.equal(published.trigger.id, `${source}/${id}`);
    return label;
  },
};

export const eventBridgeBatch: EntryPoint<CloudEventInput[]> = {
  name: 'EventBridge (a batch of CloudEvents)',
  arbitrary: fc.array(
    fc.record({
      source: fc.oneof(fc.constant('ops.bandwidth-planner'), identityText),
      id: fc.oneof(fc.constantFrom('b-1', 'b-2'), identityText),
      data: dataCase,
    }),
    { minLength: 1, maxLength: 5 },
  ),
  async check(session, events) {
    const h = await session.harness();
    const { result, delta } = await session.observe(h, () =>
      invokeAsync(
        h,
        events.map((event) => cloudEvent(event.id, dataOf(event.data), event.source)),
      ),
    );
    assert.ok(Array.isArray(result), 'a batch answers one result per event');
    const results = result as AsyncResult[];
    assert.equal(results.length, events.length);
    // Events run in order: a valid one whose intent had no plan made the next CEN create request, with
    // its ClientToken. A plan id not seen before the batch (nor earlier in it) is the one plan it bought.
    const used = new Set<number>();
    const known = new Set(h.cen.plans.slice(0, h.cen.plans.length - delta.plansAdded).map((plan) => plan.id));
    const published = delta.messages.map((message) => JSON.parse(message.body).data);
    assert.equal(published.length, events.length, 'every element leaves exactly one published outcome');
    const labels = events.map((event, index) => {
      if (!identifies(event.source, event.id)) {
        assert.match(published[index].trigger.id, new RegExp(`\\[${index}\\]$`));
        return checkUnrecognised(results[index]!, { creates: [] }, published[index]);
      }
      // Only a valid element can have asked CEN to create (an invalid one may share its identity, and token).
      const token = results[index]!.clientToken;
      const at = event.data.kind === 'valid' ? delta.creates.findIndex((request, position) => !used.has(position) && request.params.ClientToken === token) : -1;
      if (at >= 0) used.add(at);
      const create = at >= 0 ? delta.creates[at] : undefined;
      const planId = results[index]!.CenBandwidthPackageId;
      const bought = planId !== undefined && !known.has(planId) ? 1 : 0;
      if (planId !== undefined) known.add(planId);
      assert.equal(published[index].trigger.id, `${event.source}/${event.id}`);
      return checkAsyncResult(session, h, results[index]!, event.data, ['eventbridge', event.source, event.id], create, bought);
    });
    assert.equal(used.size, delta.creates.length, 'every create request was made for an element of the batch');
    assert.equal(known.size, h.cen.plans.length, 'every plan bought is named by its event');
    // The summary counts the batches by size and, alongside, the outcome of every event in them.
    for (const label of labels) session.count(`  event: ${label}`);
    return `batch of ${events.length}`;
  },
};

type PayloadCase =
  | { kind: 'valid'; plan: Plan }
  | { kind: 'invalid'; plan: Plan }
  | { kind: 'garbage text'; text: string }
  | { kind: 'not a string'; value: unknown }
  | { kind: 'missing' };

export const timer: EntryPoint<{ name: string; time: string; payload: PayloadCase }> = {
  name: 'Timer',
  arbitrary: fc.record({
    name: fc.oneof(fc.constantFrom('monthly', 'nightly'), fc.string({ unit: 'binary', maxLength: 40 })),
    // One instant written the ways RFC 3339 allows (FC's own form, milliseconds, an offset), and text
    // that is not a time at all (refused: a firing is named by its time).
    time: fc.oneof(
      fc.constantFrom('2025-02-01T01:00:00Z', '2025-02-01T01:00:00.000Z', '2025-02-01T09:00:00+08:00', '2025-03-01T01:00:00Z'),
      fc
        .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.boolean())
        .map(([date, short]) => (short ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : date.toISOString())),
      fc.string({ maxLength: 30 }).filter((text) => !/^\d{4}-/.test(text)),
    ),
    payload: fc.oneof(
      { weight: 3, arbitrary: validPlan.map((plan) => ({ kind: 'valid' as const, plan })) },
      { weight: 4, arbitrary: invalidPlan.map(({ plan }) => ({ kind: 'invalid' as const, plan })) },
      fc.record({
        kind: fc.constant('garbage text' as const),
        text: garbageBody.filter((garbage) => typeof garbage.body === 'string').map((garbage) => garbage.body as string),
      }),
      fc.record({ kind: fc.constant('not a string' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.constant({ kind: 'missing' as const }),
    ),
  }),
  async check(session, { name, time, payload }) {
    const h = await session.harness();
    const event: Record<string, unknown> = { triggerTime: time, triggerName: name };
    if (payload.kind === 'valid' || payload.kind === 'invalid') event.payload = JSON.stringify(payload.plan);
    else if (payload.kind === 'garbage text') event.payload = payload.text;
    else if (payload.kind === 'not a string') event.payload = payload.value;
    const { result, delta } = await session.observe(h, () => invokeAsync(h, event));
    // The firing's instant, as FC writes it; text that is not a time stays as it came (and is refused).
    const instant = /^\d{4}-/.test(time) ? new Date(time).toISOString().replace('.000Z', 'Z') : undefined;
    const data: DataCase = payload.kind === 'valid' && instant !== undefined ? { kind: 'valid', plan: payload.plan, asString: true } : { kind: 'missing' };
    const label = checkAsyncResult(session, h, result as AsyncResult, data, ['timer', name, instant ?? time], delta.creates[0], delta.plansAdded);
    assert.equal(JSON.parse(delta.messages[0]!.body).data.trigger.id, `${name}@${instant ?? time}`);
    return label;
  },
};
