/**
 * The memory and profile runs load our code as deployed: memory-child.ts bundled by esbuild like
 * build.mjs does (not minified, so a CPU profile names functions; with a source map, so it names
 * source lines), run by plain `node` with the flags each run needs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { FastDouble } from './fast-double';

export interface Child {
  readonly dir: string;
  readonly script: string;
}

export async function buildChild(root: string): Promise<Child> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-child-'));
  const script = path.join(dir, 'memory-child.js');
  await build({
    entryPoints: [path.join(root, 'bench/memory-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'external',
    logLevel: 'warning',
  });
  return { dir, script };
}

/** Runs the child against `double`; resolves with its stdout. */
export function runChild(child: Child, flags: readonly string[], double: FastDouble, invocations: number, warmup: number): Promise<string> {
  const proc = spawn(process.execPath, [...flags, child.script], {
    cwd: child.dir,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      BENCH_DOUBLE_URL: double.url,
      BENCH_DOUBLE_HOST: double.host,
      BENCH_INVOCATIONS: String(invocations),
      BENCH_WARMUP: String(warmup),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(child.script)} ${flags.join(' ')} failed (exit ${code}): ${out}`)),
    );
  });
}
