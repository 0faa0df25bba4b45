import { describe, expect, it } from 'vitest';
import { FPR, GPR, OpRole, VREG_BASE } from '../../../src/backend/minst.js';
import type { Reg, RegClass, TargetISA } from '../../../src/backend/minst.js';
import { linearSlots } from '../../../src/backend/x64/encode.js';
import { Cond, X64_ISA, invertCond, mem, memIdx } from '../../../src/backend/x64/inst.js';
import type { X64Inst } from '../../../src/backend/x64/inst.js';
import {
  CALLEE_SAVED_GPRS, CALLER_SAVED_GPRS, RAX, RBP, RBX, RCX, RDI, RDX, RESERVED, RSI, RSP, R8, R9, R10, R11, R12,
  R13, R14, R15, X64_REGS, XMM0, XMM1, XMM8, XMM15, regName,
} from '../../../src/backend/x64/regs.js';
import { sysvCall } from '../../../src/backend/x64/abi.js';
import { encodeForTest, hasObjdump, objdumpMany, toHex } from './harness.js';

const v = (n: number): Reg => VREG_BASE + n;

type Visit = [reg: Reg, role: OpRole, cls: RegClass, fixed: Reg | undefined];

function visits(i: X64Inst): Visit[] {
  const out: Visit[] = [];
  X64_ISA.mapRegs(i, (reg, role, cls, fixed) => {
    out.push([reg, role, cls, fixed]);
    return reg;
  });
  return out;
}

/** Rewrites virtual registers through `assign` (a toy allocation). */
function allocate(i: X64Inst, assign: Record<number, Reg>): X64Inst {
  const c = structuredClone(i);
  X64_ISA.mapRegs(c, (reg) => (reg >= VREG_BASE ? assign[reg - VREG_BASE]! : reg));
  return c;
}

describe('x64 register file', () => {
  it('numbers GPRs then XMMs with names and classes', () => {
    expect(X64_REGS.names.length).toBe(32);
    expect(X64_REGS.names[RSP]).toBe('rsp');
    expect(X64_REGS.names[R13]).toBe('r13');
    expect(X64_REGS.names[XMM15]).toBe('xmm15');
    expect(X64_REGS.classOf[R15]).toBe(GPR);
    expect(X64_REGS.classOf[XMM0]).toBe(FPR);
    expect(regName(RSI, 8)).toBe('sil');
    expect(regName(R9, 32)).toBe('r9d');
    expect(regName(R10, 16)).toBe('r10w');
    expect(regName(v(3))).toBe('v3');
  });

  it('never allocates rsp, rbp or the scratch registers; prefers caller-saved', () => {
    const [gprs, xmms] = X64_REGS.allocatable;
    for (const r of [...gprs, ...xmms]) expect(RESERVED.has(r)).toBe(false);
    expect(gprs.length).toBe(13);
    expect(xmms.length).toBe(15);
    for (const r of gprs) expect(X64_REGS.classOf[r]).toBe(GPR);
    for (const r of xmms) expect(X64_REGS.classOf[r]).toBe(FPR);
    const firstCallee = gprs.findIndex((r) => X64_REGS.calleeSaved.has(r));
    expect(gprs.slice(0, firstCallee).every((r) => CALLER_SAVED_GPRS.includes(r))).toBe(true);
    expect(gprs.slice(firstCallee).every((r) => X64_REGS.calleeSaved.has(r))).toBe(true);
    expect([...X64_REGS.calleeSaved].sort()).toEqual([...CALLEE_SAVED_GPRS].sort());
    expect(X64_REGS.spillSlotSize).toEqual([8, 16]);
  });
});

describe('x64 operand roles (mapRegs)', () => {
  it('pins div/idiv to rax/rdx and leaves the divisor free', () => {
    const i: X64Inst = { op: 'div', signed: true, size: 64, divisor: v(0), lo: v(1), hi: v(2), quot: v(3), rem: v(4) };
    expect(visits(i)).toEqual([
      [v(0), OpRole.Use, GPR, undefined],
      [v(1), OpRole.Use, GPR, RAX],
      [v(2), OpRole.Use, GPR, RDX],
      [v(3), OpRole.Def, GPR, RAX],
      [v(4), OpRole.Def, GPR, RDX],
    ]);
    expect(X64_ISA.clobbers(i)).toEqual([]);
  });

  it('pins cdq/cqo to rax → rdx', () => {
    expect(visits({ op: 'sign_ext_ax', size: 32, src: v(0), dst: v(1) })).toEqual([
      [v(0), OpRole.Use, GPR, RAX],
      [v(1), OpRole.Def, GPR, RDX],
    ]);
  });

  it('pins variable shift counts to rcx', () => {
    expect(visits({ op: 'shift_rc', sop: 'sar', size: 32, dst: v(0), count: v(1) })).toEqual([
      [v(0), OpRole.UseDef, GPR, undefined],
      [v(1), OpRole.Use, GPR, RCX],
    ]);
    expect(visits({ op: 'shift_ri', sop: 'shl', size: 64, dst: v(0), imm: 3 })).toEqual([[v(0), OpRole.UseDef, GPR, undefined]]);
  });

  it('pins call arguments and results and clobbers the caller-saved set except results', () => {
    const i: X64Inst = {
      op: 'call',
      callee: { kind: 'reg', reg: v(9) },
      args: [{ reg: v(0), preg: RDI }, { reg: v(1), preg: RSI }, { reg: v(2), preg: XMM0 }],
      rets: [{ reg: v(3), preg: RAX }, { reg: v(4), preg: XMM1 }],
    };
    expect(visits(i)).toEqual([
      [v(9), OpRole.Use, GPR, undefined],
      [v(0), OpRole.Use, GPR, RDI],
      [v(1), OpRole.Use, GPR, RSI],
      [v(2), OpRole.Use, FPR, XMM0],
      [v(3), OpRole.Def, GPR, RAX],
      [v(4), OpRole.Def, FPR, XMM1],
    ]);
    const cl = new Set(X64_ISA.clobbers(i));
    for (const r of [RCX, RDX, RSI, RDI, R8, R9, R10, R11, XMM0, XMM8, XMM15]) expect(cl.has(r), regName(r)).toBe(true);
    for (const r of [RAX, XMM1, RBX, RBP, RSP, R12, R13, R14, R15]) expect(cl.has(r), regName(r)).toBe(false);
    const noRets: X64Inst = { op: 'call', callee: { kind: 'sym', symbol: 'f' }, args: [], rets: [] };
    expect(X64_ISA.clobbers(noRets).length).toBe(9 + 16);
  });

  it('visits memory operand registers as uses', () => {
    expect(visits({ op: 'store', width: 32, src: v(0), mem: memIdx(v(1), v(2), 4, 8) })).toEqual([
      [v(1), OpRole.Use, GPR, undefined],
      [v(2), OpRole.Use, GPR, undefined],
      [v(0), OpRole.Use, GPR, undefined],
    ]);
    expect(visits({ op: 'load', width: 8, ext: 'sx', size: 32, dst: v(0), mem: mem(v(1), -4) })).toEqual([
      [v(0), OpRole.Def, GPR, undefined],
      [v(1), OpRole.Use, GPR, undefined],
    ]);
    expect(visits({ op: 'sse', sop: 'addsd', dst: v(0), src: mem(v(1)) })).toEqual([
      [v(0), OpRole.UseDef, FPR, undefined],
      [v(1), OpRole.Use, GPR, undefined],
    ]);
    expect(visits({ op: 'xload', xop: 'movss', dst: v(0), mem: { kind: 'slot', slot: 2 } })).toEqual([[v(0), OpRole.Def, FPR, undefined]]);
  });

  it('gives compares use-only roles and two-address ops use-def roles', () => {
    expect(visits({ op: 'alu_rr', aop: 'cmp', size: 64, dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.Use);
    expect(visits({ op: 'alu_ri', aop: 'test', size: 32, dst: v(0), imm: 1 })[0]![1]).toBe(OpRole.Use);
    expect(visits({ op: 'alu_rr', aop: 'sub', size: 64, dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.UseDef);
    expect(visits({ op: 'sse', sop: 'ucomisd', dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.Use);
    expect(visits({ op: 'sse', sop: 'sqrtss', dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.Def);
    expect(visits({ op: 'cmov', cc: Cond.L, size: 32, dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.UseDef);
    expect(visits({ op: 'imul_rri', size: 32, dst: v(0), src: v(1), imm: 3 })[0]![1]).toBe(OpRole.Def);
    expect(visits({ op: 'xmov', xop: 'movss', dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.UseDef);
    expect(visits({ op: 'xmov', xop: 'movaps', dst: v(0), src: v(1) })[0]![1]).toBe(OpRole.Def);
    expect(visits({ op: 'xzero', dst: v(0) })).toEqual([[v(0), OpRole.Def, FPR, undefined]]);
    expect(visits({ op: 'gzero', dst: v(0) })).toEqual([[v(0), OpRole.Def, GPR, undefined]]);
    expect(visits({ op: 'cvt_f2i', ty: 'f64', size: 32, dst: v(0), src: v(1) })).toEqual([
      [v(0), OpRole.Def, GPR, undefined],
      [v(1), OpRole.Use, FPR, undefined],
    ]);
    expect(visits({ op: 'jmp_table', index: v(0), tmp: v(1), targets: [1, 2] })).toEqual([
      [v(0), OpRole.Use, GPR, undefined],
      [v(1), OpRole.EarlyDef, GPR, undefined],
    ]);
    expect(visits({ op: 'ret', rets: [{ reg: v(0), preg: RAX }] })).toEqual([[v(0), OpRole.Use, GPR, RAX]]);
  });

  it('rewrites registers from the visitor, then encodes', () => {
    const i: X64Inst = { op: 'load', width: 32, ext: 'sx', size: 64, dst: v(0), mem: memIdx(v(1), v(2), 8, 16) };
    const a = allocate(i, { 0: R12, 1: RBP, 2: R13 });
    expect(a).toEqual({ op: 'load', width: 32, ext: 'sx', size: 64, dst: R12, mem: memIdx(RBP, R13, 8, 16) });
    expect(toHex(encodeForTest([a]).bytes)).toBe('4e 63 64 ed 10');
    // the original instruction is untouched when the caller cloned it
    expect(i.dst).toBe(v(0));
  });
});

describe('x64 control flow description', () => {
  it('reports branch targets and terminators', () => {
    expect(X64_ISA.branchTargets({ op: 'jmp', target: 4 })).toEqual([4]);
    expect(X64_ISA.branchTargets({ op: 'jcc', cc: Cond.E, taken: 2, notTaken: 3 })).toEqual([2, 3]);
    expect(X64_ISA.branchTargets({ op: 'jcc', cc: Cond.E, taken: 2, notTaken: 2 })).toEqual([2]);
    expect(X64_ISA.branchTargets({ op: 'jmp_table', index: RAX, tmp: RCX, targets: [3, 1, 3, 2] })).toEqual([3, 1, 2]);
    expect(X64_ISA.branchTargets({ op: 'trap_if', cc: Cond.E, code: 1 })).toEqual([]);
    for (const t of [
      { op: 'jmp', target: 0 }, { op: 'jcc', cc: Cond.B, taken: 0, notTaken: 1 }, { op: 'ret', rets: [] },
      { op: 'ud2', code: 0 }, { op: 'jmp_r', target: RAX }, { op: 'jmp_table', index: RAX, tmp: RCX, targets: [0] },
    ] as X64Inst[]) expect(X64_ISA.isTerminator(t), t.op).toBe(true);
    for (const t of [
      { op: 'trap_if', cc: Cond.E, code: 1 }, { op: 'call', callee: { kind: 'sym', symbol: 'f' }, args: [], rets: [] },
      { op: 'int3' }, { op: 'mov_rr', size: 64, dst: RAX, src: RCX },
    ] as X64Inst[]) expect(X64_ISA.isTerminator(t), t.op).toBe(false);
  });

  it('splits edges for the allocator: makeJump and retargetBranch', () => {
    const isa: TargetISA<X64Inst> = X64_ISA;
    const jump = isa.makeJump!(3);
    expect(jump).toEqual({ op: 'jmp', target: 3 });
    expect(isa.isTerminator(jump)).toBe(true);
    expect(isa.branchTargets(jump)).toEqual([3]);
    const branches: X64Inst[] = [
      { op: 'jmp', target: 4 },
      { op: 'jcc', cc: Cond.E, taken: 2, notTaken: 5 },
      { op: 'jcc', cc: Cond.NE, taken: 6, notTaken: 6 },
      { op: 'jmp_table', index: RAX, tmp: RCX, targets: [3, 1, 3, 2] },
    ];
    // Every reported target, retargeted, is reported as the new block and nothing else moves.
    for (const b of branches) {
      for (const from of isa.branchTargets(b)) {
        const c = structuredClone(b);
        isa.retargetBranch!(c, from, 99);
        expect(isa.branchTargets(c), `${b.op} ${from}`).toEqual([...new Set(isa.branchTargets(b).map((t) => (t === from ? 99 : t)))]);
      }
    }
    const table = structuredClone(branches[3]!);
    isa.retargetBranch!(table, 3, 8);
    expect(table).toEqual({ op: 'jmp_table', index: RAX, tmp: RCX, targets: [8, 1, 8, 2] });
    // A block the branch does not name, and a non-branch, are left alone.
    const jcc = structuredClone(branches[1]!);
    isa.retargetBranch!(jcc, 7, 9);
    expect(jcc).toEqual(branches[1]);
    const mov: X64Inst = { op: 'mov_rr', size: 64, dst: RAX, src: RCX };
    isa.retargetBranch!(mov, 0, 1);
    expect(mov).toEqual({ op: 'mov_rr', size: 64, dst: RAX, src: RCX });
  });

  it('inverts condition codes pairwise', () => {
    expect(invertCond(Cond.E)).toBe(Cond.NE);
    expect(invertCond(Cond.L)).toBe(Cond.GE);
    expect(invertCond(Cond.A)).toBe(Cond.BE);
    expect(invertCond(Cond.NP)).toBe(Cond.P);
  });
});

describe('x64 moves, spills and reloads', () => {
  it('recognizes full-width register moves only', () => {
    expect(X64_ISA.asMove(X64_ISA.makeMove(GPR, v(1), v(0)))).toEqual({ dst: v(1), src: v(0), cls: GPR });
    expect(X64_ISA.asMove(X64_ISA.makeMove(FPR, v(1), v(0)))).toEqual({ dst: v(1), src: v(0), cls: FPR });
    // a 32-bit mov zero-extends: not a copy
    expect(X64_ISA.asMove({ op: 'mov_rr', size: 32, dst: RAX, src: RCX })).toBeUndefined();
    // movss merges lanes: not a copy
    expect(X64_ISA.asMove({ op: 'xmov', xop: 'movss', dst: XMM0, src: XMM1 })).toBeUndefined();
  });

  it('round-trips spills and reloads through the encoder with a frame context', () => {
    const insts: X64Inst[] = [
      X64_ISA.makeSpill(GPR, R12, 0),
      X64_ISA.makeReload(GPR, RAX, 0),
      X64_ISA.makeSpill(FPR, XMM8, 3),
      X64_ISA.makeReload(FPR, XMM0, 3),
      X64_ISA.makeMove(GPR, R8, RBX),
      X64_ISA.makeMove(FPR, XMM15, XMM1),
    ];
    const rsp = encodeForTest(insts, undefined, linearSlots(RSP, 0x10));
    expect(toHex(rsp.bytes)).toBe(
      '4c 89 64 24 10 48 8b 44 24 10 44 0f 11 44 24 40 0f 10 44 24 40 49 89 d8 44 0f 28 f9',
    );
    const rbp = encodeForTest(insts, undefined, linearSlots(RBP, -0x100));
    expect(toHex(rbp.bytes)).toBe(
      '4c 89 a5 00 ff ff ff 48 8b 85 00 ff ff ff 44 0f 11 85 30 ff ff ff 0f 10 85 30 ff ff ff 49 89 d8 44 0f 28 f9',
    );
    if (hasObjdump()) {
      const [a, b] = objdumpMany([rsp.bytes, rbp.bytes]);
      expect(a).toBe(
        'mov QWORD PTR [rsp+0x10],r12 ; mov rax,QWORD PTR [rsp+0x10] ; movups XMMWORD PTR [rsp+0x40],xmm8 ; ' +
          'movups xmm0,XMMWORD PTR [rsp+0x40] ; mov r8,rbx ; movaps xmm15,xmm1',
      );
      expect(b).toBe(
        'mov QWORD PTR [rbp-0x100],r12 ; mov rax,QWORD PTR [rbp-0x100] ; movups XMMWORD PTR [rbp-0xd0],xmm8 ; ' +
          'movups xmm0,XMMWORD PTR [rbp-0xd0] ; mov r8,rbx ; movaps xmm15,xmm1',
      );
    }
  });

  it('spills allocated virtual registers: the slot operand survives mapRegs', () => {
    const spill = X64_ISA.makeSpill(GPR, v(7), 2);
    const a = allocate(spill, { 7: RDI });
    expect(toHex(encodeForTest([a]).bytes)).toBe('48 89 7c 24 40');
  });
});

describe('x64 listing format', () => {
  it('prints Intel syntax', () => {
    const f = (i: X64Inst): string => X64_ISA.format(i);
    expect(f({ op: 'mov_rr', size: 32, dst: RAX, src: R9 })).toBe('mov eax, r9d');
    expect(f({ op: 'load', width: 8, ext: 'sx', size: 64, dst: RCX, mem: memIdx(RBX, RSI, 4, -8) })).toBe(
      'movsx rcx, byte ptr [rbx + rsi*4 - 8]',
    );
    expect(f({ op: 'store', width: 16, src: R8, mem: mem(RSP, 0x10) })).toBe('mov word ptr [rsp + 0x10], r8w');
    expect(f({ op: 'alu_ri', aop: 'add', size: 64, dst: v(2), imm: -1 })).toBe('add v2, -1');
    expect(f({ op: 'setcc', cc: Cond.AE, dst: RSI })).toBe('setae sil');
    expect(f({ op: 'jcc', cc: Cond.NE, taken: 1, notTaken: 2 })).toBe('jne .b1; jmp .b2');
    expect(f({ op: 'sse', sop: 'addss', dst: XMM0, src: { kind: 'slot', slot: 1 } })).toBe('addss xmm0, dword ptr [slot1]');
    expect(f({ op: 'call', callee: { kind: 'sym', symbol: 'g' }, args: [{ reg: v(0), preg: RDI }], rets: [] })).toBe(
      'call g  ; args v0=rdi',
    );
    expect(f({ op: 'sp_adjust', delta: -32 })).toBe('sub rsp, 0x20');
  });
});

describe('x64 SysV ABI', () => {
  it('assigns integer and float registers independently, vmctx first', () => {
    const l = sysvCall(['i64', 'i32', 'f64', 'i64', 'f32', 'v128'], ['i32']);
    expect(l.params).toEqual([
      { kind: 'reg', reg: RDI },
      { kind: 'reg', reg: RSI },
      { kind: 'reg', reg: XMM0 },
      { kind: 'reg', reg: RDX },
      { kind: 'reg', reg: XMM1 },
      { kind: 'reg', reg: XMM0 + 2 },
    ]);
    expect(l.results).toEqual([{ kind: 'reg', reg: RAX }]);
    expect(l.stackBytes).toBe(0);
  });

  it('puts overflow arguments on the stack, 8 bytes each, v128 16-aligned, area rounded to 16', () => {
    const ints = Array<'i64'>(8).fill('i64');
    const l = sysvCall([...ints, 'i32', 'v128'], []);
    expect(l.params.slice(0, 6).map((p) => (p.kind === 'reg' ? p.reg : -1))).toEqual([RDI, RSI, RDX, RCX, R8, R9]);
    expect(l.params.slice(6)).toEqual([
      { kind: 'stack', offset: 0 },
      { kind: 'stack', offset: 8 },
      { kind: 'stack', offset: 16 },
      { kind: 'reg', reg: XMM0 },
    ]);
    expect(l.stackArgBytes).toBe(24);
    expect(l.stackBytes).toBe(32);
    const f = sysvCall([...Array<'f64'>(9).fill('f64'), 'v128'], []);
    expect(f.params[8]).toEqual({ kind: 'stack', offset: 0 });
    expect(f.params[9]).toEqual({ kind: 'stack', offset: 16 });
    expect(f.stackBytes).toBe(32);
  });

  it('returns two values per class in registers and the rest in the stack area', () => {
    const l = sysvCall(['i64', 'i64'], ['i64', 'f64', 'i32', 'f32', 'i64', 'v128']);
    expect(l.results).toEqual([
      { kind: 'reg', reg: RAX },
      { kind: 'reg', reg: XMM0 },
      { kind: 'reg', reg: RDX },
      { kind: 'reg', reg: XMM1 },
      { kind: 'stack', offset: 0 },
      { kind: 'stack', offset: 16 },
    ]);
    expect(l.stackArgBytes).toBe(0);
    expect(l.stackBytes).toBe(32);
  });
});
