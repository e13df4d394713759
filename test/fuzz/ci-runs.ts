/**
 * How many inputs each entry point gets inside `npm test`: about a thousand, enough to meet every
 * generator branch many times while the whole fuzz suite stays well within CI's budget.
 * `FUZZ_RUNS` overrides it; `npm run fuzz` runs ten times as many (run.ts).
 */
export const CI_RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
/** The vitest timeout per entry point: a guard against a hang, not a performance bound. */
export const CI_TIMEOUT_MS = 180_000;

/**
 * Replaying a failure. Every draw that can change an outcome is fast-check's (delivery.ts: clock
 * skews, Lark IVs and nonces, message ids; session.ts: a held clock that starts at the same instant),
 * so a seed generates and checks the same inputs on every run. A failing report prints its seed and
 * path, and the commands that replay them:
 *
 *   npm run fuzz -- --only "HTTP POST /bandwidth-plans" --seed 1234 --runs 1000       # the whole run again
 *   npm run fuzz -- --only "HTTP POST /bandwidth-plans" --seed 1234 --path 57:3:0 --runs 1   # the counterexample
 *   FUZZ_SEED=1234 FUZZ_PATH=57:3:0 npx vitest run test/fuzz -t "'HTTP POST /bandwidth-plans'"
 *
 * The seed alone replays the run from its first input, so the harness meets the counterexample in the
 * state the earlier inputs left it in (plans bought, tokens seen); the path jumps to the counterexample
 * on a fresh harness. In vitest, FUZZ_SEED and FUZZ_PATH apply to every property the run selects
 * (the entry points and the fc.assert properties of purchase-rule and found-bugs): select one with -t.
 * replay.fuzz.test.ts checks that two runs of a seed trace the same.
 */
export const FUZZ_REPLAY: { readonly seed?: number; readonly path?: string } = {
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
  ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
};
