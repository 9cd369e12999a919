/**
 * Arrays of doubles as compact, exact text for storage attributes: `f64:` followed by the base64
 * of their little-endian IEEE-754 bytes. Storages copy (and JSON-encode) one string far faster
 * than thousands of numbers, and no digit conversion is needed in either direction.
 *
 * Notation: n numbers ↔ 8n bytes ↔ 4⌈8n/3⌉ base64 characters.
 * @module
 */

const PREFIX = 'f64:';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Node's Buffer when present (native base64), else undefined (a portable loop is used). */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(
        data: ArrayBuffer | string,
        encoding?: string,
      ): Uint8Array & { toString(encoding: string): string };
    };
  }
).Buffer;

/** Base64 of `bytes`, which must span its whole buffer. */
function encodeBase64(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) return NodeBuffer.from(bytes.buffer as ArrayBuffer).toString('base64');
  return encodeBase64Portable(bytes);
}

/** @internal Base64 without Node's Buffer (browsers). */
export function encodeBase64Portable(bytes: Uint8Array): string {
  const parts: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    parts.push(ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    parts.push(`${ALPHABET[v >> 18]!}${ALPHABET[(v >> 12) & 63]!}==`);
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    parts.push(`${ALPHABET[v >> 18]!}${ALPHABET[(v >> 12) & 63]!}${ALPHABET[(v >> 6) & 63]!}=`);
  }
  return parts.join('');
}

function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  if (NodeBuffer !== undefined) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  return decodeBase64Portable(text);
}

/** @internal Base64 decoding without Node's Buffer (browsers); null on a foreign character. */
export function decodeBase64Portable(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = ALPHABET.indexOf(clean[i]!);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** The numbers as `f64:<base64>` text (exact). */
export function packNumbers(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
  return PREFIX + encodeBase64(bytes);
}

/**
 * The numbers `packNumbers` wrote; also accepts a plain array of numbers or its JSON text (older
 * attributes). Anything else gives null.
 */
export function unpackNumbers(raw: unknown): number[] | null {
  if (Array.isArray(raw)) return raw.every((v) => typeof v === 'number') ? (raw as number[]) : null;
  if (typeof raw !== 'string') return null;
  if (raw.startsWith(PREFIX)) {
    const bytes = decodeBase64(raw.slice(PREFIX.length));
    if (bytes === null || bytes.length % 8 !== 0) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Array<number>(bytes.length / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  }
  try {
    return unpackNumbers(JSON.parse(raw));
  } catch {
    return null;
  }
}
