/**
 * Readable stack traces from the minified bundle: each `index.js:1:23456` frame is mapped back to its
 * TypeScript line through the source map the build writes beside the bundle (`index.js.map`). The map
 * is read only when an unexpected error is first logged — never at cold start — with node's own
 * SourceMap (node:module), so no flag (`--enable-source-maps`) and no library is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/** `at fn (/code/index.js:1:23456)` or `at /code/index.js:1:23456`: the file, line and column. */
const FRAME = /(\(|at )((?:\/|[A-Za-z]:\\)[^():]+\.js):(\d+):(\d+)(\)?)$/gm;

const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    const path = `${file}.map`;
    try {
      map = existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null;
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** `stack` with every frame in a bundle that has a source map shown at its TypeScript source; other frames as they are. */
export function readableStack(stack: string): string {
  return stack.replace(FRAME, (frame, before: string, file: string, line: string, column: string, after: string) => {
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return frame;
    // Sources are recorded relative to the bundle (`../../shared/…`): shown from the repository root.
    const source = entry.originalSource.replace(/^(?:\.\.\/)+/, '');
    return `${before}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${after}`;
  });
}
