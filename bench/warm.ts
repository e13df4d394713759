/**
 * Warm invocations in this process, against one keep-alive loopback double, interleaved in blocks
 * whose order rotates, so whatever else the shared machine does falls on every side alike:
 *
 * - ours and the SDK handler (the baseline), each an intent lookup, a tagged create and a publish;
 * - the SDK handler without the lookup: the difference from the SDK handler is the lookup's cost;
 * - the lookup alone, ours (`CenClient.listPlansTagged`) and the SDK's (`callApi`);
 * - the bare `callApi` create (a secondary row).
 *
 * Every block's CEN calls (lookups apart) and MNS calls are counted against what its side must make —
 * ours and the SDK handler the same — and the last create's and lookup's parameters are compared
 * across sides (ClientTokens aside); a block that differs stops the run.
 */
import { callShape, cannedTransport, type FastDouble } from './fast-double';
import { type Invoke, productLookupSide, productSide } from './product-side';
import { bareCallApiSide, sdkHandlerSide, sdkLookupSide } from './sdk-side';
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
  /** CEN requests (lookups included), lookups and MNS requests per invocation, as the double counted them. */
  readonly cenPerInvocation: number;
  readonly lookupsPerInvocation: number;
  readonly mnsPerInvocation: number;
  /** New TCP connections the double saw during this side's blocks (warm-up included). */
  readonly connections: number;
}

export interface WarmFigures {
  readonly ours: SideFigures & { readonly logBytesPerInvocation: number };
  readonly sdk: SideFigures;
  /** The SDK handler without the intent lookup (its create still tagged). */
  readonly sdkWithoutLookup: SideFigures;
  /** The intent lookup alone: ours (CenClient.listPlansTagged) and the SDK's (callApi). */
  readonly oursLookup: SideFigures;
  readonly sdkLookup: SideFigures;
  readonly bare: SideFigures;
  /** Ours with an in-memory transport (same canned answers, no sockets): our own CPU work per invocation. */
  readonly oursWithoutNetwork: { readonly medianUs: number; readonly p99Us: number };
  /** ours / SDK handler, of the medians and of the p99s */
  readonly ratio: number;
  readonly ratioP99: number;
  /** What the lookup costs the SDK handler: with − without (medians), and with / without. */
  readonly lookupCostUs: number;
  readonly lookupCostRatio: number;
  readonly blocksChecked: number;
}

/** Calls one invocation must make: CEN (lookups included), of which lookups, and MNS. */
interface Calls {
  readonly cen: number;
  readonly lookups: number;
  readonly mns: number;
}

interface Side {
  readonly name: string;
  readonly invoke: Invoke;
  readonly expected: Calls;
  /** Which of the double's last calls this side makes, for the parameters check. */
  readonly sends: readonly ('create' | 'lookup')[];
  readonly samples: number[];
  connections: number;
  cen: number;
  lookups: number;
  mns: number;
  next: number;
}

const PURCHASE: Calls = { cen: 2, lookups: 1, mns: 1 };

export async function measureWarm(double: FastDouble, options: WarmOptions): Promise<WarmFigures> {
  const ours = productSide(double);
  const side = (name: string, invoke: Invoke, expected: Calls, sends: Side['sends']): Side => ({
    name,
    invoke,
    expected,
    sends,
    samples: [],
    connections: 0,
    cen: 0,
    lookups: 0,
    mns: 0,
    next: 0,
  });
  const sides = [
    side('ours', ours.invoke, PURCHASE, ['create', 'lookup']),
    side('SDK handler', sdkHandlerSide(double).invoke, PURCHASE, ['create', 'lookup']),
    side('SDK handler without the lookup', sdkHandlerSide(double, `nolookup-${process.pid}`, { lookup: false }).invoke, { cen: 1, lookups: 0, mns: 1 }, [
      'create',
    ]),
    side('our lookup alone', productLookupSide(double).invoke, { cen: 1, lookups: 1, mns: 0 }, ['lookup']),
    side('SDK lookup alone', sdkLookupSide(double).invoke, { cen: 1, lookups: 1, mns: 0 }, ['lookup']),
    side('bare callApi', bareCallApiSide(double).invoke, { cen: 1, lookups: 0, mns: 0 }, []),
  ];
  const [oursSide, sdkSide, sdkWithoutLookupSide, oursLookupOnly, sdkLookupOnly, bareSide] = sides as [Side, Side, Side, Side, Side, Side];
  // The parameters each kind of call sends, as the first side to send it did (ClientTokens aside).
  const shapes = new Map<'create' | 'lookup', { side: string; shape: string }>();
  let blocksChecked = 0;

  const runBlock = async (subject: Side, count: number, record: boolean) => {
    const before = { ...double.stats };
    for (let i = 0; i < count; i++) {
      const micros = await subject.invoke(subject.next++);
      if (record) subject.samples.push(micros);
    }
    const calls = { cen: double.stats.cen - before.cen, lookups: double.stats.lookups - before.lookups, mns: double.stats.mns - before.mns };
    subject.connections += double.stats.connections - before.connections;
    if (record) {
      subject.cen += calls.cen;
      subject.lookups += calls.lookups;
      subject.mns += calls.mns;
    }
    const { expected } = subject;
    if (calls.cen !== expected.cen * count || calls.lookups !== expected.lookups * count || calls.mns !== expected.mns * count) {
      throw new Error(
        `${subject.name}: ${count} invocations made ${calls.cen} CEN calls (${calls.lookups} lookups) and ${calls.mns} MNS calls, ` +
          `not ${expected.cen * count} (${expected.lookups * count}) and ${expected.mns * count}: not the same work`,
      );
    }
    for (const kind of subject.sends) {
      const shape = callShape(double.last[kind]);
      const first = shapes.get(kind);
      if (!first) shapes.set(kind, { side: subject.name, shape });
      else if (first.shape !== shape) throw new Error(`${kind} parameters differ:\n ${first.side}: ${first.shape}\n ${subject.name}: ${shape}`);
    }
  };
  const interleave = async (total: number, record: boolean) => {
    for (let block = 0; block * options.block < total; block++) {
      const count = Math.min(options.block, total - block * options.block);
      for (let turn = 0; turn < sides.length; turn++) await runBlock(sides[(block + turn) % sides.length]!, count, record);
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
    lookupsPerInvocation: round(subject.lookups / subject.samples.length, 2),
    mnsPerInvocation: round(subject.mns / subject.samples.length, 2),
    connections: subject.connections,
  });
  const oursFigures = figures(oursSide);
  const sdkFigures = figures(sdkSide);
  const withoutLookup = figures(sdkWithoutLookupSide);
  return {
    ours: { ...oursFigures, logBytesPerInvocation: Math.round(ours.logBytes() / oursSide.next) },
    sdk: sdkFigures,
    sdkWithoutLookup: withoutLookup,
    oursLookup: figures(oursLookupOnly),
    sdkLookup: figures(sdkLookupOnly),
    bare: figures(bareSide),
    oursWithoutNetwork: { medianUs: round(median(offlineSamples), 1), p99Us: round(percentile(offlineSamples, 99), 1) },
    ratio: round(oursFigures.medianUs / sdkFigures.medianUs, 2),
    ratioP99: round(oursFigures.p99Us / sdkFigures.p99Us, 2),
    lookupCostUs: round(sdkFigures.medianUs - withoutLookup.medianUs, 1),
    lookupCostRatio: round(sdkFigures.medianUs / withoutLookup.medianUs, 2),
    blocksChecked,
  };
}
