/**
 * AArch64 immediate codecs, independent of instructions and registers:
 *   - logical ("bitmask") immediates: N:immr:imms encode/decode;
 *   - the 8-bit floating-point immediate of FMOV;
 *   - planning a 32/64-bit constant as the fewest MOVZ/MOVN/MOVK/ORR instructions.
 * Values are bigint so 64-bit constants are exact; 32-bit values are taken modulo 2^32.
 */

const M64 = (1n << 64n) - 1n;

export function maskTo(size: 32 | 64, v: bigint): bigint {
  return BigInt.asUintN(size, v);
}

function ones(n: number): bigint {
  return (1n << BigInt(n)) - 1n;
}

function rorN(v: bigint, r: number, e: number): bigint {
  if (r === 0) return v;
  const m = ones(e);
  return ((v >> BigInt(r)) | (v << BigInt(e - r))) & m;
}

export interface BitmaskImm {
  n: number;
  immr: number;
  imms: number;
}

/**
 * Encodes `value` as a logical immediate for a `size`-bit operation, or undefined when
 * it is not one. A logical immediate is an element of e ∈ {2,4,…,size} bits, repeated
 * to fill the register, each element a rotated run of 1..e-1 ones.
 */
export function encodeBitmask(size: 32 | 64, value: bigint): BitmaskImm | undefined {
  let v = maskTo(size, value);
  if (v === 0n || v === ones(size)) return undefined;
  // Smallest element size whose replication gives v.
  let e: number = size;
  while (e > 2) {
    const h = e / 2;
    const hm = ones(h);
    if ((v & hm) !== ((v >> BigInt(h)) & hm)) break;
    e = h;
  }
  const elt = v & ones(e);
  const cnt = popcount64(elt);
  // elt must be one run of `cnt` ones, possibly wrapping around bit 0; immr is the
  // right-rotation that takes ones(cnt) to elt.
  let start: number;
  if ((elt & 1n) === 0n) {
    start = ctz64(elt);
    if (elt !== ones(cnt) << BigInt(start)) return undefined;
  } else {
    const inv = ~elt & ones(e);
    const t = ctz64(inv); // ones at the bottom
    if (inv !== ones(e - cnt) << BigInt(t)) return undefined;
    start = (t - cnt + e) % e;
  }
  const immr = (e - start) % e;
  const imms = e === 64 ? cnt - 1 : ((~(e * 2 - 1) & 0x3f) | (cnt - 1)) & 0x3f;
  return { n: e === 64 ? 1 : 0, immr, imms };
}

function pop32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function popcount64(v: bigint): number {
  return pop32(Number(v & 0xffffffffn)) + pop32(Number(v >> 32n));
}

/** Trailing zeros of a non-zero value below 2^64. */
function ctz64(v: bigint): number {
  const lo = Number(v & 0xffffffffn);
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = Number(v >> 32n);
  return 63 - Math.clz32(hi & -hi);
}

/** DecodeBitMasks from the Arm ARM (the wmask), or undefined for a reserved encoding. */
export function decodeBitmask(size: 32 | 64, imm: BitmaskImm): bigint | undefined {
  const combined = (imm.n << 6) | (~imm.imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const e = 1 << len;
  if (e > size) return undefined;
  const levels = e - 1;
  const s = imm.imms & levels;
  const r = imm.immr & levels;
  if (s === levels) return undefined;
  const elt = rorN(ones(s + 1), r, e);
  let out = 0n;
  for (let i = 0; i < size; i += e) out |= elt << BigInt(i);
  return out;
}

let all64: bigint[] | undefined;
/** Every distinct 64-bit logical immediate (5334 of them), decoded by brute force. */
export function allBitmasks64(): readonly bigint[] {
  if (all64) return all64;
  const seen = new Set<bigint>();
  for (let n = 0; n < 2; n++)
    for (let immr = 0; immr < 64; immr++)
      for (let imms = 0; imms < 64; imms++) {
        const v = decodeBitmask(64, { n, immr, imms });
        if (v !== undefined) seen.add(v);
      }
  all64 = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return all64;
}

let chunkTable: Uint16Array | undefined;
/** The four halfwords of each entry of allBitmasks64(), for a fast search. */
function bitmaskChunks(): Uint16Array {
  if (chunkTable) return chunkTable;
  const list = allBitmasks64();
  chunkTable = new Uint16Array(list.length * 4);
  list.forEach((b, j) => chunks(64, b).forEach((c, i) => (chunkTable![4 * j + i] = c)));
  return chunkTable;
}

/** FMOV's 8-bit immediate: ±(16+m)/16 × 2^e, m ∈ 0..15, e ∈ -3..4. */
export function decodeFpImm8(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  const b = (imm8 >> 6) & 1;
  const cd = (imm8 >> 4) & 3;
  const frac = imm8 & 15;
  const exp = b ? cd - 3 : cd + 1;
  return sign * (1 + frac / 16) * 2 ** exp;
}

let fpImmMap: Map<number, number> | undefined;
/** The imm8 that FMOV (immediate) needs for `v`, or undefined (never for ±0, NaN, ∞). */
export function encodeFpImm8(v: number): number | undefined {
  if (!fpImmMap) {
    fpImmMap = new Map();
    for (let i = 0; i < 256; i++) fpImmMap.set(decodeFpImm8(i), i);
  }
  if (Object.is(v, -0)) return undefined;
  return fpImmMap.get(v);
}

/** One step of a constant materialisation; the first step defines the whole register. */
export type ConstStep =
  | { k: 'movz' | 'movn' | 'movk'; imm16: number; shift: number }
  | { k: 'orr'; imm: bigint };

function chunks(size: 32 | 64, v: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < size / 16; i++) out.push(Number((v >> BigInt(16 * i)) & 0xffffn));
  return out;
}

/** MOVZ/MOVN + MOVKs: start from all-zero or all-one halfwords, whichever needs fewer MOVKs. */
function plainPlan(size: 32 | 64, v: bigint): ConstStep[] {
  const cs = chunks(size, v);
  const zeros = cs.filter((c) => c === 0).length;
  const ffff = cs.filter((c) => c === 0xffff).length;
  const useN = ffff > zeros;
  const fill = useN ? 0xffff : 0;
  const steps: ConstStep[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c === fill) continue;
    if (steps.length === 0) steps.push({ k: useN ? 'movn' : 'movz', imm16: useN ? c ^ 0xffff : c, shift: 16 * i });
    else steps.push({ k: 'movk', imm16: c, shift: 16 * i });
  }
  if (steps.length === 0) steps.push(useN ? { k: 'movn', imm16: 0, shift: 0 } : { k: 'movz', imm16: 0, shift: 0 });
  return steps;
}

/**
 * The shortest instruction sequence writing `value` into a `size`-bit register:
 * one MOVZ, MOVN or ORR-immediate when possible, else the better of MOVZ/MOVN plus
 * MOVKs and a logical immediate patched with MOVKs (searched over all 5334 bitmasks).
 */
export function planConstant(size: 32 | 64, value: bigint): ConstStep[] {
  const v = maskTo(size, value);
  const plain = plainPlan(size, v);
  if (plain.length === 1) return plain;
  if (encodeBitmask(size, v)) return [{ k: 'orr', imm: v }];
  if (plain.length === 2) return plain;
  // size is 64 here: a 32-bit constant never needs more than MOVZ/MOVN + MOVK.
  const cs = chunks(size, v);
  const table = bitmaskChunks();
  const list = allBitmasks64();
  let best: ConstStep[] = plain;
  let bestIdx = -1;
  let bestMiss = plain.length - 1;
  for (let j = 0; j < list.length && bestMiss > 1; j++) {
    let miss = 0;
    for (let i = 0; i < 4; i++) if (table[4 * j + i] !== cs[i]) miss++;
    if (miss < bestMiss) {
      bestMiss = miss;
      bestIdx = j;
    }
  }
  if (bestIdx >= 0) {
    best = [{ k: 'orr', imm: list[bestIdx]! }];
    for (let i = 0; i < 4; i++)
      if (table[4 * bestIdx + i] !== cs[i]) best.push({ k: 'movk', imm16: cs[i]!, shift: 16 * i });
  }
  return best;
}

/** Applies a plan (the semantics of MOVZ/MOVN/MOVK/ORR-from-zero), for tests and folding. */
export function runConstPlan(size: 32 | 64, steps: readonly ConstStep[]): bigint {
  let r = 0n;
  for (const s of steps) {
    if (s.k === 'orr') r = s.imm;
    else if (s.k === 'movz') r = BigInt(s.imm16) << BigInt(s.shift);
    else if (s.k === 'movn') r = ~(BigInt(s.imm16) << BigInt(s.shift));
    else r = (r & ~(0xffffn << BigInt(s.shift))) | (BigInt(s.imm16) << BigInt(s.shift));
    r = maskTo(size, r);
  }
  return r & M64;
}

export type BitfieldKind =
  | 'lsl' | 'lsr' | 'asr'
  | 'ubfx' | 'sbfx' | 'ubfiz' | 'sbfiz' | 'bfi' | 'bfxil'
  | 'sxtb' | 'sxth' | 'sxtw' | 'uxtb' | 'uxth';

export interface BitfieldFields {
  opc: 'sbfm' | 'bfm' | 'ubfm';
  immr: number;
  imms: number;
}

/**
 * The SBFM/BFM/UBFM fields behind each bitfield alias. For shifts `a` is the amount;
 * for extract/insert `a` is the lsb and `b` the width; extensions take neither.
 */
export function bitfieldFields(kind: BitfieldKind, size: 32 | 64, a = 0, b = 0): BitfieldFields {
  const n = size;
  const check = (ok: boolean): void => {
    if (!ok) throw new Error(`${kind} #${a}${b ? `, #${b}` : ''} out of range for ${size}-bit`);
  };
  switch (kind) {
    case 'lsl':
      check(a >= 0 && a < n);
      return { opc: 'ubfm', immr: (n - a) % n, imms: n - 1 - a };
    case 'lsr':
    case 'asr':
      check(a >= 0 && a < n);
      return { opc: kind === 'lsr' ? 'ubfm' : 'sbfm', immr: a, imms: n - 1 };
    case 'ubfx':
    case 'sbfx':
    case 'bfxil':
      check(a >= 0 && b >= 1 && a + b <= n);
      return { opc: kind === 'ubfx' ? 'ubfm' : kind === 'sbfx' ? 'sbfm' : 'bfm', immr: a, imms: a + b - 1 };
    case 'ubfiz':
    case 'sbfiz':
    case 'bfi':
      check(a >= 0 && b >= 1 && a + b <= n);
      return { opc: kind === 'ubfiz' ? 'ubfm' : kind === 'sbfiz' ? 'sbfm' : 'bfm', immr: (n - a) % n, imms: b - 1 };
    case 'sxtb':
    case 'sxth':
    case 'sxtw':
      check(kind !== 'sxtw' || size === 64);
      return { opc: 'sbfm', immr: 0, imms: kind === 'sxtb' ? 7 : kind === 'sxth' ? 15 : 31 };
    case 'uxtb':
    case 'uxth':
      check(size === 32);
      return { opc: 'ubfm', immr: 0, imms: kind === 'uxtb' ? 7 : 15 };
  }
}
