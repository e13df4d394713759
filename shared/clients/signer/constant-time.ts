/**
 * Comparing a received signature with the expected one must not reveal, through timing, how many
 * leading characters matched. Every signature check in the product goes through this.
 */
import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality. Unequal lengths return false at once: only the length of the
 * expected value can leak, and every signature's length is public.
 */
export function timingSafeEqualText(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
