/**
 * Fresh `node` processes for the cold-start, bytes-read, memory and profile figures. One temporary
 * folder holds what they run, built with esbuild:
 *
 * - `invoke-child.js`: the driver (bench/invoke-child.ts), self-contained;
 * - `sdk-handler.js`: the SDK handler (bench/sdk-index.ts) with its packages left as `require`s,
 *   resolved from a `node_modules` link beside it — deployed as a user deploys it, with node_modules;
 * - `product-profile.js` (only for `--profile`): our function bundled like build.mjs but not
 *   minified, with a source map, so a CPU profile names source lines.
 *
 * Our own side always runs dist/create-bandwidth-plan/index.js, the deployed file, except under --profile.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import { benchEnvironment, type InvocationKind } from './events';
import type { FastDouble } from './fast-double';

export interface Children {
  readonly dir: string;
  readonly invokeChild: string;
  readonly sdkHandler: string;
  readonly productForProfile?: string;
}

export async function buildChildren(root: string, options: { readonly profile?: boolean } = {}): Promise<Children> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-child-'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' } as const;
  const children = {
    dir,
    invokeChild: path.join(dir, 'invoke-child.js'),
    sdkHandler: path.join(dir, 'sdk-handler.js'),
    ...(options.profile ? { productForProfile: path.join(dir, 'product-profile.js') } : {}),
  };
  await Promise.all([
    build({ ...common, entryPoints: [path.join(root, 'bench/invoke-child.ts')], outfile: children.invokeChild }),
    build({ ...common, entryPoints: [path.join(root, 'bench/sdk-index.ts')], outfile: children.sdkHandler, packages: 'external' }),
    children.productForProfile &&
      build({
        ...common,
        entryPoints: [path.join(root, 'functions/create-bandwidth-plan/index.ts')],
        outfile: children.productForProfile,
        sourcemap: 'external',
      }),
  ]);
  return children;
}

export interface ChildRun {
  /** The module whose `handler` is invoked; '' for bare node plus the driver. */
  readonly target: string;
  readonly kind: InvocationKind;
  /** Warm invocations after the first (with memory readings); default none. */
  readonly invocations?: number;
  readonly warmup?: number;
  readonly flags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface ChildResult {
  /** The `@@name=<json>` reports, by name. */
  readonly reports: Readonly<Record<string, unknown>>;
  /** From spawn to exit, as the parent saw it. */
  readonly wallMs: number;
}

/** Runs the driver once against `double`; the handler's own log (stdout) is discarded. */
export function runChild(children: Children, double: FastDouble, run: ChildRun): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    ...benchEnvironment(double),
    BENCH_TARGET: run.target,
    BENCH_KIND: run.kind,
    BENCH_INVOCATIONS: String(run.invocations ?? 0),
    BENCH_WARMUP: String(run.warmup ?? 0),
    ...run.env,
  };
  // Coverage only where asked for (bytes read): it slows what is timed.
  if (!run.env?.NODE_V8_COVERAGE) delete env.NODE_V8_COVERAGE;
  const start = process.hrtime.bigint();
  const proc = spawn(process.execPath, [...(run.flags ?? []), children.invokeChild], { cwd: children.dir, env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let reports = '';
  let errors = '';
  (proc.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (reports += chunk));
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${run.kind} child of ${run.target || 'bare node'} failed (exit ${code}): ${errors}`));
      const parsed = reports
        .split('\n')
        .filter((line) => line.startsWith('@@'))
        .map((line) => [line.slice(2, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1)) as unknown]);
      resolve({ reports: Object.fromEntries(parsed), wallMs });
    });
  });
}
