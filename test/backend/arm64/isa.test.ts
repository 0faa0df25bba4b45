/**
 * The TargetISA view of A64Inst (operand roles, fixed call operands, clobbers, moves,
 * spills, branch targets), the register file, the AAPCS64 layout — and the whole machine
 * layer end to end: a function with heavy register pressure across a call goes through the
 * real allocator (with its checker), frame layout and encoder, and runs under qemu.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { FPR, GPR, OpRole, VREG_BASE, type MFunc, type Reg } from '../../../src/backend/minst.js';
import { allocateRegisters } from '../../../src/backend/regalloc/index.js';
import { aapcs64Call, epilogue, layoutFrame, prologue } from '../../../src/backend/arm64/abi.js';
import { encodeInst, type EncodeCtx } from '../../../src/backend/arm64/encode.js';
import { A64_ISA, type A64Inst } from '../../../src/backend/arm64/inst.js';
import { A64_REGS, FP, LR, SP, V0, vreg, X0, X1, X16, X17, X18, X19, XZR } from '../../../src/backend/arm64/regs.js';

const V = (n: number): Reg => VREG_BASE + n;

function operands(i: A64Inst): [Reg, OpRole, number, Reg | undefined][] {
  const out: [Reg, OpRole, number, Reg | undefined][] = [];
  A64_ISA.mapRegs(structuredClone(i), (reg, role, cls, fixed) => {
    out.push([reg, role, cls, fixed]);
    return reg;
  });
  return out;
}

const U = OpRole.Use;
const D = OpRole.Def;
const UD = OpRole.UseDef;

describe('register file', () => {
  it('numbers x0–x30, sp, xzr, v0–v31 densely', () => {
    expect(A64_REGS.names.length).toBe(65);
    expect(A64_REGS.names[SP]).toBe('sp');
    expect(A64_REGS.names[XZR]).toBe('xzr');
    expect(A64_REGS.names[vreg(31)]).toBe('v31');
    expect(A64_REGS.classOf[30]).toBe(GPR);
    expect(A64_REGS.classOf[V0]).toBe(FPR);
    expect(A64_REGS.spillSlotSize).toEqual([8, 16]);
  });

  it('never allocates sp, xzr, fp, lr, the platform register or the scratch pair', () => {
    const all = [...A64_REGS.allocatable[0], ...A64_REGS.allocatable[1]];
    for (const r of [SP, XZR, FP, LR, X18, X16, X17]) expect(all).not.toContain(r);
    expect(A64_REGS.allocatable[0]).toHaveLength(26);
    expect(A64_REGS.allocatable[1]).toHaveLength(32);
    // caller-saved first
    expect(A64_REGS.allocatable[0][0]).toBe(X0);
    expect(A64_REGS.allocatable[0].indexOf(X19)).toBe(16);
    expect(A64_REGS.allocatable[1].slice(-8)).toEqual([8, 9, 10, 11, 12, 13, 14, 15].map(vreg));
    expect([...A64_REGS.calleeSaved].sort((a, b) => a - b)).toEqual([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, ...[8, 9, 10, 11, 12, 13, 14, 15].map(vreg)]);
  });
});

describe('operand roles', () => {
  it('reports defs, uses and read-modify-writes in operand order', () => {
    expect(operands({ op: 'alu', fn: 'add', size: 64, rd: V(0), rn: V(1), rm: V(2) })).toEqual([[V(0), D, GPR, undefined], [V(1), U, GPR, undefined], [V(2), U, GPR, undefined]]);
    expect(operands({ op: 'movw', fn: 'movk', size: 64, rd: V(0), imm16: 1, shift: 16 })).toEqual([[V(0), UD, GPR, undefined]]);
    expect(operands({ op: 'movw', fn: 'movz', size: 64, rd: V(0), imm16: 1, shift: 0 })).toEqual([[V(0), D, GPR, undefined]]);
    expect(operands({ op: 'bitfield', fn: 'bfi', size: 32, rd: V(0), rn: V(1), lsb: 3, width: 2 })[0]![1]).toBe(UD);
    expect(operands({ op: 'bitfield', fn: 'ubfx', size: 32, rd: V(0), rn: V(1), lsb: 3, width: 2 })[0]![1]).toBe(D);
    expect(operands({ op: 'ins', esize: 32, rd: V(0), lane: 1, rn: V(1) })).toEqual([[V(0), UD, FPR, undefined], [V(1), U, GPR, undefined]]);
    expect(operands({ op: 'ins', esize: 32, rd: V(0), lane: 1, rn: V(1), srcLane: 0 })[1]![2]).toBe(FPR);
    expect(operands({ op: 'madd', fn: 'madd', size: 64, rd: V(0), rn: V(1), rm: V(2), ra: V(3) }).map((o) => o[1])).toEqual([D, U, U, U]);
  });

  it('gives each operand its class', () => {
    expect(operands({ op: 'fmov_from_gpr', size: 64, rd: V(0), rn: V(1) }).map((o) => o[2])).toEqual([FPR, GPR]);
    expect(operands({ op: 'f2i', signed: true, fsize: 64, isize: 32, rd: V(0), rn: V(1) }).map((o) => o[2])).toEqual([GPR, FPR]);
    expect(operands({ op: 'umov', esize: 8, size: 32, rd: V(0), rn: V(1), lane: 0 }).map((o) => o[2])).toEqual([GPR, FPR]);
    expect(operands({ op: 'dup', esize: 32, rd: V(0), rn: V(1) }).map((o) => o[2])).toEqual([FPR, GPR]);
    expect(operands({ op: 'dup', esize: 32, rd: V(0), rn: V(1), lane: 2 }).map((o) => o[2])).toEqual([FPR, FPR]);
    expect(operands({ op: 'fcmp', size: 32, rn: V(0) })).toEqual([[V(0), U, FPR, undefined]]);
  });

  it('walks addressing modes: base/index uses, writeback base as use+def, slots none', () => {
    expect(operands({ op: 'ldr', bits: 32, rt: V(0), am: { k: 'reg', base: V(1), index: V(2), ext: 'uxtw' } })).toEqual([[V(0), D, GPR, undefined], [V(1), U, GPR, undefined], [V(2), U, GPR, undefined]]);
    expect(operands({ op: 'fstr', bits: 128, rt: V(0), am: { k: 'imm', base: V(1), off: 16 } })).toEqual([[V(0), U, FPR, undefined], [V(1), U, GPR, undefined]]);
    expect(operands({ op: 'str', bits: 64, rt: V(0), am: { k: 'pre', base: V(1), off: -16 } })[1]![1]).toBe(UD);
    expect(operands({ op: 'ldr', bits: 64, rt: V(0), am: { k: 'slot', slot: 3 } })).toEqual([[V(0), D, GPR, undefined]]);
  });

  it('does not visit xzr or sp', () => {
    expect(operands({ op: 'alu', fn: 'subs', size: 64, rd: XZR, rn: V(0), rm: V(1) })).toHaveLength(2);
    expect(operands({ op: 'alui', fn: 'add', size: 64, rd: SP, rn: SP, imm12: 16 })).toHaveLength(0);
    expect(operands({ op: 'csel', fn: 'csinc', size: 32, rd: V(0), rn: XZR, rm: XZR, cond: 'eq' })).toHaveLength(1);
  });

  it('pins call arguments and results to their ABI registers', () => {
    const call: A64Inst = { op: 'blr', rn: V(9), args: [{ reg: V(0), loc: X0 }, { reg: V(1), loc: vreg(0) }], rets: [{ reg: V(2), loc: X0 }] };
    expect(operands(call)).toEqual([
      [V(9), U, GPR, undefined],
      [V(0), U, GPR, X0],
      [V(1), U, FPR, vreg(0)],
      [V(2), D, GPR, X0],
    ]);
    expect(operands({ op: 'ret', rets: [{ reg: V(3), loc: vreg(0) }] })).toEqual([[V(3), U, FPR, vreg(0)]]);
  });

  it('rewrites operands to what the visitor returns', () => {
    const i: A64Inst = { op: 'ldr', bits: 64, rt: V(0), am: { k: 'reg', base: V(1), index: V(2), ext: 'lsl' } };
    A64_ISA.mapRegs(i, (r) => r - VREG_BASE + 3);
    expect(A64_ISA.format(i)).toBe('ldr x3, [x4, x5]');
  });
});

describe('calls, branches and moves', () => {
  const call = (v128: boolean): A64Inst => ({ op: 'bl', sym: 'f', args: [], rets: [{ reg: V(0), loc: X0 }], clobbersV128: v128 });

  it('calls clobber the caller-saved registers, not the results they define', () => {
    const c = A64_ISA.clobbers(call(false));
    for (const r of [X1, 15, X16, X17, X18, LR, vreg(0), vreg(7), vreg(16), vreg(31)]) expect(c).toContain(r);
    for (const r of [X0, X19, 28, FP, SP, vreg(8), vreg(15)]) expect(c).not.toContain(r);
    expect(A64_ISA.clobbers({ op: 'alu', fn: 'add', size: 64, rd: 0, rn: 1, rm: 2 })).toEqual([]);
  });

  it('with clobbersV128, v8–v15 count as clobbered too (only their low halves survive)', () => {
    const c = A64_ISA.clobbers(call(true));
    for (const r of [8, 9, 10, 11, 12, 13, 14, 15].map(vreg)) expect(c).toContain(r);
  });

  it('knows terminators and their block targets', () => {
    const brif: A64Inst = { op: 'brif', test: { k: 'cond', cond: 'eq' }, taken: 2, notTaken: 5 };
    const jt: A64Inst = { op: 'jumptable', idx: V(0), targets: [3, 1, 3], dflt: 4 };
    expect(A64_ISA.branchTargets(brif)).toEqual([2, 5]);
    expect(A64_ISA.branchTargets(jt)).toEqual([3, 1, 4]);
    expect(A64_ISA.branchTargets({ op: 'jump', target: 7 })).toEqual([7]);
    expect(A64_ISA.branchTargets({ op: 'bif', test: { k: 'cond', cond: 'hs' }, label: 0 })).toEqual([]);
    for (const i of [brif, jt, { op: 'jump', target: 1 }, { op: 'ret', rets: [] }, { op: 'udf', imm: 0 }, { op: 'br', rn: 0 }] as A64Inst[])
      expect(A64_ISA.isTerminator(i)).toBe(true);
    for (const i of [call(false), { op: 'bif', test: { k: 'cond', cond: 'hs' }, label: 0 }, { op: 'nop' }] as A64Inst[])
      expect(A64_ISA.isTerminator(i)).toBe(false);
    A64_ISA.retargetBranch(brif, 5, 9);
    A64_ISA.retargetBranch(jt, 3, 8);
    expect(A64_ISA.branchTargets(brif)).toEqual([2, 9]);
    expect(A64_ISA.branchTargets(jt)).toEqual([8, 1, 4]);
    expect(A64_ISA.makeJump(3)).toEqual({ op: 'jump', target: 3 });
  });

  it('treats only full-width copies as moves', () => {
    expect(A64_ISA.asMove({ op: 'mov', size: 64, rd: V(0), rm: V(1) })).toEqual({ dst: V(0), src: V(1), cls: GPR });
    expect(A64_ISA.asMove({ op: 'mov', size: 32, rd: V(0), rm: V(1) })).toBeUndefined();
    expect(A64_ISA.asMove({ op: 'vmov', rd: V(0), rn: V(1) })).toEqual({ dst: V(0), src: V(1), cls: FPR });
    expect(A64_ISA.asMove({ op: 'fmov', size: 64, rd: V(0), rn: V(1) })).toBeUndefined();
    expect(A64_ISA.format(A64_ISA.makeMove(GPR, 3, 4))).toBe('mov x3, x4');
    expect(A64_ISA.format(A64_ISA.makeMove(FPR, vreg(3), vreg(4)))).toBe('mov v3.16b, v4.16b');
  });

  it('spills 8-byte GPR and 16-byte FPR slots through the frame context', () => {
    const buf = new CodeBuffer();
    const ctx: EncodeCtx = { blockLabel: () => 0, slotOffset: (s) => 32 + 16 * s };
    const insts = [A64_ISA.makeSpill(GPR, 19, 1), A64_ISA.makeReload(GPR, 2, 1), A64_ISA.makeSpill(FPR, vreg(8), 2), A64_ISA.makeReload(FPR, vreg(31), 5000)];
    expect(insts.map((i) => A64_ISA.format(i))).toEqual(['str x19, [sp, <slot 1>]', 'ldr x2, [sp, <slot 1>]', 'str q8, [sp, <slot 2>]', 'ldr q31, [sp, <slot 5000>]']);
    for (const i of insts) encodeInst(i, buf, ctx);
    const b = buf.finish().bytes;
    const w = Array.from({ length: b.length / 4 }, (_, k) => new DataView(b.buffer).getUint32(4 * k, true));
    // str x19, [sp, #48]; ldr x2, [sp, #48]; str q8, [sp, #64]; mov x16, #80032 (2 words); ldr q31, [sp, x16]
    expect(w.map((x) => x.toString(16))).toEqual(['f9001bf3', 'f9401be2', '3d8013e8', 'd2871410', 'f2a00030', '3cf06bff']);
  });
});

describe('AAPCS64 call layout', () => {
  it('counts integer and vector registers separately and spills to 8/16-byte stack slots', () => {
    const l = aapcs64Call(['i64', 'i32', 'f64', 'v128', 'i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'f32'], ['i32']);
    expect(l.params.slice(0, 4)).toEqual([{ kind: 'reg', reg: X0 }, { kind: 'reg', reg: X1 }, { kind: 'reg', reg: vreg(0) }, { kind: 'reg', reg: vreg(1) }]);
    expect(l.params[8]).toEqual({ kind: 'reg', reg: 6 });
    expect(l.params[9]).toEqual({ kind: 'reg', reg: 7 });
    expect(l.params[10]).toEqual({ kind: 'stack', offset: 0 });
    expect(l.params[11]).toEqual({ kind: 'reg', reg: vreg(2) });
    expect(l.results).toEqual([{ kind: 'reg', reg: X0 }]);
    expect(l.stackArgBytes).toBe(8);
    expect(l.stackBytes).toBe(16);
  });

  it('aligns v128 stack arguments to 16 and rounds the area up to 16', () => {
    const l = aapcs64Call(['i64', ...Array<'f64'>(8).fill('f64'), 'f32', 'v128'], []);
    expect(l.params[9]).toEqual({ kind: 'stack', offset: 0 });
    expect(l.params[10]).toEqual({ kind: 'stack', offset: 16 });
    expect(l.stackBytes).toBe(32);
  });

  it('puts extra results in x1…/v1… and then after the stack arguments', () => {
    const l = aapcs64Call(['i64'], ['i32', 'f64', 'i64', ...Array<'i64'>(7).fill('i64')]);
    expect(l.results[0]).toEqual({ kind: 'reg', reg: X0 });
    expect(l.results[1]).toEqual({ kind: 'reg', reg: vreg(0) });
    expect(l.results[2]).toEqual({ kind: 'reg', reg: X1 });
    expect(l.results[8]).toEqual({ kind: 'reg', reg: 7 });
    expect(l.results[9]).toEqual({ kind: 'stack', offset: 0 });
    expect(l.stackBytes).toBe(16);
  });
});

describe('frames', () => {
  it('lays out the save area below x29 and the spill area above the outgoing arguments', () => {
    const f = layoutFrame({ usedCalleeSaved: [X19, 20, 21, vreg(8), vreg(9), X0], spillAreaSize: 40, outgoingBytes: 8 });
    expect(f.saves).toEqual([
      { reg: 19, fpOffset: -8 },
      { reg: 20, fpOffset: -16 },
      { reg: 21, fpOffset: -24 },
      { reg: vreg(8), fpOffset: -32 },
      { reg: vreg(9), fpOffset: -40 },
    ]);
    expect(f).toMatchObject({ saveSize: 48, spillBase: 16, outgoingBytes: 16, frameSize: 16 + 48 + 48 + 16 });
    expect(prologue(f).map((i) => A64_ISA.format(i))).toEqual([
      'stp x29, x30, [sp, #-16]!',
      'mov x29, sp',
      'sub sp, sp, #0x70',
      'stp x20, x19, [x29, #-16]',
      'stur x21, [x29, #-24]',
      'stp d9, d8, [x29, #-40]',
    ]);
    expect(epilogue(f).map((i) => A64_ISA.format(i))).toEqual([
      'ldp x20, x19, [x29, #-16]',
      'ldur x21, [x29, #-24]',
      'ldp d9, d8, [x29, #-40]',
      'mov sp, x29',
      'ldp x29, x30, [sp], #16',
    ]);
  });

  it('a leaf without spills only keeps the frame record', () => {
    const f = layoutFrame({ usedCalleeSaved: [], spillAreaSize: 0, outgoingBytes: 0 });
    expect(f.frameSize).toBe(16);
    expect(prologue(f).map((i) => A64_ISA.format(i))).toEqual(['stp x29, x30, [sp, #-16]!', 'mov x29, sp']);
    expect(epilogue(f).map((i) => A64_ISA.format(i))).toEqual(['ldp x29, x30, [sp], #16']);
  });
});

// ---------------------------------------------------------------- end to end

const N = 24; // values live across the call: more than the 10 callee-saved GPRs
const NF = 4; // f64 values live across the call (v8–v15 territory)

/** f(vmctx, a) = g(a) + g(a) (direct, then indirect) + Σ (a+i)·a + trunc(Σ f64((a+k)·a)), every term live across the call to g. */
function pressureFunc(): MFunc<A64Inst> {
  let next = 0;
  const cls: (0 | 1)[] = [];
  const vr = (c: 0 | 1): Reg => {
    cls.push(c);
    return VREG_BASE + next++;
  };
  const insts: A64Inst[] = [];
  const a = vr(GPR);
  insts.push({ op: 'mov', size: 64, rd: a, rm: X1 });
  const vals: Reg[] = [];
  for (let i = 0; i < N; i++) {
    const t = vr(GPR);
    const p = vr(GPR);
    insts.push({ op: 'alui', fn: 'add', size: 64, rd: t, rn: a, imm12: i });
    insts.push({ op: 'madd', fn: 'madd', size: 64, rd: p, rn: t, rm: a, ra: XZR });
    vals.push(p);
  }
  const fvals: Reg[] = [];
  for (let k = 0; k < NF; k++) {
    const f = vr(FPR);
    insts.push({ op: 'i2f', signed: true, isize: 64, fsize: 64, rd: f, rn: vals[k]! });
    fvals.push(f);
  }
  // A v128 live across both calls: the calls say so, and v8–v15 (upper halves clobbered) are avoided.
  const q = vr(FPR);
  insts.push({ op: 'dup', esize: 64, rd: q, rn: a });
  const r = vr(GPR);
  insts.push({ op: 'bl', sym: 'g', args: [{ reg: a, loc: X0 }], rets: [{ reg: r, loc: X0 }], clobbersV128: true });
  // A second call, indirect through adrp + add :lo12: (relocated by the real linker).
  const page = vr(GPR);
  const addr = vr(GPR);
  const r2 = vr(GPR);
  const both = vr(GPR);
  insts.push({ op: 'adrp', rd: page, sym: 'g' }, { op: 'addlo12', rd: addr, rn: page, sym: 'g' });
  insts.push({ op: 'blr', rn: addr, args: [{ reg: a, loc: X0 }], rets: [{ reg: r2, loc: X0 }], clobbersV128: true });
  insts.push({ op: 'alu', fn: 'add', size: 64, rd: both, rn: r, rm: r2 });
  let sum = both;
  for (const p of vals) {
    const s = vr(GPR);
    insts.push({ op: 'alu', fn: 'add', size: 64, rd: s, rn: sum, rm: p });
    sum = s;
  }
  let facc = fvals[0]!;
  for (const f of fvals.slice(1)) {
    const s = vr(FPR);
    insts.push({ op: 'fp2', fn: 'fadd', size: 64, rd: s, rn: facc, rm: f });
    facc = s;
  }
  const t = vr(GPR);
  const lane = vr(GPR);
  const t2 = vr(GPR);
  const total = vr(GPR);
  insts.push({ op: 'f2i', signed: true, fsize: 64, isize: 64, rd: t, rn: facc });
  insts.push({ op: 'umov', esize: 64, size: 64, rd: lane, rn: q, lane: 1 });
  insts.push({ op: 'alu', fn: 'add', size: 64, rd: t2, rn: t, rm: lane });
  insts.push({ op: 'alu', fn: 'add', size: 64, rd: total, rn: sum, rm: t2 });
  insts.push({ op: 'ret', rets: [{ reg: total, loc: X0 }] });
  return { name: 'f', blocks: [{ insts, succs: [], preds: [] }], vregClass: cls, spillSlots: 0, usedCalleeSaved: [] };
}

describe('allocator + frame + encoder, run under qemu', () => {
  it('keeps 24 integer, 4 f64 and a v128 value alive across calls', () => {
    const func = pressureFunc();
    const res = allocateRegisters(func, A64_ISA, { check: true });
    expect(res.stats.spills).toBeGreaterThan(0);
    expect(func.usedCalleeSaved.length).toBeGreaterThan(4);

    const frame = layoutFrame({ usedCalleeSaved: func.usedCalleeSaved, spillAreaSize: res.spillAreaSize, outgoingBytes: 0 });
    const buf = new CodeBuffer();
    const ctx: EncodeCtx = { blockLabel: () => 0, slotOffset: (s) => frame.spillBase + res.slotOffset[s]! };
    for (const i of prologue(frame)) encodeInst(i, buf, ctx);
    for (const i of func.blocks[0]!.insts) {
      if (i.op === 'ret') for (const e of epilogue(frame)) encodeInst(e, buf, ctx);
      encodeInst(i, buf, ctx);
    }
    const code = buf.finish();
    expect(code.relocs.map((r) => [r.kind, r.symbol])).toEqual([
      ['a64-call26', 'g'],
      ['a64-adr-prel-pg-hi21', 'g'],
      ['a64-add-abs-lo12-nc', 'g'],
    ]);
    // Relocated words are written as the assembler directives that produce the same relocation.
    const dv = new DataView(code.bytes.buffer);
    const relocAt = new Map(code.relocs.map((r) => [r.offset, r.kind]));
    const lines = ['.text', '.globl f', '.type f, %function', 'f:'];
    for (let o = 0; o < code.bytes.length; o += 4) {
      const w = dv.getUint32(o, true);
      const kind = relocAt.get(o);
      if (kind === 'a64-call26') lines.push('  bl g');
      else if (kind === 'a64-adr-prel-pg-hi21') lines.push(`  adrp x${w & 31}, g`);
      else if (kind === 'a64-add-abs-lo12-nc') lines.push(`  add x${w & 31}, x${(w >>> 5) & 31}, :lo12:g`);
      else lines.push(`  .inst 0x${w.toString(16)}`);
    }

    const driver = String.raw`
#include <stdio.h>
#include <stdint.h>
volatile double sink;
int64_t g(int64_t x) {            /* clobbers caller-saved x and v registers */
  double d[16]; for (int i = 0; i < 16; i++) d[i] = x * 1.5 + i; for (int i = 0; i < 16; i++) sink += d[i];
  /* AAPCS64 lets a callee keep only the low halves of v8-v15: */
  __asm__ volatile("movi v8.2d, #0; movi v9.2d, #0; movi v10.2d, #0; movi v11.2d, #0; "
                   "movi v12.2d, #0; movi v13.2d, #0; movi v14.2d, #0; movi v15.2d, #0"
                   ::: "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15");
  return 3 * x;
}
int64_t f(void *vmctx, int64_t a);
int main(void) { printf("%lld %lld\n", (long long)f(0, 5), (long long)f(0, -7)); return 0; }
`;
    const dir = mkdtempSync(join(tmpdir(), 'kiln-a64-ra-'));
    try {
      writeFileSync(join(dir, 'f.S'), lines.join('\n') + '\n');
      writeFileSync(join(dir, 'main.c'), driver);
      execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O1', '-o', join(dir, 'prog'), join(dir, 'main.c'), join(dir, 'f.S')], { stdio: 'pipe' });
      const out = execFileSync('qemu-aarch64', [join(dir, 'prog')], { encoding: 'utf8' }).trim();
      const model = (a: bigint): bigint => {
        let s = 7n * a; // two calls returning 3a, plus lane 1 of the v128 (a)
        for (let i = 0n; i < BigInt(N); i++) s += (a + i) * a;
        let f = 0;
        for (let k = 0n; k < BigInt(NF); k++) f += Number((a + k) * a);
        return s + BigInt(Math.trunc(f));
      };
      expect(out).toBe(`${model(5n)} ${model(-7n)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
