/**
 * Memory: a fresh `node --expose-gc` process runs our (bundled) handler warm against the parent's
 * fast double, so the double's own allocations are not counted, and reports RSS and heap along the way.
 */
import { type Child, runChild } from './child';
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
  readonly heapUsedTrailMb: readonly number[];
}

export async function measureMemory(child: Child, double: FastDouble, invocations: number, warmup: number): Promise<MemoryFigures> {
  const out = await runChild(child, ['--expose-gc'], double, invocations, warmup);
  const line = out.split('\n').find((text) => text.startsWith('@@memory='));
  if (!line) throw new Error(`the memory run printed no figures: ${out}`);
  return JSON.parse(line.slice('@@memory='.length)) as MemoryFigures;
}
