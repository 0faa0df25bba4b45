/**
 * Value types of kiln's IR. They are exactly Wasm 2.0's value types: the IR keeps
 * Wasm's type system so the translator maps types 1:1 and the interpreter can be an
 * exact oracle. Types are plain strings so that printing, parsing and `switch`es stay
 * readable; they are compared with `===`.
 */
export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type VecType = 'v128';
export type RefType = 'funcref' | 'externref';
export type Type = NumType | VecType | RefType;

export const TYPES: readonly Type[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'];

export function isType(s: string): s is Type {
  return (TYPES as readonly string[]).includes(s);
}

export function isRefType(t: Type): t is RefType {
  return t === 'funcref' || t === 'externref';
}

export function isIntType(t: Type): t is 'i32' | 'i64' {
  return t === 'i32' || t === 'i64';
}

export function isFloatType(t: Type): t is 'f32' | 'f64' {
  return t === 'f32' || t === 'f64';
}

/** Width in bytes of a value of type `t` in linear memory or a spill slot (references are pointer-sized: 8). */
export function typeSize(t: Type): number {
  switch (t) {
    case 'i32':
    case 'f32':
      return 4;
    case 'v128':
      return 16;
    default:
      return 8;
  }
}

/** A function signature. Types are shared, never mutated after construction. */
export interface FuncType {
  readonly params: readonly Type[];
  readonly results: readonly Type[];
}

export function funcTypeEquals(a: FuncType, b: FuncType): boolean {
  return typeListEquals(a.params, b.params) && typeListEquals(a.results, b.results);
}

export function typeListEquals(a: readonly Type[], b: readonly Type[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `(i32, i64) -> (f32)`: the form used by the printer and the parser. */
export function formatFuncType(ft: FuncType): string {
  return `(${ft.params.join(', ')}) -> (${ft.results.join(', ')})`;
}

/**
 * An instruction immediate. Which JS type each immediate has is fixed by the op's
 * immediate schema (`ImmSpec.kind` in opcodes.ts):
 * - number: i32 constants (signed, `x | 0`), f32 constants (raw bits, unsigned), indices,
 *   lanes, alignment (log2 of bytes, as in the binary), trap codes;
 * - bigint: i64 constants (signed), f64 constants (raw bits, unsigned), static offsets (u64);
 * - Uint8Array: v128 constants (16 bytes, little-endian lane order) and shuffle lane lists;
 * - string: reference types (`ref.null funcref`).
 * Float constants are stored as bits so NaN payloads survive every pass untouched.
 */
export type Imm = number | bigint | Uint8Array | string;

// Float bit conversions: float immediates are raw bits (see Imm).
const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);

/** Raw bits of `x` rounded to f32. (NaN gives JS's canonical NaN bits; use bits for payloads.) */
export function f32Bits(x: number): number {
  f32buf[0] = x;
  return u32buf[0]!;
}
export function f32FromBits(bits: number): number {
  u32buf[0] = bits >>> 0;
  return f32buf[0]!;
}
export function f64Bits(x: number): bigint {
  f64buf[0] = x;
  return u64buf[0]!;
}
export function f64FromBits(bits: bigint): number {
  u64buf[0] = BigInt.asUintN(64, bits);
  return f64buf[0]!;
}
