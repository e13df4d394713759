/**
 * `npm run fuzz`: the long fuzzing run of every entry point (10,000 inputs each by default), with the
 * same generators and properties as the CI-sized run inside `npm test`, and a summary: inputs per
 * entry point, outcomes by status, failures, time. Exits 1 if any property broke.
 *
 *   npm run fuzz                        # 10,000 per entry point, a random seed
 *   npm run fuzz -- --runs 50000        # more
 *   npm run fuzz -- --seed 42 --only lark
 *   npm run fuzz -- --only "Lark (command text)" --seed 42 --path 17:2 --runs 1   # one counterexample
 *
 * `--only` picks the entry point named exactly, else every one whose name contains it. A seed replays
 * the same inputs, outcomes and all (ci-runs.ts, "Replaying a failure"); FUZZ_SEED and FUZZ_PATH work
 * here too.
 */
import { FUZZ_REPLAY } from './ci-runs';
import { ENTRY_POINTS } from './properties';
import { describeOutcomes, type FuzzReport, fuzzEntryPoint } from './runner';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<number> {
  const numRuns = Number(option('runs') ?? 10_000);
  const seed = option('seed') === undefined ? FUZZ_REPLAY.seed : Number(option('seed'));
  const path = option('path') ?? FUZZ_REPLAY.path;
  const only = option('only')?.toLowerCase();
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new RangeError('--runs must be a whole number of at least 1');
  if (seed !== undefined && !Number.isInteger(seed)) throw new RangeError('--seed must be a whole number');
  const exact = ENTRY_POINTS.filter((entry) => entry.name.toLowerCase() === only);
  const entries = exact.length > 0 ? exact : ENTRY_POINTS.filter((entry) => only === undefined || entry.name.toLowerCase().includes(only));
  if (path !== undefined && entries.length !== 1) throw new RangeError('--path names an input of one entry point: pick it with --only');
  console.log(
    `Fuzzing ${entries.length} entry points, ${numRuns.toLocaleString('en')} inputs each${seed === undefined ? '' : `, seed ${seed}`}${path === undefined ? '' : `, from path ${path}`}.\n`,
  );

  const reports: FuzzReport[] = [];
  const started = performance.now();
  for (const entry of entries) {
    const report = await fuzzEntryPoint(entry, { numRuns, seed, path });
    reports.push(report);
    console.log(
      `${report.failed ? 'FAIL' : 'ok  '}  ${report.name}: ${report.numRuns.toLocaleString('en')} inputs in ${(report.ms / 1000).toFixed(1)} s (seed ${report.seed})`,
    );
    for (const line of describeOutcomes(report.outcomes)) console.log(`        ${line}`);
    if (report.message)
      console.log(`\n${report.message.length > 4000 ? `${report.message.slice(0, 2000)}\n…\n${report.message.slice(-2000)}` : report.message}\n`);
  }
  const failures = reports.filter((report) => report.failed).length;
  const inputs = reports.reduce((sum, report) => sum + report.numRuns, 0);

  console.log('\nSummary');
  console.log(`${'entry point'.padEnd(42)} ${'inputs'.padStart(8)} ${'failed'.padStart(7)} ${'time'.padStart(8)}`);
  for (const report of reports) {
    console.log(
      `${report.name.padEnd(42)} ${String(report.numRuns).padStart(8)} ${String(report.failed ? 1 : 0).padStart(7)} ${`${(report.ms / 1000).toFixed(1)} s`.padStart(8)}`,
    );
  }
  console.log(
    `${'total'.padEnd(42)} ${String(inputs).padStart(8)} ${String(failures).padStart(7)} ${`${((performance.now() - started) / 1000).toFixed(1)} s`.padStart(8)}`,
  );
  console.log(`\nfailures = ${failures}`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
