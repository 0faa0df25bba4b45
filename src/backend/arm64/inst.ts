/**
 * THE list of AArch64 instructions kiln emits, and their `TargetISA` view.
 *
 *   isel ─▶ A64Inst (virtual regs) ─ regalloc via A64_ISA ─▶ A64Inst (physical) ─ encode.ts ─▶ bytes
 *
 * Instructions are grouped by encoding family: `op` names the family, `fn` the
 * operation inside it. Register fields hold kiln register numbers (regs.ts): physical
 * ones, or virtual ones (≥ VREG_BASE) before allocation. `sp` and `xzr` are distinct
 * numbers and the encoder rejects each where the hardware would read the other.
 *
 * A few pseudo-instructions expand in the encoder (all documented where declared):
 * `movconst`/`fconst` (constants), `jumptable`, two-way `brif`, and memory operands on
 * spill slots. They use only the reserved scratch registers x16/x17.
 * Branch targets are block indices (`jump`, `brif`, `jumptable`: the terminators the
 * allocator sees) or code-buffer labels (`b`, `bif`, `adr`: out-of-line code such as
 * trap stubs, invisible to the allocator).
 */

import type { Label } from '../codebuf.js';
import type { EdgeSplittingISA, MoveInfo, Reg, RegClass, RegVisitor } from '../minst.js';
import { FPR, GPR, OpRole } from '../minst.js';
import { planConstant } from './imm.js';
import { A64_REGS, callClobbers, SP, XZR } from './regs.js';
import { formatInst } from './format.js';

export type Size = 32 | 64;

/** Condition codes, by their architectural number (eq = 0 … nv = 15). */
export const CONDS = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'] as const;
export type Cond = (typeof CONDS)[number];

export function condCode(c: Cond): number {
  return CONDS.indexOf(c);
}

/** The opposite condition (eq↔ne, hs↔lo, …); al/nv have none. */
export function invertCond(c: Cond): Cond {
  if (c === 'al' || c === 'nv') throw new Error(`condition ${c} cannot be inverted`);
  return CONDS[condCode(c) ^ 1]!;
}

export type ShiftKind = 'lsl' | 'lsr' | 'asr' | 'ror';
export type ExtendKind = 'uxtb' | 'uxth' | 'uxtw' | 'uxtx' | 'sxtb' | 'sxth' | 'sxtw' | 'sxtx';
export type AddSubFn = 'add' | 'adds' | 'sub' | 'subs';
export type AluFn = AddSubFn | 'and' | 'ands' | 'orr' | 'eor' | 'bic' | 'bics' | 'orn' | 'eon';

/**
 * Memory operand.
 *  - `imm`:  [base, #off]. Encoded as the scaled unsigned 12-bit form when `off` is a
 *            non-negative multiple of the access size in range, else the unscaled
 *            signed 9-bit form (ldur/stur), else through x16 (`mov x16, #off` +
 *            register offset). `base` may be sp.
 *  - `reg`:  [base, index{, ext {#log2(size)}}]: `lsl` (x index; written `[xN, xM]`
 *            unshifted), `uxtw`/`sxtw` (w index), `sxtx`. `scaled` shifts the index by
 *            the access size — `[x1, w2, uxtw #2]` for a 4-byte access.
 *  - `pre`/`post`: [base, #off]! / [base], #off with writeback (base is read and written).
 *  - `slot`: spill slot `slot` (+ `off` bytes), resolved by EncodeCtx.slotOffset to
 *            [sp, #offset], with the same large-offset fallback.
 */
export type Amode =
  | { k: 'imm'; base: Reg; off: number }
  | { k: 'reg'; base: Reg; index: Reg; ext: 'lsl' | 'uxtw' | 'sxtw' | 'sxtx'; scaled?: boolean }
  | { k: 'pre'; base: Reg; off: number }
  | { k: 'post'; base: Reg; off: number }
  | { k: 'slot'; slot: number; off?: number };

/** Condition of a conditional branch: flags (b.cond), a zero test (cbz/cbnz), or a bit test (tbz/tbnz). */
export type BranchTest =
  | { k: 'cond'; cond: Cond }
  | { k: 'zero'; nz: boolean; size: Size; rt: Reg }
  | { k: 'bit'; nz: boolean; rt: Reg; bit: number };

/** A call operand pinned to an ABI register: `reg` (virtual before allocation) must sit in `loc`. */
export interface FixedOperand {
  reg: Reg;
  loc: Reg;
}

export type A64Inst =
  // ---- integer moves and constants ----
  /** Register copy: `orr rd, zr, rm` (or `add rd, rn, #0` when either is sp). Size 32 zero-extends. */
  | { op: 'mov'; size: Size; rd: Reg; rm: Reg }
  /** movz/movn/movk of one 16-bit chunk at `shift` ∈ {0,16,32,48}. movk keeps the other bits (rd is Use+Def). */
  | { op: 'movw'; fn: 'movz' | 'movn' | 'movk'; size: Size; rd: Reg; imm16: number; shift: number }
  /** Pseudo: any constant, expanded to the fewest movz/movn/movk/orr (see imm.ts planConstant). */
  | { op: 'movconst'; size: Size; rd: Reg; imm: bigint }
  // ---- integer arithmetic and logic ----
  /** Shifted-register form. `ror` only for logical fns. rd = xzr gives cmp/cmn/tst. */
  | { op: 'alu'; fn: AluFn; size: Size; rd: Reg; rn: Reg; rm: Reg; shift?: ShiftKind; amount?: number }
  /** add/sub immediate: imm12 ∈ 0..4095, optionally shifted left by 12. rd/rn may be sp (rd not for adds/subs). */
  | { op: 'alui'; fn: AddSubFn; size: Size; rd: Reg; rn: Reg; imm12: number; lsl12?: boolean }
  /** add/sub extended register: rm is extended (`uxtw`: a w register) then shifted by amount ∈ 0..4. */
  | { op: 'alux'; fn: AddSubFn; size: Size; rd: Reg; rn: Reg; rm: Reg; ext: ExtendKind; amount?: number }
  /** Logical immediate; `imm` must be a bitmask immediate for `size` (imm.ts encodeBitmask). */
  | { op: 'logi'; fn: 'and' | 'orr' | 'eor' | 'ands'; size: Size; rd: Reg; rn: Reg; imm: bigint }
  /** Two-source: variable shifts (count masked by the width, as wasm wants) and divisions (never trap: x/0 = 0). */
  | { op: 'dp2'; fn: 'lsl' | 'lsr' | 'asr' | 'ror' | 'udiv' | 'sdiv'; size: Size; rd: Reg; rn: Reg; rm: Reg }
  /** One-source bit operations (rev32 only at size 64). */
  | { op: 'dp1'; fn: 'clz' | 'cls' | 'rbit' | 'rev' | 'rev16' | 'rev32'; size: Size; rd: Reg; rn: Reg }
  /** Immediate shifts (ubfm/sbfm/extr aliases), amount ∈ 0..size-1. */
  | { op: 'shifti'; fn: ShiftKind; size: Size; rd: Reg; rn: Reg; amount: number }
  /** Bitfield extract/insert; bfi/bfxil keep the other bits of rd (Use+Def). */
  | { op: 'bitfield'; fn: 'ubfx' | 'sbfx' | 'ubfiz' | 'sbfiz' | 'bfi' | 'bfxil'; size: Size; rd: Reg; rn: Reg; lsb: number; width: number }
  /** Sign/zero extension of the low bits of rn. sxtw only at size 64; uxtb/uxth only at size 32 (w writes zero the top). */
  | { op: 'extend'; fn: 'sxtb' | 'sxth' | 'sxtw' | 'uxtb' | 'uxth'; size: Size; rd: Reg; rn: Reg }
  /** rd = ra ± rn*rm; ra = xzr gives mul/mneg. */
  | { op: 'madd'; fn: 'madd' | 'msub'; size: Size; rd: Reg; rn: Reg; rm: Reg; ra: Reg }
  /** Conditional select family; with zr operands these give cset/csetm/cinc/cinv/cneg. */
  | { op: 'csel'; fn: 'csel' | 'csinc' | 'csinv' | 'csneg'; size: Size; rd: Reg; rn: Reg; rm: Reg; cond: Cond }
  /** Conditional compare: if cond then flags = cmp(rn, rm or imm5) else flags = nzcv. */
  | { op: 'ccmp'; fn: 'ccmp' | 'ccmn'; size: Size; rn: Reg; rm?: Reg; imm?: number; nzcv: number; cond: Cond }
  // ---- memory (trap: the wasm trap code recorded at the faulting instruction) ----
  /** Integer load of `bits`, zero-extended, or sign-extended to `sx` bits (ldrsb/ldrsh w|x, ldrsw x). */
  | { op: 'ldr'; bits: 8 | 16 | 32 | 64; sx?: Size; rt: Reg; am: Amode; trap?: number }
  | { op: 'str'; bits: 8 | 16 | 32 | 64; rt: Reg; am: Amode; trap?: number }
  /** FP/SIMD load/store of b/h/s/d/q. */
  | { op: 'fldr'; bits: 8 | 16 | 32 | 64 | 128; rt: Reg; am: Amode; trap?: number }
  | { op: 'fstr'; bits: 8 | 16 | 32 | 64 | 128; rt: Reg; am: Amode; trap?: number }
  /** Pair load/store (frames): x/w pairs (fp false) or s/d/q pairs (fp true); am: imm, pre or post. */
  | { op: 'ldp' | 'stp'; fp: boolean; bits: 32 | 64 | 128; rt: Reg; rt2: Reg; am: Amode }
  // ---- floating point (size 32 = s, 64 = d) ----
  | { op: 'fmov'; size: Size; rd: Reg; rn: Reg }
  /** fmov s, w / fmov d, x (rn may be xzr). */
  | { op: 'fmov_from_gpr'; size: Size; rd: Reg; rn: Reg }
  /** fmov w, s / fmov x, d. */
  | { op: 'fmov_to_gpr'; size: Size; rd: Reg; rn: Reg }
  /** fmov with an 8-bit encodable immediate (imm.ts encodeFpImm8). */
  | { op: 'fmovi'; size: Size; rd: Reg; imm: number }
  /** Pseudo: any float constant by its bit pattern: fmov #imm, fmov from xzr, or mov x16 + fmov. */
  | { op: 'fconst'; size: Size; rd: Reg; bits: bigint }
  /** fmin/fmax already propagate NaN and order -0 < +0, as wasm wants. */
  | { op: 'fp2'; fn: 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'fmin' | 'fmax' | 'fminnm' | 'fmaxnm' | 'fnmul'; size: Size; rd: Reg; rn: Reg; rm: Reg }
  | { op: 'fp1'; fn: 'fabs' | 'fneg' | 'fsqrt' | 'frintn' | 'frintz' | 'frintp' | 'frintm' | 'frinta' | 'frintx' | 'frinti'; size: Size; rd: Reg; rn: Reg }
  /** fcvt between s and d (from ≠ to). */
  | { op: 'fcvt'; from: Size; to: Size; rd: Reg; rn: Reg }
  /** scvtf/ucvtf: integer (isize) → float (fsize). */
  | { op: 'i2f'; signed: boolean; isize: Size; fsize: Size; rd: Reg; rn: Reg }
  /** fcvtzs/fcvtzu: float (fsize) → integer (isize), saturating (isel adds the wasm trap checks). */
  | { op: 'f2i'; signed: boolean; fsize: Size; isize: Size; rd: Reg; rn: Reg }
  /** fcmp rn, rm — or fcmp rn, #0.0 when rm is absent. */
  | { op: 'fcmp'; size: Size; rn: Reg; rm?: Reg }
  | { op: 'fcsel'; size: Size; rd: Reg; rn: Reg; rm: Reg; cond: Cond }
  // ---- SIMD (room to grow: v128 basics plus what scalar popcnt needs) ----
  /** mov vd.16b, vn.16b — the whole 128-bit register. */
  | { op: 'vmov'; rd: Reg; rn: Reg }
  /** movi vd.2d, #0. */
  | { op: 'vzero'; rd: Reg }
  | { op: 'vlogic'; fn: 'and' | 'orr' | 'eor' | 'bic' | 'orn'; rd: Reg; rn: Reg; rm: Reg }
  | { op: 'varith'; fn: 'add' | 'sub'; esize: 8 | 16 | 32 | 64; rd: Reg; rn: Reg; rm: Reg }
  /** dup vd.<all lanes>, rn (a GPR) — or vn.<e>[lane] when `lane` is given (rn an FPR). */
  | { op: 'dup'; esize: 8 | 16 | 32 | 64; rd: Reg; rn: Reg; lane?: number }
  /** ins vd.<e>[lane], rn (GPR) — or vn.<e>[srcLane] (FPR). Other lanes kept (rd is Use+Def). */
  | { op: 'ins'; esize: 8 | 16 | 32 | 64; rd: Reg; lane: number; rn: Reg; srcLane?: number }
  /** umov/smov rd (GPR), vn.<e>[lane]; `size` is the destination width (smov to w or x). */
  | { op: 'umov' | 'smov'; esize: 8 | 16 | 32 | 64; size: Size; rd: Reg; rn: Reg; lane: number }
  /** cnt vd.8b, vn.8b. */
  | { op: 'cnt'; rd: Reg; rn: Reg }
  /** addv bd, vn.8b. */
  | { op: 'addv'; rd: Reg; rn: Reg }
  // ---- control flow ----
  /** Terminator: jump to a block (omitted when it is the next block). */
  | { op: 'jump'; target: number }
  /** Terminator: two-way branch between blocks; the encoder inverts the test to fall through when it can. */
  | { op: 'brif'; test: BranchTest; taken: number; notTaken: number }
  /**
   * Terminator: `idx` (w, unsigned) selects targets[idx], out of range goes to `dflt`. Expands to
   * cmp + b.hs dflt + adr x16, T + ldrsw x17, [x16, w, uxtw #2] + add x16, x16, x17 + br x16 + T: .word Lk - T …
   */
  | { op: 'jumptable'; idx: Reg; targets: number[]; dflt: number }
  /** Branch to a code-buffer label (out-of-line code such as trap stubs). */
  | { op: 'b'; label: Label }
  /** Conditional branch to a label, falling through otherwise (e.g. `b.hs trap_oob`). */
  | { op: 'bif'; test: BranchTest; label: Label }
  /** Direct call (R_AARCH64_CALL26). Arguments/results sit in the fixed ABI registers. */
  | { op: 'bl'; sym: string; addend?: number; args: FixedOperand[]; rets: FixedOperand[]; clobbersV128?: boolean }
  | { op: 'blr'; rn: Reg; args: FixedOperand[]; rets: FixedOperand[]; clobbersV128?: boolean }
  | { op: 'br'; rn: Reg }
  /** Return through x30; `rets` keeps the results live in their ABI registers. The epilogue precedes it. */
  | { op: 'ret'; rets: FixedOperand[] }
  | { op: 'adr'; rd: Reg; label: Label }
  /** adrp rd, sym (page), then `addlo12` adds :lo12:sym. */
  | { op: 'adrp'; rd: Reg; sym: string; addend?: number }
  | { op: 'addlo12'; rd: Reg; rn: Reg; sym: string; addend?: number }
  /** Permanently undefined: SIGILL, which the runtime maps through the trap table. */
  | { op: 'udf'; imm: number; trap?: number }
  /** Breakpoint (SIGTRAP): debugging aid rather than wasm traps. */
  | { op: 'brk'; imm: number; trap?: number }
  | { op: 'nop' };

export type A64Op = A64Inst['op'];

// ---------------------------------------------------------------- helpers for isel

/** The instructions that put `value` into `rd` (fewest movz/movn/movk/orr). */
export function materialize(size: Size, rd: Reg, value: bigint): A64Inst[] {
  return planConstant(size, value).map((s): A64Inst =>
    s.k === 'orr'
      ? { op: 'logi', fn: 'orr', size, rd, rn: XZR, imm: s.imm }
      : { op: 'movw', fn: s.k, size, rd, imm16: s.imm16, shift: s.shift },
  );
}

/** True when an add/sub immediate can encode `imm` (0..4095, or a multiple of 4096 below 2^24). */
export function isAddSubImm(imm: number): boolean {
  return Number.isInteger(imm) && imm >= 0 && (imm < 4096 || (imm % 4096 === 0 && imm < 4096 * 4096));
}

/**
 * rd = rn + imm for any imm: one add/sub immediate, two (high 12 bits then low) for |imm| < 2^24,
 * else through `scratch` (which must differ from rn). rd/rn may be sp — frame adjustment uses this.
 */
export function addImm(size: Size, rd: Reg, rn: Reg, imm: number, scratch: Reg): A64Inst[] {
  const fn: AddSubFn = imm < 0 ? 'sub' : 'add';
  const a = Math.abs(imm);
  if (a < 4096) return [{ op: 'alui', fn, size, rd, rn, imm12: a }];
  if (a < 4096 * 4096) {
    const hi: A64Inst = { op: 'alui', fn, size, rd, rn, imm12: a >>> 12, lsl12: true };
    if ((a & 0xfff) === 0) return [hi];
    return [hi, { op: 'alui', fn, size, rd, rn: rd, imm12: a & 0xfff }];
  }
  return [
    ...materialize(64, scratch, BigInt(a)),
    { op: 'alux', fn, size, rd, rn, rm: scratch, ext: size === 64 ? 'uxtx' : 'uxtw' },
  ];
}

/** popcnt through SIMD: fmov d, x; cnt v.8b; addv b; fmov w, s (tmp: any FPR). */
export function popcount(size: Size, rd: Reg, rn: Reg, tmp: Reg): A64Inst[] {
  return [
    { op: 'fmov_from_gpr', size, rd: tmp, rn },
    { op: 'cnt', rd: tmp, rn: tmp },
    { op: 'addv', rd: tmp, rn: tmp },
    { op: 'fmov_to_gpr', size: 32, rd, rn: tmp },
  ];
}

export const cmp = (size: Size, rn: Reg, rm: Reg): A64Inst => ({ op: 'alu', fn: 'subs', size, rd: XZR, rn, rm });
export const cmpImm = (size: Size, rn: Reg, imm12: number): A64Inst => ({ op: 'alui', fn: 'subs', size, rd: XZR, rn, imm12 });
/** cset rd, cond (= csinc rd, zr, zr, !cond). */
export const cset = (size: Size, rd: Reg, cond: Cond): A64Inst => ({ op: 'csel', fn: 'csinc', size, rd, rn: XZR, rm: XZR, cond: invertCond(cond) });
export const csetm = (size: Size, rd: Reg, cond: Cond): A64Inst => ({ op: 'csel', fn: 'csinv', size, rd, rn: XZR, rm: XZR, cond: invertCond(cond) });

// ---------------------------------------------------------------- operand walking

function visitAmode(am: Amode, v: (r: Reg, role: OpRole, cls: RegClass) => Reg): void {
  switch (am.k) {
    case 'imm':
      am.base = v(am.base, OpRole.Use, GPR);
      return;
    case 'reg':
      am.base = v(am.base, OpRole.Use, GPR);
      am.index = v(am.index, OpRole.Use, GPR);
      return;
    case 'pre':
    case 'post':
      am.base = v(am.base, OpRole.UseDef, GPR);
      return;
    case 'slot':
      return;
  }
}

function visitTest(t: BranchTest, v: (r: Reg, role: OpRole, cls: RegClass) => Reg): void {
  if (t.k !== 'cond') t.rt = v(t.rt, OpRole.Use, GPR);
}

/**
 * Operand roles, in operand order. xzr and sp are not storage the allocator manages, so
 * they are never visited; fixed call/return operands are visited with their ABI register.
 */
function mapRegs(i: A64Inst, visit: RegVisitor): void {
  const v = (r: Reg, role: OpRole, cls: RegClass, fixed?: Reg): Reg =>
    r === XZR || r === SP ? r : visit(r, role, cls, fixed);
  const D = OpRole.Def;
  const U = OpRole.Use;
  const UD = OpRole.UseDef;
  switch (i.op) {
    case 'mov':
      i.rd = v(i.rd, D, GPR);
      i.rm = v(i.rm, U, GPR);
      return;
    case 'movw':
      i.rd = v(i.rd, i.fn === 'movk' ? UD : D, GPR);
      return;
    case 'movconst':
      i.rd = v(i.rd, D, GPR);
      return;
    case 'alu':
    case 'alux':
    case 'dp2':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, GPR);
      i.rm = v(i.rm, U, GPR);
      return;
    case 'alui':
    case 'logi':
    case 'dp1':
    case 'shifti':
    case 'extend':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, GPR);
      return;
    case 'bitfield':
      i.rd = v(i.rd, i.fn === 'bfi' || i.fn === 'bfxil' ? UD : D, GPR);
      i.rn = v(i.rn, U, GPR);
      return;
    case 'madd':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, GPR);
      i.rm = v(i.rm, U, GPR);
      i.ra = v(i.ra, U, GPR);
      return;
    case 'csel':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, GPR);
      i.rm = v(i.rm, U, GPR);
      return;
    case 'ccmp':
      i.rn = v(i.rn, U, GPR);
      if (i.rm !== undefined) i.rm = v(i.rm, U, GPR);
      return;
    case 'ldr':
      i.rt = v(i.rt, D, GPR);
      visitAmode(i.am, v);
      return;
    case 'str':
      i.rt = v(i.rt, U, GPR);
      visitAmode(i.am, v);
      return;
    case 'fldr':
      i.rt = v(i.rt, D, FPR);
      visitAmode(i.am, v);
      return;
    case 'fstr':
      i.rt = v(i.rt, U, FPR);
      visitAmode(i.am, v);
      return;
    case 'ldp':
    case 'stp': {
      // Two Defs of one instruction never share a register, so ldp's rt ≠ rt2 holds.
      const cls = i.fp ? FPR : GPR;
      const role = i.op === 'ldp' ? D : U;
      i.rt = v(i.rt, role, cls);
      i.rt2 = v(i.rt2, role, cls);
      visitAmode(i.am, v);
      return;
    }
    case 'fmov':
    case 'fp1':
    case 'fcvt':
    case 'cnt':
    case 'addv':
    case 'vmov':
      i.rd = v(i.rd, D, FPR);
      i.rn = v(i.rn, U, FPR);
      return;
    case 'fmov_from_gpr':
    case 'i2f':
      i.rd = v(i.rd, D, FPR);
      i.rn = v(i.rn, U, GPR);
      return;
    case 'fmov_to_gpr':
    case 'f2i':
    case 'umov':
    case 'smov':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, FPR);
      return;
    case 'fmovi':
    case 'fconst':
    case 'vzero':
      i.rd = v(i.rd, D, FPR);
      return;
    case 'fp2':
    case 'fcsel':
    case 'vlogic':
    case 'varith':
      i.rd = v(i.rd, D, FPR);
      i.rn = v(i.rn, U, FPR);
      i.rm = v(i.rm, U, FPR);
      return;
    case 'fcmp':
      i.rn = v(i.rn, U, FPR);
      if (i.rm !== undefined) i.rm = v(i.rm, U, FPR);
      return;
    case 'dup':
      i.rd = v(i.rd, D, FPR);
      i.rn = v(i.rn, U, i.lane === undefined ? GPR : FPR);
      return;
    case 'ins':
      i.rd = v(i.rd, UD, FPR);
      i.rn = v(i.rn, U, i.srcLane === undefined ? GPR : FPR);
      return;
    case 'brif':
    case 'bif':
      visitTest(i.test, v);
      return;
    case 'jumptable':
      i.idx = v(i.idx, U, GPR);
      return;
    case 'bl':
    case 'blr':
      if (i.op === 'blr') i.rn = v(i.rn, U, GPR);
      for (const a of i.args) a.reg = v(a.reg, U, classOfLoc(a.loc), a.loc);
      for (const r of i.rets) r.reg = v(r.reg, D, classOfLoc(r.loc), r.loc);
      return;
    case 'ret':
      for (const r of i.rets) r.reg = v(r.reg, U, classOfLoc(r.loc), r.loc);
      return;
    case 'br':
      i.rn = v(i.rn, U, GPR);
      return;
    case 'adr':
    case 'adrp':
      i.rd = v(i.rd, D, GPR);
      return;
    case 'addlo12':
      i.rd = v(i.rd, D, GPR);
      i.rn = v(i.rn, U, GPR);
      return;
    case 'jump':
    case 'b':
    case 'udf':
    case 'brk':
    case 'nop':
      return;
  }
}

function classOfLoc(loc: Reg): RegClass {
  const c = A64_REGS.classOf[loc];
  if (c === undefined) throw new Error(`fixed operand location ${loc} is not a physical register`);
  return c;
}

function clobbers(i: A64Inst): readonly Reg[] {
  if (i.op !== 'bl' && i.op !== 'blr') return [];
  const defs = new Set(i.rets.map((r) => r.loc));
  return callClobbers(i.clobbersV128 === true).filter((r) => !defs.has(r));
}

function branchTargets(i: A64Inst): readonly number[] {
  switch (i.op) {
    case 'jump':
      return [i.target];
    case 'brif':
      return [i.taken, i.notTaken];
    case 'jumptable': {
      const out: number[] = [];
      for (const t of [...i.targets, i.dflt]) if (!out.includes(t)) out.push(t);
      return out;
    }
    default:
      return [];
  }
}

function isTerminator(i: A64Inst): boolean {
  switch (i.op) {
    case 'jump':
    case 'brif':
    case 'jumptable':
    case 'b':
    case 'br':
    case 'ret':
    case 'udf':
    case 'brk':
      return true;
    default:
      return false;
  }
}

/** Only full-width copies count as moves: a 32-bit mov zero-extends, an fmov s/d clears the rest of the vector. */
function asMove(i: A64Inst): MoveInfo | undefined {
  if (i.op === 'mov' && i.size === 64 && i.rd !== SP && i.rm !== SP && i.rm !== XZR) return { dst: i.rd, src: i.rm, cls: GPR };
  if (i.op === 'vmov') return { dst: i.rd, src: i.rn, cls: FPR };
  return undefined;
}

/** Makes a branch to block `from` go to block `to` (critical-edge splitting in the allocator). */
function retargetBranch(i: A64Inst, from: number, to: number): void {
  const sw = (b: number): number => (b === from ? to : b);
  if (i.op === 'jump') i.target = sw(i.target);
  else if (i.op === 'brif') {
    i.taken = sw(i.taken);
    i.notTaken = sw(i.notTaken);
  } else if (i.op === 'jumptable') {
    i.targets = i.targets.map(sw);
    i.dflt = sw(i.dflt);
  }
}

/**
 * The AArch64 TargetISA, with the optional edge-splitting methods the allocator uses
 * when a critical edge needs moves of its own (regalloc/index.ts appends an edge block).
 */
export const A64_ISA: EdgeSplittingISA<A64Inst> = {
  name: 'aarch64',
  regs: A64_REGS,
  mapRegs,
  clobbers,
  branchTargets,
  isTerminator,
  asMove,
  makeMove: (cls, dst, src) => (cls === GPR ? { op: 'mov', size: 64, rd: dst, rm: src } : { op: 'vmov', rd: dst, rn: src }),
  // GPR slots are 8 bytes, FPR slots 16 (a v128 may live in any FPR).
  makeSpill: (cls, src, slot) =>
    cls === GPR ? { op: 'str', bits: 64, rt: src, am: { k: 'slot', slot } } : { op: 'fstr', bits: 128, rt: src, am: { k: 'slot', slot } },
  makeReload: (cls, dst, slot) =>
    cls === GPR ? { op: 'ldr', bits: 64, rt: dst, am: { k: 'slot', slot } } : { op: 'fldr', bits: 128, rt: dst, am: { k: 'slot', slot } },
  format: (i) => formatInst(i),
  makeJump: (target) => ({ op: 'jump', target }),
  retargetBranch,
};

/** A deep copy (instructions are mutated in place by mapRegs). */
export function cloneInst(i: A64Inst): A64Inst {
  return structuredClone(i);
}
