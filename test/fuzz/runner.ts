/**
 * Runs one entry point's property for `numRuns` generated inputs and reports what happened: inputs
 * run (shrinking included), outcomes by label, the counterexample if a property broke, and the time.
 */
import fc from 'fast-check';
import type { EntryPoint } from './properties';
import { FuzzSession } from './session';

export interface FuzzReport {
  readonly name: string;
  /** Inputs the property was checked on (fast-check's runs, plus shrinking if it failed). */
  readonly inputs: number;
  readonly numRuns: number;
  readonly outcomes: ReadonlyMap<string, number>;
  readonly failed: boolean;
  /** fast-check's report: seed, path, counterexample and the error. */
  readonly message: string | undefined;
  readonly seed: number;
  readonly ms: number;
}

export interface FuzzOptions {
  readonly numRuns: number;
  readonly seed?: number | undefined;
}

export async function fuzzEntryPoint(entry: EntryPoint, options: FuzzOptions): Promise<FuzzReport> {
  const session = new FuzzSession(undefined, entry.setup);
  const started = performance.now();
  try {
    const details = await fc.check(
      fc.asyncProperty(entry.arbitrary, async (input) => {
        session.count(await entry.check(session, input));
      }),
      { numRuns: options.numRuns, ...(options.seed === undefined ? {} : { seed: options.seed }), maxSkipsPerRun: 1000 },
    );
    return {
      name: entry.name,
      inputs: session.inputs,
      numRuns: details.numRuns,
      outcomes: session.outcomes,
      failed: details.failed,
      message: details.failed ? fc.defaultReportMessage(details) : undefined,
      seed: details.seed,
      ms: performance.now() - started,
    };
  } finally {
    await session.close();
  }
}

/** The outcomes as `label ×count` lines, most frequent first. */
export function describeOutcomes(outcomes: ReadonlyMap<string, number>): string[] {
  return [...outcomes].sort(([, a], [, b]) => b - a).map(([label, count]) => `${String(count).padStart(6)}  ${label}`);
}
