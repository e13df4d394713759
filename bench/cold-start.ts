/**
 * Cold start, as FC's runtime sees it: a fresh `node` process loads the handler's module and answers
 * its first API create (the intent lookup, CreateCenBandwidthPackage and the MNS publish, against the
 * parent's double; both sides must make the same calls).
 * Ours (dist/create-bandwidth-plan/index.js), the SDK handler and bare node (the driver alone) take
 * turns, in a rotating order; the figures are medians. The main figure is measured in the child
 * (module load + first answer); the parent's spawn-to-exit time minus bare node's is shown beside it.
 */
import path from 'node:path';
import { type Children, runChild } from './child';
import type { FastDouble } from './fast-double';
import { median, round } from './stats';

export interface ColdSide {
  /** Module load + first answer, measured in the child. */
  readonly totalMs: number;
  readonly loadMs: number;
  readonly firstAnswerMs: number;
  /** Spawn to exit, minus bare node's median. */
  readonly wallMs: number;
  /** CEN / MNS requests the double saw per cold start. */
  readonly upstreamCalls: string;
}

export interface ColdFigures {
  readonly runs: number;
  readonly bareMs: number;
  readonly ours: ColdSide;
  readonly sdk: ColdSide;
  /** ours / SDK, of `totalMs` */
  readonly ratio: number;
  readonly wallRatio: number;
}

export async function measureColdStart(root: string, children: Children, double: FastDouble, runs: number): Promise<ColdFigures> {
  const targets = { ours: path.join(root, 'dist/create-bandwidth-plan/index.js'), sdk: children.sdkHandler, bare: '' };
  type Name = keyof typeof targets;
  const samples = { ours: [], sdk: [], bare: [] } as Record<Name, { total: number; load: number; answer: number; wall: number; calls: string }[]>;
  const once = async (name: Name) => {
    const before = { cen: double.stats.cen, mns: double.stats.mns };
    const { reports, wallMs } = await runChild(children, double, { target: targets[name], kind: 'api' });
    const { loadMs, firstAnswerMs } = reports.cold as { loadMs: number; firstAnswerMs: number };
    const calls = `${double.stats.cen - before.cen} / ${double.stats.mns - before.mns}`;
    return { total: loadMs + firstAnswerMs, load: loadMs, answer: firstAnswerMs, wall: wallMs, calls };
  };

  const names: Name[] = ['ours', 'sdk', 'bare'];
  // One unrecorded round first, so every recorded run finds the files in the page cache.
  for (const name of names) await once(name);
  for (let run = 0; run < runs; run++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(run + turn) % names.length]!;
      samples[name].push(await once(name));
    }
  }
  const bareMs = median(samples.bare.map((sample) => sample.wall));
  const side = (name: 'ours' | 'sdk'): ColdSide => {
    const calls = new Set(samples[name].map((sample) => sample.calls));
    if (calls.size !== 1) throw new Error(`${name}: cold starts made different upstream calls: ${[...calls].join(', ')}`);
    return {
      totalMs: round(median(samples[name].map((sample) => sample.total)), 1),
      loadMs: round(median(samples[name].map((sample) => sample.load)), 1),
      firstAnswerMs: round(median(samples[name].map((sample) => sample.answer)), 1),
      wallMs: round(median(samples[name].map((sample) => sample.wall)) - bareMs, 1),
      upstreamCalls: [...calls][0]!,
    };
  };
  const ours = side('ours');
  const sdk = side('sdk');
  if (ours.upstreamCalls !== sdk.upstreamCalls)
    throw new Error(`cold starts made different upstream calls: ours ${ours.upstreamCalls}, SDK ${sdk.upstreamCalls}`);
  return { runs, bareMs: round(bareMs, 1), ours, sdk, ratio: round(ours.totalMs / sdk.totalMs, 3), wallRatio: round(ours.wallMs / sdk.wallMs, 3) };
}
