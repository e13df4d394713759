/**
 * Product bugs the fuzzing found, kept as properties so they stay fixed. Each comment names the input
 * class, what went wrong and where; the general fuzzing (properties/) now generates these inputs too.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock';
import { cloudEvent, type Harness, startHarness, timerEvent } from '../support/harness';
import { FUZZ_REPLAY } from './ci-runs';
import { invalidPlan, type Plan, UNPAIRED_SURROGATE, validPlan } from './plans';
import { FUZZ_EPOCH, FUZZ_HARNESS } from './session';

/** FUZZ_SEED and FUZZ_PATH replay a failure (ci-runs.ts); the harness's clock is held, as in every fuzzing run. */
const RUNS = { numRuns: 25, endOnFailure: true, ...FUZZ_REPLAY } as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ...FUZZ_HARNESS, clock: new TestClock(FUZZ_EPOCH) });
});
afterAll(async () => {
  await h.close();
});

/** Text around one character XML 1.0 forbids (U+FFFE, U+FFFF). */
const xmlForbidden = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\uFFFE', '\uFFFF'), fc.string({ maxLength: 10 }))
  .map(([before, char, after]) => `${before}${char}${after}`);
/** Text around one unpaired UTF-16 surrogate. */
const loneSurrogate = fc
  .tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ minLength: 1, maxLength: 10 }))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`)
  .filter((text) => UNPAIRED_SURROGATE.test(text));

describe('bugs the fuzzing found (fixed)', () => {
  // Was (never lose an outcome; async sources must not throw for bad input): the outcome's CloudEvent
  // was JSON with U+FFFE/U+FFFF left raw (shared/core/notifications/cloudevent.ts serialiseWithinLimit →
  // JSON.stringify), which XML 1.0 forbids in the MNS MessageBody. MNS answered MalformedXML (final),
  // the outcome was only logged, and the EventBridge/timer handler threw NotificationFailed, so FC
  // retried an event that could never succeed. Inputs: an unknown parameter name, a Description, a
  // tag, an event id or a timer name holding U+FFFF. Fixed: they are escaped (\uFFFF) when serialised.
  it('an async event whose text holds U+FFFE or U+FFFF still ends as a published outcome, not a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(invalidPlan, xmlForbidden).map(([{ plan }, text]) => cloudEvent('bad-key', { ...plan, [text]: 1 })),
          fc.tuple(validPlan, xmlForbidden).map(([plan, text]) => cloudEvent(`desc-${text}`, { ...plan, Description: `${text}ok` } satisfies Plan)),
          xmlForbidden.map((text) => timerEvent({ Bandwidth: 1 }, '2025-01-01T00:00:00Z', text)),
        ),
        async (event) => {
          const result = (await h.invoke(event)) as { notification?: { delivered: boolean } };
          expect(result.notification).toMatchObject({ delivered: true });
        },
      ),
      RUNS,
    );
  });

  // Was (bad input must be a 4xx and cost nothing): a Description or tag text holding an unpaired
  // surrogate passed validation (shared/core/schema.ts had no rule against it) and then made
  // encodeURIComponent throw URIError while the CEN query was built (shared/clients/signer/acs3.ts
  // percentEncode): HTTP answered 500 InternalError, EventBridge reported `failed` InternalError.
  // Now: 400 InvalidParameter / `rejected`, naming the field.
  it('a lone surrogate in Description or a tag is refused as invalid (400), not an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(validPlan, loneSurrogate, fc.constantFrom('Description', 'Tag'), async (plan, text, field) => {
        const body = field === 'Description' ? { ...plan, Description: text } : { ...plan, Tag: [{ Key: 'team', Value: text }] };
        const answer = await h.http({ path: '/bandwidth-plans', body });
        expect(answer.status).toBe(400);
      }),
      RUNS,
    );
  });

  // Was (README: a dry run "calls nothing"; notifications.test.ts: "a dry run … publishes nothing"):
  // a dry run whose parameters were invalid went on through the pipeline's failure path
  // (shared/core/pipeline.ts createBandwidthPlan: only a valid dry run returned early) and published a
  // `cen.bandwidthplan.rejected` event for a purchase nobody attempted.
  it('a dry run publishes nothing, whatever its parameters', async () => {
    await fc.assert(
      fc.asyncProperty(invalidPlan, async ({ plan }) => {
        const before = h.mns.messages.length;
        const answer = await h.http({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: plan });
        expect(answer.status).toBe(400);
        expect(h.mns.messages.length - before).toBe(0);
      }),
      RUNS,
    );
  });
});
