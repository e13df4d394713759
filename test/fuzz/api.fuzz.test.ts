/**
 * Fuzzing the HTTP API (POST, dry run, GET status) through the handler: valid requests at every
 * limit, well-formed requests breaking one rule near its limit, and garbage. See properties/http.ts.
 */
import { describe, expect, it } from 'vitest';
import { CI_RUNS, CI_TIMEOUT_MS, FUZZ_REPLAY } from './ci-runs';
import { httpCreate, httpDryRun, httpStatus } from './properties';
import { fuzzEntryPoint } from './runner';

describe(`HTTP API, ${CI_RUNS} generated inputs per entry point`, () => {
  it.each([httpCreate, httpDryRun, httpStatus])(
    '$name: every property holds',
    async (entry) => {
      const report = await fuzzEntryPoint(entry, { numRuns: CI_RUNS, ...FUZZ_REPLAY });

      expect(report.message).toBeUndefined();
      expect(report.numRuns).toBe(CI_RUNS);
    },
    CI_TIMEOUT_MS,
  );
});
