/**
 * The data-driven half of the Wasm→IR translation: every "plain" Wasm instruction
 * (fixed signature; see Kind.Plain in opcodes.ts) maps by name onto the IR op of the
 * same name, so the mapping is derived from the two op tables rather than written
 * out. What differs per instruction is only
 *   - how its Wasm immediate words become IR immediates (decided by the Wasm `Imm`
 *     kind: memargs gain a memory index, i64/f64 words become bigints, …), and
 *   - which explicit check ops precede it (the IR row's `requires`: div/rem and the
 *     trapping float→int truncations).
 * A Wasm plain op without an IR counterpart is a table bug and fails loudly at load.
 */
import { Imm, Kind, OPS as WASM_OPS } from './opcodes.js';
import { FUNCREF, EXTERNREF, F32, F64, I32, I64, V128 } from './module.js';
import { lookupOp, OPS as IR_OPS, type Opcode } from '../ir/opcodes.js';
import type { Imm as IrImm, RefType, Type } from '../ir/types.js';

/** IR type of a Wasm value type byte. */
export const IR_TYPE: Readonly<Record<number, Type>> = {
  [I32]: 'i32',
  [I64]: 'i64',
  [F32]: 'f32',
  [F64]: 'f64',
  [V128]: 'v128',
  [FUNCREF]: 'funcref',
  [EXTERNREF]: 'externref',
};

export function irType(t: number): Type {
  const r = IR_TYPE[t];
  if (r === undefined) throw new Error(`no IR type for Wasm value type 0x${t.toString(16)}`);
  return r;
}

export function irRefType(t: number): RefType {
  return irType(t) as RefType;
}

export interface CheckRow {
  op: Opcode;
  /** check_nonzero looks at the divisor only; the other checks take every operand. */
  divisorOnly: boolean;
}

/** How one plain Wasm instruction becomes IR. */
export interface PlainRow {
  /** IR opcode; -1 for `nop`, which produces nothing. */
  op: Opcode;
  /** Operands popped from the Wasm stack (the IR op's operands, in order). */
  nargs: number;
  results: readonly Type[];
  /** The Wasm immediate layout, which decides the conversion (see convertImms). */
  imm: Imm;
  checks: readonly CheckRow[];
}

/** PLAIN[wasm op id]: defined for every Kind.Plain instruction. */
export const PLAIN: readonly (PlainRow | undefined)[] = WASM_OPS.map((o) => {
  if (o.kind !== Kind.Plain) return undefined;
  if (o.name === 'nop') return { op: -1, nargs: 0, results: [], imm: o.imm, checks: [] };
  const code = lookupOp(o.name);
  if (code === undefined) throw new Error(`translate: Wasm instruction ${o.name} has no IR op`);
  const info = IR_OPS[code]!;
  if (info.params === null || info.results === null) throw new Error(`translate: IR op ${o.name} has a polymorphic signature`);
  if (info.params.length !== o.params.length || info.results.length !== o.results.length) {
    throw new Error(`translate: ${o.name} has different arity in the Wasm and IR tables`);
  }
  const checks = info.requires.map((name) => ({ op: lookupOp(name)!, divisorOnly: name.endsWith('check_nonzero') }));
  return { op: code, nargs: o.params.length, results: info.results, imm: o.imm, checks };
});

const u64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** 16 bytes from four little-endian 32-bit words. */
function bytes16(w: ArrayLike<number>, at: number): Uint8Array {
  const out = new Uint8Array(16);
  for (let k = 0; k < 16; k++) out[k] = (w[at + (k >> 2)]! >>> ((k & 3) * 8)) & 0xff;
  return out;
}

/** IR immediates of a plain instruction from its Wasm immediate words, starting at `words[at]` (layouts: `Imm` in opcodes.ts, `imms` of the IR row). */
export function convertImms(imm: Imm, words: ArrayLike<number>, at: number): IrImm[] {
  switch (imm) {
    case Imm.None:
      return [];
    case Imm.I32:
      return [words[at]! | 0];
    case Imm.I64:
      return [BigInt.asIntN(64, u64(words[at]!, words[at + 1]!))];
    case Imm.F32:
      return [words[at]! >>> 0];
    case Imm.F64:
      return [u64(words[at]!, words[at + 1]!)];
    case Imm.V128:
    case Imm.Shuffle:
      return [bytes16(words, at)];
    case Imm.Lane:
      return [words[at]! >>> 0];
    // Wasm 2.0 has one memory; the IR names it explicitly.
    case Imm.MemArg:
      return [0, BigInt(words[at + 1]! >>> 0), words[at]! >>> 0];
    case Imm.MemArgLane:
      return [0, BigInt(words[at + 1]! >>> 0), words[at]! >>> 0, words[at + 2]! >>> 0];
    case Imm.MemZero:
      return [0];
    case Imm.MemCopy:
      return [0, 0];
    case Imm.MemInit:
      return [words[at]! >>> 0, 0];
    case Imm.Data:
    case Imm.Elem:
      return [words[at]! >>> 0];
    default:
      throw new Error(`translate: unexpected immediate kind ${Imm[imm]} on a plain instruction`);
  }
}
