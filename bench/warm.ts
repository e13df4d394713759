/**
 * Warm invocations in this process, against one keep-alive loopback double: ours, the SDK handler
 * (the baseline) and the bare `callApi` (a secondary row), interleaved in blocks whose order rotates,
 * so whatever else the shared machine does falls on every side alike. Ours and the SDK handler must
 * make the same upstream calls: every block's CEN and MNS requests are counted, and a block where they
 * differ stops the run.
 */
import { cannedTransport, type FastDouble } from './fast-double';
import { type Invoke, productSide } from './product-side';
import { bareCallApiSide, sdkHandlerSide } from './sdk-side';
import { median, percentile, round } from './stats';

export interface WarmOptions {
  readonly warmup: number;
  readonly iterations: number;
  readonly block: number;
}

export interface SideFigures {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly invocations: number;
  /** CEN and MNS requests per invocation, as the double counted them. */
  readonly cenPerInvocation: number;
  readonly mnsPerInvocation: number;
  /** New TCP connections the double saw during this side's blocks (warm-up included). */
  readonly connections: number;
}

export interface WarmFigures {
  readonly ours: SideFigures & { readonly logBytesPerInvocation: number };
  readonly sdk: SideFigures;
  readonly bare: SideFigures;
  /** Ours with an in-memory transport (same canned answers, no sockets): our own CPU work per invocation. */
  readonly oursWithoutNetwork: { readonly medianUs: number; readonly p99Us: number };
  /** ours / SDK handler, of the medians and of the p99s */
  readonly ratio: number;
  readonly ratioP99: number;
  readonly blocksChecked: number;
}

interface Side {
  readonly invoke: Invoke;
  readonly samples: number[];
  connections: number;
  cen: number;
  mns: number;
  next: number;
}

export async function measureWarm(double: FastDouble, options: WarmOptions): Promise<WarmFigures> {
  const ours = productSide(double);
  const side = (invoke: Invoke): Side => ({ invoke, samples: [], connections: 0, cen: 0, mns: 0, next: 0 });
  const sides = [side(ours.invoke), side(sdkHandlerSide(double).invoke), side(bareCallApiSide(double).invoke)];
  const [oursSide, sdkSide, bareSide] = sides as [Side, Side, Side];
  let blocksChecked = 0;

  const runBlock = async (subject: Side, count: number, record: boolean) => {
    const before = { ...double.stats };
    for (let i = 0; i < count; i++) {
      const micros = await subject.invoke(subject.next++);
      if (record) subject.samples.push(micros);
    }
    const calls = { cen: double.stats.cen - before.cen, mns: double.stats.mns - before.mns };
    subject.connections += double.stats.connections - before.connections;
    if (record) {
      subject.cen += calls.cen;
      subject.mns += calls.mns;
    }
    return calls;
  };
  const interleave = async (total: number, record: boolean) => {
    for (let block = 0; block * options.block < total; block++) {
      const count = Math.min(options.block, total - block * options.block);
      const calls = new Map<Side, { cen: number; mns: number }>();
      for (let turn = 0; turn < sides.length; turn++) {
        const subject = sides[(block + turn) % sides.length]!;
        calls.set(subject, await runBlock(subject, count, record));
      }
      const a = calls.get(oursSide)!;
      const b = calls.get(sdkSide)!;
      if (a.cen !== b.cen || a.mns !== b.mns || a.cen !== count) {
        throw new Error(`block ${block}: ${count} invocations made CEN/MNS calls ours ${a.cen}/${a.mns}, SDK handler ${b.cen}/${b.mns}: not the same work`);
      }
      blocksChecked++;
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

  const figures = (subject: Side): SideFigures => ({
    medianUs: round(median(subject.samples), 1),
    p99Us: round(percentile(subject.samples, 99), 1),
    invocations: subject.samples.length,
    cenPerInvocation: round(subject.cen / subject.samples.length, 2),
    mnsPerInvocation: round(subject.mns / subject.samples.length, 2),
    connections: subject.connections,
  });
  const oursFigures = figures(oursSide);
  const sdkFigures = figures(sdkSide);
  return {
    ours: { ...oursFigures, logBytesPerInvocation: Math.round(ours.logBytes() / oursSide.next) },
    sdk: sdkFigures,
    bare: figures(bareSide),
    oursWithoutNetwork: { medianUs: round(median(offlineSamples), 1), p99Us: round(percentile(offlineSamples, 99), 1) },
    ratio: round(oursFigures.medianUs / sdkFigures.medianUs, 2),
    ratioP99: round(oursFigures.p99Us / sdkFigures.p99Us, 2),
    blocksChecked,
  };
}
