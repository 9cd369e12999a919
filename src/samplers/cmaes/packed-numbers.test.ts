import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { decodeBase64Portable, encodeBase64Portable, packNumbers, unpackNumbers } from './packed-numbers.js';

describe('packNumbers / unpackNumbers', () => {
  it('round-trips doubles bit for bit', () => {
    const rng = new Rng(1);
    const values = [0, -0, 1, -1.5, 1e-310, 5e-324, Number.MAX_VALUE, Math.PI, 1 / 3];
    for (let i = 0; i < 100; i++)
      values.push((rng.random() - 0.5) * 10 ** Math.floor(rng.random() * 40 - 20));
    const packed = packNumbers(values);
    expect(packed.startsWith('f64:')).toBe(true);
    const back = unpackNumbers(packed)!;
    expect(back).toHaveLength(values.length);
    for (let i = 0; i < values.length; i++) expect(Object.is(back[i], values[i])).toBe(true);
    expect(unpackNumbers(packNumbers([]))).toEqual([]);
  });

  it('reads the older forms (a JSON array, or its text) and rejects anything else', () => {
    expect(unpackNumbers([1, 2.5])).toEqual([1, 2.5]);
    expect(unpackNumbers('[1, 2.5]')).toEqual([1, 2.5]);
    expect(unpackNumbers(['a'])).toBeNull();
    expect(unpackNumbers('f64:***')).toBeNull();
    expect(unpackNumbers('f64:AAAA')).toBeNull(); // 3 bytes, not a whole double
    expect(unpackNumbers('{')).toBeNull();
    expect(unpackNumbers(7)).toBeNull();
  });

  it('encodes base64 without Buffer exactly as Buffer does (every tail length)', () => {
    const rng = new Rng(2);
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rng.random() * 256));
      const text = encodeBase64Portable(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(decodeBase64Portable(text)!)).toEqual(Array.from(bytes));
    }
    expect(decodeBase64Portable('a*')).toBeNull();
  });
});
