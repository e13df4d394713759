// Bundles each function under functions/<name>/index.ts into dist/<name>/ for FC 3.0 nodejs20
// (`index.handler`): index.js, minified CommonJS exporting `handler`, plus one file for each part only
// some invocations need (the HTTP API, the async sources, chat-ops, the ping: the `import()`s in the
// composition root), which index.js require()s when first needed. Every module is in exactly one
// file, so each has one instance (one zod, one set of error classes for `instanceof`).
//
// Two passes, both esbuild. (1) ES-module code splitting into a staging folder: esbuild cuts the graph
// at each `import()` and puts code shared by several parts into chunks. (2) Each file becomes
// CommonJS: index.js absorbs every chunk it imports (what a cold start reads anyway), re-exporting
// their namespaces for the lazy files; a lazy file takes those modules from `require('./index.js')`
// and require()s the other lazy files it needs. CommonJS, because a require() of a few files loads
// faster than Node's ES module loader, and the deployed folder stays what FC and the local tools load.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

const COMMON = { platform: 'node', target: 'node20', minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'warning' };
// The .map beside each file, without a sourceMappingURL comment: the function reads it itself, only
// when it logs an unexpected error (shared/runtime/stack.ts), so cold start never pays for it.
const MAPS = { sourcemap: 'external', sourcesContent: false };
async function bundleFunction(name) {
  const out = path.resolve('dist', name);
  const stage = path.resolve('dist', `.stage-${name}-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  try {
    // Pass 1: ES modules, split at every import(). Linked maps, so pass 2 maps back to the TypeScript.
    const split = await build({
      ...COMMON,
      entryPoints: { index: `functions/${name}/index.ts` },
      bundle: true,
      format: 'esm',
      splitting: true,
      outdir: stage,
      chunkNames: '[name]-[hash]',
      sourcemap: 'linked',
      sourcesContent: false,
      define: { __BUILD__: JSON.stringify(BUILD) },
      metafile: true,
    });
    const outputs = new Map(
      Object.entries(split.metafile.outputs)
        .filter(([file]) => file.endsWith('.js'))
        .map(([file, output]) => [
          path.resolve(file),
          {
            entry: output.entryPoint !== undefined,
            bytes: output.bytes,
            exports: output.exports,
            imports: output.imports
              .filter((entry) => !entry.external)
              .map((entry) => ({ file: path.resolve(entry.path), dynamic: entry.kind === 'dynamic-import' })),
          },
        ]),
    );
    const index = path.join(stage, 'index.js');
    const closure = (roots) => {
      const found = new Set(roots);
      for (const file of found) for (const entry of outputs.get(file).imports) if (!entry.dynamic) found.add(entry.file);
      return found;
    };
    // What a cold start loads: index.js and every chunk it imports; and, so that an invocation reads
    // few files, every chunk most of the parts index.js loads lazily need (e.g. the pipeline: every
    // purchase). Counted over the parts index.js itself import()s (the sources, chat-ops' wiring): a
    // part only those parts load (the approval rule, the runaway limits) does not dilute the majority.
    const atStart = closure([index]);
    const importedLazily = (file) => outputs.get(file).imports.filter((entry) => entry.dynamic && !atStart.has(entry.file));
    const lazyEntries = [...new Set([...atStart].flatMap((file) => importedLazily(file).map((entry) => entry.file)))];
    const reach = lazyEntries.map((entry) => closure([entry]));
    // A chunk smaller than the CommonJS preamble esbuild writes at the head of every file (~450 B) is
    // there too when two parts or more need it: a file of its own would nearly double what it costs
    // them (e.g. the ClientToken derivation, which the HTTP API and the async sources share).
    const SMALL_CHUNK_BYTES = 1024;
    const common = [...outputs.keys()].filter((file) => {
      const needed = reach.filter((set) => set.has(file)).length;
      return !outputs.get(file).entry && (needed * 2 > lazyEntries.length || (needed >= 2 && outputs.get(file).bytes < SMALL_CHUNK_BYTES));
    });
    const eager = closure([index, ...common]);
    const lazy = [...outputs.keys()].filter((file) => !eager.has(file));
    // index.js exports what the lazy files import from the chunks it absorbed, each under a name of its own.
    const shared = new Map(
      [...eager]
        .filter((file) => file !== index && lazy.some((from) => outputs.get(from).imports.some((entry) => entry.file === file)))
        .map((file, position) => [file, (exported) => `$${position}_${exported}`]),
    );

    /** Imports between staged files: a lazy file is require()d by its name; a module of index.js is taken from it. */
    const link = (self) => ({
      name: 'link-staged-files',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^\.\.?\// }, (args) => {
          if (args.namespace === 'index-js') return { path: './index.js', external: true };
          const file = path.resolve(args.resolveDir, args.path);
          if (!outputs.has(file) || file === self || self === index) return eager.has(file) ? undefined : { path: `./${path.basename(file)}`, external: true };
          if (shared.has(file)) return { path: file, namespace: 'index-js' };
          return { path: `./${path.basename(file)}`, external: true };
        });
        pluginBuild.onLoad({ filter: /.*/, namespace: 'index-js' }, (args) => {
          const rename = shared.get(args.path);
          const names = outputs.get(args.path).exports;
          return { contents: `export { ${names.map((exported) => `${rename(exported)} as ${exported}`).join(', ')} } from './index.js';`, loader: 'js' };
        });
      },
    });
    const pass2 = { ...COMMON, ...MAPS, bundle: true, format: 'cjs', write: false, metafile: true, supported: { 'dynamic-import': false } };
    const reexports = [...shared].map(([file, rename]) => {
      const names = outputs.get(file).exports.map((exported) => `${exported} as ${rename(exported)}`);
      return `export { ${names.join(', ')} } from './${path.basename(file)}';`;
    });
    const results = await Promise.all([
      build({
        ...pass2,
        stdin: {
          contents: [`export * from './index.js';`, ...common.map((file) => `import './${path.basename(file)}';`), ...reexports].join('\n'),
          resolveDir: stage,
          sourcefile: 'entry.js',
        },
        outfile: path.join(out, 'index.js'),
        plugins: [link(index)],
      }),
      ...lazy.map((file) => build({ ...pass2, entryPoints: [file], outfile: path.join(out, path.basename(file)), plugins: [link(file)] })),
    ]);
    return publish(out, results);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Writes the files (each to a temporary name, then renamed: a reader sees the old file or the new
 * one), index.js last, then removes the files an earlier build left that this one did not write.
 */
function publish(out, results) {
  mkdirSync(out, { recursive: true });
  const files = results
    .flatMap((result) => result.outputFiles)
    .map((file) => ({ path: file.path, contents: file.path.endsWith('.map') ? mapWithoutStage(file.text) : file.contents }));
  files.sort((a, b) => Number(path.basename(a.path).startsWith('index.js')) - Number(path.basename(b.path).startsWith('index.js')));
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const written = new Set(files.map((file) => path.basename(file.path)));
  for (const entry of readdirSync(out)) if (/\.js(\.map)?$/.test(entry) && !written.has(entry)) rmSync(path.join(out, entry), { force: true });
  return files.filter((file) => file.path.endsWith('.js')).map((file) => ({ file: path.basename(file.path), bytes: file.contents.length }));
}

/**
 * A map names the TypeScript sources, and also the staging files the glue between the files came
 * from (the re-exports, the lazy files' entry points): named `(build)`, so no build's staging folder
 * shows and a build of the same sources gives the same maps.
 */
function mapWithoutStage(text) {
  const map = JSON.parse(text);
  map.sources = map.sources.map((source) => (source.startsWith('index-js:') || source.includes('.stage-') ? '(build)' : source));
  return Buffer.from(JSON.stringify(map));
}

const functions = readdirSync('functions').filter((name) => statSync(`functions/${name}`).isDirectory());
const built = await Promise.all(functions.map(async (name) => [name, await bundleFunction(name)]));
// The OpenAPI document (docs/openapi.json, from `npm run openapi`) ships beside the bundle; the
// function serves it at GET /openapi.json.
for (const name of functions) if (existsSync('docs/openapi.json')) copyFileSync('docs/openapi.json', `dist/${name}/openapi.json`);
for (const [name, files] of built) {
  const [index, ...rest] = files.sort((a, b) => Number(b.file === 'index.js') - Number(a.file === 'index.js') || b.bytes - a.bytes);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `built dist/${name}/index.js (${kb(index.bytes)}), loaded when first needed: ${rest.map((file) => `${file.file} (${kb(file.bytes)})`).join(', ')}`,
  );
}
