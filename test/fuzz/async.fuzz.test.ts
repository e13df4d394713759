/**
 * Fuzzing the async sources (one CloudEvent, a batch, a timer firing) through the handler: bad input
 * is a published rejection, never a throw (FC would retry it forever). See properties/async.ts.
 */
import { describe, expect, it } from 'vitest';
import { CI_RUNS, CI_TIMEOUT_MS, FUZZ_REPLAY } from './ci-runs';
import { eventBridgeBatch, eventBridgeSingle, timer } from './properties';
import { fuzzEntryPoint } from './runner';

describe(`EventBridge and timer, ${CI_RUNS} generated inputs per entry point`, () => {
  it.each([eventBridgeSingle, eventBridgeBatch, timer])(
    '$name: every property holds',
    async (entry) => {
      const report = await fuzzEntryPoint(entry, { numRuns: CI_RUNS, ...FUZZ_REPLAY });

      expect(report.message).toBeUndefined();
      expect(report.numRuns).toBe(CI_RUNS);
    },
    CI_TIMEOUT_MS,
  );
});
