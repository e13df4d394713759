/**
 * Splits command text into words the way a person means them: whitespace separates words (including
 * the no-break and ideographic spaces Chinese input methods produce), and double quotes group words
 * with spaces. Chat apps turn `"` into typographic quotes, so `“` and `”` count as quotes too, in
 * either role, and a quote may start mid-word (`desc="two words"` is one word `desc=two words`).
 */

const QUOTES = new Set(['"', '\u201C', '\u201D']);
const SPACE = /\s/u;

export type Tokens = { readonly ok: true; readonly words: readonly string[] } | { readonly ok: false; readonly message: string };

export function tokenize(text: string): Tokens {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (const char of text) {
    if (QUOTES.has(char)) {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && SPACE.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quoted) return { ok: false, message: 'a quote is not closed' };
  if (inWord) words.push(word);
  return { ok: true, words };
}
