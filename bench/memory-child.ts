/**
 * Child of memory.ts and profile.ts (bundled by child.ts): warm invocations of our handler against
 * the double at BENCH_DOUBLE_URL, with memory readings (after gc, when --expose-gc) along the way.
 */

import { productSide } from './product-side';
import { round } from './stats';

const gc = (globalThis as { gc?: () => void }).gc;
const invocations = Number(process.env.BENCH_INVOCATIONS ?? 10_000);
const warmup = Number(process.env.BENCH_WARMUP ?? 500);
const double = { url: process.env.BENCH_DOUBLE_URL ?? '', host: process.env.BENCH_DOUBLE_HOST ?? '' };
const QUARTERS = 4;
const MB = 1024 * 1024;

async function reading(): Promise<NodeJS.MemoryUsage> {
  if (gc) {
    // Twice, with a turn of the event loop between: finalisers and weak callbacks get their chance.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  if (!double.url) throw new Error('BENCH_DOUBLE_URL is not set');
  const { invoke } = productSide(double, `mem-${process.pid}`);
  let iteration = 0;
  for (let i = 0; i < warmup; i++) await invoke(iteration++);
  const readings = [await reading()];
  for (let quarter = 1; quarter <= QUARTERS; quarter++) {
    const end = Math.round((invocations * quarter) / QUARTERS);
    while (iteration - warmup < end) await invoke(iteration++);
    readings.push(await reading());
  }
  const before = readings[0]!;
  const after = readings.at(-1)!;
  const figures = {
    invocations,
    warmup,
    gcAvailable: gc !== undefined,
    rssBeforeMb: round(before.rss / MB, 1),
    rssAfterMb: round(after.rss / MB, 1),
    rssGrowthMb: round((after.rss - before.rss) / MB, 1),
    heapUsedBeforeMb: round(before.heapUsed / MB, 1),
    heapUsedAfterMb: round(after.heapUsed / MB, 1),
    heapGrowthMb: round((after.heapUsed - before.heapUsed) / MB, 2),
    heapTotalBeforeMb: round(before.heapTotal / MB, 1),
    heapTotalAfterMb: round(after.heapTotal / MB, 1),
    rssTrailMb: readings.map((usage) => round(usage.rss / MB, 1)),
    heapUsedTrailMb: readings.map((usage) => round(usage.heapUsed / MB, 1)),
  };
  process.stdout.write(`@@memory=${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
