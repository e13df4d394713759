/**
 * Cold load: fresh `node` processes that load the built bundle, the official SDK stack, or nothing,
 * interleaved (product, SDK, bare, product, …). The figure is the median wall time of spawnSync minus
 * the bare median; the child's own `process.hrtime` around the require(s) is reported next to it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median, round } from './stats';

const REPORT = "process.stdout.write('\\n@@load_us=' + Number(process.hrtime.bigint() - t0) / 1e3)";
const timed = (requires: string) => `const t0 = process.hrtime.bigint(); ${requires}; ${REPORT}`;

export interface ColdFigures {
  readonly runs: number;
  readonly bareMs: number;
  /** Median wall time minus the bare median. */
  readonly productMs: number;
  readonly sdkMs: number;
  /** Median of the child's own measurement of its require(s). */
  readonly productInProcessMs: number;
  readonly sdkInProcessMs: number;
  /** product / SDK */
  readonly ratio: number;
}

export function measureColdLoad(root: string, runs: number): ColdFigures {
  const bundle = path.join(root, 'dist/create-bandwidth-plan/index.js');
  const scripts = {
    product: timed(`require(${JSON.stringify(bundle)})`),
    sdk: timed("require('@alicloud/openapi-client'); require('@alicloud/credentials'); require('zod')"),
    bare: '',
  };
  // Set so the bundle's cold start has nothing to say (no "notifications are off", no WEBHOOK warning).
  const env = { ...process.env, WEBHOOK_SECRET: 'bench-webhook-secret', NOTIFY_TOPIC: 'bandwidth-plan-events', NODE_OPTIONS: '' };
  const wall = { product: [] as number[], sdk: [] as number[], bare: [] as number[] };
  const inside = { product: [] as number[], sdk: [] as number[] };

  const once = (kind: keyof typeof scripts) => {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['-e', scripts[kind]], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`cold ${kind} run failed (${child.status ?? child.signal}): ${child.stderr}`);
    const match = /@@load_us=([\d.]+)/.exec(child.stdout);
    if (kind !== 'bare' && !match) throw new Error(`cold ${kind} run printed no timing: ${child.stdout}`);
    return { ms, insideMs: match ? Number(match[1]) / 1e3 : 0 };
  };

  // One unrecorded round first, so every recorded run finds the files in the page cache.
  for (const kind of ['product', 'sdk', 'bare'] as const) once(kind);
  for (let run = 0; run < runs; run++) {
    for (const kind of ['product', 'sdk', 'bare'] as const) {
      const { ms, insideMs } = once(kind);
      wall[kind].push(ms);
      if (kind !== 'bare') inside[kind].push(insideMs);
    }
  }
  const bareMs = median(wall.bare);
  const productMs = median(wall.product) - bareMs;
  const sdkMs = median(wall.sdk) - bareMs;
  return {
    runs,
    bareMs: round(bareMs, 1),
    productMs: round(productMs, 1),
    sdkMs: round(sdkMs, 1),
    productInProcessMs: round(median(inside.product), 1),
    sdkInProcessMs: round(median(inside.sdk), 1),
    ratio: round(productMs / sdkMs, 3),
  };
}
