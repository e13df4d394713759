/**
 * Memory per side: a fresh `node --expose-gc` process loads the side's module as deployed (ours:
 * dist/create-bandwidth-plan/index.js; the SDK handler: its compiled file and node_modules) and runs
 * warm API creates against the parent's double, so the double's own allocations are not counted.
 * It reports RSS and heap used (after gc) after the warm-up and after each quarter of the run, and
 * the median duration of the measured invocations.
 */
import { type Children, runChild } from './child';
import type { FastDouble } from './fast-double';

export interface MemoryFigures {
  readonly invocations: number;
  readonly warmup: number;
  readonly gcAvailable: boolean;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly rssGrowthMb: number;
  readonly heapUsedBeforeMb: number;
  readonly heapUsedAfterMb: number;
  readonly heapGrowthMb: number;
  /** V8's reserved heap (young generation included): grows with allocation pressure, then stays. */
  readonly heapTotalBeforeMb: number;
  readonly heapTotalAfterMb: number;
  /** RSS after each quarter of the run: a plateau is not a leak. */
  readonly rssTrailMb: readonly number[];
  /**
   * Median warm invocation of this side alone in its own process, the upstream double in another: what
   * the in-process comparison cannot show, such as the V8 setting index.js makes for its process.
   */
  readonly warmMedianUs: number;
}

export async function measureMemory(children: Children, double: FastDouble, target: string, invocations: number, warmup: number): Promise<MemoryFigures> {
  const { reports } = await runChild(children, double, { target, kind: 'api', invocations, warmup, flags: ['--expose-gc'] });
  if (!reports.memory) throw new Error(`the memory run of ${target} printed no figures`);
  return reports.memory as MemoryFigures;
}
