/**
 * Immediate codecs: the logical-immediate detector against brute-force enumeration of
 * every N:immr:imms, the FMOV imm8 table, and the constant materialiser — its words are
 * decoded and simulated here (independently of the encoder's own planner), and a handful
 * of constants are run for real under qemu-aarch64 in run.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { encodeInst } from '../../../src/backend/arm64/encode.js';
import { decodeFpImm8, encodeBitmask, encodeFpImm8, planConstant, runConstPlan } from '../../../src/backend/arm64/imm.js';
import { materialize } from '../../../src/backend/arm64/inst.js';

/** xorshift64*: deterministic random 64-bit values. */
function rng(seed: bigint): () => bigint {
  let s = seed;
  return () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffffffffffffffffn;
    s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}

const M64 = (1n << 64n) - 1n;

/** Brute force, written from the Arm ARM's DecodeBitMasks independently of imm.ts. */
function bruteForce(size: 32 | 64): Map<bigint, { n: number; immr: number; imms: number }> {
  const out = new Map<bigint, { n: number; immr: number; imms: number }>();
  for (let n = 0; n < (size === 64 ? 2 : 1); n++)
    for (let imms = 0; imms < 64; imms++)
      for (let immr = 0; immr < 64; immr++) {
        const nimms = (n << 6) | (~imms & 0x3f);
        if (nimms === 0) continue;
        const len = Math.floor(Math.log2(nimms));
        if (len < 1 || 1 << len > size) continue;
        const e = 1 << len;
        const s = imms & (e - 1);
        const r = immr & (e - 1);
        if (s === e - 1) continue;
        if (immr >= e) continue; // higher immr bits are ignored: keep one canonical encoding
        let elt = 0n;
        for (let b = 0; b <= s; b++) elt |= 1n << BigInt((b - r + e) % e);
        let v = 0n;
        for (let k = 0; k < size; k += e) v |= elt << BigInt(k);
        if (!out.has(v)) out.set(v, { n, immr, imms });
      }
  return out;
}

describe('logical (bitmask) immediates', () => {
  const all64 = bruteForce(64);
  const all32 = bruteForce(32);

  it('there are 5334 64-bit and 1302 32-bit logical immediates', () => {
    expect(all64.size).toBe(5334);
    expect(all32.size).toBe(1302);
  });

  it('encodes every one of them to the brute-force fields', () => {
    for (const [value, enc] of all64) expect(encodeBitmask(64, value), value.toString(16)).toEqual(enc);
    for (const [value, enc] of all32) expect(encodeBitmask(32, value), value.toString(16)).toEqual(enc);
  });

  it('rejects everything else (random values and near misses)', () => {
    const next = rng(0x9e3779b97f4a7c15n);
    const samples: bigint[] = [0n, M64, 0xffffffffn, 0x1234n, 0x8000000000000001n + 2n];
    for (let i = 0; i < 3000; i++) samples.push(next());
    for (const b of [...all64.keys()].slice(0, 2000)) samples.push((b + 1n) & M64, b ^ 0x10n, (b << 1n) & M64);
    for (const v of samples) {
      expect(encodeBitmask(64, v) !== undefined, `64-bit ${v.toString(16)}`).toBe(all64.has(v));
      const w = v & 0xffffffffn;
      expect(encodeBitmask(32, w) !== undefined, `32-bit ${w.toString(16)}`).toBe(all32.has(w));
    }
  });
});

describe('fmov immediates', () => {
  it('round-trips all 256 imm8 values', () => {
    for (let i = 0; i < 256; i++) expect(encodeFpImm8(decodeFpImm8(i))).toBe(i);
  });

  it('knows the range: ±0.125 … ±31, 4 fraction bits; never 0, -0, NaN, ∞', () => {
    expect(decodeFpImm8(0x70)).toBe(1);
    expect(encodeFpImm8(0.125)).toBeDefined();
    expect(encodeFpImm8(31)).toBeDefined();
    expect(encodeFpImm8(-1.9375)).toBeDefined();
    for (const v of [0, -0, 0.1, 32, 0.0625, 1.03125, NaN, Infinity]) expect(encodeFpImm8(v), String(v)).toBeUndefined();
  });
});

// ---------------------------------------------------------------- constant materialisation

/** Executes movz/movn/movk/orr-immediate words (decoded from their bit fields) on one register. */
function simulate(words: number[], size: 32 | 64): bigint {
  const mask = size === 64 ? M64 : 0xffffffffn;
  let reg: bigint | undefined;
  for (const w of words) {
    const sf = w >>> 31;
    expect(sf).toBe(size === 64 ? 1 : 0);
    if (((w >>> 23) & 0x3f) === 0b100101) {
      const opc = (w >>> 29) & 3;
      const hw = (w >>> 21) & 3;
      const imm = BigInt((w >>> 5) & 0xffff) << BigInt(16 * hw);
      if (opc === 2) reg = imm;
      else if (opc === 0) reg = ~imm & mask;
      else if (opc === 3) {
        expect(reg).toBeDefined();
        reg = (reg! & ~(0xffffn << BigInt(16 * hw))) | imm;
      } else throw new Error('bad move-wide');
    } else if (((w >>> 23) & 0x3f) === 0b100100 && ((w >>> 29) & 3) === 1 && ((w >>> 5) & 31) === 31) {
      // orr rd, zr, #imm: decode N:immr:imms by brute force lookup
      const n = (w >>> 22) & 1;
      const immr = (w >>> 16) & 0x3f;
      const imms = (w >>> 10) & 0x3f;
      const found = [...(size === 64 ? ALL64 : ALL32).entries()].find(([, e]) => e.n === n && e.immr === immr && e.imms === imms);
      expect(found, `orr fields ${n}:${immr}:${imms}`).toBeDefined();
      reg = found![0];
    } else throw new Error(`unexpected word ${w.toString(16)}`);
    expect(w & 31).toBe(5); // always writes x5
  }
  return reg! & mask;
}
const ALL64 = bruteForce(64);
const ALL32 = bruteForce(32);

function words(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => dv.getUint32(4 * i, true));
}

function encodeConst(size: 32 | 64, value: bigint): number[] {
  const buf = new CodeBuffer();
  const ctx = { blockLabel: () => 0, slotOffset: () => 0 };
  encodeInst({ op: 'movconst', size, rd: 5, imm: value }, buf, ctx);
  const viaHelper = new CodeBuffer();
  for (const i of materialize(size, 5, value)) encodeInst(i, viaHelper, ctx);
  const w = words(buf.finish().bytes);
  expect(words(viaHelper.finish().bytes)).toEqual(w);
  return w;
}

/** The MOVZ/MOVN+MOVK count, the baseline every plan must match or beat. */
function plainCount(size: 32 | 64, v: bigint): number {
  const cs = Array.from({ length: size / 16 }, (_, i) => (v >> BigInt(16 * i)) & 0xffffn);
  return Math.max(1, size / 16 - Math.max(cs.filter((c) => c === 0n).length, cs.filter((c) => c === 0xffffn).length));
}

const halves = (v: bigint): number[] => [0n, 16n, 32n, 48n].map((k) => Number((v >> k) & 0xffffn));
const BITMASK_HALVES = [...ALL64.keys()].map(halves);

describe('constant materialiser', () => {
  const next = rng(0x0123456789abcdefn);
  const values: bigint[] = [0n, 1n, M64, 0xffffn, 0x10000n, 0xffff0000ffff0000n, 0x1234567890abcdefn, 0x8000000000000000n, 0x7fffffffffffffffn, 0x00ff00ff00ff1234n, 0x3fb999999999999an];
  for (let i = 0; i < 300; i++) {
    const r = next();
    values.push(r);
    // sparse and dense variants exercise movz/movn and the bitmask search
    values.push(r & 0xffff0000ffffn, r | 0xffffffff0000ffffn, r & 0xffffn, (r & 0xffffn) << 48n);
  }
  for (const b of [...ALL64.keys()].filter((_, k) => k % 97 === 0)) values.push(b ^ 0x1234n, b ^ (0xabcdn << 32n));

  it('produces words that compute every 64-bit value', () => {
    for (const v of values) expect(simulate(encodeConst(64, v), 64), v.toString(16)).toBe(v);
  });

  it('produces words that compute every 32-bit value', () => {
    for (const v of values) {
      const w = v & 0xffffffffn;
      expect(simulate(encodeConst(32, w), 32), w.toString(16)).toBe(w);
      expect(encodeConst(32, w).length).toBeLessThanOrEqual(2);
    }
  });

  it('uses the fewest instructions of movz/movn/movk/orr-immediate combinations', () => {
    for (const v of values) {
      const plan = planConstant(64, v);
      expect(runConstPlan(64, plan)).toBe(v);
      const single = plainCount(64, v) === 1 || ALL64.has(v);
      expect(plan.length === 1, v.toString(16)).toBe(single);
      expect(plan.length).toBeLessThanOrEqual(plainCount(64, v));
      // orr + movks beats the plain sequence whenever some bitmask shares more halfwords.
      let best = plainCount(64, v);
      const vc = halves(v);
      for (const bc of BITMASK_HALVES) {
        let miss = 0;
        for (let k = 0; k < 4; k++) if (bc[k] !== vc[k]) miss++;
        best = Math.min(best, 1 + miss);
      }
      if (!single) expect(plan.length, v.toString(16)).toBe(best);
    }
  });

  it('handles the examples in the encoder table', () => {
    expect(planConstant(64, 0x00ff00ff00ff1234n)).toHaveLength(2);
    expect(planConstant(64, 0x3fb999999999999an)).toHaveLength(3);
    expect(planConstant(64, 0xffff1234ffffffffn)).toEqual([{ k: 'movn', imm16: 0xedcb, shift: 32 }]);
    expect(planConstant(32, 0xffffffffn)).toEqual([{ k: 'movn', imm16: 0, shift: 0 }]);
  });
});
