/** Small statistics and formatting helpers for the benchmark (no assertions: numbers are only reported). */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0–100) of an unsorted sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Elapsed microseconds since `start` (a `process.hrtime.bigint()` reading). */
export const microsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1_000;

export function verdict(pass: boolean): 'PASS' | 'MISS' {
  return pass ? 'PASS' : 'MISS';
}
