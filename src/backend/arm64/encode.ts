/**
 * A64Inst → 32-bit little-endian words in a CodeBuffer. Field layouts follow the Arm ARM
 * (A64 encoding index); each family's base word is written in hex with its fields ORed
 * in. Registers must be physical: virtual ones, or sp/xzr where the hardware would read
 * the other, are rejected with the instruction's text.
 *
 * Branches to blocks go through `EncodeCtx.blockLabel`; every label reference gets a
 * range-checked patcher (imm26 ±128 MiB, imm19 ±1 MiB, imm14 ±32 KiB, adr ±1 MiB,
 * rel32 table entries). Calls and adrp/add :lo12: record relocations. Memory
 * instructions and udf/brk with a `trap` code record a trap site at the faulting word.
 * Expansions use only x16/x17 (regs.ts SCRATCH0/SCRATCH1).
 */

import type { CodeBuffer, FixupPatcher, Label } from '../codebuf.js';
import { isVirtual, type Reg } from '../minst.js';
import { formatInst } from './format.js';
import { bitfieldFields, encodeBitmask, encodeFpImm8, planConstant, type BitfieldFields } from './imm.js';
import { condCode, invertCond, type A64Inst, type Amode, type BranchTest, type Size } from './inst.js';
import { isFpr, SCRATCH0, SCRATCH1, SP, XZR } from './regs.js';

export interface EncodeCtx {
  /** The label bound at the start of each block (the emitter creates and binds them). */
  blockLabel(block: number): Label;
  /** The block laid out right after the one being encoded: a jump to it is omitted. */
  nextBlock?: number;
  /** Byte offset from sp of a spill slot, from the frame layout. */
  slotOffset(slot: number): number;
}

class EncodeError extends Error {}

function fail(i: A64Inst | undefined, msg: string): never {
  throw new EncodeError(i ? `${msg} in \`${safeFormat(i)}\`` : msg);
}

function safeFormat(i: A64Inst): string {
  try {
    return formatInst(i);
  } catch {
    return JSON.stringify(i, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

// ---------------------------------------------------------------- register fields

let cur: A64Inst | undefined;

/** GPR in a position where 31 means the zero register. */
function rz(r: Reg): number {
  if (r >= 0 && r <= 30) return r;
  if (r === XZR) return 31;
  return fail(cur, badReg(r, 'a general register or xzr'));
}

/** GPR in a position where 31 means sp. */
function rs(r: Reg): number {
  if (r >= 0 && r <= 30) return r;
  if (r === SP) return 31;
  return fail(cur, badReg(r, 'a general register or sp'));
}

/** FP/SIMD register. */
function rv(r: Reg): number {
  if (isFpr(r)) return r - 33;
  return fail(cur, badReg(r, 'an FP/SIMD register'));
}

function badReg(r: Reg, want: string): string {
  if (isVirtual(r)) return `virtual register ${r} reached the encoder`;
  return `register ${r === SP ? 'sp' : r === XZR ? 'xzr' : r} is not ${want}`;
}

const sf = (size: Size): number => (size === 64 ? 0x80000000 : 0);
const ftype = (size: Size): number => (size === 64 ? 1 << 22 : 0);

function checkRange(v: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi) fail(cur, `${what} ${v} outside ${lo}..${hi}`);
  return v;
}

// ---------------------------------------------------------------- label patchers

function readWord(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function writeWord(b: Uint8Array, at: number, w: number): void {
  for (let k = 0; k < 4; k++) b[at + k] = (w >>> (8 * k)) & 0xff;
}

function pcRelPatcher(bits: number, lsb: number, name: string): FixupPatcher {
  const span = 2 ** (bits - 1);
  return (b, at, target) => {
    const d = target - at;
    if (d % 4 !== 0) throw new Error(`${name} branch target ${target} is not 4-byte aligned`);
    const q = d / 4;
    if (q < -span || q >= span) throw new Error(`${name} branch from ${at} to ${target} is out of range`);
    const mask = ((2 ** bits - 1) * 2 ** lsb) >>> 0;
    writeWord(b, at, ((readWord(b, at) & ~mask) | ((q * 2 ** lsb) & mask)) >>> 0);
  };
}

/** b / bl: imm26 at bits 25:0. */
export const patchImm26 = pcRelPatcher(26, 0, 'imm26');
/** b.cond / cbz / cbnz / ldr literal: imm19 at bits 23:5. */
export const patchImm19 = pcRelPatcher(19, 5, 'imm19');
/** tbz / tbnz: imm14 at bits 18:5. */
export const patchImm14 = pcRelPatcher(14, 5, 'imm14');

/** adr: byte offset ±1 MiB split as immlo (30:29) and immhi (23:5). */
export const patchAdr: FixupPatcher = (b, at, target) => {
  const d = target - at;
  if (d < -(1 << 20) || d >= 1 << 20) throw new Error(`adr from ${at} to ${target} is out of range`);
  const w = readWord(b, at) & ~0x60ffffe0;
  writeWord(b, at, (w | ((d & 3) << 29) | (((d >> 2) & 0x7ffff) << 5)) >>> 0);
};

/** A 32-bit table entry holding `target - base` (jump tables: entries relative to the table start). */
export function patchRel32(base: number): FixupPatcher {
  return (b, at, target) => writeWord(b, at, (target - base) >>> 0);
}

/** Emits a 32-bit word that will hold `label - base` once labels are resolved. */
export function emitLabelRel32(buf: CodeBuffer, label: Label, base: number): void {
  const at = buf.offset;
  buf.emit32(0);
  buf.useLabel(label, at, patchRel32(base));
}

// ---------------------------------------------------------------- families

const ADDSUB: Record<string, number> = { add: 0, adds: 1, sub: 2, subs: 3 }; // op:S
const LOGIC: Record<string, [number, number]> = {
  and: [0, 0], orr: [1, 0], eor: [2, 0], ands: [3, 0], bic: [0, 1], orn: [1, 1], eon: [2, 1], bics: [3, 1],
};
const SHIFT: Record<string, number> = { lsl: 0, lsr: 1, asr: 2, ror: 3 };
const EXTEND: Record<string, number> = { uxtb: 0, uxth: 1, uxtw: 2, uxtx: 3, sxtb: 4, sxth: 5, sxtw: 6, sxtx: 7 };
const DP2: Record<string, number> = { udiv: 2, sdiv: 3, lsl: 8, lsr: 9, asr: 10, ror: 11 };
const FP2: Record<string, number> = { fmul: 0, fdiv: 1, fadd: 2, fsub: 3, fmax: 4, fmin: 5, fmaxnm: 6, fminnm: 7, fnmul: 8 };
const FP1: Record<string, number> = {
  fabs: 1, fneg: 2, fsqrt: 3, frintn: 8, frintp: 9, frintm: 10, frintz: 11, frinta: 12, frintx: 14, frinti: 15,
};
const VLOGIC: Record<string, number> = { and: 0x4e201c00, bic: 0x4e601c00, orr: 0x4ea01c00, orn: 0x4ee01c00, eor: 0x6e201c00 };
const BFOPC: Record<BitfieldFields['opc'], number> = { sbfm: 0, bfm: 1, ubfm: 2 };
const LOG2: Record<number, number> = { 8: 0, 16: 1, 32: 2, 64: 3, 128: 4 };

function bitfieldWord(f: BitfieldFields, size: Size, rd: Reg, rn: Reg): number {
  const n = size === 64 ? 1 : 0;
  return sf(size) | (BFOPC[f.opc] << 29) | 0x13000000 | (n << 22) | (f.immr << 16) | (f.imms << 10) | (rz(rn) << 5) | rz(rd);
}

function moveWideWord(fn: 'movz' | 'movn' | 'movk', size: Size, rd: Reg, imm16: number, shift: number): number {
  const opc = { movn: 0, movz: 2, movk: 3 }[fn];
  checkRange(imm16, 0, 0xffff, 'imm16');
  if (shift % 16 !== 0 || shift < 0 || shift >= size) fail(cur, `move-wide shift ${shift}`);
  return sf(size) | (opc << 29) | 0x12800000 | ((shift / 16) << 21) | (imm16 << 5) | rz(rd);
}

function logicImmWord(fn: 'and' | 'orr' | 'eor' | 'ands', size: Size, rd: Reg, rn: Reg, imm: bigint): number {
  const e = encodeBitmask(size, imm);
  if (!e) fail(cur, `0x${BigInt.asUintN(size, imm).toString(16)} is not a ${size}-bit logical immediate`);
  const [opc] = LOGIC[fn]!;
  const d = fn === 'ands' ? rz(rd) : rs(rd);
  return sf(size) | (opc << 29) | 0x12000000 | (e.n << 22) | (e.immr << 16) | (e.imms << 10) | (rz(rn) << 5) | d;
}

function emitConst(buf: CodeBuffer, size: Size, rd: Reg, value: bigint): void {
  for (const s of planConstant(size, value)) {
    if (s.k === 'orr') buf.emit32(logicImmWord('orr', size, rd, XZR, s.imm));
    else buf.emit32(moveWideWord(s.k, size, rd, s.imm16, s.shift));
  }
}

// ---------------------------------------------------------------- memory

interface MemKind {
  size: number; // bits 31:30
  v: number; // bit 26
  opc: number; // bits 23:22
  bytes: number; // access size, for scaling
}

function memKind(i: A64Inst & { op: 'ldr' | 'str' | 'fldr' | 'fstr' }): MemKind {
  const bytes = i.bits / 8;
  if (i.op === 'fldr' || i.op === 'fstr') {
    const load = i.op === 'fldr' ? 1 : 0;
    if (i.bits === 128) return { size: 0, v: 1, opc: 2 | load, bytes };
    return { size: LOG2[i.bits]!, v: 1, opc: load, bytes };
  }
  const size = LOG2[i.bits]!;
  if (i.op === 'str') return { size, v: 0, opc: 0, bytes };
  if (i.sx === undefined) return { size, v: 0, opc: 1, bytes };
  if (i.bits === 64 || (i.bits === 32 && i.sx === 32)) fail(i, 'no such sign-extending load');
  return { size, v: 0, opc: i.sx === 64 ? 2 : 3, bytes };
}

function emitMem(buf: CodeBuffer, ctx: EncodeCtx, mk: MemKind, rt: number, am: Amode, trap: number | undefined): void {
  const base = ((mk.size << 30) | 0x38000000 | (mk.v << 26) | (mk.opc << 22)) >>> 0;
  const shift = LOG2[mk.bytes * 8]!;
  const mark = (): void => {
    if (trap !== undefined) buf.addTrapSite(trap);
  };
  let baseReg: Reg;
  let off: number;
  switch (am.k) {
    case 'reg': {
      const option = { uxtw: 2, lsl: 3, sxtw: 6, sxtx: 7 }[am.ext];
      mark();
      buf.emit32(base | (1 << 21) | (rz(am.index) << 16) | (option << 13) | ((am.scaled ? 1 : 0) << 12) | (2 << 10) | (rs(am.base) << 5) | rt);
      return;
    }
    case 'pre':
    case 'post':
      checkRange(am.off, -256, 255, 'pre/post-index offset');
      mark();
      buf.emit32(base | ((am.off & 0x1ff) << 12) | ((am.k === 'pre' ? 3 : 1) << 10) | (rs(am.base) << 5) | rt);
      return;
    case 'slot':
      baseReg = SP;
      off = ctx.slotOffset(am.slot) + (am.off ?? 0);
      break;
    case 'imm':
      baseReg = am.base;
      off = am.off;
      break;
  }
  if (off >= 0 && off % mk.bytes === 0 && off / mk.bytes < 4096) {
    mark();
    buf.emit32(base | (1 << 24) | ((off >> shift) << 10) | (rs(baseReg) << 5) | rt);
  } else if (off >= -256 && off < 256) {
    mark();
    buf.emit32(base | ((off & 0x1ff) << 12) | (rs(baseReg) << 5) | rt);
  } else {
    // Large offset: materialise it in x16 and use the register-offset form.
    if (baseReg === SCRATCH0) fail(cur, 'large offset from x16 needs another scratch register');
    emitConst(buf, 64, SCRATCH0, BigInt(off));
    mark();
    buf.emit32(base | (1 << 21) | (SCRATCH0 << 16) | (3 << 13) | (2 << 10) | (rs(baseReg) << 5) | rt);
  }
}

function emitPair(buf: CodeBuffer, ctx: EncodeCtx, i: A64Inst & { op: 'ldp' | 'stp' }): void {
  const opc = i.fp ? { 32: 0, 64: 1, 128: 2 }[i.bits] : { 32: 0, 64: 2, 128: -1 }[i.bits];
  if (opc < 0) fail(i, 'no 128-bit integer pair');
  const reg = i.fp ? rv : rz;
  const scale = i.bits / 8;
  const am = i.am;
  let idx: number;
  let base: Reg;
  let off: number;
  if (am.k === 'pre' || am.k === 'post') [idx, base, off] = [am.k === 'pre' ? 3 : 1, am.base, am.off];
  else if (am.k === 'imm') [idx, base, off] = [2, am.base, am.off];
  else if (am.k === 'slot') [idx, base, off] = [2, SP, ctx.slotOffset(am.slot) + (am.off ?? 0)];
  else return fail(i, 'pairs take an immediate offset');
  if (off % scale !== 0) fail(i, `pair offset ${off} is not a multiple of ${scale}`);
  const imm7 = checkRange(off / scale, -64, 63, 'scaled pair offset');
  const l = i.op === 'ldp' ? 1 : 0;
  buf.emit32((opc << 30) | 0x28000000 | ((i.fp ? 1 : 0) << 26) | (idx << 23) | (l << 22) | ((imm7 & 0x7f) << 15) | (reg(i.rt2) << 10) | (rs(base) << 5) | reg(i.rt));
}

// ---------------------------------------------------------------- branches

function testWord(t: BranchTest): { word: number; patch: FixupPatcher } {
  switch (t.k) {
    case 'cond':
      return { word: 0x54000000 | condCode(t.cond), patch: patchImm19 };
    case 'zero':
      return { word: sf(t.size) | (t.nz ? 0x35000000 : 0x34000000) | rz(t.rt), patch: patchImm19 };
    case 'bit': {
      checkRange(t.bit, 0, 63, 'test bit');
      const b5 = t.bit >> 5;
      return { word: (b5 << 31) | (t.nz ? 0x37000000 : 0x36000000) | ((t.bit & 31) << 19) | rz(t.rt), patch: patchImm14 };
    }
  }
}

function invertTest(t: BranchTest): BranchTest {
  if (t.k === 'cond') return { k: 'cond', cond: invertCond(t.cond) };
  return { ...t, nz: !t.nz };
}

function emitTestBranch(buf: CodeBuffer, t: BranchTest, label: Label): void {
  const { word, patch } = testWord(t);
  const at = buf.offset;
  buf.emit32(word);
  buf.useLabel(label, at, patch);
}

function emitB(buf: CodeBuffer, label: Label): void {
  const at = buf.offset;
  buf.emit32(0x14000000);
  buf.useLabel(label, at, patchImm26);
}

function emitJumpTable(buf: CodeBuffer, ctx: EncodeCtx, i: A64Inst & { op: 'jumptable' }): void {
  const idx = rz(i.idx);
  if (i.idx === SCRATCH0 || i.idx === SCRATCH1) fail(i, 'jump-table index in a scratch register');
  const n = i.targets.length;
  // cmp widx, #n ; b.hs default
  if (n < 4096) buf.emit32(0x71000000 | (n << 10) | (idx << 5) | 31);
  else {
    emitConst(buf, 32, SCRATCH1, BigInt(n));
    buf.emit32(0x6b000000 | (SCRATCH1 << 16) | (idx << 5) | 31);
  }
  emitTestBranch(buf, { k: 'cond', cond: 'hs' }, ctx.blockLabel(i.dflt));
  const table = buf.newLabel();
  const adrAt = buf.offset;
  buf.emit32(0x10000000 | SCRATCH0); // adr x16, table
  buf.useLabel(table, adrAt, patchAdr);
  buf.emit32(0xb8a05800 | (idx << 16) | (SCRATCH0 << 5) | SCRATCH1); // ldrsw x17, [x16, widx, uxtw #2]
  buf.emit32(0x8b000000 | (SCRATCH1 << 16) | (SCRATCH0 << 5) | SCRATCH0); // add x16, x16, x17
  buf.emit32(0xd61f0000 | (SCRATCH0 << 5)); // br x16
  buf.bindLabel(table);
  const start = buf.offset;
  for (const t of i.targets) emitLabelRel32(buf, ctx.blockLabel(t), start);
}

// ---------------------------------------------------------------- entry point

function fpConstValue(size: Size, bits: bigint): number {
  if (size === 32) return new Float32Array(new Uint32Array([Number(BigInt.asUintN(32, bits))]).buffer)[0]!;
  return new Float64Array(new BigUint64Array([BigInt.asUintN(64, bits)]).buffer)[0]!;
}

function vIndex(esize: number, lane: number): number {
  const l = LOG2[esize]!;
  checkRange(lane, 0, 128 / esize - 1, 'lane');
  return (1 << l) | (lane << (l + 1));
}

/** Appends the encoding of `i` (one or more words) to `buf`. */
export function encodeInst(i: A64Inst, buf: CodeBuffer, ctx: EncodeCtx): void {
  const prev = cur;
  cur = i;
  try {
    encode(i, buf, ctx);
  } finally {
    cur = prev;
  }
}

function encode(i: A64Inst, buf: CodeBuffer, ctx: EncodeCtx): void {
  const e = (w: number): void => buf.emit32(w >>> 0);
  switch (i.op) {
    case 'mov':
      if (i.rd === SP || i.rm === SP) return e(sf(i.size) | 0x11000000 | (rs(i.rm) << 5) | rs(i.rd));
      return e(sf(i.size) | 0x2a000000 | (rz(i.rm) << 16) | (31 << 5) | rz(i.rd));
    case 'movw':
      return e(moveWideWord(i.fn, i.size, i.rd, i.imm16, i.shift));
    case 'movconst':
      return emitConst(buf, i.size, i.rd, i.imm);
    case 'alu': {
      const sh = SHIFT[i.shift ?? 'lsl']!;
      const amt = checkRange(i.amount ?? 0, 0, i.size - 1, 'shift amount');
      const tail = (sh << 22) | (rz(i.rm) << 16) | (amt << 10) | (rz(i.rn) << 5) | rz(i.rd);
      if (i.fn in ADDSUB) {
        if (sh === 3) fail(i, 'add/sub cannot rotate');
        return e(sf(i.size) | (ADDSUB[i.fn]! << 29) | 0x0b000000 | tail);
      }
      const [opc, n] = LOGIC[i.fn]!;
      return e(sf(i.size) | (opc << 29) | 0x0a000000 | (n << 21) | tail);
    }
    case 'alui': {
      const s = ADDSUB[i.fn]!;
      checkRange(i.imm12, 0, 4095, 'imm12');
      const d = s & 1 ? rz(i.rd) : rs(i.rd);
      return e(sf(i.size) | (s << 29) | 0x11000000 | ((i.lsl12 ? 1 : 0) << 22) | (i.imm12 << 10) | (rs(i.rn) << 5) | d);
    }
    case 'alux': {
      const s = ADDSUB[i.fn]!;
      const amt = checkRange(i.amount ?? 0, 0, 4, 'extend shift');
      const d = s & 1 ? rz(i.rd) : rs(i.rd);
      return e(sf(i.size) | (s << 29) | 0x0b200000 | (rz(i.rm) << 16) | (EXTEND[i.ext]! << 13) | (amt << 10) | (rs(i.rn) << 5) | d);
    }
    case 'logi':
      return e(logicImmWord(i.fn, i.size, i.rd, i.rn, i.imm));
    case 'dp2':
      return e(sf(i.size) | 0x1ac00000 | (rz(i.rm) << 16) | (DP2[i.fn]! << 10) | (rz(i.rn) << 5) | rz(i.rd));
    case 'dp1': {
      let opcode: number;
      if (i.fn === 'rev') opcode = i.size === 64 ? 3 : 2;
      else if (i.fn === 'rev32') {
        if (i.size !== 64) fail(i, 'rev32 needs a 64-bit register');
        opcode = 2;
      } else opcode = { rbit: 0, rev16: 1, clz: 4, cls: 5 }[i.fn];
      return e(sf(i.size) | 0x5ac00000 | (opcode << 10) | (rz(i.rn) << 5) | rz(i.rd));
    }
    case 'shifti':
      if (i.fn === 'ror') {
        checkRange(i.amount, 0, i.size - 1, 'rotate amount');
        const n = i.size === 64 ? 1 << 22 : 0;
        return e(sf(i.size) | 0x13800000 | n | (rz(i.rn) << 16) | (i.amount << 10) | (rz(i.rn) << 5) | rz(i.rd));
      }
      return e(bitfieldWord(wrapRange(() => bitfieldFields(i.fn as 'lsl', i.size, i.amount)), i.size, i.rd, i.rn));
    case 'bitfield':
      return e(bitfieldWord(wrapRange(() => bitfieldFields(i.fn, i.size, i.lsb, i.width)), i.size, i.rd, i.rn));
    case 'extend':
      return e(bitfieldWord(wrapRange(() => bitfieldFields(i.fn, i.size)), i.size, i.rd, i.rn));
    case 'madd':
      return e(sf(i.size) | 0x1b000000 | (rz(i.rm) << 16) | ((i.fn === 'msub' ? 1 : 0) << 15) | (rz(i.ra) << 10) | (rz(i.rn) << 5) | rz(i.rd));
    case 'csel': {
      const [op, op2] = { csel: [0, 0], csinc: [0, 1], csinv: [1, 0], csneg: [1, 1] }[i.fn];
      return e(sf(i.size) | (op! << 30) | 0x1a800000 | (rz(i.rm) << 16) | (condCode(i.cond) << 12) | (op2! << 10) | (rz(i.rn) << 5) | rz(i.rd));
    }
    case 'ccmp': {
      checkRange(i.nzcv, 0, 15, 'nzcv');
      const op = i.fn === 'ccmp' ? 1 : 0;
      const second = i.rm !== undefined ? rz(i.rm) : checkRange(i.imm ?? 0, 0, 31, 'ccmp imm5');
      const immFlag = i.rm !== undefined ? 0 : 1 << 11;
      return e(sf(i.size) | (op << 30) | 0x3a400000 | (second << 16) | (condCode(i.cond) << 12) | immFlag | (rz(i.rn) << 5) | i.nzcv);
    }
    case 'ldr':
    case 'str':
      return emitMem(buf, ctx, memKind(i), rz(i.rt), i.am, i.trap);
    case 'fldr':
    case 'fstr':
      return emitMem(buf, ctx, memKind(i), rv(i.rt), i.am, i.trap);
    case 'ldp':
    case 'stp':
      return emitPair(buf, ctx, i);
    case 'fmov':
      return e(0x1e204000 | ftype(i.size) | (rv(i.rn) << 5) | rv(i.rd));
    case 'fmov_from_gpr':
      return e((i.size === 64 ? 0x9e670000 : 0x1e270000) | (rz(i.rn) << 5) | rv(i.rd));
    case 'fmov_to_gpr':
      return e((i.size === 64 ? 0x9e660000 : 0x1e260000) | (rv(i.rn) << 5) | rz(i.rd));
    case 'fmovi': {
      const imm8 = encodeFpImm8(i.imm);
      if (imm8 === undefined) fail(i, `${i.imm} is not an fmov immediate`);
      return e(0x1e201000 | ftype(i.size) | (imm8 << 13) | rv(i.rd));
    }
    case 'fconst': {
      const imm8 = encodeFpImm8(fpConstValue(i.size, i.bits));
      if (imm8 !== undefined) return e(0x1e201000 | ftype(i.size) | (imm8 << 13) | rv(i.rd));
      const bits = BigInt.asUintN(i.size, i.bits);
      if (bits !== 0n) emitConst(buf, i.size, SCRATCH0, bits);
      return e((i.size === 64 ? 0x9e670000 : 0x1e270000) | ((bits === 0n ? 31 : SCRATCH0) << 5) | rv(i.rd));
    }
    case 'fp2':
      return e(0x1e200800 | ftype(i.size) | (rv(i.rm) << 16) | (FP2[i.fn]! << 12) | (rv(i.rn) << 5) | rv(i.rd));
    case 'fp1':
      return e(0x1e204000 | ftype(i.size) | (FP1[i.fn]! << 15) | (rv(i.rn) << 5) | rv(i.rd));
    case 'fcvt':
      if (i.from === i.to) fail(i, 'fcvt to the same size');
      return e(0x1e204000 | ftype(i.from) | ((i.to === 64 ? 5 : 4) << 15) | (rv(i.rn) << 5) | rv(i.rd));
    case 'i2f':
      return e(sf(i.isize) | 0x1e220000 | ftype(i.fsize) | ((i.signed ? 0 : 1) << 16) | (rz(i.rn) << 5) | rv(i.rd));
    case 'f2i':
      return e(sf(i.isize) | 0x1e380000 | ftype(i.fsize) | ((i.signed ? 0 : 1) << 16) | (rv(i.rn) << 5) | rz(i.rd));
    case 'fcmp':
      if (i.rm === undefined) return e(0x1e202008 | ftype(i.size) | (rv(i.rn) << 5));
      return e(0x1e202000 | ftype(i.size) | (rv(i.rm) << 16) | (rv(i.rn) << 5));
    case 'fcsel':
      return e(0x1e200c00 | ftype(i.size) | (rv(i.rm) << 16) | (condCode(i.cond) << 12) | (rv(i.rn) << 5) | rv(i.rd));
    case 'vmov':
      return e(0x4ea01c00 | (rv(i.rn) << 16) | (rv(i.rn) << 5) | rv(i.rd));
    case 'vzero':
      return e(0x6f00e400 | rv(i.rd));
    case 'vlogic':
      return e(VLOGIC[i.fn]! | (rv(i.rm) << 16) | (rv(i.rn) << 5) | rv(i.rd));
    case 'varith':
      return e((i.fn === 'add' ? 0x4e208400 : 0x6e208400) | (LOG2[i.esize]! << 22) | (rv(i.rm) << 16) | (rv(i.rn) << 5) | rv(i.rd));
    case 'dup':
      if (i.lane === undefined) return e(0x4e000c00 | (vIndex(i.esize, 0) << 16) | (rz(i.rn) << 5) | rv(i.rd));
      return e(0x4e000400 | (vIndex(i.esize, i.lane) << 16) | (rv(i.rn) << 5) | rv(i.rd));
    case 'ins':
      if (i.srcLane === undefined) return e(0x4e001c00 | (vIndex(i.esize, i.lane) << 16) | (rz(i.rn) << 5) | rv(i.rd));
      checkRange(i.srcLane, 0, 128 / i.esize - 1, 'source lane');
      return e(0x6e000400 | (vIndex(i.esize, i.lane) << 16) | ((i.srcLane << LOG2[i.esize]!) << 11) | (rv(i.rn) << 5) | rv(i.rd));
    case 'umov':
    case 'smov': {
      const q = i.size === 64 ? 1 << 30 : 0;
      if (i.op === 'umov' ? i.size !== (i.esize === 64 ? 64 : 32) : i.esize === 64 || (i.esize === 32 && i.size !== 64))
        fail(i, `no ${i.op} of ${i.esize}-bit lanes into a ${i.size}-bit register`);
      return e(q | (i.op === 'umov' ? 0x0e003c00 : 0x0e002c00) | (vIndex(i.esize, i.lane) << 16) | (rv(i.rn) << 5) | rz(i.rd));
    }
    case 'cnt':
      return e(0x0e205800 | (rv(i.rn) << 5) | rv(i.rd));
    case 'addv':
      return e(0x0e31b800 | (rv(i.rn) << 5) | rv(i.rd));
    case 'jump':
      if (i.target !== ctx.nextBlock) emitB(buf, ctx.blockLabel(i.target));
      return;
    case 'brif':
      if (i.taken === ctx.nextBlock && i.notTaken !== ctx.nextBlock) {
        emitTestBranch(buf, invertTest(i.test), ctx.blockLabel(i.notTaken));
        return;
      }
      emitTestBranch(buf, i.test, ctx.blockLabel(i.taken));
      if (i.notTaken !== ctx.nextBlock) emitB(buf, ctx.blockLabel(i.notTaken));
      return;
    case 'jumptable':
      return emitJumpTable(buf, ctx, i);
    case 'b':
      return emitB(buf, i.label);
    case 'bif':
      return emitTestBranch(buf, i.test, i.label);
    case 'bl':
      buf.addReloc(buf.offset, 'a64-call26', i.sym, i.addend ?? 0);
      return e(0x94000000);
    case 'blr':
      return e(0xd63f0000 | (rz(i.rn) << 5));
    case 'br':
      return e(0xd61f0000 | (rz(i.rn) << 5));
    case 'ret':
      return e(0xd65f03c0);
    case 'adr': {
      const at = buf.offset;
      e(0x10000000 | rz(i.rd));
      buf.useLabel(i.label, at, patchAdr);
      return;
    }
    case 'adrp':
      buf.addReloc(buf.offset, 'a64-adr-prel-pg-hi21', i.sym, i.addend ?? 0);
      return e(0x90000000 | rz(i.rd));
    case 'addlo12':
      buf.addReloc(buf.offset, 'a64-add-abs-lo12-nc', i.sym, i.addend ?? 0);
      return e(0x91000000 | (rs(i.rn) << 5) | rs(i.rd));
    case 'udf':
      checkRange(i.imm, 0, 0xffff, 'udf immediate');
      if (i.trap !== undefined) buf.addTrapSite(i.trap);
      return e(i.imm);
    case 'brk':
      checkRange(i.imm, 0, 0xffff, 'brk immediate');
      if (i.trap !== undefined) buf.addTrapSite(i.trap);
      return e(0xd4200000 | (i.imm << 5));
    case 'nop':
      return e(0xd503201f);
  }
}

function wrapRange<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    return fail(cur, (err as Error).message);
  }
}

