/**
 * AAPCS64 (Procedure Call Standard for the Arm 64-bit Architecture) as kiln uses it, and
 * the frame layout every AArch64 function gets.
 *
 * Every wasm function is an AAPCS64 function whose first argument is vmctx (an i64
 * pointer): isel passes `['i64', ...wasmParams]` to `aapcs64Call`. Arguments:
 *   - i32/i64/references (and vmctx): x0..x7, then the stack;
 *   - f32/f64/v128: v0..v7 (s/d/q views), then the stack.
 * The two register sequences are counted independently. Stack arguments are laid out in
 * order from [sp] at the call: 8 bytes each (i32/f32 in the low bytes), v128 16 bytes at a
 * 16-byte aligned offset; the area is rounded up to 16 (sp is always 16-byte aligned).
 * Inside the callee, after the standard prologue, a stack argument at `offset` is at
 * [x29 + 16 + offset].
 *
 * Caution for isel: AAPCS64 leaves the upper 32 bits of a register holding an i32
 * argument or result unspecified. Any 64-bit use of an incoming i32 must first
 * zero-extend it (`mov w, w`).
 *
 * Results: the first integer result in x0 and the first float/vector result in v0, which
 * is what C returns. Further results (wasm multi-value, a kiln extension no C function
 * produces) take x1..x7 / v1..v7 and then stack slots after the stack arguments in the
 * caller's outgoing area; the callee stores those at [x29 + 16 + offset]. Host functions
 * and array-call trampolines never use more than one result.
 *
 * Frame (high addresses first), built by `layoutFrame` / `prologue` / `epilogue`:
 *
 *     caller's outgoing args        [x29 + 16 …]        (incoming stack arguments)
 *     x29, x30 (frame record)       [x29], [x29 + 8]    ← x29
 *     callee-saved x19–x28, d8–d15  [x29 - saveSize, x29)
 *     spill area                    [sp + spillBase, …) (regalloc's slot offsets added)
 *     outgoing arguments            [sp, sp + outgoingBytes)
 *                                                       ← sp (16-byte aligned)
 *
 * gdb and perf walk the x29 chain; only the low 64 bits of v8–v15 are saved (AAPCS64).
 */

import type { Label } from '../codebuf.js';
import type { Reg } from '../minst.js';
import { alignUp, assignCallLocations, type CallLayout, type CallRegisters, type ValType } from '../abi.js';
import { addImm, type A64Inst } from './inst.js';
import { CALLEE_SAVED_FPR, CALLEE_SAVED_GPR, FP, isFpr, LR, SCRATCH0, SCRATCH1, SP, V0, X0, X8, XZR } from './regs.js';

export type { CallLayout, Loc, ValType } from '../abi.js';

const seq = (base: number, n: number): Reg[] => Array.from({ length: n }, (_, i) => base + i);

export const INT_ARG_REGS: readonly Reg[] = seq(X0, 8);
export const FLOAT_ARG_REGS: readonly Reg[] = seq(V0, 8);
export const INT_RET_REGS: readonly Reg[] = seq(X0, 8);
export const FLOAT_RET_REGS: readonly Reg[] = seq(V0, 8);
const AAPCS64_REGS: CallRegisters = { intArgs: INT_ARG_REGS, floatArgs: FLOAT_ARG_REGS, intResults: INT_RET_REGS, floatResults: FLOAT_RET_REGS };
/** AAPCS64's indirect-result register; kiln passes no struct by reference, so it is just caller-saved. */
export const INDIRECT_RESULT_REG: Reg = X8;
/** Callee-saved registers (for v8–v15, only the low 64 bits). */
export const CALLEE_SAVED: readonly Reg[] = [...CALLEE_SAVED_GPR, ...CALLEE_SAVED_FPR];

/** sp is a multiple of this at all times (AAPCS64 requires it at every public interface, and sp-relative accesses fault otherwise). */
export const STACK_ALIGN = 16;
/** After the standard prologue the incoming stack-argument area starts at [x29 + 16]. */
export const INCOMING_ARGS_FROM_FP = 16;
/** The register holding vmctx on entry to every wasm function (no register is reserved for it afterwards). */
export const VMCTX_ARG_REG: Reg = X0;

/** Assigns AAPCS64 locations to a signature's parameters (vmctx included, if the caller lists it) and results. */
export function aapcs64Call(params: readonly ValType[], results: readonly ValType[]): CallLayout {
  return assignCallLocations(AAPCS64_REGS, params, results);
}

// ---------------------------------------------------------------- frames

export interface FrameInput {
  /** Callee-saved registers the allocator assigned (MFunc.usedCalleeSaved); others are ignored. */
  usedCalleeSaved: readonly Reg[];
  /** Bytes of the spill area (the allocator's spillAreaSize). */
  spillAreaSize: number;
  /** Largest outgoing stack area of any call in the function (CallLayout.stackBytes). */
  outgoingBytes: number;
}

export interface FrameLayout {
  /** Total bytes from x29+16 (sp at entry) down to sp, a multiple of 16. */
  frameSize: number;
  /** sp-relative start of the spill area: EncodeCtx.slotOffset(s) = spillBase + regalloc slotOffset[s]. */
  spillBase: number;
  /** Callee-saved registers and their x29-relative save offsets (negative). */
  saves: { reg: Reg; fpOffset: number }[];
  saveSize: number;
  outgoingBytes: number;
}

export function layoutFrame(input: FrameInput): FrameLayout {
  const gprs = CALLEE_SAVED_GPR.filter((r) => input.usedCalleeSaved.includes(r));
  const fprs = CALLEE_SAVED_FPR.filter((r) => input.usedCalleeSaved.includes(r));
  const saves: { reg: Reg; fpOffset: number }[] = [];
  let at = 0;
  for (const r of [...gprs, ...fprs]) {
    at -= 8;
    saves.push({ reg: r, fpOffset: at });
  }
  const saveSize = alignUp(-at, 16);
  const spill = alignUp(input.spillAreaSize, 16);
  const outgoing = alignUp(input.outgoingBytes, 16);
  return { frameSize: 16 + saveSize + spill + outgoing, spillBase: outgoing, saves, saveSize, outgoingBytes: outgoing };
}

/** Saves/restores callee-saved registers relative to x29, pairing neighbours of one class. */
function saveRestore(frame: FrameLayout, load: boolean): A64Inst[] {
  const out: A64Inst[] = [];
  const s = frame.saves;
  for (let k = 0; k < s.length; ) {
    const a = s[k]!;
    const b = s[k + 1];
    const fp = isFpr(a.reg);
    // Pair (lower address first) when the next save is of the same class and adjacent.
    if (b && isFpr(b.reg) === fp && b.fpOffset === a.fpOffset - 8) {
      out.push({ op: load ? 'ldp' : 'stp', fp, bits: 64, rt: b.reg, rt2: a.reg, am: { k: 'imm', base: FP, off: b.fpOffset } });
      k += 2;
    } else {
      const am = { k: 'imm' as const, base: FP, off: a.fpOffset };
      if (fp) out.push(load ? { op: 'fldr', bits: 64, rt: a.reg, am } : { op: 'fstr', bits: 64, rt: a.reg, am });
      else out.push(load ? { op: 'ldr', bits: 64, rt: a.reg, am } : { op: 'str', bits: 64, rt: a.reg, am });
      k += 1;
    }
  }
  return out;
}

export interface StackCheck {
  /** Offset in vmctx of the lowest sp compiled code may use. */
  limitOffset: number;
  /** Where to go when the frame would cross it (a `call stack exhausted` trap stub). */
  trap: Label;
}

/**
 * The prologue: optional stack check (while x0 still holds vmctx), frame record, frame
 * allocation, callee-saved stores. Uses only x16/x17 as scratch.
 */
export function prologue(frame: FrameLayout, check?: StackCheck): A64Inst[] {
  const out: A64Inst[] = [];
  if (check) {
    // x17 = sp - frameSize; if x17 < limit → trap. (addImm may use x16 before it holds the limit.)
    out.push(...addImm(64, SCRATCH1, SP, -frame.frameSize, SCRATCH0));
    out.push({ op: 'ldr', bits: 64, rt: SCRATCH0, am: { k: 'imm', base: VMCTX_ARG_REG, off: check.limitOffset } });
    out.push({ op: 'alu', fn: 'subs', size: 64, rd: XZR, rn: SCRATCH1, rm: SCRATCH0 });
    out.push({ op: 'bif', test: { k: 'cond', cond: 'lo' }, label: check.trap });
  }
  out.push({ op: 'stp', fp: false, bits: 64, rt: FP, rt2: LR, am: { k: 'pre', base: SP, off: -16 } });
  out.push({ op: 'mov', size: 64, rd: FP, rm: SP });
  if (frame.frameSize > 16) out.push(...addImm(64, SP, SP, -(frame.frameSize - 16), SCRATCH0));
  out.push(...saveRestore(frame, false));
  return out;
}

/** The epilogue before `ret`: callee-saved loads, sp back to the frame record, frame record popped. */
export function epilogue(frame: FrameLayout): A64Inst[] {
  const out = saveRestore(frame, true);
  if (frame.frameSize > 16) out.push({ op: 'mov', size: 64, rd: SP, rm: FP });
  out.push({ op: 'ldp', fp: false, bits: 64, rt: FP, rt2: LR, am: { k: 'post', base: SP, off: 16 } });
  return out;
}
