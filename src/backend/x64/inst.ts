/**
 * THE list of x86-64 instructions kiln emits, and their `TargetISA` description.
 *
 *   isel ─▶ X64Inst[] (virtual regs) ─ regalloc (via X64_ISA) ─▶ X64Inst[] (physical) ─ encode.ts ─▶ bytes
 *
 * Instructions are plain tagged records (`op` is the tag). Register fields hold numbers:
 * physical registers as numbered in regs.ts, or virtual registers (≥ VREG_BASE). Each
 * record describes exactly one machine instruction, except for a few pseudo-instructions
 * that expand to a fixed sequence in encode.ts (`jcc` with its fall-through jmp,
 * `jmp_table`, `trap_if`, `sp_adjust`, `xzero`); they exist because the allocator must see
 * them as a unit (a terminator with several targets, a scratch that must not overlap).
 *
 * Wasm semantics (trap checks, NaN handling, i32 upper bits) are isel's business; this
 * layer only promises that each record does what the hardware instruction does.
 * Listings live in format.ts, bytes in encode.ts, the calling convention in abi.ts.
 *
 * Operand sizes: `size: 32 | 64` picks the 32-bit or 64-bit form of a GPR instruction.
 * Every 32-bit form writes its destination zero-extended to 64 bits (hardware rule), except
 * `setcc` (writes 8 bits; upper bits are garbage, follow with `ext_rr`).
 */

import { FPR, GPR, OpRole, VREG_BASE } from '../minst.js';
import type { EdgeSplittingISA, MoveInfo, Reg, RegClass, RegVisitor } from '../minst.js';
import type { Label } from '../codebuf.js';
import {
  CALLER_SAVED_GPRS, CALLER_SAVED_XMMS, RAX, RCX, RDX, X64_REGS, isXmm,
} from './regs.js';
import { formatInst } from './format.js';

// ───────────────────────────── condition codes ─────────────────────────────

/** x86 condition codes, numbered as in the encoding (the low nibble of jcc/setcc/cmovcc). */
export const Cond = {
  O: 0, NO: 1,
  /** unsigned <, also "carry set" (ucomis: less or unordered) */
  B: 2,
  /** unsigned ≥ */
  AE: 3,
  E: 4, NE: 5,
  /** unsigned ≤ */
  BE: 6,
  /** unsigned > */
  A: 7,
  S: 8, NS: 9,
  /** parity set (ucomis: unordered) */
  P: 10, NP: 11,
  L: 12, GE: 13, LE: 14, G: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];

export { COND_NAMES, formatInst, formatMem } from './format.js';

/** The condition that holds exactly when `cc` does not (flip the low bit). */
export function invertCond(cc: Cond): Cond {
  return (cc ^ 1) as Cond;
}

// ───────────────────────────── memory operands ─────────────────────────────

export type Scale = 1 | 2 | 4 | 8;

/**
 * [base + index*scale + disp]; disp is a signed 32-bit value (isel splits larger offsets).
 * Without a base, [index*scale + disp32] (isel's `lea` of a scaled index plus a constant).
 */
export interface AddrMem {
  kind: 'addr';
  base?: Reg;
  index?: Reg;
  scale?: Scale;
  disp: number;
}

/** [rip + symbol + addend]: an R_X86_64_PC32 relocation against `symbol` (rodata, globals). */
export interface RipSymMem {
  kind: 'rip-sym';
  symbol: string;
  addend: number;
}

/** [rip + label + disp]: a CodeBuffer label in the same buffer (jump tables, constant pools). */
export interface RipLabelMem {
  kind: 'rip-label';
  label: Label;
  disp?: number;
}

/**
 * A spill slot (or any frame slot the frame layout owns), resolved by the encode context
 * to [rsp/rbp + offset] after allocation; `disp` addresses bytes inside the slot.
 */
export interface SlotMem {
  kind: 'slot';
  slot: number;
  disp?: number;
}

export type Mem = AddrMem | RipSymMem | RipLabelMem | SlotMem;

export function mem(base: Reg, disp = 0): AddrMem {
  return { kind: 'addr', base, disp };
}
export function memIdx(base: Reg, index: Reg, scale: Scale, disp = 0): AddrMem {
  return { kind: 'addr', base, index, scale, disp };
}
export function slotMem(slot: number, disp = 0): SlotMem {
  return disp === 0 ? { kind: 'slot', slot } : { kind: 'slot', slot, disp };
}
export function ripSym(symbol: string, addend = 0): RipSymMem {
  return { kind: 'rip-sym', symbol, addend };
}
export function ripLabel(label: Label, disp = 0): RipLabelMem {
  return disp === 0 ? { kind: 'rip-label', label } : { kind: 'rip-label', label, disp };
}

export function isMem(x: Reg | Mem): x is Mem {
  return typeof x !== 'number';
}

// ───────────────────────────── operation names ─────────────────────────────

export type Size = 32 | 64;
export type Width = 8 | 16 | 32 | 64;

/** Two-operand integer ALU ops. `cmp` and `test` only set flags. */
export type AluOp = 'add' | 'or' | 'and' | 'sub' | 'xor' | 'cmp' | 'test';
export type ShiftOp = 'rol' | 'ror' | 'shl' | 'shr' | 'sar';
/** lzcnt/tzcnt/popcnt need LZCNT/BMI1/POPCNT; bsr/bsf leave dst unchanged for a zero source. */
export type BitOp = 'lzcnt' | 'tzcnt' | 'popcnt' | 'bsr' | 'bsf';
export type UnaryOp = 'neg' | 'not';

/** Whole-register and scalar moves between XMM registers and memory. */
export type XMoveOp = 'movaps' | 'movapd' | 'movups' | 'movupd' | 'movdqa' | 'movdqu' | 'movss' | 'movsd';

/**
 * SSE operations of the form `op xmm, xmm/m` (reg = dst, r/m = src). The table in
 * encode.ts gives each its prefix and opcode; `SSE_ROLE` gives the role of dst.
 * Packed ops with a memory source need 16-byte aligned memory (except the SSE4.1 ones).
 */
export type SseOp =
  | 'addss' | 'addsd' | 'subss' | 'subsd' | 'mulss' | 'mulsd' | 'divss' | 'divsd'
  | 'minss' | 'minsd' | 'maxss' | 'maxsd' | 'sqrtss' | 'sqrtsd'
  | 'cvtss2sd' | 'cvtsd2ss' | 'ucomiss' | 'ucomisd'
  | 'andps' | 'andpd' | 'andnps' | 'andnpd' | 'orps' | 'orpd' | 'xorps' | 'xorpd'
  // v128 basics
  | 'pxor' | 'pand' | 'pandn' | 'por'
  | 'paddb' | 'paddw' | 'paddd' | 'paddq' | 'psubb' | 'psubw' | 'psubd' | 'psubq'
  | 'pcmpeqb' | 'pcmpeqw' | 'pcmpeqd'
  | 'addps' | 'addpd' | 'subps' | 'subpd' | 'mulps' | 'mulpd' | 'divps' | 'divpd'
  | 'sqrtps' | 'sqrtpd';

/**
 * How an SSE op treats its destination: 'usedef' for two-address arithmetic, 'def' for
 * unary ops whose result does not depend on the old dst for scalar purposes (the upper
 * lanes of a scalar result are don't-care in kiln), 'use' for compares that set flags.
 */
export const SSE_ROLE: Readonly<Record<SseOp, 'usedef' | 'def' | 'use'>> = {
  addss: 'usedef', addsd: 'usedef', subss: 'usedef', subsd: 'usedef',
  mulss: 'usedef', mulsd: 'usedef', divss: 'usedef', divsd: 'usedef',
  minss: 'usedef', minsd: 'usedef', maxss: 'usedef', maxsd: 'usedef',
  sqrtss: 'def', sqrtsd: 'def', cvtss2sd: 'def', cvtsd2ss: 'def',
  ucomiss: 'use', ucomisd: 'use',
  andps: 'usedef', andpd: 'usedef', andnps: 'usedef', andnpd: 'usedef',
  orps: 'usedef', orpd: 'usedef', xorps: 'usedef', xorpd: 'usedef',
  pxor: 'usedef', pand: 'usedef', pandn: 'usedef', por: 'usedef',
  paddb: 'usedef', paddw: 'usedef', paddd: 'usedef', paddq: 'usedef',
  psubb: 'usedef', psubw: 'usedef', psubd: 'usedef', psubq: 'usedef',
  pcmpeqb: 'usedef', pcmpeqw: 'usedef', pcmpeqd: 'usedef',
  addps: 'usedef', addpd: 'usedef', subps: 'usedef', subpd: 'usedef',
  mulps: 'usedef', mulpd: 'usedef', divps: 'usedef', divpd: 'usedef',
  sqrtps: 'def', sqrtpd: 'def',
};

/** roundss/roundsd immediate: 0 nearest-even, 1 floor, 2 ceil, 3 trunc. */
export const RoundMode = { Nearest: 0, Floor: 1, Ceil: 2, Trunc: 3 } as const;
export type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];

export type FloatTy = 'f32' | 'f64';

/** A register operand pinned to a physical register at this instruction (call arguments and results). */
export interface FixedReg {
  reg: Reg;
  preg: Reg;
}

export type CallTarget =
  | { kind: 'sym'; symbol: string }
  | { kind: 'reg'; reg: Reg }
  | { kind: 'mem'; mem: Mem };

/** Optional trap code (src/ir/traps.ts) for an instruction whose hardware fault is a wasm trap. */
interface MayTrap {
  trap?: number;
}

// ───────────────────────────── the instruction list ─────────────────────────────

export type X64Inst =
  // ── moves and constants
  /** mov dst, src (size 32 zero-extends). */
  | { op: 'mov_rr'; size: Size; dst: Reg; src: Reg }
  /**
   * Materialize a constant. Size 32: `mov r32, imm32` (imm taken mod 2^32). Size 64: the
   * encoder picks the shortest of `mov r32, imm32` (0 ≤ imm < 2^32), `mov r64, simm32`,
   * `movabs r64, imm64`. Never turned into `xor` (it must not touch flags).
   */
  | { op: 'mov_ri'; size: Size; dst: Reg; imm: bigint }
  /**
   * Load `width` bits and extend to `size`: mov (width = size, or 32→64 zx), movzx
   * (8/16, zx: always the 32-bit form, which zero-extends to 64), movsx, movsxd (32→64 sx).
   */
  | ({ op: 'load'; width: Width; ext: 'zx' | 'sx'; size: Size; dst: Reg; mem: Mem } & MayTrap)
  /** Store the low `width` bits of src. */
  | ({ op: 'store'; width: Width; src: Reg; mem: Mem } & MayTrap)
  /** Store an immediate (width 64: sign-extended imm32). */
  | ({ op: 'store_imm'; width: Width; imm: number; mem: Mem } & MayTrap)
  /** dst = 0 via `xor r32, r32` (2-3 bytes, dst is a pure Def; clobbers flags, unlike mov_ri). */
  | { op: 'gzero'; dst: Reg }
  /** Register extension: movzx/movsx from 8/16, movsxd (32 sx), or mov r32,r32 (32 zx). */
  | { op: 'ext_rr'; from: 8 | 16 | 32; signed: boolean; size: Size; dst: Reg; src: Reg }
  | { op: 'lea'; size: Size; dst: Reg; mem: Mem }
  // ── integer arithmetic
  | { op: 'alu_rr'; aop: AluOp; size: Size; dst: Reg; src: Reg }
  /** imm is a signed 32-bit value (size 32 also accepts 0..2^32-1); imm8 form when it fits. */
  | { op: 'alu_ri'; aop: AluOp; size: Size; dst: Reg; imm: number }
  | ({ op: 'alu_rm'; aop: AluOp; size: Size; dst: Reg; mem: Mem } & MayTrap)
  /** Read-modify-write `mem op= src` (cmp/test only read). */
  | ({ op: 'alu_mr'; aop: AluOp; size: Size; mem: Mem; src: Reg } & MayTrap)
  | ({ op: 'alu_mi'; aop: AluOp; size: Size; mem: Mem; imm: number } & MayTrap)
  | { op: 'imul_rr'; size: Size; dst: Reg; src: Reg }
  /** dst = src * imm (imm8 form when it fits). */
  | { op: 'imul_rri'; size: Size; dst: Reg; src: Reg; imm: number }
  /**
   * div/idiv: (hi:lo) / divisor → quot, rem. lo/quot are fixed to rax, hi/rem to rdx.
   * Faults (#DE) on a zero divisor and, for idiv, on overflow.
   */
  | ({ op: 'div'; signed: boolean; size: Size; divisor: Reg; lo: Reg; hi: Reg; quot: Reg; rem: Reg } & MayTrap)
  /** cdq / cqo: dst (rdx) = sign of src (rax). */
  | { op: 'sign_ext_ax'; size: Size; src: Reg; dst: Reg }
  | { op: 'unary'; uop: UnaryOp; size: Size; dst: Reg }
  /** Shift/rotate by cl; `count` is fixed to rcx. */
  | { op: 'shift_rc'; sop: ShiftOp; size: Size; dst: Reg; count: Reg }
  /** Shift/rotate by an immediate (masked by the hardware to 5/6 bits). */
  | { op: 'shift_ri'; sop: ShiftOp; size: Size; dst: Reg; imm: number }
  | { op: 'bit'; bop: BitOp; size: Size; dst: Reg; src: Reg }
  /** setcc r8: writes only the low byte of dst; the upper bits are garbage afterwards. */
  | { op: 'setcc'; cc: Cond; dst: Reg }
  | { op: 'cmov'; cc: Cond; size: Size; dst: Reg; src: Reg }
  // ── SSE
  /** movd/movq xmm ← gpr (upper lanes zeroed). */
  | { op: 'mov_to_xmm'; size: Size; dst: Reg; src: Reg }
  /** movd/movq gpr ← xmm. */
  | { op: 'mov_from_xmm'; size: Size; dst: Reg; src: Reg }
  /** Register-to-register XMM move (movss/movsd merge into dst's upper lanes). */
  | { op: 'xmov'; xop: XMoveOp; dst: Reg; src: Reg }
  /** XMM load (movss/movsd zero the upper lanes). */
  | ({ op: 'xload'; xop: XMoveOp; dst: Reg; mem: Mem } & MayTrap)
  | ({ op: 'xstore'; xop: XMoveOp; src: Reg; mem: Mem } & MayTrap)
  | ({ op: 'sse'; sop: SseOp; dst: Reg; src: Reg | Mem } & MayTrap)
  /** dst = 0 (xorps dst, dst; dst is a pure Def). */
  | { op: 'xzero'; dst: Reg }
  /** roundss/roundsd (SSE4.1). */
  | { op: 'round'; ty: FloatTy; mode: RoundMode; dst: Reg; src: Reg | Mem }
  /** cvtsi2ss/cvtsi2sd from a `size`-bit signed integer. */
  | { op: 'cvt_i2f'; ty: FloatTy; size: Size; dst: Reg; src: Reg }
  /** cvttss2si/cvttsd2si to a `size`-bit signed integer (0x80..0 on overflow/NaN). */
  | { op: 'cvt_f2i'; ty: FloatTy; size: Size; dst: Reg; src: Reg }
  // ── control flow
  | { op: 'jmp'; target: number }
  /** Two-way branch: jcc taken; jmp notTaken (the jmp is omitted when notTaken falls through). */
  | { op: 'jcc'; cc: Cond; taken: number; notTaken: number }
  /**
   * Jump through a table of `targets` (block indices) indexed by all 64 bits of `index`.
   * With `dflt`, first `cmp index32, targets.length; jae dflt` (the index is a zero-extended
   * i32); without, isel has already checked the index. One terminator either way, so the
   * bounds branch adds no block boundary for the allocator to resolve locations at.
   * `tmp` is a GPR written while `index` is still read; r11 is used as well (reserved scratch).
   */
  | { op: 'jmp_table'; index: Reg; tmp: Reg; targets: number[]; dflt?: number }
  /** jmp reg: an indirect jump with no known targets (a piece for hand-built tables). */
  | { op: 'jmp_r'; target: Reg }
  /** If `cc` holds, trap with `code` (inline `j!cc +2; ud2`, the ud2 recorded as a trap site). */
  | { op: 'trap_if'; cc: Cond; code: number }
  /**
   * A call in the platform convention: arguments and results travel in fixed registers
   * (stack arguments are stored by isel to [rsp + n] beforehand). Clobbers every
   * caller-saved register except those holding results.
   */
  | { op: 'call'; callee: CallTarget; args: FixedReg[]; rets: FixedReg[] }
  /** Return; `rets` keeps the results live in their ABI registers. The emitter puts the epilogue before it. */
  | { op: 'ret'; rets: FixedReg[] }
  | { op: 'push'; src: Reg }
  | { op: 'pop'; dst: Reg }
  /** rsp += delta (encoded as add or sub with imm8/imm32). */
  | { op: 'sp_adjust'; delta: number }
  /** ud2; with a code, a trap site (an explicit wasm trap, e.g. `unreachable`). */
  | { op: 'ud2'; code?: number }
  | { op: 'int3' }
  /** A `len`-byte nop (1..9, default 1), for alignment. */
  | { op: 'nop'; len?: number };

export type X64Op = X64Inst['op'];

// ───────────────────────────── register roles ─────────────────────────────

function visitMem(m: Mem, v: RegVisitor): void {
  if (m.kind !== 'addr') return;
  if (m.base !== undefined) m.base = v(m.base, OpRole.Use, GPR, undefined);
  if (m.index !== undefined) m.index = v(m.index, OpRole.Use, GPR, undefined);
}

function clsOfPreg(preg: Reg): RegClass {
  return isXmm(preg) ? FPR : GPR;
}

const U = OpRole.Use;
const D = OpRole.Def;
const UD = OpRole.UseDef;
const ED = OpRole.EarlyDef;

function mapRegs(i: X64Inst, v: RegVisitor): void {
  switch (i.op) {
    case 'mov_rr':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'mov_ri':
    case 'gzero':
      i.dst = v(i.dst, D, GPR, undefined);
      return;
    case 'load':
      i.dst = v(i.dst, D, GPR, undefined);
      visitMem(i.mem, v);
      return;
    case 'store':
      visitMem(i.mem, v);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'store_imm':
      visitMem(i.mem, v);
      return;
    case 'ext_rr':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'lea':
      i.dst = v(i.dst, D, GPR, undefined);
      visitMem(i.mem, v);
      return;
    case 'alu_rr':
      i.dst = v(i.dst, flagsOnly(i.aop) ? U : UD, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'alu_ri':
      i.dst = v(i.dst, flagsOnly(i.aop) ? U : UD, GPR, undefined);
      return;
    case 'alu_rm':
      i.dst = v(i.dst, flagsOnly(i.aop) ? U : UD, GPR, undefined);
      visitMem(i.mem, v);
      return;
    case 'alu_mr':
      visitMem(i.mem, v);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'alu_mi':
      visitMem(i.mem, v);
      return;
    case 'imul_rr':
      i.dst = v(i.dst, UD, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'imul_rri':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'div':
      i.divisor = v(i.divisor, U, GPR, undefined);
      i.lo = v(i.lo, U, GPR, RAX);
      i.hi = v(i.hi, U, GPR, RDX);
      i.quot = v(i.quot, D, GPR, RAX);
      i.rem = v(i.rem, D, GPR, RDX);
      return;
    case 'sign_ext_ax':
      i.src = v(i.src, U, GPR, RAX);
      i.dst = v(i.dst, D, GPR, RDX);
      return;
    case 'unary':
      i.dst = v(i.dst, UD, GPR, undefined);
      return;
    case 'shift_rc':
      i.dst = v(i.dst, UD, GPR, undefined);
      i.count = v(i.count, U, GPR, RCX);
      return;
    case 'shift_ri':
      i.dst = v(i.dst, UD, GPR, undefined);
      return;
    case 'bit':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'setcc':
      i.dst = v(i.dst, D, GPR, undefined);
      return;
    case 'cmov':
      i.dst = v(i.dst, UD, GPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'mov_to_xmm':
      i.dst = v(i.dst, D, FPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'mov_from_xmm':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, FPR, undefined);
      return;
    case 'xmov':
      i.dst = v(i.dst, i.xop === 'movss' || i.xop === 'movsd' ? UD : D, FPR, undefined);
      i.src = v(i.src, U, FPR, undefined);
      return;
    case 'xload':
      i.dst = v(i.dst, D, FPR, undefined);
      visitMem(i.mem, v);
      return;
    case 'xstore':
      visitMem(i.mem, v);
      i.src = v(i.src, U, FPR, undefined);
      return;
    case 'sse': {
      const r = SSE_ROLE[i.sop];
      i.dst = v(i.dst, r === 'use' ? U : r === 'def' ? D : UD, FPR, undefined);
      if (isMem(i.src)) visitMem(i.src, v);
      else i.src = v(i.src, U, FPR, undefined);
      return;
    }
    case 'xzero':
      i.dst = v(i.dst, D, FPR, undefined);
      return;
    case 'round':
      i.dst = v(i.dst, D, FPR, undefined);
      if (isMem(i.src)) visitMem(i.src, v);
      else i.src = v(i.src, U, FPR, undefined);
      return;
    case 'cvt_i2f':
      i.dst = v(i.dst, D, FPR, undefined);
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'cvt_f2i':
      i.dst = v(i.dst, D, GPR, undefined);
      i.src = v(i.src, U, FPR, undefined);
      return;
    case 'jmp_table':
      i.index = v(i.index, U, GPR, undefined);
      i.tmp = v(i.tmp, ED, GPR, undefined);
      return;
    case 'jmp_r':
      i.target = v(i.target, U, GPR, undefined);
      return;
    case 'call':
      if (i.callee.kind === 'reg') i.callee.reg = v(i.callee.reg, U, GPR, undefined);
      else if (i.callee.kind === 'mem') visitMem(i.callee.mem, v);
      for (const a of i.args) a.reg = v(a.reg, U, clsOfPreg(a.preg), a.preg);
      for (const r of i.rets) r.reg = v(r.reg, D, clsOfPreg(r.preg), r.preg);
      return;
    case 'ret':
      for (const r of i.rets) r.reg = v(r.reg, U, clsOfPreg(r.preg), r.preg);
      return;
    case 'push':
      i.src = v(i.src, U, GPR, undefined);
      return;
    case 'pop':
      i.dst = v(i.dst, D, GPR, undefined);
      return;
    case 'jmp':
    case 'jcc':
    case 'trap_if':
    case 'sp_adjust':
    case 'ud2':
    case 'int3':
    case 'nop':
      return;
  }
}

export function flagsOnly(aop: AluOp): boolean {
  return aop === 'cmp' || aop === 'test';
}

const CALL_CLOBBERS: readonly Reg[] = [...CALLER_SAVED_GPRS, ...CALLER_SAVED_XMMS];

function clobbers(i: X64Inst): readonly Reg[] {
  if (i.op !== 'call') return [];
  if (i.rets.length === 0) return CALL_CLOBBERS;
  const defs = new Set(i.rets.map((r) => r.preg));
  return CALL_CLOBBERS.filter((r) => !defs.has(r));
}

function branchTargets(i: X64Inst): readonly number[] {
  switch (i.op) {
    case 'jmp':
      return [i.target];
    case 'jcc':
      return i.taken === i.notTaken ? [i.taken] : [i.taken, i.notTaken];
    case 'jmp_table':
      return [...new Set(i.dflt === undefined ? i.targets : [...i.targets, i.dflt])];
    default:
      return [];
  }
}

function isTerminator(i: X64Inst): boolean {
  switch (i.op) {
    case 'jmp':
    case 'jcc':
    case 'jmp_table':
    case 'jmp_r':
    case 'ret':
    case 'ud2':
      return true;
    default:
      return false;
  }
}

function asMove(i: X64Inst): MoveInfo | undefined {
  if (i.op === 'mov_rr' && i.size === 64) return { dst: i.dst, src: i.src, cls: GPR };
  if (i.op === 'xmov' && (i.xop === 'movaps' || i.xop === 'movapd' || i.xop === 'movdqa' || i.xop === 'movups' || i.xop === 'movupd' || i.xop === 'movdqu'))
    return { dst: i.dst, src: i.src, cls: FPR };
  return undefined;
}

/** GPR moves copy all 64 bits; XMM moves copy all 128 (movaps: shortest encoding). */
export function makeMove(cls: RegClass, dst: Reg, src: Reg): X64Inst {
  return cls === GPR ? { op: 'mov_rr', size: 64, dst, src } : { op: 'xmov', xop: 'movaps', dst, src };
}

/** XMM spills use movups: the slot holds a whole v128 and needs no alignment guarantee. */
export function makeSpill(cls: RegClass, src: Reg, slot: number): X64Inst {
  return cls === GPR
    ? { op: 'store', width: 64, src, mem: slotMem(slot) }
    : { op: 'xstore', xop: 'movups', src, mem: slotMem(slot) };
}

export function makeReload(cls: RegClass, dst: Reg, slot: number): X64Inst {
  return cls === GPR
    ? { op: 'load', width: 64, ext: 'zx', size: 64, dst, mem: slotMem(slot) }
    : { op: 'xload', xop: 'movups', dst, mem: slotMem(slot) };
}

/** Retargets branch `i`'s edges to block `from` onto block `to` (the allocator's edge splitting). */
function retargetBranch(i: X64Inst, from: number, to: number): void {
  if (i.op === 'jmp' && i.target === from) i.target = to;
  else if (i.op === 'jcc') {
    if (i.taken === from) i.taken = to;
    if (i.notTaken === from) i.notTaken = to;
  } else if (i.op === 'jmp_table') {
    i.targets = i.targets.map((t) => (t === from ? to : t));
    if (i.dflt === from) i.dflt = to;
  }
}

/** The x86-64 TargetISA, with the edge-splitting methods the allocator uses on critical edges. */
export const X64_ISA: EdgeSplittingISA<X64Inst> = {
  name: 'x86_64',
  regs: X64_REGS,
  mapRegs,
  clobbers,
  branchTargets,
  isTerminator,
  asMove,
  makeMove,
  makeSpill,
  makeReload,
  format: formatInst,
  makeJump: (target) => ({ op: 'jmp', target }),
  retargetBranch,
};

/** True if `reg` is a virtual register (re-exported for isel convenience). */
export function isVreg(reg: Reg): boolean {
  return reg >= VREG_BASE;
}
