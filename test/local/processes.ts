/**
 * Runs the local tools (`local/server.ts`, `local/invoke.ts`) as child processes the way a developer
 * does, with tsx, in an environment stripped of anything that could reach a real cloud.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { EnvironmentSchema } from '../../shared/runtime/config';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX_CLI = resolve(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** The variables the function reads, and every credential or FC location a shell may carry. */
const CLOUD_VARIABLES = [...Object.keys(EnvironmentSchema.def.shape), 'PORT'];
const CLOUD_PREFIXES = ['ALIBABA_CLOUD_', 'FC_'];

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (CLOUD_VARIABLES.includes(name) || CLOUD_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export function spawnTsx(script: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [TSX_CLI, script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process whose whole output is kept, so it can be searched at any time. */
export class Running {
  readonly child: ChildProcess;
  #stdout = '';
  #stderr = '';
  readonly #exited: Promise<Finished>;
  readonly #waiters = new Set<() => void>();
  #closed = false;

  constructor(child: ChildProcess) {
    this.child = child;
    const changed = () => {
      for (const check of this.#waiters) check();
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString('utf8');
      changed();
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString('utf8')));
    // 'close' comes after 'exit' and after the last output.
    this.#exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.#closed = true;
        resolve({ code, signal, stdout: this.#stdout, stderr: this.#stderr });
        changed();
      }),
    );
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** Resolves once stdout matches `pattern`; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.#stdout}\n${this.#stderr}`))), timeoutMs);
      const settle = (action: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        action();
      };
      const check = () => {
        const match = pattern.exec(this.#stdout);
        if (match) settle(() => resolve(match));
        else if (this.#closed) settle(() => reject(new Error(`ended before printing ${pattern}:\n${this.#stdout}\n${this.#stderr}`)));
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves when the process has ended; kills it (and rejects) after `timeoutMs`. */
  exit(timeoutMs: number): Promise<Finished> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`process did not exit within ${timeoutMs} ms:\n${this.#stdout}\n${this.#stderr}`));
      }, timeoutMs);
      void this.#exited.then((result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }
}

export function start(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Running {
  return new Running(spawnTsx(script, args, env));
}

/** Runs a script to completion. */
export function runTsx(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Finished> {
  return start(script, args, env).exit(timeoutMs);
}
