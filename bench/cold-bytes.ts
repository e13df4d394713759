/**
 * JavaScript read at a cold start: a fresh `node` process loads a handler's module and answers one
 * invocation of a kind, with V8's coverage on (NODE_V8_COVERAGE). Coverage lists every script V8
 * compiled — CommonJS or ES module, loaded at once or lazily during the invocation — so the figure
 * follows whatever the build emits: split chat-ops into a second, lazily loaded file and the API
 * figure drops while the chat figure includes it. Counted: the .js/.mjs/.cjs files on disk, less
 * the driver itself; node's built-in modules are inside the binary and not counted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Children, runChild } from './child';
import type { InvocationKind } from './events';
import type { FastDouble } from './fast-double';

export interface BytesRead {
  readonly kind: InvocationKind;
  readonly bytes: number;
  /** Each file read, largest first, with its size; paths relative to `root` when under it. */
  readonly files: readonly { readonly file: string; readonly bytes: number }[];
}

export async function measureBytesRead(root: string, children: Children, double: FastDouble, target: string, kind: InvocationKind): Promise<BytesRead> {
  const dir = mkdtempSync(path.join(children.dir, 'coverage-'));
  try {
    await runChild(children, double, { target, kind, env: { NODE_V8_COVERAGE: dir } });
    const scripts = new Set<string>();
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.json'))) {
      const coverage = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { result: { url: string }[] };
      for (const { url } of coverage.result) if (url.startsWith('file:')) scripts.add(fileURLToPath(url));
    }
    scripts.delete(children.invokeChild);
    if (!scripts.has(target)) throw new Error(`coverage does not list ${target}: the bytes-read figure cannot be trusted`);
    const files = [...scripts]
      .filter((file) => /\.[cm]?js$/.test(file))
      .map((file) => ({ file: file.startsWith(root + path.sep) ? path.relative(root, file) : path.basename(file), bytes: statSync(file).size }))
      .sort((a, b) => b.bytes - a.bytes);
    return { kind, bytes: files.reduce((sum, file) => sum + file.bytes, 0), files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
