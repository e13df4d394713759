import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFresh, parseTimestamp, timingSafeEqualText } from '../../shared/sources/chat/verification';

describe('timingSafeEqualText', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['é', 'e', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(timingSafeEqualText(a, b)).toBe(expected);
  });

  it('agrees with === for all strings', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => timingSafeEqualText(a, b) === (a === b)));
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['1531420618', 1531420618],
    ['1577262236757', 1577262236757],
    ['0', 0],
    ['', undefined],
    ['-1', undefined],
    ['1e9', undefined],
    ['153142061.8', undefined],
    [' 1531420618', undefined],
    ['12345678901234567', undefined],
  ])('%j → %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });
});

describe('isFresh', () => {
  it.each([
    [1_000_000, 1_000_000, true],
    [1_000_000 - 300_000, 1_000_000, true],
    [1_000_000 + 300_000, 1_000_000, true],
    [1_000_000 - 300_001, 1_000_000, false],
    [1_000_000 + 300_001, 1_000_000, false],
  ])('timestamp %d at now %d within 300 s → %s', (timestamp, now, expected) => {
    expect(isFresh(timestamp, now, 300_000)).toBe(expected);
  });
});
