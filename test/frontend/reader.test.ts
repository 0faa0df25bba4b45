import { describe, expect, it } from 'vitest';
import { WasmFailure } from '../../src/frontend/errors.js';
import { decodeUtf8, Reader } from '../../src/frontend/reader.js';

const rd = (...b: number[]) => new Reader(new Uint8Array(b));

function failure(f: () => unknown): { message: string; offset: number } {
  try {
    f();
  } catch (e) {
    if (e instanceof WasmFailure) return { message: e.message, offset: e.offset };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('LEB128 u32', () => {
  it('decodes minimal and padded forms', () => {
    expect(rd(0x00).u32()).toBe(0);
    expect(rd(0x7f).u32()).toBe(127);
    expect(rd(0x80, 0x01).u32()).toBe(128);
    expect(rd(0x80, 0x80, 0x80, 0x80, 0x00).u32()).toBe(0); // padded to 5 bytes is fine
    expect(rd(0xff, 0xff, 0xff, 0xff, 0x0f).u32()).toBe(0xffffffff);
    expect(rd(0xe5, 0x8e, 0x26).u32()).toBe(624485);
  });
  it('rejects unused bits in the 5th byte', () => {
    expect(failure(() => rd(0xff, 0xff, 0xff, 0xff, 0x1f).u32())).toEqual({ message: 'integer too large', offset: 4 });
    expect(failure(() => rd(0x80, 0x80, 0x80, 0x80, 0x70).u32()).message).toBe('integer too large');
  });
  it('rejects more than 5 bytes', () => {
    expect(failure(() => rd(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32())).toEqual({
      message: 'integer representation too long',
      offset: 5,
    });
  });
  it('reports running out of bytes', () => {
    expect(failure(() => rd(0x80, 0x80).u32()).message).toBe('unexpected end of section or function');
    expect(failure(() => rd().u32()).offset).toBe(0);
  });
  it('respects the reader bound', () => {
    const r = new Reader(new Uint8Array([0x80, 0x01]), 0, 1);
    expect(failure(() => r.u32()).message).toBe('unexpected end of section or function');
  });
});

describe('LEB128 s32', () => {
  it('decodes', () => {
    expect(rd(0x7f).s32()).toBe(-1);
    expect(rd(0x40).s32()).toBe(-64);
    expect(rd(0x3f).s32()).toBe(63);
    expect(rd(0xc0, 0x00).s32()).toBe(64);
    expect(rd(0x80, 0x80, 0x80, 0x80, 0x78).s32()).toBe(-0x80000000);
    expect(rd(0xff, 0xff, 0xff, 0xff, 0x07).s32()).toBe(0x7fffffff);
    expect(rd(0xff, 0xff, 0xff, 0xff, 0x7f).s32()).toBe(-1); // padded -1
  });
  it('requires the unused bits to sign-extend', () => {
    expect(failure(() => rd(0xff, 0xff, 0xff, 0xff, 0x0f).s32()).message).toBe('integer too large');
    expect(failure(() => rd(0x80, 0x80, 0x80, 0x80, 0x70).s32()).message).toBe('integer too large');
    expect(failure(() => rd(0xff, 0xff, 0xff, 0xff, 0x4f).s32()).message).toBe('integer too large');
  });
  it('rejects too long', () => {
    expect(failure(() => rd(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).s32()).message).toBe('integer representation too long');
  });
});

describe('LEB128 s33 (block types)', () => {
  it('decodes', () => {
    expect(rd(0x40).s33()).toBe(-64);
    expect(rd(0x00).s33()).toBe(0);
    expect(rd(0xff, 0xff, 0xff, 0xff, 0x0f).s33()).toBe(0xffffffff);
    expect(rd(0x80, 0x80, 0x80, 0x80, 0x70).s33()).toBe(-(2 ** 32));
  });
  it('checks unused bits', () => {
    expect(failure(() => rd(0xff, 0xff, 0xff, 0xff, 0x2f).s33()).message).toBe('integer too large');
    expect(failure(() => rd(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).s33()).message).toBe('integer representation too long');
  });
});

describe('LEB128 s64', () => {
  const s64 = (...b: number[]) => rd(...b).s64big();
  it('decodes', () => {
    expect(s64(0x7f)).toBe(-1n);
    expect(s64(0x80, 0x80, 0x80, 0x80, 0x10)).toBe(1n << 32n);
    expect(s64(0xff, 0xff, 0xff, 0xff, 0x0f)).toBe(0xffffffffn);
    expect(s64(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00)).toBe(0x7fffffffffffffffn);
    expect(s64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f)).toBe(-(1n << 63n));
    expect(s64(0x80, 0x80, 0x80, 0x80, 0x70)).toBe(-(1n << 32n));
    expect(s64(0xc0, 0xbb, 0x78)).toBe(-123456n);
  });
  it('agrees with a BigInt reference on many values', () => {
    let x = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < 2000; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      const v = BigInt.asIntN(64, x >> BigInt(i % 64));
      const bytes: number[] = [];
      let t = v;
      for (;;) {
        const b = Number(t & 0x7fn);
        t >>= 7n;
        const done = (t === 0n && !(b & 0x40)) || (t === -1n && b & 0x40);
        bytes.push(done ? b : b | 0x80);
        if (done) break;
      }
      expect(s64(...bytes)).toBe(v);
    }
  });
  it('checks the 10th byte', () => {
    expect(failure(() => s64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).message).toBe('integer too large');
    expect(failure(() => s64(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e)).message).toBe('integer too large');
    expect(failure(() => s64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)).message).toBe(
      'integer representation too long',
    );
  });
});

describe('fixed-width reads and lengths', () => {
  it('reads little-endian words', () => {
    expect(rd(0x78, 0x56, 0x34, 0x12).u32le()).toBe(0x12345678);
    expect(failure(() => rd(1, 2, 3).u32le()).message).toBe('unexpected end of section or function');
  });
  it('len32 checks the bytes left', () => {
    expect(rd(0x02, 0xaa, 0xbb).len32()).toBe(2);
    expect(failure(() => rd(0x03, 0xaa, 0xbb).len32())).toEqual({ message: 'length out of bounds', offset: 0 });
  });
  it('reads names', () => {
    expect(rd(0x03, 0x61, 0x62, 0x63).name()).toBe('abc');
    expect(rd(0x00).name()).toBe('');
  });
});

describe('UTF-8', () => {
  const dec = (...b: number[]) => decodeUtf8(new Uint8Array(b), 0, b.length);
  it('accepts valid sequences', () => {
    expect(dec(0x24, 0xc2, 0xa2, 0xe2, 0x82, 0xac, 0xf0, 0x90, 0x8d, 0x88)).toBe('$¢€𐍈');
    expect(dec(0xef, 0xbb, 0xbf)).toBe('\ufeff'); // a BOM is kept
    expect(dec(0xf4, 0x8f, 0xbf, 0xbf)).toBe('\u{10ffff}');
  });
  it.each([
    ['overlong 2-byte', [0xc0, 0x80]],
    ['overlong 2-byte c1', [0xc1, 0xbf]],
    ['overlong 3-byte', [0xe0, 0x80, 0x80]],
    ['overlong 4-byte', [0xf0, 0x80, 0x80, 0x80]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['f5 lead', [0xf5, 0x80, 0x80, 0x80]],
    ['lone continuation', [0x80]],
    ['truncated', [0xe2, 0x82]],
    ['bad continuation', [0xe2, 0x28, 0xa1]],
    ['ff', [0xff]],
  ])('rejects %s', (_, bytes) => {
    expect(failure(() => dec(...bytes)).message).toBe('malformed UTF-8 encoding');
  });
});
