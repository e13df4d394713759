/**
 * Bytes as letters and digits only. Confirmation codes are shown in chat and pasted back: Base64's
 * `+/_-=` are eaten or restyled by chat markdown (`_` italics) and break double-click selection.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = BigInt(ALPHABET.length);
const DIGIT = new Map([...ALPHABET].map((char, index) => [char, BigInt(index)]));

// A 0x01 byte is put in front so leading zero bytes survive the trip through a number.
const SENTINEL = '01';

export function encodeBase62(bytes: Uint8Array): string {
  let value = BigInt(`0x${SENTINEL}${Buffer.from(bytes).toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = ALPHABET[Number(value % BASE)] + text;
    value /= BASE;
  }
  return text;
}

/** The bytes `text` encodes, or `undefined` unless it came from {@link encodeBase62}. */
export function decodeBase62(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) return undefined;
    value = value * BASE + digit;
  }
  const hex = value.toString(16);
  // BigInt drops the sentinel's leading 0: a valid encoding reads "1" then whole bytes.
  if (hex[0] !== '1' || hex.length % 2 !== 1) return undefined;
  return Buffer.from(hex.slice(1), 'hex');
}
