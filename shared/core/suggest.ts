/**
 * "Did you mean …?": the known name a mistyped one was most likely meant to be. One helper for
 * every place that names an unknown field, query parameter or variable.
 */

/** Edits (insert, delete, substitute) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known name equal to `name` but for case, or within two edits of it; undefined if none. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  // Two edits change a length by at most two: the cheap test first (it runs on every header of every request).
  return (
    known.find((candidate) => candidate.toLowerCase() === wanted) ??
    known.find((candidate) => Math.abs(candidate.length - wanted.length) <= 2 && editDistance(candidate.toLowerCase(), wanted) <= 2)
  );
}

/** What a name may be meant to do to a purchase: name its intent, or make it a dry run. */
export type Meaning = 'idempotency' | 'clientToken' | 'dryRun';

// `idempot`: Idempotency, Idempotent, Idempotence; `validateonly`: another spelling of a dry run.
const MEANINGS: readonly (readonly [string, Meaning])[] = [
  ['idempot', 'idempotency'],
  ['clienttoken', 'clientToken'],
  ['dryrun', 'dryRun'],
  ['validateonly', 'dryRun'],
];

/**
 * The meaning a name's letters and digits carry (`X-Idempotency-Key`, `Idempotency_Key`, `dry-run`),
 * if any. A field or header the function does not read is ignored unless it looks meant like this:
 * ignoring it would buy once per retry, or buy at all.
 */
export function meaningOf(name: string): Meaning | undefined {
  const letters = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return MEANINGS.find(([word]) => letters.includes(word))?.[1];
}
