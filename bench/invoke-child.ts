/**
 * The child process of the cold-start, bytes-read, memory and profile figures, run by plain `node`
 * (bundled by child.ts; the handler under test is not inside). It loads BENCH_TARGET, a module
 * exporting `handler` — the built dist/…/index.js, or the SDK handler — as FC loads `index.handler`,
 * answers one BENCH_KIND invocation, then runs BENCH_INVOCATIONS more with memory readings.
 * With no BENCH_TARGET it does nothing: bare node plus this script, the cold start's baseline.
 * Figures go to fd 3 as `@@name=<json>` lines; stdout (the handler's log) is the parent's to discard.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { benchEvent, expectSuccess, fcContext, INVOCATION_KINDS, type InvocationKind } from './events';
import { median, round } from './stats';

type Handler = (event: Buffer, context: ReturnType<typeof fcContext>) => Promise<unknown>;

const target = process.env.BENCH_TARGET ?? '';
const kind = (process.env.BENCH_KIND ?? 'api') as InvocationKind;
const invocations = Number(process.env.BENCH_INVOCATIONS ?? 0);
const warmup = Number(process.env.BENCH_WARMUP ?? 0);
const gc = (globalThis as { gc?: () => void }).gc;
const runId = `child-${process.pid}`;
const QUARTERS = 4;
const MB = 1024 * 1024;

const report = (name: string, figures: unknown): void => {
  writeSync(3, `@@${name}=${JSON.stringify(figures)}\n`);
};
const msSince = (start: bigint) => round(Number(process.hrtime.bigint() - start) / 1e6, 2);

/** After a full gc, V8 unmaps the pages it freed from a background thread: RSS read at once swung by ±5 MB. */
const SETTLE_MS = 50;

async function reading(): Promise<NodeJS.MemoryUsage> {
  if (gc) {
    // Twice, with a turn of the event loop between: finalisers and weak callbacks get their chance.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  if (!INVOCATION_KINDS.includes(kind)) throw new Error(`BENCH_KIND must be one of ${INVOCATION_KINDS.join(', ')}`);
  if (!target) return report('cold', { loadMs: 0, firstAnswerMs: 0 });
  const first = benchEvent(kind, 0, runId);
  const start = process.hrtime.bigint();
  // As FC loads `index.handler`: require() for CommonJS, import() for an ES module.
  const { handler } = (target.endsWith('.mjs') ? await import(pathToFileURL(target).href) : createRequire(__filename)(target)) as { handler: Handler };
  const loadMs = msSince(start);
  const answering = process.hrtime.bigint();
  const answer = await handler(first, fcContext(0));
  const firstAnswerMs = msSince(answering);
  expectSuccess(kind, answer);
  // Bytes read: V8's coverage lists every script compiled so far (NODE_V8_COVERAGE, set by the parent).
  if (process.env.NODE_V8_COVERAGE) {
    v8.takeCoverage();
    v8.stopCoverage();
  }
  report('cold', { loadMs, firstAnswerMs });
  if (invocations === 0) return;

  let iteration = 1;
  // Each measured invocation's duration: the warm latency of this side alone in its own process.
  const micros: number[] = [];
  const invoke = async (timed: boolean) => {
    const event = benchEvent(kind, iteration, runId);
    const context = fcContext(iteration);
    const start = process.hrtime.bigint();
    const answer = await handler(event, context);
    if (timed) micros.push(Number(process.hrtime.bigint() - start) / 1000);
    expectSuccess(kind, answer);
    iteration++;
  };
  for (let i = 0; i < warmup; i++) await invoke(false);
  const readings = [await reading()];
  for (let quarter = 1; quarter <= QUARTERS; quarter++) {
    const end = Math.round((invocations * quarter) / QUARTERS);
    while (iteration - 1 - warmup < end) await invoke(true);
    readings.push(await reading());
  }
  const before = readings[0]!;
  const after = readings.at(-1)!;
  report('memory', {
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
    warmMedianUs: round(median(micros), 1),
  });
}

main().then(
  // Keep-alive sockets would hold the process open: leave as FC would freeze it, at once.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
