/**
 * Lark/Feishu body decryption (docs/sources.md, "Chat platforms"): `{"encrypt": Base64(iv ‖ AES-256-CBC(plaintext))}`
 * with key = SHA-256(encryptKey) and PKCS#7 padding.
 */
import { createDecipheriv, createHash } from 'node:crypto';

const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The UTF-8 plaintext, or `undefined` when `encrypt` is not valid ciphertext for this key. */
export function decryptLarkPayload(encrypt: string, encryptKey: string): string | undefined {
  if (!BASE64.test(encrypt)) return undefined;
  const data = Buffer.from(encrypt, 'base64');
  const ciphertext = data.subarray(IV_BYTES);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) return undefined;
  const key = createHash('sha256').update(encryptKey).digest();
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, IV_BYTES));
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // A wrong key or corrupted ciphertext shows up only as bad padding; the caller reports it.
    return undefined;
  }
}
