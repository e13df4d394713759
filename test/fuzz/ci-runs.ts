/**
 * How many inputs each entry point gets inside `npm test`: about a thousand, enough to meet every
 * generator branch many times while the whole fuzz suite stays well within CI's budget.
 * `FUZZ_RUNS` overrides it; `npm run fuzz` runs ten times as many (run.ts).
 */
export const CI_RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
/** The vitest timeout per entry point: a guard against a hang, not a performance bound. */
export const CI_TIMEOUT_MS = 180_000;
