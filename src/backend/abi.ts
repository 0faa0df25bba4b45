/**
 * Argument and result locations, the part of a calling convention both targets share.
 *
 * SysV AMD64 and AAPCS64, as kiln uses them, assign locations the same way: integer
 * values (i32/i64/references, vmctx first) take the next integer register, float and
 * vector values the next FP register, the two sequences counted independently; once a
 * sequence is used up a value goes to the stack, 8 bytes a slot, v128 16 bytes at a
 * 16-byte aligned offset, in order from the stack pointer at the call. Results beyond the
 * result registers (wasm multi-value) continue that stack area after the arguments. The
 * register lists are each target's (x64/abi.ts, arm64/abi.ts).
 */

import type { Reg } from './minst.js';

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

/** Where one argument or result lives. `offset` is from the stack pointer at the call instruction. */
export type Loc = { kind: 'reg'; reg: Reg } | { kind: 'stack'; offset: number };

export interface CallLayout {
  params: Loc[];
  results: Loc[];
  /** Bytes of stack arguments plus stack results, a multiple of 16: the outgoing area a caller needs. */
  stackBytes: number;
  /** Bytes of stack arguments alone (stack results start here). */
  stackArgBytes: number;
}

/** The registers a convention assigns, in order. */
export interface CallRegisters {
  intArgs: readonly Reg[];
  floatArgs: readonly Reg[];
  intResults: readonly Reg[];
  floatResults: readonly Reg[];
}

/** The stack pointer is a multiple of this at every call (both targets). */
const STACK_ALIGN = 16;

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function isInt(t: ValType): boolean {
  return t === 'i32' || t === 'i64' || t === 'funcref' || t === 'externref';
}

/** Assigns locations to a signature's parameters (vmctx included, if the caller lists it) and results. */
export function assignCallLocations(regs: CallRegisters, params: readonly ValType[], results: readonly ValType[]): CallLayout {
  let off = 0;
  const stack = (t: ValType): Loc => {
    const size = t === 'v128' ? 16 : 8;
    off = alignUp(off, size);
    const loc: Loc = { kind: 'stack', offset: off };
    off += size;
    return loc;
  };
  const assign = (types: readonly ValType[], ints: readonly Reg[], floats: readonly Reg[]): Loc[] => {
    let ni = 0;
    let nf = 0;
    return types.map((t): Loc => {
      if (isInt(t)) return ni < ints.length ? { kind: 'reg', reg: ints[ni++]! } : stack(t);
      return nf < floats.length ? { kind: 'reg', reg: floats[nf++]! } : stack(t);
    });
  };
  const ps = assign(params, regs.intArgs, regs.floatArgs);
  const stackArgBytes = off;
  const rs = assign(results, regs.intResults, regs.floatResults);
  return { params: ps, results: rs, stackArgBytes, stackBytes: alignUp(off, STACK_ALIGN) };
}
