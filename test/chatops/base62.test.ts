import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase62, encodeBase62 } from '../../shared/sources/chat/base62';

describe('base62', () => {
  it.each([
    [[], '1'],
    [[0], '48'],
    [[0, 0, 1], '18OWH'],
    [[255], '8F'],
  ])('%j ↔ %s', (bytes, text) => {
    expect(encodeBase62(Uint8Array.from(bytes))).toBe(text);
    expect(decodeBase62(text)).toEqual(Buffer.from(bytes));
  });

  it('round-trips any bytes, leading zeros included, in letters and digits only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase62(bytes);
        expect(text).toMatch(/^[0-9A-Za-z]+$/);
        expect(decodeBase62(text)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('encodes 16 bytes behind the sentinel in exactly 22 characters', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => encodeBase62(bytes).length === 22));
  });

  it.each([
    ['a character outside the alphabet', 'abc-def'],
    ['a number without the sentinel', '0'],
    ['a number that is not whole bytes after the sentinel', 'Z'],
    ['an empty string', ''],
  ])('refuses %s', (_name, text) => {
    expect(decodeBase62(text)).toBeUndefined();
  });
});
