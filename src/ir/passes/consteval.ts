/**
 * Wasm-exact evaluation of scalar IR ops on constants, for constant folding.
 *
 * Values use the immediate encoding (see `Imm`): i32 a signed number, i64 a signed
 * bigint, f32 u32 bits (number), f64 u64 bits (bigint). Floats stay as bits so that
 * sign, zero and NaN payloads are exact.
 *
 * `evalOp` answers only when the result is *fully determined* by the Wasm spec:
 * - a float op whose result is NaN is not evaluated (Wasm leaves the payload
 *   nondeterministic, and the hardware we compile for picks one); neg/abs/copysign
 *   and reinterpretations are bit operations and are always evaluated;
 * - an 'unchecked' op (div/rem/trunc) outside its domain is not evaluated: its check
 *   decides what happens (see `evalCheck`).
 */
import { opInfo, type Opcode } from '../opcodes.js';
import { TrapCode } from '../traps.js';
import { inTruncRange, truncRange } from '../trunc.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits, type Imm } from '../types.js';

export type Const = number | bigint;

const I32_MIN = -0x80000000;
const I64_MIN = -(1n << 63n);

const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const bool = (c: boolean): number => (c ? 1 : 0);

function popcnt32(x: number): number {
  x >>>= 0;
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}
function clz64(x: bigint): bigint {
  const u = u64(x);
  return u === 0n ? 64n : BigInt(64 - u.toString(2).length);
}
function ctz64(x: bigint): bigint {
  let u = u64(x);
  if (u === 0n) return 64n;
  let n = 0n;
  while ((u & 1n) === 0n) {
    u >>= 1n;
    n++;
  }
  return n;
}
function popcnt64(x: bigint): bigint {
  let n = 0n;
  for (let u = u64(x); u; u &= u - 1n) n++;
  return n;
}

/** Round to nearest, ties to even, keeping the sign of zero (Wasm `nearest`). */
export function nearest(x: number): number {
  if (!Number.isFinite(x) || x === 0 || Math.abs(x) >= 2 ** 52) return x;
  // Adding and subtracting 2^52 rounds to an integer in the FPU's ties-to-even mode.
  const r = Math.abs(x) + 2 ** 52 - 2 ** 52;
  return x < 0 ? -r : r;
}

/** Correctly rounded integer → f32 (one rounding, not via f64). */
export function bigintToF32Bits(n: bigint): number {
  const neg = n < 0n;
  const m = neg ? -n : n;
  if (m < 1n << 53n) return f32Bits(Number(n));
  // Keep 53 significant bits, folding the rest into a sticky bit, so that the
  // conversion to f64 is exact and the only rounding is the one to f32.
  const shift = m.toString(2).length - 53;
  let top = m >> BigInt(shift);
  if (m & ((1n << BigInt(shift)) - 1n)) top |= 1n;
  const d = Number(top) * 2 ** shift;
  return f32Bits(neg ? -d : d);
}

const isNaN32 = (bits: number): boolean => (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0;
const isNaN64 = (bits: bigint): boolean => (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & 0xfffffffffffffn) !== 0n;

/** A float result, or undefined when it is NaN (payload not determined). */
const fr32 = (x: number): number | undefined => (Number.isNaN(x) ? undefined : f32Bits(x));
const fr64 = (x: number): bigint | undefined => (Number.isNaN(x) ? undefined : f64Bits(x));

type TruncTarget = 'i32_s' | 'i32_u' | 'i64_s' | 'i64_u';
const TRUNC_RANGE: Record<TruncTarget, [number, number]> = {
  i32_s: [-(2 ** 31), 2 ** 31 - 1],
  i32_u: [0, 2 ** 32 - 1],
  i64_s: [-(2 ** 63), 2 ** 63],
  i64_u: [0, 2 ** 64],
};

/** Trap raised by trapping truncation of `x` (a value of type `fty`) to `t`, or undefined when it is in range. */
export function truncTrap(x: number, t: TruncTarget, fty: 'f32' | 'f64'): TrapCode | undefined {
  if (Number.isNaN(x)) return TrapCode.InvalidConversionToInteger;
  const range = truncRange(t.startsWith('i64') ? 'i64' : 'i32', fty, t.endsWith('_s'));
  return inTruncRange(x, range) ? undefined : TrapCode.IntegerOverflow;
}

function truncTo(x: number, t: TruncTarget): Const {
  const v = Math.trunc(x);
  return t.startsWith('i32') ? v | 0 : s64(BigInt(v));
}

function truncSat(x: number, t: TruncTarget): Const {
  if (Number.isNaN(x)) return t.startsWith('i32') ? 0 : 0n;
  const [lo, hi] = TRUNC_RANGE[t];
  const v = Math.trunc(x);
  if (t.startsWith('i32')) return (v <= lo ? lo : v >= hi ? hi : v) | 0;
  if (v < lo) return s64(BigInt(lo));
  if (v >= hi) return t === 'i64_s' ? (1n << 63n) - 1n : -1n;
  return s64(BigInt(v));
}

function i32Op(name: string, a: number, b: number): Const | undefined {
  const k = b & 31;
  switch (name) {
    case 'add': return (a + b) | 0;
    case 'sub': return (a - b) | 0;
    case 'mul': return Math.imul(a, b);
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return a << k;
    case 'shr_s': return a >> k;
    case 'shr_u': return (a >>> k) | 0;
    case 'rotl': return k === 0 ? a : ((a << k) | (a >>> (32 - k))) | 0;
    case 'rotr': return k === 0 ? a : ((a >>> k) | (a << (32 - k))) | 0;
    case 'div_s': return b === 0 || (a === I32_MIN && b === -1) ? undefined : Number(BigInt(a) / BigInt(b)) | 0;
    case 'div_u': return b === 0 ? undefined : Number(BigInt(a >>> 0) / BigInt(b >>> 0)) | 0;
    case 'rem_s': return b === 0 ? undefined : Number(BigInt(a) % BigInt(b)) | 0;
    case 'rem_u': return b === 0 ? undefined : Number(BigInt(a >>> 0) % BigInt(b >>> 0)) | 0;
    case 'eq': return bool(a === b);
    case 'ne': return bool(a !== b);
    case 'lt_s': return bool(a < b);
    case 'lt_u': return bool(a >>> 0 < b >>> 0);
    case 'gt_s': return bool(a > b);
    case 'gt_u': return bool(a >>> 0 > b >>> 0);
    case 'le_s': return bool(a <= b);
    case 'le_u': return bool(a >>> 0 <= b >>> 0);
    case 'ge_s': return bool(a >= b);
    case 'ge_u': return bool(a >>> 0 >= b >>> 0);
  }
  return undefined;
}

function i64Op(name: string, a: bigint, b: bigint): Const | undefined {
  const k = b & 63n;
  switch (name) {
    case 'add': return s64(a + b);
    case 'sub': return s64(a - b);
    case 'mul': return s64(a * b);
    case 'and': return s64(a & b);
    case 'or': return s64(a | b);
    case 'xor': return s64(a ^ b);
    case 'shl': return s64(a << k);
    case 'shr_s': return a >> k;
    case 'shr_u': return s64(u64(a) >> k);
    case 'rotl': return k === 0n ? a : s64((u64(a) << k) | (u64(a) >> (64n - k)));
    case 'rotr': return k === 0n ? a : s64((u64(a) >> k) | (u64(a) << (64n - k)));
    case 'div_s': return b === 0n || (a === I64_MIN && b === -1n) ? undefined : s64(a / b);
    case 'div_u': return b === 0n ? undefined : s64(u64(a) / u64(b));
    case 'rem_s': return b === 0n ? undefined : s64(a % b);
    case 'rem_u': return b === 0n ? undefined : s64(u64(a) % u64(b));
    case 'eq': return bool(a === b);
    case 'ne': return bool(a !== b);
    case 'lt_s': return bool(a < b);
    case 'lt_u': return bool(u64(a) < u64(b));
    case 'gt_s': return bool(a > b);
    case 'gt_u': return bool(u64(a) > u64(b));
    case 'le_s': return bool(a <= b);
    case 'le_u': return bool(u64(a) <= u64(b));
    case 'ge_s': return bool(a >= b);
    case 'ge_u': return bool(u64(a) >= u64(b));
  }
  return undefined;
}

/** Float ops on values; `round` brings a result to the type (fround or identity). */
function floatOp(name: string, a: number, b: number, round: (x: number) => number): number | undefined {
  switch (name) {
    case 'add': return round(a + b);
    case 'sub': return round(a - b);
    case 'mul': return round(a * b);
    case 'div': return round(a / b);
    case 'min': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
    case 'max': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
    case 'sqrt': return round(Math.sqrt(a));
    case 'ceil': return Math.ceil(a);
    case 'floor': return Math.floor(a);
    case 'trunc': return Math.trunc(a);
    case 'nearest': return nearest(a);
  }
  return undefined;
}

function floatCompare(name: string, a: number, b: number): number | undefined {
  switch (name) {
    case 'eq': return bool(a === b);
    case 'ne': return bool(a !== b);
    case 'lt': return bool(a < b);
    case 'gt': return bool(a > b);
    case 'le': return bool(a <= b);
    case 'ge': return bool(a >= b);
  }
  return undefined;
}

/**
 * Evaluate scalar op `op` on constant operands, or undefined when it cannot (not a
 * scalar numeric op, or the result is not fully determined — see above).
 */
export function evalOp(op: Opcode, args: readonly Imm[]): Const | undefined {
  const info = opInfo(op);
  if (info.kind !== 'numeric' && info.kind !== 'unchecked') return undefined;
  const full = info.name;
  const dot = full.indexOf('.');
  const ty = full.slice(0, dot);
  const name = full.slice(dot + 1);
  const [a, b] = args;

  if (ty === 'i32') {
    const x = a as number;
    switch (name) {
      case 'eqz': return bool(x === 0);
      case 'clz': return Math.clz32(x);
      case 'ctz': return x === 0 ? 32 : 31 - Math.clz32(x & -x);
      case 'popcnt': return popcnt32(x);
      case 'extend8_s': return (x << 24) >> 24;
      case 'extend16_s': return (x << 16) >> 16;
      case 'wrap_i64': return Number(BigInt.asIntN(32, a as bigint));
      case 'reinterpret_f32': return (a as number) | 0;
    }
    if (name.startsWith('trunc_')) return evalTrunc(name, 'i32', a!, info.kind === 'unchecked');
    return b === undefined ? undefined : i32Op(name, x, b as number);
  }
  if (ty === 'i64') {
    const x = a as bigint;
    switch (name) {
      case 'eqz': return bool(x === 0n);
      case 'clz': return clz64(x);
      case 'ctz': return ctz64(x);
      case 'popcnt': return popcnt64(x);
      case 'extend8_s': return BigInt.asIntN(8, x);
      case 'extend16_s': return BigInt.asIntN(16, x);
      case 'extend32_s': return BigInt.asIntN(32, x);
      case 'extend_i32_s': return BigInt(a as number);
      case 'extend_i32_u': return BigInt((a as number) >>> 0);
      case 'reinterpret_f64': return s64(a as bigint);
    }
    if (name.startsWith('trunc_')) return evalTrunc(name, 'i64', a!, info.kind === 'unchecked');
    return b === undefined ? undefined : i64Op(name, x, b as bigint);
  }
  if (ty === 'f32') {
    switch (name) {
      case 'abs': return (a as number) & 0x7fffffff;
      case 'neg': return ((a as number) ^ 0x80000000) >>> 0;
      case 'copysign': return (((a as number) & 0x7fffffff) | ((b as number) & 0x80000000)) >>> 0;
      case 'reinterpret_i32': return (a as number) >>> 0;
      case 'convert_i32_s': return f32Bits(a as number);
      case 'convert_i32_u': return f32Bits((a as number) >>> 0);
      case 'convert_i64_s': return bigintToF32Bits(a as bigint);
      case 'convert_i64_u': return bigintToF32Bits(u64(a as bigint));
      case 'demote_f64': return isNaN64(a as bigint) ? undefined : f32Bits(f64FromBits(a as bigint));
    }
    const x = f32FromBits(a as number);
    const y = b === undefined ? NaN : f32FromBits(b as number);
    const cmp = floatCompare(name, x, y);
    if (cmp !== undefined) return cmp;
    if (isNaN32(a as number) || (b !== undefined && isNaN32(b as number))) return undefined;
    const r = floatOp(name, x, y, Math.fround);
    return r === undefined ? undefined : fr32(r);
  }
  if (ty === 'f64') {
    const sign = 1n << 63n;
    const magnitude = sign - 1n;
    switch (name) {
      case 'abs': return (a as bigint) & magnitude;
      case 'neg': return (a as bigint) ^ sign;
      case 'copysign': return ((a as bigint) & magnitude) | ((b as bigint) & sign);
      case 'reinterpret_i64': return u64(a as bigint);
      case 'convert_i32_s': return f64Bits(a as number);
      case 'convert_i32_u': return f64Bits((a as number) >>> 0);
      case 'convert_i64_s': return f64Bits(Number(a as bigint));
      case 'convert_i64_u': return f64Bits(Number(u64(a as bigint)));
      case 'promote_f32': return isNaN32(a as number) ? undefined : f64Bits(f32FromBits(a as number));
    }
    const x = f64FromBits(a as bigint);
    const y = b === undefined ? NaN : f64FromBits(b as bigint);
    const cmp = floatCompare(name, x, y);
    if (cmp !== undefined) return cmp;
    if (isNaN64(a as bigint) || (b !== undefined && isNaN64(b as bigint))) return undefined;
    const r = floatOp(name, x, y, (v) => v);
    return r === undefined ? undefined : fr64(r);
  }
  return undefined;
}

/** `trunc_f32_s`, `trunc_sat_f64_u`, … */
function evalTrunc(name: string, to: 'i32' | 'i64', a: Imm, trapping: boolean): Const | undefined {
  const m = /^trunc_(sat_)?(f32|f64)_([su])$/.exec(name);
  if (!m) return undefined;
  const x = m[2] === 'f32' ? f32FromBits(a as number) : f64FromBits(a as bigint);
  const target = `${to}_${m[3]}` as TruncTarget;
  if (m[1]) return truncSat(x, target);
  if (!trapping) return undefined;
  return truncTrap(x, target, m[2] as 'f32' | 'f64') === undefined ? truncTo(x, target) : undefined;
}

/**
 * Outcome of a check op whose relevant operands are known: 'pass', a trap code, or
 * undefined when the constants given do not decide it. `args` entries may be
 * undefined for non-constant operands.
 */
export function evalCheck(op: Opcode, args: readonly (Imm | undefined)[]): 'pass' | TrapCode | undefined {
  const info = opInfo(op);
  if (info.kind !== 'check') return undefined;
  const name = info.name.slice(4);
  const [a, b] = args;
  if (name === 'check_nonzero') {
    if (a === undefined) return undefined;
    return a === 0 || a === 0n ? TrapCode.IntegerDivideByZero : 'pass';
  }
  if (name === 'check_div_s') {
    const min = info.name.startsWith('i32') ? I32_MIN : I64_MIN;
    const minusOne = info.name.startsWith('i32') ? -1 : -1n;
    if (b !== undefined && b !== minusOne) return 'pass';
    if (a !== undefined && a !== min) return 'pass';
    if (a !== undefined && b !== undefined) return TrapCode.IntegerOverflow;
    return undefined;
  }
  const m = /^check_trunc_(f32|f64)_([su])$/.exec(name);
  if (!m || a === undefined) return undefined;
  const x = m[1] === 'f32' ? f32FromBits(a as number) : f64FromBits(a as bigint);
  return truncTrap(x, `${info.name.slice(0, 3)}_${m[2]}` as TruncTarget, m[1] as 'f32' | 'f64') ?? 'pass';
}
