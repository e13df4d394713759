/**
 * Which build is running: set by the build (build.mjs defines `__BUILD__`); `source` when the code runs
 * unbundled (tests, tsx).
 */
declare const __BUILD__: BuildInfo | undefined;

export interface BuildInfo {
  /** package.json's version. */
  readonly version: string;
  /** The git commit built, or `unknown` outside a checkout. */
  readonly commit: string;
  readonly builtAt: string;
}

export const BUILD: BuildInfo = typeof __BUILD__ !== 'undefined' ? __BUILD__ : { version: 'source', commit: 'unknown', builtAt: 'unknown' };
