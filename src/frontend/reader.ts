/**
 * Byte reader for the Wasm binary format.
 *
 * Every read is bounded by `end`; running past it is a `malformed` failure at the
 * offset where the read started. LEB128 decoding follows the spec exactly (and the
 * reference interpreter's wording): at most ceil(N/7) bytes ("integer representation
 * too long"), and the unused bits of the final byte must be zero for unsigned values
 * or a sign-extension of the last used bit for signed ones ("integer too large").
 */
import { WasmFailure } from './errors.js';

export const MSG_EOF = 'unexpected end of section or function';

export class Reader {
  pos: number;
  /** Scratch outputs of s64()/f64(): low and high 32 bits (both as uint32). */
  lo = 0;
  hi = 0;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    readonly end: number = bytes.length,
  ) {
    this.pos = pos;
  }

  fail(message: string, at: number = this.pos): never {
    throw new WasmFailure('malformed', at, message);
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(MSG_EOF);
    return this.bytes[this.pos++]!;
  }

  /** Little-endian fixed 32-bit word (as uint32). */
  u32le(): number {
    if (this.end - this.pos < 4) this.fail(MSG_EOF, Math.min(this.pos, this.end));
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** Unsigned LEB128, 32 bits. */
  u32(): number {
    const b = this.bytes;
    let p = this.pos;
    // Fast path: one byte.
    if (p < this.end) {
      const x = b[p]!;
      if (x < 0x80) {
        this.pos = p + 1;
        return x;
      }
    }
    let result = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) this.fail(MSG_EOF, p);
      const x = b[p++]!;
      if (i === 4) {
        // Only 4 bits left of a 32-bit value.
        if ((x & 0x70) !== 0) this.fail('integer too large', p - 1);
        if (x & 0x80) this.fail('integer representation too long', p);
        this.pos = p;
        return (result | (x << 28)) >>> 0;
      }
      result |= (x & 0x7f) << (7 * i);
      if ((x & 0x80) === 0) {
        this.pos = p;
        return result >>> 0;
      }
    }
  }

  /** Signed LEB128, 32 bits (returned as int32). */
  s32(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) this.fail(MSG_EOF, p);
      const x = b[p++]!;
      if (i === 4) {
        // Bits 3..6 of the 5th byte are beyond bit 31: they must all equal bit 31.
        const hi = x & 0x78;
        if (hi !== 0 && hi !== 0x78) this.fail('integer too large', p - 1);
        if (x & 0x80) this.fail('integer representation too long', p);
        this.pos = p;
        return result | (x << 28);
      }
      result |= (x & 0x7f) << (7 * i);
      if ((x & 0x80) === 0) {
        this.pos = p;
        const shift = 32 - 7 * (i + 1);
        return (result << shift) >> shift;
      }
    }
  }

  /** Signed LEB128, 33 bits (block types). Returned as a JS number. */
  s33(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0; // accumulated as a float to hold 33 bits exactly
    let scale = 1;
    for (let i = 0; ; i++) {
      if (p >= this.end) this.fail(MSG_EOF, p);
      const x = b[p++]!;
      if (i === 4) {
        // 5th byte holds bits 28..34; bits 33.. (0x70 of the byte after bit 32) must sign-extend bit 32.
        const hi = x & 0x70;
        if (hi !== 0 && hi !== 0x70) this.fail('integer too large', p - 1);
        if (x & 0x80) this.fail('integer representation too long', p);
        this.pos = p;
        result += (x & 0x1f) * scale;
        // Bit 32 is the sign.
        return x & 0x10 ? result - 2 ** 33 : result;
      }
      result += (x & 0x7f) * scale;
      scale *= 128;
      if ((x & 0x80) === 0) {
        this.pos = p;
        return x & 0x40 ? result - scale : result;
      }
    }
  }

  /** Signed LEB128, 64 bits: result in this.lo / this.hi (uint32 halves). */
  s64(): void {
    const b = this.bytes;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) this.fail(MSG_EOF, p);
      const x = b[p++]!;
      const bits = x & 0x7f;
      const shift = 7 * i;
      if (i === 9) {
        // 10th byte holds bit 63 only; the rest must sign-extend it.
        if (bits !== 0 && bits !== 0x7f) this.fail('integer too large', p - 1);
        if (x & 0x80) this.fail('integer representation too long', p);
        hi |= bits << 31;
        this.pos = p;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
      if (shift < 32) {
        lo |= bits << shift;
        if (shift + 7 > 32) hi |= bits >>> (32 - shift);
      } else {
        hi |= bits << (shift - 32);
      }
      if ((x & 0x80) === 0) {
        const total = shift + 7;
        if (x & 0x40) {
          if (total < 32) {
            lo |= -1 << total;
            hi = -1;
          } else {
            hi |= -1 << (total - 32);
          }
        }
        this.pos = p;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
  }

  /** s64 as a BigInt (for constant expressions and tests). */
  s64big(): bigint {
    this.s64();
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /** Raw 8 bytes little-endian into this.lo / this.hi (f64 bits). */
  u64le(): void {
    this.lo = this.u32le();
    this.hi = this.u32le();
  }

  /** A u32 length that must not exceed the bytes left ("length out of bounds"). */
  len32(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) this.fail('length out of bounds', at);
    return n;
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail(MSG_EOF, this.end);
    this.pos += n;
  }

  /** A view (no copy) of the next n bytes. */
  bytesView(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }

  /** A name: length-prefixed UTF-8, validated. */
  name(): string {
    const n = this.len32();
    const start = this.pos;
    this.skip(n);
    return decodeUtf8(this.bytes, start, start + n);
  }
}

/**
 * Strict UTF-8 validation and decoding (no overlongs, no surrogates, nothing above
 * U+10FFFF, no truncated sequences). Throws "malformed UTF-8 encoding" at `start`.
 */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  const bad = (): never => {
    throw new WasmFailure('malformed', start, 'malformed UTF-8 encoding');
  };
  const cont = (k: number): number => {
    if (k >= end) bad();
    const c = b[k]!;
    if ((c & 0xc0) !== 0x80) bad();
    return c & 0x3f;
  };
  while (i < end) {
    const c = b[i]!;
    let cp: number;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      cp = ((c & 0x1f) << 6) | cont(i + 1);
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = ((c & 0x0f) << 12) | (cont(i + 1) << 6) | cont(i + 2);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) bad();
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = ((c & 0x07) << 18) | (cont(i + 1) << 12) | (cont(i + 2) << 6) | cont(i + 3);
      if (cp < 0x10000 || cp > 0x10ffff) bad();
      i += 4;
    } else {
      return bad();
    }
    s += String.fromCodePoint(cp);
  }
  return s;
}

/**
 * Size of the code section of a wasm module. clang's wasm32-wasi modules are mostly
 * custom sections (wasi-libc's debug information, ~80% of the file) that a compiler only
 * skips, so compile throughput is reported per module byte and per code byte.
 */
export function codeSectionBytes(bytes: Uint8Array): number {
  let p = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++] ?? 0;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  return 0;
}
