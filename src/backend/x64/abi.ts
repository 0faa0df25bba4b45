/**
 * The SysV AMD64 calling convention as kiln uses it (psABI §3.2).
 *
 * Every wasm function is a SysV function whose first argument is vmctx (an i64 pointer):
 * isel passes `['i64', ...wasmParams]` to `sysvCall`. Arguments:
 *   - i32/i64 (and vmctx): rdi, rsi, rdx, rcx, r8, r9, then the stack;
 *   - f32/f64/v128: xmm0..xmm7, then the stack (f32 in the low 32 bits, v128 as __m128).
 * Integer and float registers are counted independently (a float argument does not use up
 * an integer register).
 * Stack arguments are laid out in order from [rsp] at the call instruction: 8 bytes each,
 * v128 16 bytes at a 16-byte aligned offset. The area is rounded up to 16 bytes so rsp is
 * 16-byte aligned at every call. Inside the callee, with the standard `push rbp; mov rbp,
 * rsp` prologue, a stack argument at `offset` is at [rbp + 16 + offset].
 *
 * Caution for isel: an i32 argument or result occupies the low 32 bits of its register;
 * the upper 32 bits are unspecified (callers need not zero- or sign-extend). Any 64-bit
 * use of an incoming i32 must first zero-extend it (`mov r32, r32`).
 *
 * Results: i32/i64 in rax then rdx; f32/f64/v128 in xmm0 then xmm1 — what C returns a
 * struct of up to two such fields in. Further results (wasm multi-value) are a kiln
 * extension no C function can produce: the caller reserves space for them in its
 * outgoing-argument area right after the stack arguments, and the callee stores them there
 * ([rbp + 16 + offset]). Host functions and the array-call trampolines never use it.
 */

import type { Reg } from '../minst.js';
import { assignCallLocations, type CallLayout, type CallRegisters, type ValType } from '../abi.js';
import {
  R8, R9, RAX, RBP, RBX, RCX, RDI, RDX, RSI, R12, R13, R14, R15, XMM0, XMM1,
} from './regs.js';

export type { CallLayout, Loc, ValType } from '../abi.js';

export const INT_ARG_REGS: readonly Reg[] = [RDI, RSI, RDX, RCX, R8, R9];
export const FLOAT_ARG_REGS: readonly Reg[] = Array.from({ length: 8 }, (_, i) => XMM0 + i);
export const INT_RET_REGS: readonly Reg[] = [RAX, RDX];
export const FLOAT_RET_REGS: readonly Reg[] = [XMM0, XMM1];
const SYSV_REGS: CallRegisters = { intArgs: INT_ARG_REGS, floatArgs: FLOAT_ARG_REGS, intResults: INT_RET_REGS, floatResults: FLOAT_RET_REGS };
/** Callee-saved GPRs (no XMM is callee-saved in SysV). */
export const CALLEE_SAVED: readonly Reg[] = [RBX, RBP, R12, R13, R14, R15];

/** rsp is a multiple of this at every call instruction (so rsp+8 is, on entry). */
export const STACK_ALIGN = 16;
/** Bytes below rsp a leaf function may use without adjusting rsp (signal handlers run on an alternate stack anyway). */
export const RED_ZONE = 128;
/** With `push rbp; mov rbp, rsp`, the incoming stack-argument area starts at [rbp + 16]. */
export const INCOMING_ARGS_FROM_RBP = 16;
/** The register holding vmctx on entry to every wasm function. */
export const VMCTX_ARG_REG: Reg = RDI;

/** Assigns SysV locations to a signature's parameters (vmctx included, if the caller lists it) and results. */
export function sysvCall(params: readonly ValType[], results: readonly ValType[]): CallLayout {
  return assignCallLocations(SYSV_REGS, params, results);
}
