/**
 * AArch64 physical registers as kiln numbers them, and the AAPCS64 register file the
 * allocator works from.
 *
 * Numbering (dense, all below VREG_BASE):
 *   0..30   x0..x30   general-purpose; 32-bit views are the same registers (w0..w30)
 *   31      sp        the stack pointer (encoding 31 in positions that mean SP)
 *   32      xzr       the zero register (encoding 31 in positions that mean ZR)
 *   33..64  v0..v31   FP/SIMD registers; s/d/q views are the same registers
 *
 * SP and XZR share hardware encoding 31, which instruction position decides; keeping
 * them apart here lets the encoder reject an operand in a position that would silently
 * mean the other one (e.g. `add x0, xzr, #1` is not encodable: it would read SP).
 *
 * Reserved (never allocated):
 *   sp, xzr; x29 (frame pointer: gdb/perf walk real frames); x30 (link register);
 *   x18 (platform register, left alone as AAPCS64 allows);
 *   x16/x17 (IP0/IP1): scratch for the encoder and frame lowering — large immediates,
 *   large spill-slot offsets, float constants, the jump-table sequence. The linker may
 *   also clobber them in call veneers, so they can never hold a value across a call.
 *
 * vmctx: no register is reserved for it. It arrives in x0 (the first argument, see
 * abi.ts VMCTX_ARG) and isel copies it into a virtual register like any other value;
 * the allocator then keeps it in a callee-saved register or spills it as pressure
 * decides. The prologue's stack-limit check runs before x0 is overwritten.
 *
 * The v128 / call problem: AAPCS64 makes a callee preserve only the low 64 bits of
 * v8–v15. They are callee-saved for f32/f64 values but a v128 value live across a call
 * must not sit in them. The allocator's contract has no notion of partial clobbers, so
 * the call instructions (inst.ts `bl`/`blr`) carry a `clobbersV128` flag: when isel
 * sets it (conservatively: whenever a v128 value may be live across that call) the
 * call reports v8–v15 as clobbered too and the allocator keeps such values elsewhere
 * (or spills them; FPR spill slots are 16 bytes). See V128_PARTIAL_CALLEE_SAVED.
 */

import type { Reg, RegClass, RegisterFile } from '../minst.js';
import { FPR, GPR } from '../minst.js';

export const X0 = 0;
export const X1 = 1;
export const X2 = 2;
export const X3 = 3;
export const X8 = 8;
export const X16 = 16;
export const X17 = 17;
export const X18 = 18;
export const X19 = 19;
export const X28 = 28;
export const FP = 29;
export const LR = 30;
export const SP = 31;
export const XZR = 32;
export const V0 = 33;

/** x<n> for n in 0..30. */
export function xreg(n: number): Reg {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new Error(`no register x${n}`);
  return n;
}

/** v<n> for n in 0..31. */
export function vreg(n: number): Reg {
  if (!Number.isInteger(n) || n < 0 || n > 31) throw new Error(`no register v${n}`);
  return V0 + n;
}

export const NUM_REGS = V0 + 32;

/** Scratch registers owned by the encoder / frame lowering (never allocated). */
export const SCRATCH0 = X16;
export const SCRATCH1 = X17;

export function isGpr(r: Reg): boolean {
  return r >= 0 && r <= XZR;
}

export function isFpr(r: Reg): boolean {
  return r >= V0 && r < V0 + 32;
}

/** Hardware register field (0..31) of a physical register. */
export function hwEnc(r: Reg): number {
  if (r >= 0 && r <= 30) return r;
  if (r === SP || r === XZR) return 31;
  if (isFpr(r)) return r - V0;
  throw new Error(`not a physical AArch64 register: ${r}`);
}

/** Name of a general register at a width: w0/x0, wsp/sp, wzr/xzr. */
export function gprName(r: Reg, size: 32 | 64): string {
  if (r === SP) return size === 64 ? 'sp' : 'wsp';
  if (r === XZR) return size === 64 ? 'xzr' : 'wzr';
  if (r >= 0 && r <= 30) return (size === 64 ? 'x' : 'w') + r;
  return `%${size === 64 ? 'x' : 'w'}?${r}`;
}

/** Name of an FP/SIMD register viewed as a scalar of `bits`: b/h/s/d/q. */
export function fprName(r: Reg, bits: 8 | 16 | 32 | 64 | 128): string {
  const p = { 8: 'b', 16: 'h', 32: 's', 64: 'd', 128: 'q' }[bits];
  return isFpr(r) ? p + (r - V0) : `%${p}?${r}`;
}

/** Name of an FP/SIMD register with a vector arrangement, e.g. v3.16b. */
export function vecName(r: Reg, arr: string): string {
  return (isFpr(r) ? `v${r - V0}` : `%v?${r}`) + '.' + arr;
}

const names: string[] = [];
const classOf: RegClass[] = [];
for (let i = 0; i <= 30; i++) {
  names.push(`x${i}`);
  classOf.push(GPR);
}
names.push('sp', 'xzr');
classOf.push(GPR, GPR);
for (let i = 0; i < 32; i++) {
  names.push(`v${i}`);
  classOf.push(FPR);
}

const range = (lo: number, hi: number, base = 0): Reg[] => {
  const out: Reg[] = [];
  for (let i = lo; i <= hi; i++) out.push(base + i);
  return out;
};

/** Caller-saved GPRs the allocator may use: x0–x15 (x16/x17 scratch, x18 platform). */
export const CALLER_SAVED_GPR: readonly Reg[] = range(0, 15);
/** Callee-saved GPRs: x19–x28 (x29/x30 are saved by every frame anyway). */
export const CALLEE_SAVED_GPR: readonly Reg[] = range(19, 28);
/** Caller-saved FPRs: v0–v7, v16–v31. */
export const CALLER_SAVED_FPR: readonly Reg[] = [...range(0, 7, V0), ...range(16, 31, V0)];
/** v8–v15: callee-saved for their low 64 bits only (see the file comment). */
export const V128_PARTIAL_CALLEE_SAVED: readonly Reg[] = range(8, 15, V0);
export const CALLEE_SAVED_FPR = V128_PARTIAL_CALLEE_SAVED;

/**
 * Everything a call destroys (AAPCS64): x0–x18 (x16/x17/x18 included: veneers and
 * the platform may use them), x30, and the caller-saved FPRs. With `v128` the
 * upper-half clobber of v8–v15 is reported as a whole-register clobber.
 */
export function callClobbers(v128: boolean): Reg[] {
  const out = [...range(0, 18), LR, ...CALLER_SAVED_FPR];
  if (v128) out.push(...V128_PARTIAL_CALLEE_SAVED);
  return out.sort((a, b) => a - b);
}

export const RESERVED: ReadonlySet<Reg> = new Set([X16, X17, X18, FP, LR, SP, XZR]);

export const A64_REGS: RegisterFile = {
  names,
  classOf,
  allocatable: [
    [...CALLER_SAVED_GPR, ...CALLEE_SAVED_GPR],
    [...CALLER_SAVED_FPR, ...CALLEE_SAVED_FPR],
  ],
  calleeSaved: new Set<Reg>([...CALLEE_SAVED_GPR, ...CALLEE_SAVED_FPR]),
  spillSlotSize: [8, 16],
};
