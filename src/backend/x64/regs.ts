/**
 * x86-64 physical registers as kiln numbers them, and the SysV register file the
 * allocator works from.
 *
 * Numbering: GPRs are 0..15 in hardware encoding order (rax rcx rdx rbx rsp rbp rsi rdi
 * r8..r15), XMMs are 16..31 (xmm0..xmm15). The low four bits of a number are therefore
 * always the hardware register number (`hw`), which keeps the encoder trivial.
 *
 * Reserved (never handed out by the allocator):
 *   - rsp: the stack pointer.
 *   - rbp: the frame pointer. Every kiln function keeps a conventional rbp frame so that
 *     gdb, perf and the runtime's trap handler can walk wasm frames (DESIGN §4: "gdb and
 *     perf see real frames"). Costing one register is the price of that.
 *   - r11 / xmm15: scratch registers for the code that runs outside the allocator's view:
 *     the frame layout (stack-limit check in the prologue, large frame adjustments), the
 *     allocator's own parallel-move resolution (cycles through memory), and the
 *     `jmp_table` expansion. r11 is caller-saved and carries no argument in SysV, so
 *     reserving it never forces a move around a call.
 *
 * vmctx is NOT pinned to a register. It arrives in rdi (first SysV argument) and isel
 * copies it into an ordinary virtual register; the allocator then keeps it in a register
 * or spills it like any other value. Reasons: (1) DESIGN §4 leaves pinning vs caching of
 * hot fields to the allocator; (2) leaf functions that never touch vmctx (pure
 * arithmetic) get all 13 allocatable GPRs; (3) arm64 follows the same rule, so isel and
 * the allocator treat both targets alike; (4) pinning a callee-saved register would make
 * every export entry save/restore it even when unused. If profiling later shows that
 * vmctx/memory-base reloads dominate, pinning r15 is a local change here (remove it from
 * `allocatable`, and have isel use `R15` directly).
 */

import type { Reg, RegClass, RegisterFile } from '../minst.js';

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;
export const R8 = 8;
export const R9 = 9;
export const R10 = 10;
export const R11 = 11;
export const R12 = 12;
export const R13 = 13;
export const R14 = 14;
export const R15 = 15;

export const XMM0 = 16;
export const XMM1 = 17;
export const XMM2 = 18;
export const XMM3 = 19;
export const XMM4 = 20;
export const XMM5 = 21;
export const XMM6 = 22;
export const XMM7 = 23;
export const XMM8 = 24;
export const XMM9 = 25;
export const XMM10 = 26;
export const XMM11 = 27;
export const XMM12 = 28;
export const XMM13 = 29;
export const XMM14 = 30;
export const XMM15 = 31;

/** Number of physical registers (GPRs + XMMs). */
export const NUM_PREGS = 32;

/** The xmm register with hardware number `n` (0..15). */
export function xmm(n: number): Reg {
  return XMM0 + n;
}

export function isGpr(reg: Reg): boolean {
  return reg >= 0 && reg < 16;
}

export function isXmm(reg: Reg): boolean {
  return reg >= 16 && reg < 32;
}

/** Hardware register number (0..15) of a physical register. */
export function hw(reg: Reg): number {
  return reg & 15;
}

/** The scratch GPR reserved for code outside the allocator (see the file comment). */
export const SCRATCH_GPR = R11;
/** The scratch XMM reserved for code outside the allocator. */
export const SCRATCH_XMM = XMM15;
export const FRAME_POINTER = RBP;
export const STACK_POINTER = RSP;

export const GPR64_NAMES = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const;
export const GPR32_NAMES = [
  'eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi',
  'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d',
] as const;
export const GPR16_NAMES = [
  'ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di',
  'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w',
] as const;
/** Byte registers as encoded with a REX prefix (spl/bpl/sil/dil, never ah/ch/dh/bh). */
export const GPR8_NAMES = [
  'al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil',
  'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b',
] as const;

/** Operand width of a GPR access, in bits. */
export type GprWidth = 8 | 16 | 32 | 64;

/** Name of a register at a given width (GPRs) — XMMs ignore the width. Virtual registers print as v<n>. */
export function regName(reg: Reg, width: GprWidth = 64): string {
  if (reg >= 1024) return `v${reg - 1024}${width === 64 ? '' : `.${width}`}`;
  if (isXmm(reg)) return `xmm${hw(reg)}`;
  if (!isGpr(reg)) return `?r${reg}`;
  switch (width) {
    case 8:
      return GPR8_NAMES[reg]!;
    case 16:
      return GPR16_NAMES[reg]!;
    case 32:
      return GPR32_NAMES[reg]!;
    case 64:
      return GPR64_NAMES[reg]!;
  }
}

/** SysV caller-saved (volatile) GPRs: clobbered by every call. */
export const CALLER_SAVED_GPRS: readonly Reg[] = [RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11];
/** SysV callee-saved GPRs (rbp included; kiln keeps it as the frame pointer). */
export const CALLEE_SAVED_GPRS: readonly Reg[] = [RBX, RBP, R12, R13, R14, R15];
/** All XMM registers are caller-saved in SysV. */
export const CALLER_SAVED_XMMS: readonly Reg[] = Array.from({ length: 16 }, (_, i) => XMM0 + i);

/** Registers the allocator never assigns. */
export const RESERVED: ReadonlySet<Reg> = new Set([RSP, RBP, SCRATCH_GPR, SCRATCH_XMM]);

const names: string[] = [...GPR64_NAMES, ...Array.from({ length: 16 }, (_, i) => `xmm${i}`)];
const classOf: RegClass[] = [...Array<RegClass>(16).fill(0), ...Array<RegClass>(16).fill(1)];

/**
 * Allocation order. Caller-saved registers first (free in leaf functions, no prologue
 * cost); among them the argument registers come last in reverse argument order, so
 * values rarely sit in a register a nearby call needs (rax/r10 first: no argument role).
 * Callee-saved registers follow (each costs a push/pop once used).
 */
const allocGpr: Reg[] = [RAX, R10, R9, R8, RCX, RDX, RSI, RDI, RBX, R12, R13, R14, R15];
/** xmm0..xmm7 carry arguments; prefer xmm8..xmm14 first for the same reason. */
const allocXmm: Reg[] = [
  XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14,
  XMM7, XMM6, XMM5, XMM4, XMM3, XMM2, XMM1, XMM0,
];

export const X64_REGS: RegisterFile = {
  names,
  classOf,
  allocatable: [allocGpr, allocXmm],
  calleeSaved: new Set(CALLEE_SAVED_GPRS),
  // GPR slots hold 8 bytes; XMM slots always hold a full v128.
  spillSlotSize: [8, 16],
};
