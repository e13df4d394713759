/**
 * A fuzzing run replays from its seed: two runs of one seed generate the same inputs, make the same
 * CreateCenBandwidthPackage calls (ClientTokens derived from signatures over timestamps, and from
 * confirmation codes that carry the clock's time) and reach the same outcomes, in the same order.
 * That holds only while every draw that can change an outcome is fast-check's and the clock is held
 * (delivery.ts, session.ts): a timestamp from Date.now() or an IV from randomBytes breaks it.
 *
 * To replay a failure of `npm test` or `npm run fuzz`, run the command its report prints, e.g.
 *
 *   npm run fuzz -- --only "Lark (command text)" --seed 1234 --runs 1000            # the whole run
 *   npm run fuzz -- --only "Lark (command text)" --seed 1234 --path 57:3:0 --runs 1  # the counterexample
 *   FUZZ_SEED=1234 FUZZ_PATH=57:3:0 npx vitest run test/fuzz -t "'Lark \(command text\)'"
 *
 * (ci-runs.ts, "Replaying a failure").
 */
import { describe, expect, it } from 'vitest';
import { CI_TIMEOUT_MS } from './ci-runs';
import { httpCreate, larkCommands } from './properties';
import { type FuzzReport, fuzzEntryPoint } from './runner';

const SEED = 20_251_201;
const RUNS = 100;

const lines = (report: FuzzReport, kind: 'input' | 'create' | 'outcome') => report.trace!.filter((line) => line.startsWith(`${kind} `));

describe(`a fuzzing run replays from its seed (${RUNS} inputs)`, () => {
  it.each([httpCreate, larkCommands])(
    '$name: two runs of one seed generate the same inputs, send CEN the same requests and reach the same outcomes',
    async (entry) => {
      const first = await fuzzEntryPoint(entry, { numRuns: RUNS, seed: SEED, trace: true });
      const second = await fuzzEntryPoint(entry, { numRuns: RUNS, seed: SEED, trace: true });

      // The run bought plans: tokens derived from the clock and the drawn skews were in play.
      expect(lines(first, 'create').length).toBeGreaterThan(RUNS / 10);
      expect(lines(first, 'input')).toHaveLength(first.inputs);
      expect(second.trace).toEqual(first.trace);
      expect(second.outcomes).toEqual(first.outcomes);
      expect(second.message).toBe(first.message);
    },
    CI_TIMEOUT_MS,
  );

  it('a path starts at the input the seed generated there', async () => {
    const whole = await fuzzEntryPoint(larkCommands, { numRuns: 20, seed: SEED, trace: true });
    const jump = await fuzzEntryPoint(larkCommands, { numRuns: 1, seed: SEED, path: '13', trace: true });

    expect(lines(jump, 'input')).toEqual([lines(whole, 'input')[13]]);
  });
});
