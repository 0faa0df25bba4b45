/**
 * Linearisation, liveness (backward dataflow over the CFG, loops included) and live
 * interval construction.
 *
 * Liveness tracks virtual registers and the target's allocatable physical registers:
 * an isel may read or write a physical register directly (incoming arguments), and
 * the fixed-constraint pre-pass turns every fixed operand into one. The physical
 * registers' live ranges, plus one-position ranges at clobbers, become "fixed
 * intervals": reservations the allocator must keep virtual registers out of.
 */

import { OpRole, VREG_BASE, type MoveInfo, type Reg, type RegClass, type RegisterFile } from '../minst.js';
import { Interval, posEarly, posLate, posMid } from './intervals.js';

export interface Operand {
  reg: Reg;
  role: OpRole;
  cls: RegClass;
  fixed: Reg | undefined;
}

/**
 * The operands of the function being allocated, read once, in flat arrays: an instruction's
 * operands are entries [opFrom, opTo) in `mapRegs` order. `fixed` is -1 for none.
 */
export class Operands {
  reg = new Int32Array(1024);
  role = new Uint8Array(1024);
  cls = new Uint8Array(1024);
  fixed = new Int32Array(1024);
  count = 0;

  push(reg: Reg, role: OpRole, cls: RegClass, fixed: Reg | undefined): void {
    if (this.count === this.reg.length) this.grow();
    const k = this.count++;
    this.reg[k] = reg;
    this.role[k] = role;
    this.cls[k] = cls;
    this.fixed[k] = fixed ?? -1;
  }

  private grow(): void {
    const n = 2 * this.reg.length;
    const reg = new Int32Array(n);
    reg.set(this.reg);
    this.reg = reg;
    const role = new Uint8Array(n);
    role.set(this.role);
    this.role = role;
    const cls = new Uint8Array(n);
    cls.set(this.cls);
    this.cls = cls;
    const fixed = new Int32Array(n);
    fixed.set(this.fixed);
    this.fixed = fixed;
  }
}

/** One instruction of the function being allocated, with its operands read once. */
export interface WInst<I> {
  inst: I;
  /** Index in the original block, or -1 for instructions added by the allocator. */
  orig: number;
  /** Its operands: entries [opFrom, opTo) of the function's Operands. */
  opFrom: number;
  opTo: number;
  clobbers: readonly Reg[];
  move: MoveInfo | undefined;
  isTerminator: boolean;
}

export interface WBlock<I> {
  insts: WInst<I>[];
  succs: number[];
  preds: number[];
}

/** Global instruction numbering: block b's pseudo head is `head[b]`, its k-th instruction `head[b] + 1 + k`. */
export interface Layout {
  head: number[];
  /** Position range of each block: [from, to). */
  from: number[];
  to: number[];
  /** Block containing each global instruction index. */
  blockOf: number[];
  count: number;
}

export function buildLayout<I>(blocks: readonly WBlock<I>[]): Layout {
  const head: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const blockOf: number[] = [];
  let n = 0;
  blocks.forEach((b, i) => {
    head.push(n);
    from.push(4 * n);
    for (let k = 0; k <= b.insts.length; k++) blockOf.push(i);
    n += 1 + b.insts.length;
    to.push(4 * n);
  });
  return { head, from, to, blockOf, count: n };
}

/**
 * Dense numbering of the registers liveness tracks: allocatable physical registers first,
 * then virtual registers.
 */
const physNumbering = new WeakMap<RegisterFile, { physIndex: Int32Array; physRegs: Reg[] }>();

export class NameSpace {
  /** Dense index of each physical register (by number, below VREG_BASE), -1 if not tracked. */
  readonly physIndex: Int32Array;
  readonly physRegs: readonly Reg[];
  readonly size: number;

  constructor(
    regs: RegisterFile,
    readonly vregCount: number,
  ) {
    let p = physNumbering.get(regs);
    if (!p) {
      const physIndex = new Int32Array(VREG_BASE).fill(-1);
      const physRegs: Reg[] = [];
      for (const cls of [0, 1] as const) {
        for (const r of regs.allocatable[cls]) {
          if (physIndex[r]! < 0) {
            physIndex[r] = physRegs.length;
            physRegs.push(r);
          }
        }
      }
      p = { physIndex, physRegs };
      physNumbering.set(regs, p);
    }
    this.physIndex = p.physIndex;
    this.physRegs = p.physRegs;
    this.size = this.physRegs.length + vregCount;
  }

  /** Dense index, or -1 for registers the allocator ignores (stack pointer, reserved scratch). */
  index(reg: Reg): number {
    if (reg >= VREG_BASE) return this.physRegs.length + (reg - VREG_BASE);
    return this.physIndex[reg]!;
  }

  reg(index: number): Reg {
    return index < this.physRegs.length ? this.physRegs[index]! : VREG_BASE + (index - this.physRegs.length);
  }
}

const isUse = (role: OpRole): boolean => role === OpRole.Use || role === OpRole.UseDef;
const isDef = (role: OpRole): boolean => role !== OpRole.Use;

/**
 * Live-in and live-out sets of every block, over the names some block reads before writing
 * them ("upward exposed"): only those can be live at a block boundary. They are numbered
 * densely in ascending name order (`denseOf`), so walking a set's bits ascending visits its
 * names ascending.
 */
export class LiveSets {
  constructor(
    /** Words per set. */
    readonly cw: number,
    /** Name index (NameSpace) of each dense number. */
    readonly denseOf: Int32Array,
    /** Dense number of each name index, -1 for names never live at a block boundary. */
    readonly compact: Int32Array,
    /** gen, kill, live-in, live-out of block b: `cw` words each at (4b + 0..3) * cw. */
    readonly words: Uint32Array,
  ) {}
  /** Offset in `words` of block b's live-in set. */
  inAt(b: number): number {
    return (4 * b + 2) * this.cw;
  }
  /** Offset in `words` of block b's live-out set. */
  outAt(b: number): number {
    return (4 * b + 3) * this.cw;
  }
}

/** live-in and live-out sets per block, by backward dataflow to a fixed point. */
export function computeLiveness<I>(blocks: readonly WBlock<I>[], names: NameSpace, ops: Operands): LiveSets {
  const n = blocks.length;
  // Only a name some block reads before writing it ("upward exposed") can ever be live at
  // a block boundary. The dataflow runs on sets of just those names, numbered densely in
  // the same (ascending) order; most values live inside one block and never enter it.
  const genList: number[][] = [];
  const killList: number[][] = [];
  const killedIn = new Int32Array(names.size).fill(-1); // block that last wrote each name
  const global = new Uint8Array(names.size);
  const opReg = ops.reg;
  const opRole = ops.role;
  const physIndex = names.physIndex;
  const nphys = names.physRegs.length;
  for (let b = 0; b < n; b++) {
    const g: number[] = [];
    const k: number[] = [];
    const insts = blocks[b]!.insts;
    for (let q = 0; q < insts.length; q++) {
      const wi = insts[q]!;
      for (let j = wi.opFrom; j < wi.opTo; j++) {
        if (!isUse(opRole[j]!)) continue;
        const reg = opReg[j]!;
        const i = reg >= VREG_BASE ? nphys + (reg - VREG_BASE) : physIndex[reg]!;
        if (i < 0 || killedIn[i] === b) continue;
        g.push(i);
        global[i] = 1;
      }
      for (let j = wi.opFrom; j < wi.opTo; j++) {
        if (!isDef(opRole[j]!)) continue;
        const reg = opReg[j]!;
        const i = reg >= VREG_BASE ? nphys + (reg - VREG_BASE) : physIndex[reg]!;
        if (i < 0 || killedIn[i] === b) continue;
        killedIn[i] = b;
        k.push(i);
      }
    }
    genList.push(g);
    killList.push(k);
  }
  const compact = new Int32Array(names.size).fill(-1);
  let ndense = 0;
  for (let i = 0; i < names.size; i++) if (global[i] !== 0) compact[i] = ndense++;
  const denseOf = new Int32Array(ndense);
  for (let i = 0; i < names.size; i++) if (global[i] !== 0) denseOf[compact[i]!] = i;
  const cw = (ndense + 31) >>> 5;
  // gen, kill, in, out of every block in one buffer: block b's set s at (4b + s) * cw.
  const sets = new Uint32Array(4 * cw * n);
  for (let b = 0; b < n; b++) {
    const gb = 4 * b * cw;
    const kb = gb + cw;
    for (const i of genList[b]!) {
      const c = compact[i]!;
      sets[gb + (c >>> 5)] = (sets[gb + (c >>> 5)]! | (1 << (c & 31))) >>> 0;
    }
    for (const i of killList[b]!) {
      const c = compact[i]!;
      if (c >= 0) sets[kb + (c >>> 5)] = (sets[kb + (c >>> 5)]! | (1 << (c & 31))) >>> 0;
    }
  }
  // Worklist to the (unique, least) fixed point: a block is revisited only when the
  // live-in set of one of its successors grew. Seeded in reverse layout order.
  const queued = new Uint8Array(n).fill(1);
  const work: number[] = [];
  for (let b = 0; b < n; b++) work.push(b); // popped from the end: last block first
  // Predecessors from the successor lists (the only edges the dataflow follows).
  const preds: number[][] = blocks.map(() => []);
  blocks.forEach((bl, b) => {
    for (const s of bl.succs) preds[s]!.push(b);
  });
  while (work.length > 0) {
    const b = work.pop()!;
    queued[b] = 0;
    const g = 4 * b * cw;
    const k = g + cw;
    const inn = k + cw;
    const o = inn + cw;
    for (const s of blocks[b]!.succs) {
      const si = (4 * s + 2) * cw;
      for (let w = 0; w < cw; w++) sets[o + w] = (sets[o + w]! | sets[si + w]!) >>> 0;
    }
    // in = gen ∪ (out − kill)
    let changed = false;
    for (let w = 0; w < cw; w++) {
      // `>>> 0`: bitwise results are signed, the words unsigned.
      const v = (sets[g + w]! | (sets[o + w]! & ~sets[k + w]!)) >>> 0;
      if (v !== sets[inn + w]) {
        sets[inn + w] = v;
        changed = true;
      }
    }
    if (!changed) continue;
    for (const p of preds[b]!) {
      if (queued[p]) continue;
      queued[p] = 1;
      work.push(p);
    }
  }
  return new LiveSets(cw, denseOf, compact, sets);
}

export interface IntervalSet {
  /** Root interval of each virtual register (index vreg - VREG_BASE), undefined when unused. */
  vregs: (Interval | undefined)[];
  /** Reservation of each allocatable physical register. */
  fixed: Map<Reg, Interval>;
}

/*
 * While intervals are built (backwards), ranges and uses are kept in descending order so
 * the common case, a range or use before everything seen so far, is a push; the arrays are
 * reversed at the end. The rare out-of-order addition goes through Interval's own methods
 * on the ascending form, so the result is exactly what they would build.
 */
function addRangeRev(it: Interval, from: number, to: number): void {
  if (from >= to) return;
  const rs = it.ranges;
  const n = rs.length;
  if (n === 0) {
    rs.push({ from, to });
    return;
  }
  const first = rs[n - 1]!;
  if (to < first.from) {
    rs.push({ from, to });
    return;
  }
  if (to <= first.to && from <= first.from && to >= first.from) {
    first.from = from;
    return;
  }
  rs.reverse();
  it.addRange(from, to);
  it.ranges.reverse();
}

function setFromRev(it: Interval, pos: number): void {
  const rs = it.ranges;
  const first = rs[rs.length - 1];
  if (first && first.from <= pos && pos < first.to) first.from = pos;
  else addRangeRev(it, pos, pos + 1);
}

function addUseRev(it: Interval, pos: number, isDef: boolean): void {
  const us = it.uses;
  if (us.length === 0 || us[us.length - 1]!.pos >= pos) us.push({ pos, isDef });
  else {
    us.reverse();
    it.addUse(pos, isDef);
    us.reverse();
  }
}

export function buildIntervals<I>(
  blocks: readonly WBlock<I>[],
  layout: Layout,
  names: NameSpace,
  liveSets: LiveSets,
  ops: Operands,
  vregClass: readonly RegClass[],
  regs: RegisterFile,
): IntervalSet {
  const opReg = ops.reg;
  const opRole = ops.role;
  const vregs: (Interval | undefined)[] = new Array(vregClass.length).fill(undefined);
  const fixed = new Map<Reg, Interval>();
  const nphys = names.physRegs.length;
  // Interval of each dense index (physical registers first, then virtual ones as they appear).
  const byIndex: (Interval | undefined)[] = new Array(names.size).fill(undefined);
  for (const r of names.physRegs) {
    const it = new Interval(r, regs.classOf[r]!);
    fixed.set(r, it);
    byIndex[names.index(r)] = it;
  }

  const intervalAt = (idx: number): Interval => {
    let it = byIndex[idx];
    if (it) return it;
    const v = idx - nphys;
    const cls = vregClass[v];
    if (cls === undefined) throw new Error(`regalloc: v${VREG_BASE + v} has no class (vregClass too short)`);
    it = new Interval(VREG_BASE + v, cls);
    vregs[v] = it;
    byIndex[idx] = it;
    return it;
  };

  // The names live at each point of the block being walked (backwards), over every name.
  const lw = new Uint32Array((names.size + 31) >>> 5);
  const physIndex = names.physIndex;
  const { cw, denseOf } = liveSets;
  const sets = liveSets.words;
  for (let b = blocks.length - 1; b >= 0; b--) {
    const block = blocks[b]!;
    const from = layout.from[b]!;
    const to = layout.to[b]!;
    lw.fill(0);
    // Live-out names, ascending: live through the whole block so far.
    const out = liveSets.outAt(b);
    for (let w = 0; w < cw; w++) {
      let bits = sets[out + w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const i = denseOf[w * 32 + (31 - Math.clz32(low))]!;
        lw[i >>> 5] = (lw[i >>> 5]! | (1 << (i & 31))) >>> 0;
        addRangeRev(byIndex[i] ?? intervalAt(i), from, to);
      }
    }
    const head = layout.head[b]! + 1;
    for (let k = block.insts.length - 1; k >= 0; k--) {
      const wi = block.insts[k]!;
      const n = head + k;
      const mid = posMid(n);
      const clobbers = wi.clobbers;
      for (let j = 0; j < clobbers.length; j++) {
        const c = clobbers[j]!;
        const ci = c < VREG_BASE ? physIndex[c]! : -1;
        if (ci >= 0) addRangeRev(byIndex[ci]!, mid, mid + 1);
      }
      for (let j = wi.opFrom; j < wi.opTo; j++) {
        const role = opRole[j]!;
        if (!isDef(role)) continue;
        const reg = opReg[j]!;
        const idx = reg >= VREG_BASE ? nphys + (reg - VREG_BASE) : physIndex[reg]!;
        if (idx < 0) continue;
        const it = byIndex[idx] ?? intervalAt(idx);
        const pos = role === OpRole.EarlyDef ? posEarly(n) : posLate(n);
        const bit = 1 << (idx & 31);
        if ((lw[idx >>> 5]! & bit) !== 0) setFromRev(it, pos);
        else addRangeRev(it, pos, posLate(n) + 1);
        if (idx >= nphys) addUseRev(it, pos, true);
        lw[idx >>> 5] = (lw[idx >>> 5]! & ~bit) >>> 0;
      }
      for (let j = wi.opFrom; j < wi.opTo; j++) {
        const role = opRole[j]!;
        if (!isUse(role)) continue;
        const reg = opReg[j]!;
        const idx = reg >= VREG_BASE ? nphys + (reg - VREG_BASE) : physIndex[reg]!;
        if (idx < 0) continue;
        const it = byIndex[idx] ?? intervalAt(idx);
        // A UseDef operand stays in its register through the instruction.
        addRangeRev(it, from, role === OpRole.UseDef ? posLate(n) : posMid(n));
        if (idx >= nphys) addUseRev(it, posEarly(n), false);
        lw[idx >>> 5] = (lw[idx >>> 5]! | (1 << (idx & 31))) >>> 0;
      }
    }
  }
  for (const it of byIndex) {
    if (!it) continue;
    it.ranges.reverse();
    it.uses.reverse();
  }
  return { vregs, fixed };
}
