/**
 * `npm run bench [-- --json] [-- --profile]`: our function against the official Alibaba Cloud SDK.
 * Figures, not tests: targets are printed as PASS/MISS and the exit code ignores them.
 * Progress goes to stderr; the table (or with --json the JSON document) to stdout.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildChild } from './child';
import { measureColdLoad } from './cold-load';
import { startFastDouble } from './fast-double';
import { measureMemory } from './memory';
import { type ProfileFigures, profileWarm } from './profile';
import { measureSigning } from './signing';
import { round, verdict } from './stats';
import { measureWarm } from './warm';

const ROOT = path.resolve(__dirname, '..');
const BUNDLE_DIR = path.join(ROOT, 'dist/create-bandwidth-plan');
const args = new Set(process.argv.slice(2));
const settings = {
  coldRuns: 21,
  warm: { warmup: 200, iterations: 2_000, block: 100 },
  signing: { iterations: 20_000, rounds: 7 },
  memory: { invocations: 10_000, warmup: 500 },
  profileInvocations: 5_000,
};
const TARGETS = { coldRatio: 0.1, bundleBytes: 64 * 1024, warmRatio: 1.3, rssGrowthMb: 5 };

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? folderBytes(full) : statSync(full).size);
  }, 0);
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
  };

  progress('bundle size');
  const bundle = { indexBytes: statSync(path.join(BUNDLE_DIR, 'index.js')).size, folderBytes: folderBytes(BUNDLE_DIR) };

  progress(`cold load (${settings.coldRuns} × product, SDK, bare node, interleaved)`);
  const cold = measureColdLoad(ROOT, settings.coldRuns);

  progress(`signing and validation (${settings.signing.rounds} rounds × ${settings.signing.iterations})`);
  const signing = measureSigning(settings.signing.iterations, settings.signing.rounds);

  const double = await startFastDouble();
  const child = await buildChild(ROOT);
  let profile: ProfileFigures | undefined;
  try {
    progress(`warm invocations (${settings.warm.warmup} warm-up + ${settings.warm.iterations} each side, blocks of ${settings.warm.block})`);
    const warm = await measureWarm(double, settings.warm);
    progress(`memory (${settings.memory.invocations} warm invocations in a fresh process)`);
    const memory = await measureMemory(child, double, settings.memory.invocations, settings.memory.warmup);
    if (args.has('--profile')) {
      progress(`cpu profile of ${settings.profileInvocations} warm invocations`);
      profile = await profileWarm(ROOT, child, double, settings.profileInvocations);
    }

    const results = {
      machine,
      settings,
      coldLoad: { ...cold, target: `≤ ${TARGETS.coldRatio} × SDK`, result: verdict(cold.ratio <= TARGETS.coldRatio) },
      bundle: { ...bundle, target: `index.js ≤ ${TARGETS.bundleBytes} bytes`, result: verdict(bundle.indexBytes <= TARGETS.bundleBytes) },
      warm: { ...warm, target: `median ≤ ${TARGETS.warmRatio} × SDK`, result: verdict(warm.ratio <= TARGETS.warmRatio) },
      signing,
      memory: { ...memory, target: `RSS growth ≤ ${TARGETS.rssGrowthMb} MB`, result: verdict(memory.rssGrowthMb <= TARGETS.rssGrowthMb) },
      doubleStats: { ...double.stats },
      ...(profile ? { profile } : {}),
    };
    process.stdout.write(args.has('--json') ? `${JSON.stringify(results, null, 2)}\n` : table(results));
  } finally {
    await double.close();
    rmSync(child.dir, { recursive: true, force: true });
  }
}

function table(r: {
  machine: { cpu: string; cores: number; node: string; platform: string; loadAverage: number[] };
  coldLoad: ReturnType<typeof measureColdLoad> & { result: string };
  bundle: { indexBytes: number; folderBytes: number; result: string };
  warm: Awaited<ReturnType<typeof measureWarm>> & { result: string };
  signing: ReturnType<typeof measureSigning>;
  memory: Awaited<ReturnType<typeof measureMemory>> & { result: string };
  profile?: ProfileFigures;
}): string {
  const { coldLoad: c, bundle: b, warm: w, signing: s, memory: m } = r;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows: string[][] = [
    ['Measure', 'Ours', 'Official SDK', 'Ratio', 'Target', 'Result'],
    ['Cold load (wall − bare node, median)', `${c.productMs} ms`, `${c.sdkMs} ms`, `${c.ratio}`, `≤ ${TARGETS.coldRatio}`, c.result],
    [
      '  require() time inside the child',
      `${c.productInProcessMs} ms`,
      `${c.sdkInProcessMs} ms`,
      `${round(c.productInProcessMs / c.sdkInProcessMs, 3)}`,
      '',
      '',
    ],
    ['Bundle index.js', `${b.indexBytes} B (${kb(b.indexBytes)})`, '', '', `≤ ${kb(TARGETS.bundleBytes)}`, b.result],
    ['Deployed folder', `${b.folderBytes} B (${kb(b.folderBytes)})`, '', '', '', ''],
    ['Warm invocation, median', `${w.ours.medianUs} µs`, `${w.sdk.medianUs} µs`, `${w.ratio}`, `≤ ${TARGETS.warmRatio}`, w.result],
    ['  ours without network (CPU only)', `${w.oursWithoutNetwork.medianUs} µs (p99 ${w.oursWithoutNetwork.p99Us})`, '', '', '', ''],
    ['Warm invocation, p99', `${w.ours.p99Us} µs`, `${w.sdk.p99Us} µs`, `${w.ratioP99}`, '', ''],
    [
      '  upstream calls / connections',
      `${w.ours.upstreamCallsPerInvocation} / ${w.ours.connections}`,
      `${w.sdk.upstreamCallsPerInvocation} / ${w.sdk.connections}`,
      '',
      '',
      '',
    ],
    ['Validate + sign (per request)', `${s.oursUs} µs`, `${s.sdkUs} µs`, `${s.ratio}`, '', ''],
    ['  validate only / sign only', `${s.oursValidateUs} / ${s.oursSignUs} µs`, '', `${round(s.oursSignUs / s.sdkUs, 2)} (sign)`, '', ''],
    [
      `RSS growth, ${m.invocations} warm invocations`,
      `${m.rssGrowthMb} MB (${m.rssBeforeMb} → ${m.rssAfterMb})`,
      '',
      '',
      `≤ ${TARGETS.rssGrowthMb} MB`,
      m.result,
    ],
    ['  heap used growth', `${m.heapGrowthMb} MB (${m.heapUsedBeforeMb} → ${m.heapUsedAfterMb})`, '', '', '', ''],
    ['  V8 heap reserved (heapTotal)', `${m.heapTotalBeforeMb} → ${m.heapTotalAfterMb} MB`, '', '', '', ''],
    ['  RSS after each quarter', `${m.rssTrailMb.join(' → ')} MB`, '', '', '', ''],
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, col) => cell.padEnd(widths[col]!)).join(' | ')} |`;
  const out = [
    `create-bandwidth-plan benchmark — ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, ${r.machine.platform}, load ${r.machine.loadAverage.join(' ')}`,
    '',
    line(rows[0]!),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
    '',
    `Cold load: ${c.runs} runs of each, bare node ${c.bareMs} ms. Warm: ${settings.warm.iterations} invocations per side after ${settings.warm.warmup} warm-up, ` +
      `interleaved in blocks of ${settings.warm.block}; ours = validation, signing, CreateCenBandwidthPackage and MNS PublishMessage ` +
      `(WAIT_SECONDS=0, ${w.ours.logBytesPerInvocation} log bytes per invocation, discarded); SDK = callApi(CreateCenBandwidthPackage) alone.`,
    `Signing: ${s.rounds} rounds × ${s.iterations}, median round; same Authorization on both sides. ` +
      `Memory: fresh process after ${m.warmup} warm-up invocations, gc ${m.gcAvailable ? 'available (--expose-gc), run before each reading' : 'NOT available'}.`,
  ];
  if (r.profile) {
    const list = (spots: readonly { name: string; percent: number }[]) => spots.map((spot) => `  ${String(spot.percent).padStart(5)}%  ${spot.name}`);
    out.push(
      '',
      `CPU profile of ${r.profile.invocations} warm invocations (bundled, fresh process; % of non-idle samples, start-up included):`,
      ' by area:',
      ...list(r.profile.byArea),
      ' top self time:',
      ...list(r.profile.topSelf),
      ' product functions, inclusive:',
      ...list(r.profile.topOursInclusive),
    );
  }
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
