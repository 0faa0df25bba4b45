/**
 * x86-64 encoder: one `X64Inst` with physical registers → bytes in a CodeBuffer.
 *
 * Every instruction goes through one path, `emitRM`: [legacy prefix] [REX] opcode
 * ModRM [SIB] [disp] — then the caller appends the immediate. The rules that make x86
 * encoding subtle live there and only there:
 *   - REX.W/R/X/B from the operand size and the high bit of each register number; a bare
 *     REX (0x40) whenever a byte operand is spl/bpl/sil/dil (without it those encodings
 *     mean ah/ch/dh/bh);
 *   - a base of rsp/r12 (low bits 100) needs a SIB byte; a base of rbp/r13 (low bits 101)
 *     with mod 00 would mean RIP/disp32, so it always gets at least a disp8 of 0;
 *   - rsp cannot be an index (SIB index 100 means "none"); r12 can (REX.X distinguishes);
 *   - a RIP-relative displacement is relative to the end of the instruction, so it must
 *     account for the immediate that follows it.
 * Mandatory prefixes (66/F2/F3) precede REX; REX immediately precedes the opcode.
 * Branches always use rel32 (except the inline `trap_if` skip, which is rel8).
 */

import type { CodeBuffer, FixupPatcher, Label } from '../codebuf.js';
import type { Reg } from '../minst.js';
import type {
  AluOp, BitOp, Mem, ShiftOp, Size, SseOp, Width, X64Inst, XMoveOp,
} from './inst.js';
import { invertCond, isMem } from './inst.js';
import { RAX, RSP, SCRATCH_GPR } from './regs.js';

/** Where a frame slot lives once the frame is laid out: [base + disp]. */
export interface FrameSlot {
  base: Reg;
  disp: number;
}

export interface EncodeContext {
  /** The label bound at the start of each block (created by the emitter). */
  blockLabel(block: number): Label;
  /** The block laid out right after the one being encoded, if any: jumps to it are omitted. */
  nextBlock?: number;
  /**
   * Resolves a spill slot index to its frame address. rsp-based layouts assume rsp stays
   * put inside the body (outgoing arguments live in a preallocated area, no pushes between
   * prologue and epilogue); rbp-based layouts have no such constraint.
   */
  slot(index: number): FrameSlot;
}

/**
 * The usual slot layout: slot i at [base + offset + i*slotSize]. With base = rsp, offset
 * is the size of the outgoing-argument area; with base = rbp, offset is negative.
 * 16-byte slots hold any class (GPR spills use the low 8 bytes).
 */
export function linearSlots(base: Reg, offset: number, slotSize = 16): (index: number) => FrameSlot {
  return (index) => ({ base, disp: offset + index * slotSize });
}

// ───────────────────────────── low-level helpers ─────────────────────────────

function phys(reg: Reg): number {
  if (!Number.isInteger(reg) || reg < 0 || reg >= 32) throw new Error(`x64 encode: not a physical register: ${reg}`);
  return reg & 15;
}

/** Hardware number of a physical register of the expected class. */
function physOf(reg: Reg, xmm: boolean): number {
  if (xmm ? !(reg >= 16 && reg < 32) : !(reg >= 0 && reg < 16)) {
    throw new Error(`x64 encode: expected ${xmm ? 'an XMM register' : 'a GPR'}, got ${reg}`);
  }
  return reg & 15;
}

function fitsI8(n: number): boolean {
  return n >= -128 && n <= 127;
}

function checkI32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < -0x8000_0000 || n > 0x7fff_ffff) throw new Error(`x64 encode: ${what} ${n} does not fit in a signed 32-bit field`);
  return n;
}

/** An immediate of a `size`-bit operation as the signed 32-bit value the encoding carries. */
function imm32(n: number, size: Size): number {
  if (size === 32 && Number.isInteger(n) && n >= -0x8000_0000 && n <= 0xffff_ffff) return n | 0;
  return checkI32(n, 'immediate');
}

function write32(bytes: Uint8Array, at: number, v: number): void {
  for (let k = 0; k < 4; k++) bytes[at + k] = (v >>> (8 * k)) & 0xff;
}

/** Patcher for a rel32 field at `at` whose instruction ends `trailing` bytes after the field. */
function rel32(trailing = 0, extra = 0): FixupPatcher {
  return (bytes, at, target) => {
    const d = target + extra - (at + 4 + trailing);
    if (d < -0x8000_0000 || d > 0x7fff_ffff) throw new Error('x64 encode: rel32 out of range');
    write32(bytes, at, d);
  };
}

interface RM {
  /** A legacy prefix: 0x66 (operand size / mandatory), 0xF2, 0xF3 (mandatory). */
  prefix?: number;
  w?: boolean;
  op: readonly number[];
  /** Register (physical) for the ModRM.reg field… */
  reg?: Reg;
  /** …or an opcode extension (/digit). */
  digit?: number;
  /** `reg` / the register `rm` is an XMM register (otherwise a GPR). */
  xreg?: boolean;
  xrm?: boolean;
  rm: Reg | Mem;
  /** The reg field names a byte register. */
  byteReg?: boolean;
  /** The rm field (when a register) names a byte register. */
  byteRm?: boolean;
  /** Bytes of immediate that follow the ModRM/SIB/disp (for RIP-relative displacements). */
  immBytes?: number;
}

function emitRM(buf: CodeBuffer, ctx: EncodeContext, s: RM): void {
  const regHw = s.digit ?? physOf(s.reg!, s.xreg === true);
  let rex = (s.w ? 8 : 0) | ((regHw >> 3) << 2);
  let force = s.byteReg === true && regHw >= 4 && regHw < 8;
  let rmMem: Mem | undefined;
  let rmHw = 0;
  let base = 0;
  /** [index*scale + disp32]: SIB with base 101 and mod 00. */
  let noBase = false;
  let index: number | undefined;
  let disp = 0;
  if (typeof s.rm === 'number') {
    rmHw = physOf(s.rm, s.xrm === true);
    rex |= rmHw >> 3;
    force ||= s.byteRm === true && rmHw >= 4 && rmHw < 8;
  } else {
    rmMem = s.rm;
    if (rmMem.kind === 'addr' || rmMem.kind === 'slot') {
      if (rmMem.kind === 'addr') {
        if (rmMem.base === undefined) noBase = true;
        else base = physOf(rmMem.base, false);
        disp = rmMem.disp;
        if (rmMem.index !== undefined) {
          index = physOf(rmMem.index, false);
          if (index === 4) throw new Error('x64 encode: rsp cannot be an index register');
        }
      } else {
        const f = ctx.slot(rmMem.slot);
        base = physOf(f.base, false);
        disp = f.disp + (rmMem.disp ?? 0);
      }
      checkI32(disp, 'displacement');
      rex |= base >> 3;
      if (index !== undefined) rex |= (index >> 3) << 1;
    }
  }
  if (s.prefix !== undefined) buf.emit8(s.prefix);
  if (rex !== 0 || force) buf.emit8(0x40 | rex);
  buf.emitBytes(s.op);
  const regBits = (regHw & 7) << 3;
  if (rmMem === undefined) {
    buf.emit8(0xc0 | regBits | (rmHw & 7));
    return;
  }
  if (rmMem.kind === 'rip-sym' || rmMem.kind === 'rip-label') {
    buf.emit8(regBits | 5);
    const at = buf.offset;
    buf.emit32(0);
    const trailing = s.immBytes ?? 0;
    if (rmMem.kind === 'rip-sym') buf.addReloc(at, 'x64-pc32', rmMem.symbol, rmMem.addend - 4 - trailing);
    else buf.useLabel(rmMem.label, at, rel32(trailing, rmMem.disp ?? 0));
    return;
  }
  if (noBase) {
    const scale = rmMem.kind === 'addr' ? (rmMem.scale ?? 1) : 1;
    const ss = scale === 1 ? 0 : scale === 2 ? 1 : scale === 4 ? 2 : 3;
    buf.emit8(regBits | 4);
    buf.emit8((ss << 6) | ((index ?? 4) & 7) << 3 | 5);
    buf.emit32(disp);
    return;
  }
  const b = base & 7;
  const mod = disp === 0 && b !== 5 ? 0 : fitsI8(disp) ? 1 : 2;
  if (index === undefined && b !== 4) {
    buf.emit8((mod << 6) | regBits | b);
  } else {
    const scale = rmMem.kind === 'addr' ? (rmMem.scale ?? 1) : 1;
    const ss = scale === 1 ? 0 : scale === 2 ? 1 : scale === 4 ? 2 : 3;
    buf.emit8((mod << 6) | regBits | 4);
    buf.emit8((ss << 6) | ((index ?? 4) & 7) << 3 | b);
  }
  if (mod === 1) buf.emit8(disp);
  else if (mod === 2) buf.emit32(disp);
}

/** A store's immediate: any value of `width` bits, signed or unsigned (64: a sign-extended imm32). */
function storeImm(n: number, width: Width): number {
  if (width === 64) return checkI32(n, 'immediate');
  const lim = 2 ** width;
  if (!Number.isInteger(n) || n < -(lim / 2) || n >= lim) throw new Error(`x64 encode: immediate ${n} does not fit in ${width} bits`);
  return n;
}

function emitImm(buf: CodeBuffer, n: number, bytes: number): void {
  if (bytes === 1) buf.emit8(n);
  else if (bytes === 2) buf.emit16(n);
  else buf.emit32(n);
}

// ───────────────────────────── opcode tables ─────────────────────────────

/** ModRM /digit of the 0x81/0x83 immediate group. */
const ALU_DIGIT: Record<Exclude<AluOp, 'test'>, number> = { add: 0, or: 1, and: 4, sub: 5, xor: 6, cmp: 7 };
/** `op r/m, reg` opcode (32/64-bit); `op reg, r/m` is this + 2 (test has only the 0x85 form). */
const ALU_MR: Record<AluOp, number> = { add: 0x01, or: 0x09, and: 0x21, sub: 0x29, xor: 0x31, cmp: 0x39, test: 0x85 };
const SHIFT_DIGIT: Record<ShiftOp, number> = { rol: 0, ror: 1, shl: 4, shr: 5, sar: 7 };
const BIT_OP: Record<BitOp, { prefix?: number; op: number }> = {
  lzcnt: { prefix: 0xf3, op: 0xbd },
  tzcnt: { prefix: 0xf3, op: 0xbc },
  popcnt: { prefix: 0xf3, op: 0xb8 },
  bsr: { op: 0xbd },
  bsf: { op: 0xbc },
};

/** [prefix, load/reg-reg opcode, store opcode] (all after 0x0F). */
const XMOVE: Record<XMoveOp, readonly [number | undefined, number, number]> = {
  movaps: [undefined, 0x28, 0x29],
  movapd: [0x66, 0x28, 0x29],
  movups: [undefined, 0x10, 0x11],
  movupd: [0x66, 0x10, 0x11],
  movdqa: [0x66, 0x6f, 0x7f],
  movdqu: [0xf3, 0x6f, 0x7f],
  movss: [0xf3, 0x10, 0x11],
  movsd: [0xf2, 0x10, 0x11],
};

/** [prefix, opcode after 0x0F] of each `op xmm, xmm/m` SSE instruction. */
const SSE: Record<SseOp, readonly [number | undefined, number]> = {
  addss: [0xf3, 0x58], addsd: [0xf2, 0x58], subss: [0xf3, 0x5c], subsd: [0xf2, 0x5c],
  mulss: [0xf3, 0x59], mulsd: [0xf2, 0x59], divss: [0xf3, 0x5e], divsd: [0xf2, 0x5e],
  minss: [0xf3, 0x5d], minsd: [0xf2, 0x5d], maxss: [0xf3, 0x5f], maxsd: [0xf2, 0x5f],
  sqrtss: [0xf3, 0x51], sqrtsd: [0xf2, 0x51],
  cvtss2sd: [0xf3, 0x5a], cvtsd2ss: [0xf2, 0x5a],
  ucomiss: [undefined, 0x2e], ucomisd: [0x66, 0x2e],
  andps: [undefined, 0x54], andpd: [0x66, 0x54], andnps: [undefined, 0x55], andnpd: [0x66, 0x55],
  orps: [undefined, 0x56], orpd: [0x66, 0x56], xorps: [undefined, 0x57], xorpd: [0x66, 0x57],
  pxor: [0x66, 0xef], pand: [0x66, 0xdb], pandn: [0x66, 0xdf], por: [0x66, 0xeb],
  paddb: [0x66, 0xfc], paddw: [0x66, 0xfd], paddd: [0x66, 0xfe], paddq: [0x66, 0xd4],
  psubb: [0x66, 0xf8], psubw: [0x66, 0xf9], psubd: [0x66, 0xfa], psubq: [0x66, 0xfb],
  pcmpeqb: [0x66, 0x74], pcmpeqw: [0x66, 0x75], pcmpeqd: [0x66, 0x76],
  addps: [undefined, 0x58], addpd: [0x66, 0x58], subps: [undefined, 0x5c], subpd: [0x66, 0x5c],
  mulps: [undefined, 0x59], mulpd: [0x66, 0x59], divps: [undefined, 0x5e], divpd: [0x66, 0x5e],
  sqrtps: [undefined, 0x51], sqrtpd: [0x66, 0x51],
};

/** Intel's recommended multi-byte NOPs, by length (also emit.ts's loop-header padding). */
export const NOPS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

// ───────────────────────────── the encoder ─────────────────────────────

/**
 * Appends the bytes of one instruction (physical registers only) to `buf`, recording
 * label fixups, relocations and trap sites. Throws on operands the hardware cannot encode
 * (rsp as index, out-of-range displacement or immediate, virtual registers).
 */
export function encodeInst(i: X64Inst, buf: CodeBuffer, ctx: EncodeContext): void {
  if ('trap' in i && i.trap !== undefined) buf.addTrapSite(i.trap);
  switch (i.op) {
    case 'mov_rr':
      return emitRM(buf, ctx, { w: i.size === 64, op: [0x89], reg: i.src, rm: i.dst });

    case 'mov_ri': {
      const d = physOf(i.dst, false);
      const v = i.size === 32 ? BigInt.asUintN(32, i.imm) : BigInt.asIntN(64, i.imm);
      if (i.size === 32 || (v >= 0n && v <= 0xffff_ffffn)) {
        // mov r32, imm32 (B8+r): zero-extends, so it also serves 64-bit constants < 2^32.
        if (d >= 8) buf.emit8(0x41);
        buf.emit8(0xb8 + (d & 7));
        buf.emit32(Number(BigInt.asUintN(32, v)));
      } else if (v >= -0x8000_0000n && v < 0n) {
        emitRM(buf, ctx, { w: true, op: [0xc7], digit: 0, rm: i.dst });
        buf.emit32(Number(v));
      } else {
        buf.emit8(0x48 | (d >> 3));
        buf.emit8(0xb8 + (d & 7));
        buf.emit64(v);
      }
      return;
    }

    case 'gzero':
      return emitRM(buf, ctx, { op: [0x31], reg: gprOf(i.dst), rm: i.dst });

    case 'load':
      return encodeLoad(buf, ctx, i.width, i.ext, i.size, i.dst, i.mem);

    case 'store': {
      const w = i.width;
      return emitRM(buf, ctx, {
        prefix: w === 16 ? 0x66 : undefined, w: w === 64, op: [w === 8 ? 0x88 : 0x89],
        reg: gprOf(i.src), rm: i.mem, byteReg: w === 8,
      });
    }

    case 'store_imm': {
      const w = i.width;
      const n = w === 8 ? 1 : w === 16 ? 2 : 4;
      emitRM(buf, ctx, {
        prefix: w === 16 ? 0x66 : undefined, w: w === 64, op: [w === 8 ? 0xc6 : 0xc7],
        digit: 0, rm: i.mem, immBytes: n,
      });
      return emitImm(buf, storeImm(i.imm, w), n);
    }

    case 'ext_rr': {
      if (i.from === 32) {
        if (i.signed) {
          if (i.size !== 64) throw new Error('x64 encode: movsxd needs a 64-bit destination');
          return emitRM(buf, ctx, { w: true, op: [0x63], reg: gprOf(i.dst), rm: i.src });
        }
        return emitRM(buf, ctx, { op: [0x89], reg: gprOf(i.src), rm: i.dst });
      }
      const op = (i.signed ? 0xbe : 0xb6) + (i.from === 16 ? 1 : 0);
      return emitRM(buf, ctx, {
        w: i.signed && i.size === 64, op: [0x0f, op], reg: gprOf(i.dst), rm: i.src, byteRm: i.from === 8,
      });
    }

    case 'lea':
      return emitRM(buf, ctx, { w: i.size === 64, op: [0x8d], reg: gprOf(i.dst), rm: i.mem });

    case 'alu_rr':
      return emitRM(buf, ctx, { w: i.size === 64, op: [ALU_MR[i.aop]], reg: gprOf(i.src), rm: i.dst });

    case 'alu_ri':
      return encodeAluImm(buf, ctx, i.aop, i.size, i.dst, i.imm);

    case 'alu_rm':
      return emitRM(buf, ctx, {
        w: i.size === 64, op: [i.aop === 'test' ? 0x85 : ALU_MR[i.aop] + 2], reg: gprOf(i.dst), rm: i.mem,
      });

    case 'alu_mr':
      return emitRM(buf, ctx, { w: i.size === 64, op: [ALU_MR[i.aop]], reg: gprOf(i.src), rm: i.mem });

    case 'alu_mi':
      return encodeAluImm(buf, ctx, i.aop, i.size, i.mem, i.imm);

    case 'imul_rr':
      return emitRM(buf, ctx, { w: i.size === 64, op: [0x0f, 0xaf], reg: gprOf(i.dst), rm: i.src });

    case 'imul_rri': {
      const v = imm32(i.imm, i.size);
      const short = fitsI8(v);
      emitRM(buf, ctx, { w: i.size === 64, op: [short ? 0x6b : 0x69], reg: gprOf(i.dst), rm: i.src });
      return emitImm(buf, v, short ? 1 : 4);
    }

    case 'div':
      if (i.lo !== 0 || i.quot !== 0 || i.hi !== 2 || i.rem !== 2) throw new Error('x64 encode: div operands must be rax/rdx');
      return emitRM(buf, ctx, { w: i.size === 64, op: [0xf7], digit: i.signed ? 7 : 6, rm: i.divisor });

    case 'sign_ext_ax':
      if (i.src !== 0 || i.dst !== 2) throw new Error('x64 encode: cdq/cqo operands must be rax/rdx');
      if (i.size === 64) buf.emit8(0x48);
      buf.emit8(0x99);
      return;

    case 'unary':
      return emitRM(buf, ctx, { w: i.size === 64, op: [0xf7], digit: i.uop === 'not' ? 2 : 3, rm: i.dst });

    case 'shift_rc':
      if (i.count !== 1) throw new Error('x64 encode: shift count must be in rcx');
      return emitRM(buf, ctx, { w: i.size === 64, op: [0xd3], digit: SHIFT_DIGIT[i.sop], rm: i.dst });

    case 'shift_ri': {
      const n = i.imm & (i.size === 64 ? 63 : 31);
      if (n === 1) return emitRM(buf, ctx, { w: i.size === 64, op: [0xd1], digit: SHIFT_DIGIT[i.sop], rm: i.dst });
      emitRM(buf, ctx, { w: i.size === 64, op: [0xc1], digit: SHIFT_DIGIT[i.sop], rm: i.dst });
      return buf.emit8(n);
    }

    case 'bit': {
      const b = BIT_OP[i.bop];
      return emitRM(buf, ctx, { prefix: b.prefix, w: i.size === 64, op: [0x0f, b.op], reg: gprOf(i.dst), rm: i.src });
    }

    case 'setcc':
      return emitRM(buf, ctx, { op: [0x0f, 0x90 + i.cc], digit: 0, rm: i.dst, byteRm: true });

    case 'cmov':
      return emitRM(buf, ctx, { w: i.size === 64, op: [0x0f, 0x40 + i.cc], reg: gprOf(i.dst), rm: i.src });

    case 'mov_to_xmm':
      return emitRM(buf, ctx, { prefix: 0x66, w: i.size === 64, op: [0x0f, 0x6e], xreg: true, reg: xmmOf(i.dst), rm: gprOf(i.src) });

    case 'mov_from_xmm':
      return emitRM(buf, ctx, { prefix: 0x66, w: i.size === 64, op: [0x0f, 0x7e], xreg: true, reg: xmmOf(i.src), rm: gprOf(i.dst) });

    case 'xmov': {
      const [p, ld] = XMOVE[i.xop];
      return emitRM(buf, ctx, { prefix: p, op: [0x0f, ld], xreg: true, reg: xmmOf(i.dst), rm: xmmOf(i.src), xrm: true });
    }

    case 'xload': {
      const [p, ld] = XMOVE[i.xop];
      return emitRM(buf, ctx, { prefix: p, op: [0x0f, ld], xreg: true, reg: xmmOf(i.dst), rm: i.mem });
    }

    case 'xstore': {
      const [p, , st] = XMOVE[i.xop];
      return emitRM(buf, ctx, { prefix: p, op: [0x0f, st], xreg: true, reg: xmmOf(i.src), rm: i.mem });
    }

    case 'sse': {
      const [p, op] = SSE[i.sop];
      return emitRM(buf, ctx, { prefix: p, op: [0x0f, op], xreg: true, reg: xmmOf(i.dst), rm: isMem(i.src) ? i.src : xmmOf(i.src), xrm: true });
    }

    case 'xzero':
      return emitRM(buf, ctx, { op: [0x0f, 0x57], xreg: true, reg: xmmOf(i.dst), rm: i.dst, xrm: true });

    case 'round':
      emitRM(buf, ctx, {
        prefix: 0x66, op: [0x0f, 0x3a, i.ty === 'f32' ? 0x0a : 0x0b], xreg: true, reg: xmmOf(i.dst),
        rm: isMem(i.src) ? i.src : xmmOf(i.src), xrm: true, immBytes: 1,
      });
      return buf.emit8(i.mode);

    case 'cvt_i2f':
      return emitRM(buf, ctx, {
        prefix: i.ty === 'f32' ? 0xf3 : 0xf2, w: i.size === 64, op: [0x0f, 0x2a], xreg: true, reg: xmmOf(i.dst), rm: gprOf(i.src),
      });

    case 'cvt_f2i':
      return emitRM(buf, ctx, {
        prefix: i.ty === 'f32' ? 0xf3 : 0xf2, w: i.size === 64, op: [0x0f, 0x2c], reg: gprOf(i.dst), rm: xmmOf(i.src), xrm: true,
      });

    case 'jmp':
      if (i.target === ctx.nextBlock) return;
      return jmpLabel(buf, ctx.blockLabel(i.target));

    case 'jcc': {
      let { cc, taken, notTaken } = i;
      if (taken === notTaken) return encodeInst({ op: 'jmp', target: taken }, buf, ctx);
      if (taken === ctx.nextBlock && notTaken !== ctx.nextBlock) {
        cc = invertCond(cc);
        [taken, notTaken] = [notTaken, taken];
      }
      jccLabel(buf, cc, ctx.blockLabel(taken));
      if (notTaken !== ctx.nextBlock) jmpLabel(buf, ctx.blockLabel(notTaken));
      return;
    }

    case 'jmp_table':
      if (i.dflt !== undefined) {
        encodeInst({ op: 'alu_ri', aop: 'cmp', size: 32, dst: i.index, imm: i.targets.length }, buf, ctx);
        jccLabel(buf, 3 /* ae */, ctx.blockLabel(i.dflt));
      }
      return encodeJumpTable(buf, ctx, i.index, i.tmp, i.targets.map((t) => ctx.blockLabel(t)));

    case 'jmp_r':
      return emitRM(buf, ctx, { op: [0xff], digit: 4, rm: gprOf(i.target) });

    case 'trap_if':
      // j!cc over a ud2 that is the trap site: 4 bytes inline, no out-of-line stub needed.
      buf.emit8(0x70 + invertCond(i.cc));
      buf.emit8(2);
      buf.addTrapSite(i.code);
      buf.emit8(0x0f);
      buf.emit8(0x0b);
      return;

    case 'call':
      if (i.callee.kind === 'sym') {
        buf.emit8(0xe8);
        buf.addReloc(buf.offset, 'x64-plt32', i.callee.symbol, -4);
        buf.emit32(0);
        return;
      }
      return emitRM(buf, ctx, { op: [0xff], digit: 2, rm: i.callee.kind === 'reg' ? gprOf(i.callee.reg) : i.callee.mem });

    case 'ret':
      buf.emit8(0xc3);
      return;

    case 'push': {
      const r = phys(gprOf(i.src));
      if (r >= 8) buf.emit8(0x41);
      buf.emit8(0x50 + (r & 7));
      return;
    }

    case 'pop': {
      const r = phys(gprOf(i.dst));
      if (r >= 8) buf.emit8(0x41);
      buf.emit8(0x58 + (r & 7));
      return;
    }

    case 'sp_adjust':
      if (i.delta === 0) return;
      return i.delta > 0
        ? encodeAluImm(buf, ctx, 'add', 64, RSP, i.delta)
        : encodeAluImm(buf, ctx, 'sub', 64, RSP, -i.delta);

    case 'ud2':
      if (i.code !== undefined) buf.addTrapSite(i.code);
      buf.emit8(0x0f);
      buf.emit8(0x0b);
      return;

    case 'int3':
      buf.emit8(0xcc);
      return;

    case 'nop': {
      const n = i.len ?? 1;
      if (!(n >= 1 && n < NOPS.length)) throw new Error(`x64 encode: no ${n}-byte nop`);
      buf.emitBytes(NOPS[n]!);
      return;
    }
  }
}

function gprOf(reg: Reg): Reg {
  if (!(reg >= 0 && reg < 16)) throw new Error(`x64 encode: expected a GPR, got ${reg}`);
  return reg;
}

function xmmOf(reg: Reg): Reg {
  if (!(reg >= 16 && reg < 32)) throw new Error(`x64 encode: expected an XMM register, got ${reg}`);
  return reg;
}

function encodeLoad(buf: CodeBuffer, ctx: EncodeContext, width: Width, ext: 'zx' | 'sx', size: Size, dst: Reg, m: Mem): void {
  const d = gprOf(dst);
  if (width === 64) {
    if (size !== 64) throw new Error('x64 encode: 64-bit load into a 32-bit register');
    return emitRM(buf, ctx, { w: true, op: [0x8b], reg: d, rm: m });
  }
  if (width === 32) {
    if (ext === 'sx' && size === 64) return emitRM(buf, ctx, { w: true, op: [0x63], reg: d, rm: m });
    return emitRM(buf, ctx, { op: [0x8b], reg: d, rm: m });
  }
  const op = (ext === 'sx' ? 0xbe : 0xb6) + (width === 16 ? 1 : 0);
  return emitRM(buf, ctx, { w: ext === 'sx' && size === 64, op: [0x0f, op], reg: d, rm: m });
}

function encodeAluImm(buf: CodeBuffer, ctx: EncodeContext, aop: AluOp, size: Size, rm: Reg | Mem, imm: number): void {
  const v = imm32(imm, size);
  if (rm === RAX && (aop === 'test' || !fitsI8(v))) {
    // The accumulator short forms: `op eax/rax, imm32` without a ModRM byte.
    if (size === 64) buf.emit8(0x48);
    buf.emit8(aop === 'test' ? 0xa9 : ALU_MR[aop] + 4);
    return buf.emit32(v);
  }
  if (aop === 'test') {
    emitRM(buf, ctx, { w: size === 64, op: [0xf7], digit: 0, rm, immBytes: 4 });
    return emitImm(buf, v, 4);
  }
  const short = fitsI8(v);
  emitRM(buf, ctx, { w: size === 64, op: [short ? 0x83 : 0x81], digit: ALU_DIGIT[aop], rm, immBytes: short ? 1 : 4 });
  emitImm(buf, v, short ? 1 : 4);
}

/** jmp rel32 to a label. */
export function jmpLabel(buf: CodeBuffer, label: Label): void {
  buf.emit8(0xe9);
  buf.useLabel(label, buf.offset, rel32());
  buf.emit32(0);
}

/** jcc rel32 to a label. */
export function jccLabel(buf: CodeBuffer, cc: number, label: Label): void {
  buf.emit8(0x0f);
  buf.emit8(0x80 + cc);
  buf.useLabel(label, buf.offset, rel32());
  buf.emit32(0);
}

/**
 * Emits a jump table: aligns to 4, binds `table`, then one 32-bit entry per target holding
 * `target - table` (signed). The code that uses it adds the sign-extended entry to the
 * table's address.
 */
export function emitJumpTable(buf: CodeBuffer, table: Label, targets: readonly Label[]): void {
  buf.align(4, 0xcc);
  buf.bindLabel(table);
  const start = buf.offset;
  for (const t of targets) {
    buf.useLabel(t, buf.offset, (bytes, at, target) => write32(bytes, at, target - start));
    buf.emit32(0);
  }
}

/**
 *   (cmp    index32, n ; jae dflt)     ; with a default target
 *   lea    r11, [rip + table]          ; index: a zero-extended i32 below the table length
 *   movsxd tmp, dword [r11 + tmp*4]
 *   add    r11, tmp
 *   jmp    r11
 *   (int3 padding) table: dd target_i - table …
 */
function encodeJumpTable(buf: CodeBuffer, ctx: EncodeContext, index: Reg, tmp: Reg, targets: Label[]): void {
  const s = SCRATCH_GPR;
  if (tmp === s || index === s) throw new Error('x64 encode: jmp_table operands must not use the scratch register');
  const table = buf.newLabel();
  encodeInst({ op: 'lea', size: 64, dst: s, mem: { kind: 'rip-label', label: table } }, buf, ctx);
  encodeInst({ op: 'load', width: 32, ext: 'sx', size: 64, dst: tmp, mem: { kind: 'addr', base: s, index, scale: 4, disp: 0 } }, buf, ctx);
  encodeInst({ op: 'alu_rr', aop: 'add', size: 64, dst: s, src: tmp }, buf, ctx);
  encodeInst({ op: 'jmp_r', target: s }, buf, ctx);
  emitJumpTable(buf, table, targets);
}
