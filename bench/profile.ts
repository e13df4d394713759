/**
 * `--profile`: runs our warm path (the driver, invoke-child.ts, with our function bundled unminified,
 * against the parent's double) under `node --cpu-prof` and says where the time goes: by area, self
 * time by function, and inclusive time of the product's own functions (`shared/`, `functions/`),
 * named by source line via the source map.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Children, runChild } from './child';
import type { FastDouble } from './fast-double';
import { round } from './stats';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  readonly name: string;
  readonly percent: number;
}

export interface ProfileFigures {
  readonly invocations: number;
  readonly byArea: readonly HotSpot[];
  readonly topSelf: readonly HotSpot[];
  readonly topOursInclusive: readonly HotSpot[];
}

export async function profileWarm(root: string, children: Children, double: FastDouble, invocations: number): Promise<ProfileFigures> {
  const bundle = children.productForProfile;
  if (!bundle) throw new Error('build the children with { profile: true }');
  const dir = path.join(children.dir, 'profile');
  await runChild(children, double, { target: bundle, kind: 'api', invocations, warmup: 200, flags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  const urls = { bundle: pathToFileURL(bundle).href, driver: pathToFileURL(children.invokeChild).href };
  return { invocations, ...summarise(profile, map, urls, children.dir, root) };
}

function summarise(
  profile: CpuProfile,
  map: SourceMap,
  urls: { bundle: string; driver: string },
  bundleDir: string,
  root: string,
): Omit<ProfileFigures, 'invocations'> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Where each profile node's function is: a source path relative to the repository, or node's own.
  const located = new Map<number, { file: string; line: number; name: string; raw: string }>();
  const locate = (id: number) => {
    let found = located.get(id);
    if (!found) {
      const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
      let file = url;
      let line = lineNumber + 1;
      if (url === urls.bundle) {
        const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number };
        if (entry.originalSource) {
          const source = entry.originalSource.startsWith('file:') ? new URL(entry.originalSource).pathname : path.resolve(bundleDir, entry.originalSource);
          file = path.relative(root, source);
          line = (entry.originalLine ?? 0) + 1;
        }
      }
      found = { file: url === urls.driver ? 'bench/invoke-child.ts' : file, line, name: functionName || '(anonymous)', raw: functionName };
      located.set(id, found);
    }
    return found;
  };
  const label = (id: number) => {
    const { file, line, name } = locate(id);
    return file ? `${name} ${file.replace(/^.*node_modules\//, '')}:${line}` : name;
  };
  const isOurs = (id: number) => /^(shared|functions)\//.test(locate(id).file);
  const area = (id: number) => {
    const { file, raw } = locate(id);
    if (raw.startsWith('(')) return raw; // (garbage collector), (program)
    if (/^(shared|functions)\//.test(file)) return 'product code (self time)';
    if (file.includes('node_modules/zod/')) return 'zod';
    if (file.startsWith('bench/')) return 'bench driver';
    if (file.startsWith('node:')) return 'node internals (JS)';
    if (file === '') return 'native (syscalls, crypto, JSON, …)';
    return 'other';
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  const add = (into: Map<string, number>, key: string, delta: number) => into.set(key, (into.get(key) ?? 0) + delta);
  let total = 0;
  profile.samples.forEach((id, index) => {
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    add(self, label(id), delta);
    add(areas, area(id), delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (!isOurs(at) || seen.has(label(at))) continue;
      seen.add(label(at));
      add(inclusive, label(at), delta);
    }
  });
  const top = (from: Map<string, number>, count: number): HotSpot[] =>
    [...from.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => ({ name, percent: round((100 * time) / total, 1) }));
  return { byArea: top(areas, 8), topSelf: top(self, 15), topOursInclusive: top(inclusive, 20) };
}
