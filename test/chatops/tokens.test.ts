import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../shared/sources/chat/tokens';

describe('tokenize', () => {
  it.each([
    ['plan 100 China Europe', ['plan', '100', 'China', 'Europe']],
    ['  plan\t100\n', ['plan', '100']],
    ['plan\u00A0100\u3000China', ['plan', '100', 'China']],
    ['desc="text with spaces" autopay', ['desc=text with spaces', 'autopay']],
    ['desc=\u201Ctext with spaces\u201D', ['desc=text with spaces']],
    ['desc=\u201Dboth closing\u201D', ['desc=both closing']],
    ['desc="mixed\u201D x', ['desc=mixed', 'x']],
    ['"North America"', ['North America']],
    ['name="" x', ['name=', 'x']],
    ['""', ['']],
    ['a"b c"d', ['ab cd']],
    ['', []],
  ])('%j → %j', (text, words) => {
    expect(tokenize(text)).toEqual({ ok: true, words });
  });

  it('refuses an unclosed quote', () => {
    expect(tokenize('desc="no end')).toEqual({ ok: false, message: 'a quote is not closed' });
  });

  it('splits unquoted text on whitespace exactly like String.split', () => {
    const word = fc.stringMatching(/^[a-z0-9=-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        expect(tokenize(words.join('  '))).toEqual({ ok: true, words });
      }),
    );
  });
});
