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

import { OpRole, isVirtual, VREG_BASE, type MoveInfo, type Reg, type RegClass, type RegisterFile } from '../minst.js';
import { Interval, posEarly, posLate, posMid } from './intervals.js';

export interface Operand {
  reg: Reg;
  role: OpRole;
  cls: RegClass;
  fixed: Reg | undefined;
}

/** One instruction of the function being allocated, with its operands read once. */
export interface WInst<I> {
  inst: I;
  /** Index in the original block, or -1 for instructions added by the allocator. */
  orig: number;
  ops: Operand[];
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

export class BitSet {
  readonly words: Uint32Array;
  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  delete(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }
  copy(): BitSet {
    const b = new BitSet(this.size);
    b.words.set(this.words);
    return b;
  }
  /** this |= other; returns whether anything changed. */
  unionWith(other: BitSet): boolean {
    let changed = false;
    for (let i = 0; i < this.words.length; i++) {
      const v = (this.words[i]! | other.words[i]!) >>> 0;
      if (v !== this.words[i]) {
        this.words[i] = v;
        changed = true;
      }
    }
    return changed;
  }
  *[Symbol.iterator](): IterableIterator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let bits = this.words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        yield w * 32 + (31 - Math.clz32(low));
        bits ^= low;
      }
    }
  }
}

/**
 * Dense numbering of the registers liveness tracks: allocatable physical registers first,
 * then virtual registers.
 */
export class NameSpace {
  readonly physIndex = new Map<Reg, number>();
  readonly physRegs: Reg[] = [];
  readonly size: number;

  constructor(
    regs: RegisterFile,
    readonly vregCount: number,
  ) {
    for (const cls of [0, 1] as const) {
      for (const r of regs.allocatable[cls]) {
        if (!this.physIndex.has(r)) {
          this.physIndex.set(r, this.physRegs.length);
          this.physRegs.push(r);
        }
      }
    }
    this.size = this.physRegs.length + vregCount;
  }

  /** Dense index, or -1 for registers the allocator ignores (stack pointer, reserved scratch). */
  index(reg: Reg): number {
    if (isVirtual(reg)) return this.physRegs.length + (reg - VREG_BASE);
    return this.physIndex.get(reg) ?? -1;
  }

  reg(index: number): Reg {
    return index < this.physRegs.length ? this.physRegs[index]! : VREG_BASE + (index - this.physRegs.length);
  }
}

const isUse = (role: OpRole): boolean => role === OpRole.Use || role === OpRole.UseDef;
const isDef = (role: OpRole): boolean => role !== OpRole.Use;

/** live-in and live-out sets per block, by backward dataflow to a fixed point. */
export function computeLiveness<I>(blocks: readonly WBlock<I>[], names: NameSpace): { liveIn: BitSet[]; liveOut: BitSet[] } {
  const gen: BitSet[] = [];
  const kill: BitSet[] = [];
  for (const b of blocks) {
    const g = new BitSet(names.size);
    const k = new BitSet(names.size);
    for (const wi of b.insts) {
      for (const op of wi.ops) {
        if (!isUse(op.role)) continue;
        const i = names.index(op.reg);
        if (i >= 0 && !k.has(i)) g.add(i);
      }
      for (const op of wi.ops) {
        if (!isDef(op.role)) continue;
        const i = names.index(op.reg);
        if (i >= 0) k.add(i);
      }
    }
    gen.push(g);
    kill.push(k);
  }
  const liveIn = blocks.map(() => new BitSet(names.size));
  const liveOut = blocks.map(() => new BitSet(names.size));
  // Worklist to the (unique, least) fixed point: a block is revisited only when the
  // live-in set of one of its successors grew. Seeded in reverse layout order.
  const n = blocks.length;
  const queued = new Uint8Array(n).fill(1);
  const work: number[] = [];
  for (let b = 0; b < n; b++) work.push(b); // popped from the end: last block first
  const words = names.size === 0 ? 0 : liveIn[0]!.words.length;
  // Predecessors from the successor lists (the only edges the dataflow follows).
  const preds: number[][] = blocks.map(() => []);
  blocks.forEach((bl, b) => {
    for (const s of bl.succs) preds[s]!.push(b);
  });
  while (work.length > 0) {
    const b = work.pop()!;
    queued[b] = 0;
    const out = liveOut[b]!;
    for (const s of blocks[b]!.succs) out.unionWith(liveIn[s]!);
    // in = gen ∪ (out − kill)
    const inn = liveIn[b]!.words;
    const g = gen[b]!.words;
    const k = kill[b]!.words;
    const o = out.words;
    let changed = false;
    for (let w = 0; w < words; w++) {
      // `>>> 0`: bitwise results are signed, the words unsigned.
      const v = (g[w]! | (o[w]! & ~k[w]!)) >>> 0;
      if (v !== inn[w]) {
        inn[w] = v;
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
  return { liveIn, liveOut };
}

export interface IntervalSet {
  /** Root interval of each virtual register (index vreg - VREG_BASE), undefined when unused. */
  vregs: (Interval | undefined)[];
  /** Reservation of each allocatable physical register. */
  fixed: Map<Reg, Interval>;
}

export function buildIntervals<I>(
  blocks: readonly WBlock<I>[],
  layout: Layout,
  names: NameSpace,
  liveOut: readonly BitSet[],
  vregClass: readonly RegClass[],
  regs: RegisterFile,
): IntervalSet {
  const vregs: (Interval | undefined)[] = new Array(vregClass.length).fill(undefined);
  const fixed = new Map<Reg, Interval>();
  for (const r of names.physRegs) fixed.set(r, new Interval(r, regs.classOf[r]!));

  const intervalOf = (reg: Reg): Interval | undefined => {
    if (!isVirtual(reg)) return fixed.get(reg);
    const v = reg - VREG_BASE;
    let it = vregs[v];
    if (!it) {
      const cls = vregClass[v];
      if (cls === undefined) throw new Error(`regalloc: v${reg} has no class (vregClass too short)`);
      it = new Interval(reg, cls);
      vregs[v] = it;
    }
    return it;
  };

  for (let b = blocks.length - 1; b >= 0; b--) {
    const block = blocks[b]!;
    const from = layout.from[b]!;
    const live = liveOut[b]!.copy();
    for (const i of live) intervalOf(names.reg(i))!.addRange(from, layout.to[b]!);
    for (let k = block.insts.length - 1; k >= 0; k--) {
      const wi = block.insts[k]!;
      const n = layout.head[b]! + 1 + k;
      for (const c of wi.clobbers) fixed.get(c)?.addRange(posMid(n), posMid(n) + 1);
      for (const op of wi.ops) {
        if (!isDef(op.role)) continue;
        const idx = names.index(op.reg);
        if (idx < 0) continue;
        const it = intervalOf(op.reg)!;
        const pos = op.role === OpRole.EarlyDef ? posEarly(n) : posLate(n);
        if (live.has(idx)) it.setFrom(pos);
        else it.addRange(pos, posLate(n) + 1);
        if (isVirtual(op.reg)) it.addUse(pos, true);
        live.delete(idx);
      }
      for (const op of wi.ops) {
        if (!isUse(op.role)) continue;
        const idx = names.index(op.reg);
        if (idx < 0) continue;
        const it = intervalOf(op.reg)!;
        // A UseDef operand stays in its register through the instruction.
        it.addRange(from, op.role === OpRole.UseDef ? posLate(n) : posMid(n));
        if (isVirtual(op.reg)) it.addUse(posEarly(n), false);
        live.add(idx);
      }
    }
  }
  return { vregs, fixed };
}
