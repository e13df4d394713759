/**
 * Runs one entry point's property for `numRuns` generated inputs and reports what happened: inputs
 * run (shrinking included), outcomes by label, the counterexample if a property broke, and the time.
 * A failure's report ends with the command that replays it (ci-runs.ts, "Replaying a failure").
 */
import fc from 'fast-check';
import type { EntryPoint } from './properties';
import { FuzzSession, fingerprint } from './session';

export interface FuzzReport {
  readonly name: string;
  /** Inputs the property was checked on (fast-check's runs, plus shrinking if it failed). */
  readonly inputs: number;
  readonly numRuns: number;
  readonly outcomes: ReadonlyMap<string, number>;
  readonly failed: boolean;
  /** fast-check's report: seed, path, counterexample and the error; then how to replay it. */
  readonly message: string | undefined;
  readonly seed: number;
  readonly ms: number;
  /** With `trace`: every input's fingerprint, CEN create and outcome, in order (session.ts). */
  readonly trace: readonly string[] | undefined;
}

export interface FuzzOptions {
  readonly numRuns: number;
  readonly seed?: number | undefined;
  /** fast-check's path to one generated input (and its shrinks): start there instead of at the first. */
  readonly path?: string | undefined;
  readonly trace?: boolean;
}

export async function fuzzEntryPoint(entry: EntryPoint, options: FuzzOptions): Promise<FuzzReport> {
  const session = new FuzzSession(undefined, entry.setup, options.trace);
  const started = performance.now();
  try {
    const details = await fc.check(
      fc.asyncProperty(entry.arbitrary, async (input) => {
        session.note(`input ${fingerprint(input)}`);
        session.count(await entry.check(session, input));
      }),
      {
        numRuns: options.numRuns,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.path === undefined ? {} : { path: options.path }),
        maxSkipsPerRun: 1000,
      },
    );
    return {
      name: entry.name,
      inputs: session.inputs,
      numRuns: details.numRuns,
      outcomes: session.outcomes,
      failed: details.failed,
      message: details.failed
        ? `${fc.defaultReportMessage(details)}\n\n${errorOf(details.errorInstance)}\n\n${replayHint(entry.name, details, options.numRuns)}`
        : undefined,
      seed: details.seed,
      ms: performance.now() - started,
      trace: session.trace,
    };
  } finally {
    await session.close();
  }
}

/** What the property threw for the counterexample (fast-check's report names the input, not the error). */
const errorOf = (error: unknown): string => (error instanceof Error ? `Got ${error.name}: ${error.message}` : `Got ${String(error)}`);

/**
 * How to run a failure again: the whole run (the same inputs in the same order meet the same harness
 * state), or the counterexample alone on a fresh harness (enough unless it depends on earlier inputs).
 */
function replayHint(name: string, details: { seed: number; counterexamplePath: string | null }, numRuns: number): string {
  const only = `--only "${name}"`;
  // vitest's -t is a regular expression; it.each prints the name quoted.
  const test = `"'${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'"`;
  const lines = ['Replay the whole run:', `  npm run fuzz -- ${only} --seed ${details.seed} --runs ${numRuns}`];
  if (details.counterexamplePath) {
    lines.push(
      'Replay the counterexample alone, on a fresh harness:',
      `  npm run fuzz -- ${only} --seed ${details.seed} --path ${details.counterexamplePath} --runs 1`,
      `  FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run test/fuzz -t ${test}`,
    );
  }
  return lines.join('\n');
}

/** The outcomes as `label ×count` lines, most frequent first. */
export function describeOutcomes(outcomes: ReadonlyMap<string, number>): string[] {
  return [...outcomes].sort(([, a], [, b]) => b - a).map(([label, count]) => `${String(count).padStart(6)}  ${label}`);
}
