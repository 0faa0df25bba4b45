import { describe, expect, it } from 'vitest';
import { FPR, GPR, VREG_BASE, type MFunc } from '../../../src/backend/minst.js';
import {
  CheckError,
  allocateRegisters,
  checkAllocation,
  snapshotFunction,
  type AllocResult,
} from '../../../src/backend/regalloc/index.js';
import { sequentialize, slotLoc, isSlot, slotOf, type PMove } from '../../../src/backend/regalloc/parallel-move.js';
import {
  F0,
  F2,
  FuncBuilder,
  R0,
  R1,
  R2,
  R3,
  cloneFunc,
  formatFunc,
  randomFunc,
  run,
  toyIsa,
  wideIsa,
  type TInst,
  type ToyIsa,
} from './toy.js';

/** Allocates a copy, runs the checker, and compares interpreter traces on a few inputs. */
function allocAndVerify(
  f: MFunc<TInst>,
  inputs: [number, number][] = [[3, 4], [-7, 100], [0, 1]],
  isa: ToyIsa = toyIsa,
): { out: MFunc<TInst>; res: AllocResult } {
  const before = cloneFunc(f);
  const out = cloneFunc(f);
  const snap = snapshotFunction(out, isa);
  let res: AllocResult;
  try {
    res = allocateRegisters(out, isa, { provenance: true });
    checkAllocation(snap, out, isa, res);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- input ---\n${formatFunc(before)}\n--- output ---\n${formatFunc(out)}`);
  }
  for (const b of out.blocks) {
    for (const i of b.insts) {
      isa.mapRegs(i, (reg) => {
        expect(reg).toBeLessThan(VREG_BASE);
        return reg;
      });
    }
  }
  for (const args of inputs) {
    const want = run(before, args, 200, isa);
    const got = run(out, args, 200, isa);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      throw new Error(
        `different behaviour on ${args}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}\n--- input ---\n${formatFunc(before)}\n--- output ---\n${formatFunc(out)}`,
      );
    }
  }
  return { out, res: res! };
}

const countOps = (f: MFunc<TInst>, op: TInst['op']): number => f.blocks.reduce((n, b) => n + b.insts.filter((i) => i.op === op).length, 0);

describe('regalloc: hand-written cases', () => {
  it('straight line: no spills, argument moves coalesced', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const [x, y, z] = [b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 });
    b.emit(e, { op: 'bin', kind: 'add', d: z, a: x, b: y }, { op: 'out', a: z }, { op: 'ret', a: z });
    const { out, res } = allocAndVerify(b.finish());
    expect(out.spillSlots).toBe(0);
    expect(res.stats.elidedMoves).toBe(2);
    expect(countOps(out, 'mov')).toBe(0); // z computed straight into r0 for ret
    expect(out.usedCalleeSaved).toEqual([]);
  });

  it('loop with an accumulator (two-address) and a back edge', () => {
    const b = new FuncBuilder();
    const [e, head, body, exit] = [b.block(), b.block(), b.block(), b.block()];
    const [n, acc, one, c] = [b.vreg(), b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: n, s: R0 }, { op: 'li', d: acc, imm: 1 }, { op: 'li', d: one, imm: 1 }, { op: 'jmp', t: head });
    b.emit(head, { op: 'bin', kind: 'sub', d: n, a: n, b: one }, { op: 'early', d: c, a: n, b: one }, { op: 'br', c, t: body, f: exit });
    b.emit(body, { op: 'acc', d: acc, a: n }, { op: 'out', a: acc }, { op: 'jmp', t: head });
    b.emit(exit, { op: 'ret', a: acc });
    const { out } = allocAndVerify(b.finish(), [[10, 0], [7, 0]]);
    expect(out.spillSlots).toBe(0);
  });

  it('diamond with different defs on each side', () => {
    const b = new FuncBuilder();
    const [e, l, r, j] = [b.block(), b.block(), b.block(), b.block()];
    const [x, y, z] = [b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 }, { op: 'br', c: x, t: l, f: r });
    b.emit(l, { op: 'bin', kind: 'mul', d: z, a: x, b: y }, { op: 'jmp', t: j });
    b.emit(r, { op: 'bin', kind: 'sub', d: z, a: y, b: x }, { op: 'jmp', t: j });
    b.emit(j, { op: 'bin', kind: 'add', d: z, a: z, b: x }, { op: 'ret', a: z });
    allocAndVerify(b.finish(), [[3, 5], [4, 5]]);
  });

  it('values live across a call go to callee-saved registers or the stack', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const [x, y, w, res, s] = [b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg()];
    const fx = b.vreg(FPR);
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 }, { op: 'li', d: w, imm: 9 }, { op: 'fli', d: fx, imm: 2 });
    b.emit(e, { op: 'call', args: [y, x], fargs: [], res });
    b.emit(e, { op: 'bin', kind: 'add', d: s, a: x, b: y }, { op: 'bin', kind: 'add', d: s, a: s, b: w }, { op: 'bin', kind: 'add', d: s, a: s, b: res });
    b.emit(e, { op: 'fout', a: fx }, { op: 'ret', a: s });
    const { out } = allocAndVerify(b.finish());
    // Three GPR values cross the call, one callee-saved GPR: r3 is used, the rest spill.
    expect(out.usedCalleeSaved).toContain(R3);
    expect(out.usedCalleeSaved).toContain(F2);
    expect(out.spillSlots).toBeGreaterThan(0);
    // Arguments swap r0/r1 relative to where they arrived: a parallel move or a spill handles it.
  });

  it('a spilled value with one definition is stored once, at the definition, not on every loop edge', () => {
    const b = new FuncBuilder();
    const [e, head, exit] = [b.block(), b.block(), b.block()];
    const [x, y, n, one, r, s] = [b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 }, { op: 'li', d: n, imm: 3 }, { op: 'li', d: one, imm: 1 });
    b.emit(e, { op: 'jmp', t: head });
    // x, y, n and one all cross the call; one callee-saved GPR, so some live on the stack.
    b.emit(head, { op: 'call', args: [y], fargs: [], res: r }, { op: 'bin', kind: 'add', d: s, a: r, b: x }, { op: 'out', a: s });
    b.emit(head, { op: 'bin', kind: 'sub', d: n, a: n, b: one }, { op: 'br', c: n, t: head, f: exit });
    b.emit(exit, { op: 'out', a: y }, { op: 'ret', a: x });
    const { out, res } = allocAndVerify(b.finish(), [[3, 4], [5, 6]]);
    expect(res.stats.spillsAtDefDropped).toBeGreaterThan(0);
    // Slots stored in the entry block (x and y, defined there once) are never stored again.
    const slotsOf = (bi: number): number[] => out.blocks[bi]!.insts.flatMap((i) => (i.op === 'spill' ? [i.slot] : []));
    const atEntry = new Set(slotsOf(0));
    expect(atEntry.size).toBeGreaterThan(0);
    for (let bi = 1; bi < out.blocks.length; bi++) for (const slot of slotsOf(bi)) expect(atEntry.has(slot)).toBe(false);
  });

  it('a value that only passes through an edge block in its slot is not reloaded and stored back there', () => {
    // The loop's back edge goes through `latch`, laid out last, after x's reload for its use
    // in `exit`: the linear scan gives x a register over `latch`, where x is never used.
    const b = new FuncBuilder();
    const [e, head, exit, latch] = [b.block(), b.block(), b.block(), b.block()];
    const [x, y, z, n, one, r, s] = [b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 }, { op: 'li', d: z, imm: 7 }, { op: 'li', d: n, imm: 3 }, { op: 'li', d: one, imm: 1 });
    b.emit(e, { op: 'jmp', t: head });
    b.emit(head, { op: 'call', args: [y], fargs: [], res: r }, { op: 'bin', kind: 'add', d: s, a: r, b: y }, { op: 'out', a: s });
    b.emit(head, { op: 'bin', kind: 'sub', d: n, a: n, b: one }, { op: 'br', c: n, t: latch, f: exit });
    b.emit(exit, { op: 'bin', kind: 'add', d: s, a: x, b: z }, { op: 'bin', kind: 'add', d: s, a: s, b: y }, { op: 'out', a: s }, { op: 'ret', a: x });
    b.emit(latch, { op: 'jmp', t: head });
    const { out, res } = allocAndVerify(b.finish(), [[3, 4], [5, 6]]);
    expect(res.stats.passThroughMoves).toBeGreaterThan(0);
    // x is stored once, right after its definition (the entry's first spill); the latch
    // neither reloads it nor stores it.
    const xSlot = out.blocks[e]!.insts.find((i) => i.op === 'spill');
    expect(xSlot?.op === 'spill' && out.blocks[e]!.insts[0]!.op === 'mov' && xSlot.s === out.blocks[e]!.insts[0]!.d).toBe(true);
    const touches = out.blocks[latch]!.insts.filter((i) => (i.op === 'spill' || i.op === 'reload') && i.slot === (xSlot as { slot: number }).slot);
    expect(touches).toEqual([]);
  });

  it('fixed registers: shift count, division, return value', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const [x, y, c, q, rem, t] = [b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: R1 }, { op: 'li', d: c, imm: 3 });
    b.emit(e, { op: 'shl', d: t, a: x, c }, { op: 'mov', cls: GPR, d: q, s: t }, { op: 'div', q, b: y, rem });
    b.emit(e, { op: 'out', a: rem }, { op: 'out', a: c }, { op: 'out', a: x }, { op: 'ret', a: q });
    const { out } = allocAndVerify(b.finish(), [[100, 7], [-55, 4], [9, 0]]);
    const shl = out.blocks[0]!.insts.find((i) => i.op === 'shl')!;
    expect(shl.op === 'shl' && shl.c).toBe(R2);
    const div = out.blocks[0]!.insts.find((i) => i.op === 'div')!;
    expect(div.op === 'div' && [div.q, div.rem]).toEqual([R0, R1]);
  });

  it('two-address op whose source stays live gets a copy', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const [x, y] = [b.vreg(), b.vreg()];
    b.emit(e, { op: 'mov', cls: GPR, d: x, s: R0 }, { op: 'mov', cls: GPR, d: y, s: x }, { op: 'acc', d: y, a: x });
    b.emit(e, { op: 'out', a: x }, { op: 'out', a: y }, { op: 'ret', a: x });
    allocAndVerify(b.finish());
  });

  it('high pressure: eight GPR values live at once forces spills', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const vs = Array.from({ length: 8 }, () => b.vreg());
    vs.forEach((v, i) => b.emit(e, { op: 'li', d: v, imm: i * 11 + 1 }));
    const s = b.vreg();
    b.emit(e, { op: 'li', d: s, imm: 0 });
    for (const v of vs) b.emit(e, { op: 'bin', kind: 'add', d: s, a: s, b: v });
    for (const v of vs.slice().reverse()) b.emit(e, { op: 'bin', kind: 'xor', d: s, a: s, b: v }, { op: 'out', a: v });
    b.emit(e, { op: 'ret', a: s });
    const { out, res } = allocAndVerify(b.finish());
    expect(out.spillSlots).toBeGreaterThanOrEqual(4);
    expect(res.stats.spills).toBeGreaterThan(0);
    expect(res.stats.reloads).toBeGreaterThan(0);
    expect(res.slotOffset.every((o, i) => o % 8 === 0 && (i === 0 || o !== res.slotOffset[i - 1]))).toBe(true);
  });

  it('high pressure inside a loop, with FPRs', () => {
    const b = new FuncBuilder();
    const [e, loop, exit] = [b.block(), b.block(), b.block()];
    const vs = Array.from({ length: 6 }, () => b.vreg());
    const fs = Array.from({ length: 4 }, () => b.vreg(FPR));
    const i = b.vreg();
    b.emit(e, { op: 'mov', cls: GPR, d: i, s: R0 });
    vs.forEach((v, k) => b.emit(e, { op: 'li', d: v, imm: k + 2 }));
    fs.forEach((v, k) => b.emit(e, { op: 'fli', d: v, imm: k + 5 }));
    b.emit(e, { op: 'jmp', t: loop });
    vs.forEach((v, k) => b.emit(loop, { op: 'bin', kind: 'mul', d: v, a: v, b: vs[(k + 1) % vs.length]! }));
    fs.forEach((v, k) => b.emit(loop, { op: 'fbin', d: v, a: v, b: fs[(k + 3) % fs.length]! }));
    const one = b.vreg();
    b.emit(loop, { op: 'li', d: one, imm: 1 }, { op: 'bin', kind: 'sub', d: i, a: i, b: one }, { op: 'br', c: i, t: loop, f: exit });
    vs.forEach((v) => b.emit(exit, { op: 'out', a: v }));
    fs.forEach((v) => b.emit(exit, { op: 'fout', a: v }));
    b.emit(exit, { op: 'ret', a: i });
    allocAndVerify(b.finish(), [[9, 0], [5, 0]]);
  });

  it('critical edges are split when a value changes location across them', () => {
    // b0 → {b1, b2}, b1 → {b2, b3}: both b0→b2 and b1→b2 are critical. A call in b1
    // pushes values around so that locations differ at b2's entry.
    let split = 0;
    for (let seed = 0; seed < 40; seed++) {
      const b = new FuncBuilder();
      const [e, m, j, x] = [b.block(), b.block(), b.block(), b.block()];
      const vs = Array.from({ length: 5 }, () => b.vreg());
      b.emit(e, { op: 'mov', cls: GPR, d: vs[0]!, s: R0 });
      vs.slice(1).forEach((v, k) => b.emit(e, { op: 'li', d: v, imm: k + seed }));
      b.emit(e, { op: 'br', c: vs[0]!, t: m, f: j });
      b.emit(m, { op: 'call', args: [vs[seed % 5]!], fargs: [], res: vs[(seed + 2) % 5]! }, { op: 'br', c: vs[1]!, t: j, f: x });
      for (const v of vs) b.emit(j, { op: 'out', a: v });
      b.emit(j, { op: 'ret', a: vs[2]! });
      b.emit(x, { op: 'ret', a: vs[3]! });
      const { res } = allocAndVerify(b.finish(), [[1, 0], [2, 0], [3, 0]]);
      split += res.stats.splitEdges;
    }
    expect(split).toBeGreaterThan(0);
  });

  it('an edge needing moves on an ISA that cannot split edges is reported', () => {
    const { makeJump: _a, retargetBranch: _b, ...plain } = toyIsa;
    let failures = 0;
    for (let seed = 0; seed < 300; seed++) {
      const f = randomFunc(seed);
      try {
        allocateRegisters(f, plain);
      } catch (e) {
        expect((e as Error).message).toMatch(/critical edge/);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('swap cycles in parallel moves', () => {
    // Reference semantics: read all sources, then write all destinations.
    const exec = (moves: PMove[], seq: PMove[]): void => {
      const init = new Map<number, number>();
      for (const m of moves) {
        init.set(m.src, 1000 + m.src);
        init.set(m.dst, 1000 + m.dst);
      }
      const want = new Map(init);
      for (const m of moves) want.set(m.dst, init.get(m.src)!);
      const got = new Map(init);
      for (const m of seq) {
        expect(isSlot(m.src) && isSlot(m.dst)).toBe(false);
        got.set(m.dst, got.get(m.src)!);
      }
      for (const m of moves) expect(got.get(m.dst)).toBe(want.get(m.dst));
    };
    const cases: PMove[][] = [
      [{ src: 0, dst: 1, cls: 0 }, { src: 1, dst: 0, cls: 0 }],
      [{ src: 0, dst: 1, cls: 0 }, { src: 1, dst: 2, cls: 0 }, { src: 2, dst: 0, cls: 0 }, { src: 2, dst: 3, cls: 0 }],
      [{ src: 0, dst: slotLoc(0), cls: 0 }, { src: slotLoc(1), dst: 0, cls: 0 }, { src: 1, dst: 2, cls: 0 }, { src: 2, dst: 1, cls: 0 }],
      [{ src: 4, dst: 5, cls: 1 }, { src: 5, dst: 4, cls: 1 }, { src: 0, dst: 0, cls: 0 }],
    ];
    for (const moves of cases) {
      exec(moves, sequentialize(moves, () => 9));
      exec(moves, sequentialize(moves, () => slotLoc(7)));
    }
    const withSlot = sequentialize(cases[0]!, () => slotLoc(7));
    expect(withSlot.filter((m) => isSlot(m.dst) || isSlot(m.src)).map((m) => slotOf(isSlot(m.dst) ? m.dst : m.src))).toEqual([7, 7]);
  });

  it('the checker rejects broken allocations', () => {
    const b = new FuncBuilder();
    const e = b.block();
    const vs = Array.from({ length: 6 }, () => b.vreg());
    vs.forEach((v, i) => b.emit(e, { op: 'li', d: v, imm: i }));
    const s = b.vreg();
    b.emit(e, { op: 'call', args: [vs[0]!], fargs: [], res: s });
    for (const v of vs) b.emit(e, { op: 'bin', kind: 'add', d: s, a: s, b: v });
    b.emit(e, { op: 'ret', a: s });
    const f = b.finish();
    const at = (g: MFunc<TInst>, op: TInst['op'], nth = 0): number => {
      let seen = 0;
      return g.blocks[0]!.insts.findIndex((i) => i.op === op && seen++ === nth);
    };
    const mutations: ((g: MFunc<TInst>, res: AllocResult) => void)[] = [
      // An allocator that forgets a spill store.
      (g, res) => {
        const k = at(g, 'spill');
        g.blocks[0]!.insts.splice(k, 1);
        res.provenance[0]!.splice(k, 1);
      },
      // ... or reloads from the wrong slot.
      (g, res) => {
        const k = at(g, 'reload');
        const inst = g.blocks[0]!.insts[k]!;
        const p = res.provenance[0]![k]!;
        if (inst.op === 'reload' && p.kind === 'reload') inst.slot = p.slot = (p.slot + 1) % g.spillSlots;
      },
      // ... or reads a register the call clobbered.
      (g) => {
        const add = g.blocks[0]!.insts[at(g, 'bin')]!;
        if (add.op === 'bin') add.b = R1;
      },
      // ... or puts the call argument in the wrong register.
      (g) => {
        const call = g.blocks[0]!.insts[at(g, 'call')]!;
        if (call.op === 'call') call.args[0] = R2;
      },
    ];
    for (const mutate of mutations) {
      const g = cloneFunc(f);
      const snap = snapshotFunction(g, toyIsa);
      const res = allocateRegisters(g, toyIsa, { provenance: true });
      checkAllocation(snap, g, toyIsa, res);
      expect(run(g, [1, 2])).toEqual(run(f, [1, 2]));
      mutate(g, res);
      expect(() => checkAllocation(snap, g, toyIsa, res)).toThrow(CheckError);
    }
    // Claiming no callee-saved registers when r3 is written.
    const g = cloneFunc(f);
    const snap = snapshotFunction(g, toyIsa);
    const res = allocateRegisters(g, toyIsa, { provenance: true });
    if (g.usedCalleeSaved.length > 0) {
      g.usedCalleeSaved = [];
      expect(() => checkAllocation(snap, g, toyIsa, res)).toThrow(/usedCalleeSaved/);
    }
  });

  it('allocateRegisters({ check: true }) runs the checker itself', () => {
    const f = randomFunc(12345);
    expect(() => allocateRegisters(f, toyIsa, { check: true })).not.toThrow();
  });

  it('records provenance only when asked (check or provenance option)', () => {
    const f = randomFunc(4242);
    const g = cloneFunc(f);
    const snap = snapshotFunction(g, toyIsa);
    const res = allocateRegisters(g, toyIsa);
    expect(res.provenance).toEqual([]);
    expect(() => checkAllocation(snap, g, toyIsa, res)).toThrow(/no provenance recorded/);
    const h = cloneFunc(f);
    const snap2 = snapshotFunction(h, toyIsa);
    const res2 = allocateRegisters(h, toyIsa, { provenance: true });
    expect(res2.provenance.length).toBe(h.blocks.length);
    checkAllocation(snap2, h, toyIsa, res2);
    // The same code either way.
    expect(formatFunc(g)).toBe(formatFunc(h));
  });
});

describe('regalloc: random programs', () => {
  const N = 600;
  it(`${N} random CFGs pass the checker and behave identically`, () => {
    const totals = { splitMoves: 0, edgeMoves: 0, spills: 0, reloads: 0, splitEdges: 0, elidedMoves: 0, spillsAtDefDropped: 0 };
    let withSpills = 0;
    for (let seed = 1; seed <= N; seed++) {
      const f = randomFunc(seed);
      const { out, res } = allocAndVerify(f, [
        [seed, 3],
        [-seed * 7, 1],
      ]);
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += res.stats[k];
      if (out.spillSlots > 0) withSpills++;
    }
    // The generator must actually exercise the interesting paths.
    expect(withSpills).toBeGreaterThan(N / 4);
    expect(totals.splitEdges).toBeGreaterThan(0);
    expect(totals.edgeMoves).toBeGreaterThan(0);
    expect(totals.splitMoves).toBeGreaterThan(0);
    expect(totals.elidedMoves).toBeGreaterThan(0);
  });

  it('small, dense programs (few vregs, long blocks)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      allocAndVerify(randomFunc(seed * 7919, { maxBlocks: 3, maxInsts: 25, maxG: 5, maxF: 2 }), [[seed, -seed]]);
    }
  });

  it('large programs (many vregs, many blocks)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      allocAndVerify(randomFunc(seed * 104729, { maxBlocks: 20, maxInsts: 20, maxG: 30, maxF: 8 }), [[seed, 2]]);
    }
  });
});

describe('regalloc: x86-64-sized register file', () => {
  it('250 random programs with 12 GPRs and 11 FPRs', () => {
    let calleeSaved = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const f = randomFunc(seed * 31337, { maxBlocks: 12, maxInsts: 16, maxG: 24, maxF: 12 });
      const { out } = allocAndVerify(f, [[seed, 5]], wideIsa);
      calleeSaved += out.usedCalleeSaved.length;
    }
    expect(calleeSaved).toBeGreaterThan(0);
  });

  it('a large function allocates in reasonable time', () => {
    const f = randomFunc(4242, { maxBlocks: 300, maxInsts: 30, maxG: 400, maxF: 60 });
    const insts = f.blocks.reduce((n, b) => n + b.insts.length, 0);
    expect(insts).toBeGreaterThan(3000);
    const t0 = performance.now();
    allocateRegisters(cloneFunc(f), wideIsa);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(20000); // ~2 s on a loaded 2-core box; guards against quadratic blow-ups
    allocAndVerify(f, [[1, 2]], wideIsa);
  });
});

void F0;
void FPR;
void R2;
