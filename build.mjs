// Bundles each function under functions/<name>/index.ts into ONE minified CommonJS file,
// dist/<name>/index.js, exporting `handler` (FC 3.0 nodejs20 loads `index.handler`).

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { build } from 'esbuild';

/** Which build this is: the ping answers it (shared/runtime/build-info.ts). */
function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
const BUILD = { version: JSON.parse(readFileSync('package.json', 'utf8')).version, commit: commit(), builtAt: new Date().toISOString() };

const functions = readdirSync('functions').filter((name) => statSync(`functions/${name}`).isDirectory());
const results = await Promise.all(
  functions.map((name) =>
    build({
      entryPoints: [`functions/${name}/index.ts`],
      outfile: `dist/${name}/index.js`,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      legalComments: 'none',
      // index.js.map beside the bundle, without a sourceMappingURL comment: the function reads it itself,
      // only when it logs an unexpected error (shared/runtime/stack.ts), so cold start never pays for it.
      sourcemap: 'external',
      sourcesContent: false,
      define: { __BUILD__: JSON.stringify(BUILD) },
      metafile: true,
      logLevel: 'warning',
    }).then((result) => [name, result]),
  ),
);
// The OpenAPI document (docs/openapi.json, from `npm run openapi`) ships beside the bundle; the
// function serves it at GET /openapi.json.
for (const name of functions) if (existsSync('docs/openapi.json')) copyFileSync('docs/openapi.json', `dist/${name}/openapi.json`);
for (const [name, result] of results) {
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .reduce((sum, [, out]) => sum + out.bytes, 0);
  console.log(`built dist/${name}/index.js (${(bytes / 1024).toFixed(1)} KB)`);
}
