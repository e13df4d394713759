/**
 * Warm invocations, ours against the SDK's single call, interleaved in blocks (A B B A …) so that
 * whatever else the shared machine does falls on both sides alike.
 */
import { cannedTransport, type FastDouble } from './fast-double';
import { productSide } from './product-side';
import { sdkSide } from './sdk-side';
import { median, percentile, round } from './stats';

export interface WarmOptions {
  readonly warmup: number;
  readonly iterations: number;
  readonly block: number;
}

export interface SideFigures {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly invocations: number;
  /** New TCP connections the double saw during this side's blocks (warm-up included). */
  readonly connections: number;
}

export interface WarmFigures {
  readonly ours: SideFigures & { readonly upstreamCallsPerInvocation: number; readonly logBytesPerInvocation: number };
  readonly sdk: SideFigures & { readonly upstreamCallsPerInvocation: number };
  /** Ours with an in-memory transport (same canned answers, no sockets): our own CPU work per invocation. */
  readonly oursWithoutNetwork: { readonly medianUs: number; readonly p99Us: number };
  /** ours median / SDK median */
  readonly ratio: number;
  readonly ratioP99: number;
}

export async function measureWarm(double: FastDouble, options: WarmOptions): Promise<WarmFigures> {
  const ours = productSide(double);
  const sdk = sdkSide(double);
  const sides = {
    ours: { invoke: ours.invoke, samples: [] as number[], connections: 0, calls: 0, next: 0 },
    sdk: { invoke: sdk.invoke, samples: [] as number[], connections: 0, calls: 0, next: 0 },
  };
  type Side = (typeof sides)['ours'];

  const runBlock = async (side: Side, count: number, record: boolean) => {
    const before = { connections: double.stats.connections, calls: double.stats.cen + double.stats.mns };
    for (let i = 0; i < count; i++) {
      const micros = await side.invoke(side.next++);
      if (record) side.samples.push(micros);
    }
    side.connections += double.stats.connections - before.connections;
    if (record) side.calls += double.stats.cen + double.stats.mns - before.calls;
  };
  const interleave = async (total: number, record: boolean) => {
    const pairs = Math.ceil(total / options.block);
    for (let pair = 0; pair < pairs; pair++) {
      const count = Math.min(options.block, total - pair * options.block);
      const order: Side[] = pair % 2 === 0 ? [sides.ours, sides.sdk] : [sides.sdk, sides.ours];
      for (const side of order) await runBlock(side, count, record);
    }
  };

  await interleave(options.warmup, false);
  await interleave(options.iterations, true);

  // Our CPU alone: the same handler path with the network replaced by the canned answers.
  const offline = productSide(double, `offline-${process.pid}`, cannedTransport);
  const offlineSamples: number[] = [];
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    const micros = await offline.invoke(i);
    if (i >= options.warmup) offlineSamples.push(micros);
  }

  const figures = (side: Side): SideFigures => ({
    medianUs: round(median(side.samples), 1),
    p99Us: round(percentile(side.samples, 99), 1),
    meanUs: round(side.samples.reduce((sum, value) => sum + value, 0) / side.samples.length, 1),
    invocations: side.samples.length,
    connections: side.connections,
  });
  const oursFigures = figures(sides.ours);
  const sdkFigures = figures(sides.sdk);
  const invoked = sides.ours.next;
  return {
    ours: {
      ...oursFigures,
      upstreamCallsPerInvocation: round(sides.ours.calls / sides.ours.samples.length, 2),
      logBytesPerInvocation: Math.round(ours.logBytes() / invoked),
    },
    oursWithoutNetwork: { medianUs: round(median(offlineSamples), 1), p99Us: round(percentile(offlineSamples, 99), 1) },
    sdk: { ...sdkFigures, upstreamCallsPerInvocation: round(sides.sdk.calls / sides.sdk.samples.length, 2) },
    ratio: round(oursFigures.medianUs / sdkFigures.medianUs, 2),
    ratioP99: round(oursFigures.p99Us / sdkFigures.p99Us, 2),
  };
}
