/**
 * The ISA-agnostic register allocator.
 *
 *   MFunc (virtual registers)
 *     └─ prepare         fixed-register operands become moves into/out of the physical register
 *     └─ liveness        linear positions, live-in/out by dataflow, live intervals (+ fixed reservations)
 *     └─ linear-scan     per class: registers for intervals, splitting and spilling as needed
 *     └─ resolve         moves at split points and on CFG edges (parallel moves, cycles broken),
 *                        critical edges split by a new block, operands rewritten, no-op moves dropped
 *   MFunc (physical registers, spill slots)
 *
 * Every virtual register that is ever spilled owns one slot for its whole life, so the
 * pieces of one value on the stack always agree and stack-to-stack moves never happen.
 * A spilled value with a single definition is stored once, right after that definition,
 * and the register-to-slot moves where its pieces meet are then left out (the slot
 * already holds it). A value that merely passes through a block (no operand there) in the
 * same slot on every edge in and out gets no moves on those edges, whatever piece covers
 * the block (a reload and a store back to its own slot would be all they did).
 *
 * Critical edges: when a value's location differs between the end of a predecessor with
 * several successors and the start of a successor with several predecessors, the moves
 * need a block of their own, made with the ISA's optional `makeJump`/`retargetBranch`
 * (a new block is appended at the end of the layout, so no block is renumbered); an ISA
 * without them gets an error on such an edge. Isel may also avoid the problem by never
 * producing critical edges.
 */

import {
  OpRole,
  isVirtual,
  VREG_BASE,
  type MBlock,
  type MFunc,
  type Reg,
  type RegClass,
  type RegisterFile,
  type TargetISA,
} from '../minst.js';
import { checkAllocation, snapshotFunction } from './checker.js';
import { posEarly, posLate, type Hint, type Interval } from './intervals.js';
import { RegallocError, linearScan } from './linear-scan.js';
import {
  NameSpace,
  Operands,
  buildIntervals,
  buildLayout,
  computeLiveness,
  type WBlock,
  type WInst,
} from './liveness.js';
import { isSlot, sequentialize, slotLoc, slotOf, type Loc, type PMove } from './parallel-move.js';

export { RegallocError } from './linear-scan.js';
export { checkAllocation, snapshotFunction, CheckError, type FuncSnapshot } from './checker.js';

/** Where each instruction of the allocated function came from (read by the checker). */
export type Provenance =
  | { kind: 'orig'; index: number }
  /** An original move whose source and destination got the same register: removed, no instruction. */
  | { kind: 'elided'; index: number }
  | { kind: 'move'; cls: RegClass; dst: Reg; src: Reg }
  | { kind: 'spill'; cls: RegClass; src: Reg; slot: number }
  | { kind: 'reload'; cls: RegClass; dst: Reg; slot: number }
  | { kind: 'jump'; target: number };

export interface AllocResult {
  /** For each block of the allocated function: its original index, or -1 for an edge block. */
  origBlock: number[];
  /**
   * For each block: one entry per instruction, in order, plus 'elided' entries that have none.
   * Recorded only with the `check` or `provenance` option (empty otherwise).
   */
  provenance: Provenance[][];
  /** Class of each spill slot (slot numbers are indices). */
  slotClass: RegClass[];
  /** Byte offset of each slot within the spill area (slots aligned to their size). */
  slotOffset: number[];
  /** Bytes of the spill area, a multiple of 16. */
  spillAreaSize: number;
  stats: {
    splitMoves: number;
    edgeMoves: number;
    /** Edge moves left out because the value only passes through a block in its slot. */
    passThroughMoves: number;
    spills: number;
    reloads: number;
    splitEdges: number;
    elidedMoves: number;
    /** Register-to-slot moves left out because the value was stored at its definition. */
    spillsAtDefDropped: number;
  };
}

export interface AllocOptions {
  /** Snapshot the input and run the allocation checker on the result (throws CheckError). */
  check?: boolean;
  /** Record `AllocResult.provenance` (for running `checkAllocation` separately); implied by `check`. */
  provenance?: boolean;
}

// The operands of the function being allocated (one store, reused: allocation is not reentrant).
const opStore = new Operands();
// The operand collector: one visitor for every instruction (no closure per call).
const collect = (reg: Reg, role: OpRole, cls: RegClass, fixed: Reg | undefined): Reg => {
  opStore.push(reg, role, cls, fixed);
  return reg;
};

function winst<I>(isa: TargetISA<I>, inst: I, orig: number): WInst<I> {
  const opFrom = opStore.count;
  isa.mapRegs(inst, collect);
  return {
    inst,
    orig,
    opFrom,
    opTo: opStore.count,
    clobbers: isa.clobbers(inst),
    move: isa.asMove(inst),
    isTerminator: isa.isTerminator(inst),
  };
}

// Rewriting fixed operands to their registers: the operands read by winst, in order.
let fixedK = 0;
const toFixed = (reg: Reg): Reg => {
  const f = opStore.fixed[fixedK++]!;
  return reg >= VREG_BASE && f >= 0 ? f : reg;
};

/**
 * Fixed-register operands: a use is copied into its register just before the
 * instruction, a def copied out just after; the operand itself names the physical
 * register. The copies carry hints, so usually the value is computed in (or consumed
 * from) that register and the copy disappears.
 */
function prepareBlock<I>(isa: TargetISA<I>, block: MBlock<I>): WInst<I>[] {
  const out: WInst<I>[] = [];
  const insts = block.insts;
  for (let index = 0; index < insts.length; index++) {
    const inst = insts[index]!;
    const wi = winst(isa, inst, index);
    const { opFrom, opTo } = wi;
    let nfixed = 0;
    for (let j = opFrom; j < opTo; j++) {
      const reg = opStore.reg[j]!;
      if (reg < VREG_BASE) continue;
      if (opStore.fixed[j]! >= 0) nfixed++;
      if (opStore.role[j] === OpRole.EarlyDef) {
        for (let u = opFrom; u < opTo; u++) {
          if (u !== j && opStore.reg[u] === reg) {
            throw new RegallocError(`${isa.format(inst)}: an EarlyDef operand's register is also read by the instruction`);
          }
        }
      }
    }
    if (nfixed === 0) {
      out.push(wi);
      continue;
    }
    const before: WInst<I>[] = [];
    const after: WInst<I>[] = [];
    const copiedIn = new Map<Reg, Reg>(); // fixed reg → vreg already copied there
    for (let j = opFrom; j < opTo; j++) {
      // (Read again every time: winst below may grow the store.)
      const reg = opStore.reg[j]!;
      const r = opStore.fixed[j]!;
      if (reg < VREG_BASE || r < 0) continue;
      const role = opStore.role[j]! as OpRole;
      const cls = opStore.cls[j]! as RegClass;
      if (role === OpRole.Use || role === OpRole.UseDef) {
        const prev = copiedIn.get(r);
        if (prev !== undefined && prev !== reg) {
          throw new RegallocError(`${isa.format(inst)}: two different values fixed to ${isa.regs.names[r]}`);
        }
        if (prev === undefined) before.push(winst(isa, isa.makeMove(cls, r, reg), -1));
        copiedIn.set(r, reg);
      }
      if (role !== OpRole.Use) {
        if (wi.isTerminator) throw new RegallocError(`${isa.format(inst)}: a terminator cannot have a fixed def`);
        after.push(winst(isa, isa.makeMove(cls, reg, r), -1));
      }
    }
    fixedK = opFrom;
    isa.mapRegs(inst, toFixed);
    for (const w of before) out.push(w);
    out.push(winst(isa, inst, index));
    for (const w of after) out.push(w);
  }
  return out;
}

/** 1 for each callee-saved register, by number (made once per register file). */
const calleeSavedFlags = new WeakMap<RegisterFile, Uint8Array>();
function calleeSavedOf(regs: RegisterFile): Uint8Array {
  let f = calleeSavedFlags.get(regs);
  if (!f) {
    f = new Uint8Array(VREG_BASE);
    for (const r of regs.calleeSaved) f[r] = 1;
    calleeSavedFlags.set(regs, f);
  }
  return f;
}

/**
 * Wall-clock bookkeeping for the driver's per-stage statistics: total milliseconds spent in
 * `allocateRegisters`, and when the first call since the last `reset` began and the last
 * one ended (so a driver timing a whole `compileFunction` can tell isel, before the
 * allocator, from emission, after it).
 */
export const regallocClock = {
  totalMs: 0,
  firstEnter: -1,
  lastExit: -1,
  reset(): void {
    this.totalMs = 0;
    this.firstEnter = -1;
    this.lastExit = -1;
  },
};

export function allocateRegisters<I>(
  func: MFunc<I>,
  isa: TargetISA<I>,
  options: AllocOptions = {},
): AllocResult {
  const entered = performance.now();
  if (regallocClock.firstEnter < 0) regallocClock.firstEnter = entered;
  try {
    return allocate(func, isa, options);
  } finally {
    const exited = performance.now();
    regallocClock.totalMs += exited - entered;
    regallocClock.lastExit = exited;
  }
}

/**
 * A cursor per value over its pieces and their ranges, for callers that visit each value at
 * growing positions: the index of the piece covering `pos`, or -1 when none does or `pos`
 * stepped back behind the cursor (never a wrong piece; the caller then searches). `vregs[v]`
 * is value VREG_BASE + v's root interval.
 */
function forwardPieceCursor(vregs: readonly (Interval | undefined)[]): (v: number, pos: number) => number {
  const piece = new Int32Array(vregs.length);
  const range = new Int32Array(vregs.length);
  return (v, pos) => {
    const root = vregs[v];
    if (root === undefined) return -1;
    const cs = root.children;
    let c = piece[v]!;
    let r = range[v]!;
    while (c + 1 < cs.length && cs[c + 1]!.start <= pos) {
      c++;
      r = 0;
    }
    piece[v] = c;
    const rs = cs[c]!.ranges;
    while (r < rs.length && rs[r]!.to <= pos) r++;
    range[v] = r;
    return r < rs.length && rs[r]!.from <= pos ? c : -1;
  };
}

function allocate<I>(func: MFunc<I>, isa: TargetISA<I>, options: AllocOptions): AllocResult {
  const snapshot = options.check ? snapshotFunction(func, isa) : undefined;
  const record = options.check === true || options.provenance === true;
  const regs = isa.regs;
  opStore.count = 0;
  const blocks: WBlock<I>[] = func.blocks.map((b) => ({
    insts: prepareBlock(isa, b),
    succs: b.succs.slice(),
    preds: b.preds.slice(),
  }));
  const layout = buildLayout(blocks);
  const names = new NameSpace(regs, func.vregClass.length);
  const live = computeLiveness(blocks, names, opStore);
  const liveWords = live.words;
  const { cw, denseOf } = live;
  if (blocks.length > 0) {
    const at = live.inAt(0);
    for (let c = 0; c < 32 * cw; c++) {
      if ((liveWords[at + (c >>> 5)]! & (1 << (c & 31))) === 0) continue;
      const r = names.reg(denseOf[c]!);
      if (isVirtual(r)) throw new RegallocError(`${func.name}: v${r} may be used before it is defined (live at entry)`);
    }
  }
  const set = buildIntervals(blocks, layout, names, live, opStore, func.vregClass, regs);

  // Move hints.
  const hints = new Map<Reg, Hint[]>();
  const addHint = (v: Reg, h: Hint): void => {
    const list = hints.get(v);
    if (list) list.push(h);
    else hints.set(v, [h]);
  };
  for (let bi = 0; bi < blocks.length; bi++) {
    const wis = blocks[bi]!.insts;
    const head = layout.head[bi]! + 1;
    for (let k = 0; k < wis.length; k++) {
      const m = wis[k]!.move;
      if (!m) continue;
      const n = head + k;
      if (isVirtual(m.dst) && isVirtual(m.src)) {
        addHint(m.dst, { pos: posLate(n), partner: m.src, partnerPos: posEarly(n) });
        addHint(m.src, { pos: posEarly(n), partner: m.dst, partnerPos: posLate(n) });
      } else if (isVirtual(m.dst)) addHint(m.dst, { pos: posLate(n), reg: m.src });
      else if (isVirtual(m.src)) addHint(m.src, { pos: posEarly(n), reg: m.dst });
    }
  }
  linearScan(set, regs, 0, hints);
  linearScan(set, regs, 1, hints);

  // ── spill slots ──
  const slotClass: RegClass[] = [];
  const vregSlot = new Int32Array(func.vregClass.length).fill(-1);
  for (const root of set.vregs) {
    if (!root || !root.children.some((c) => c.spilled)) continue;
    vregSlot[root.vreg - VREG_BASE] = slotClass.length;
    slotClass.push(root.cls);
  }
  const scratchSlot: (number | undefined)[] = [undefined, undefined];
  const locOf = (it: Interval): Loc => {
    if (it.reg !== undefined) return it.reg;
    if (!it.spilled) throw new Error(`regalloc: v${it.vreg} piece has no location`);
    return slotLoc(vregSlot[it.vreg - VREG_BASE]!);
  };
  const locAt = (vreg: Reg, pos: number): Loc => {
    const c = set.vregs[vreg - VREG_BASE]?.childAt(pos);
    if (!c) throw new Error(`regalloc: v${vreg} is not live at ${pos}`);
    return locOf(c);
  };

  // Every range of every allocated piece, per physical register, sorted by start with a
  // running maximum of the ends (exact even if ranges overlapped); made on first use.
  let occupancy: Map<Reg, { from: Float64Array; maxTo: Float64Array }> | undefined;
  const occupied = (): Map<Reg, { from: Float64Array; maxTo: Float64Array }> => {
    if (occupancy) return occupancy;
    const lists = new Map<Reg, { from: number; to: number }[]>();
    for (const root of set.vregs) {
      if (!root) continue;
      for (const c of root.children) {
        if (c.reg === undefined) continue;
        let l = lists.get(c.reg);
        if (!l) lists.set(c.reg, (l = []));
        for (const r of c.ranges) l.push(r);
      }
    }
    occupancy = new Map();
    for (const [reg, l] of lists) {
      l.sort((a, b) => a.from - b.from);
      const from = new Float64Array(l.length);
      const maxTo = new Float64Array(l.length);
      let m = -1;
      l.forEach((r, i) => {
        from[i] = r.from;
        m = Math.max(m, r.to);
        maxTo[i] = m;
      });
      occupancy.set(reg, { from, maxTo });
    }
    return occupancy;
  };
  const regCovers = (reg: Reg, p: number): boolean => {
    const o = occupied().get(reg);
    if (!o) return false;
    let lo = 0;
    let hi = o.from.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (o.from[mid]! <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && o.maxTo[lo - 1]! > p;
  };

  /** A register of `cls` holding nothing live at `scratchPos`, else a scratch slot. */
  let scratchPos: number[] = [];
  const scratchHere = (cls: RegClass): Loc => {
    const positions = scratchPos;
    const busy = new Set<Reg>();
    for (const r of regs.allocatable[cls]) if (positions.some((p) => regCovers(r, p))) busy.add(r);
    for (const [r, f] of set.fixed) if (positions.some((p) => f.covers(p))) busy.add(r);
    for (const r of regs.allocatable[cls]) if (!busy.has(r)) return r;
    if (scratchSlot[cls] === undefined) {
      scratchSlot[cls] = slotClass.length;
      slotClass.push(cls);
    }
    return slotLoc(scratchSlot[cls]!);
  };

  const stats = { splitMoves: 0, edgeMoves: 0, passThroughMoves: 0, spills: 0, reloads: 0, splitEdges: 0, elidedMoves: 0, spillsAtDefDropped: 0 };

  // ── moves where a value's pieces meet inside a block ──
  const blockStart = new Set(layout.from);
  const splitMoves = new Map<number, PMove[]>(); // keyed by instruction index n: boundary 4n
  for (const root of set.vregs) {
    if (!root) continue;
    const cs = root.children;
    for (let i = 1; i < cs.length; i++) {
      const a = cs[i - 1]!;
      const b = cs[i]!;
      // Pieces that do not touch, or meet at a block start (edge moves handle those), need no move here.
      if (a.end !== b.start || blockStart.has(b.start) || (b.start & 3) !== 0) continue;
      const src = locOf(a);
      const dst = locOf(b);
      if (src === dst) continue;
      const n = b.start / 4;
      const list = splitMoves.get(n) ?? [];
      list.push({ src, dst, cls: root.cls });
      splitMoves.set(n, list);
    }
  }

  // ── moves on CFG edges ──
  type EdgePlace = 'end' | 'start' | 'split';
  const edgeMoves: { p: number; s: number; moves: PMove[]; place: EdgePlace }[] = [];
  // Only values that were split can be in different places at the two ends of an edge.
  // Per block, the split values live in (and live out), ascending, with the piece covering
  // the block's first (last) position: one sweep over the blocks in layout order, a cursor
  // per value over its pieces and their ranges (positions only grow), instead of a search
  // per value per edge.
  const splitDense = new Uint32Array(cw);
  for (let v = 0; v < set.vregs.length; v++) {
    const root = set.vregs[v];
    if (root === undefined || root.children.length === 1) continue;
    const c = live.compact[names.index(VREG_BASE + v)]!;
    if (c >= 0) splitDense[c >>> 5] = (splitDense[c >>> 5]! | (1 << (c & 31))) >>> 0;
  }
  /** Index of the piece of `v` covering `pos` (positions never less than at the last call for `v`), or -1. */
  const pieceAt = forwardPieceCursor(set.vregs);
  // Entries [inOff[b], inOff[b + 1]) of inV/inPiece: block b's live-in split values (v - VREG_BASE)
  // and their pieces at its start; likewise out* at its last position. *Pass: passes through b.
  const nb = blocks.length;
  const inOff = new Int32Array(nb + 1);
  const outOff = new Int32Array(nb + 1);
  const inV: number[] = [];
  const inPiece: number[] = [];
  const outV: number[] = [];
  const outPiece: number[] = [];
  const nphys = names.physRegs.length;
  /** Appends the split values of the live set at word offset `at`, ascending, with their piece at `pos`. */
  const listSplitLive = (at: number, pos: number, vs: number[], pieces: number[]): void => {
    for (let w = 0; w < cw; w++) {
      let bits = liveWords[at + w]! & splitDense[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const v = denseOf[w * 32 + (31 - Math.clz32(low))]! - nphys;
        vs.push(v);
        pieces.push(pieceAt(v, pos));
      }
    }
  };
  for (let b = 0; b < nb; b++) {
    inOff[b] = inV.length;
    outOff[b] = outV.length;
    listSplitLive(live.inAt(b), layout.from[b]!, inV, inPiece);
    listSplitLive(live.outAt(b), layout.to[b]! - 1, outV, outPiece);
  }
  inOff[nb] = inV.length;
  outOff[nb] = outV.length;
  const inPass = new Uint8Array(inV.length);
  const outPass = new Uint8Array(outV.length);
  /** Entry of `v` in a sorted list slice [lo, hi), or -1. */
  const find = (list: number[], lo: number, end: number, v: number): number => {
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && list[lo] === v ? lo : -1;
  };
  const pieceLoc = (v: number, piece: number, pos: number): Loc =>
    piece >= 0 ? locOf(set.vregs[v]!.children[piece]!) : locAt(VREG_BASE + v, pos);
  /** Where v (a live-out split value of q, else any value) is at the end of block q. */
  const locAtEnd = (v: number, q: number): Loc => {
    const e = find(outV, outOff[q]!, outOff[q + 1]!, v);
    return e >= 0 ? pieceLoc(v, outPiece[e]!, layout.to[q]! - 1) : locAt(VREG_BASE + v, layout.to[q]! - 1);
  };
  // A split value that only passes through a block (live in and out, no operand there) and
  // sits in the same slot at the end of every predecessor and the start of every successor
  // needs no location of its own in that block: the register piece the linear scan happened
  // to give it there (often an out-of-line edge block laid out where the value is in a
  // register) would cost a reload on the way in and a store of the same value back to its
  // own slot on the way out. Its moves on those edges are left out; the slot keeps the value.
  for (let b = 0; b < nb; b++) {
    const wb = blocks[b]!;
    if (wb.preds.length === 0 || wb.succs.length === 0) continue;
    let referenced: Set<Reg> | undefined;
    let o = outOff[b]!;
    const oEnd = outOff[b + 1]!;
    for (let e = inOff[b]!; e < inOff[b + 1]!; e++) {
      const v = inV[e]!;
      while (o < oEnd && outV[o]! < v) o++;
      if (o === oEnd || outV[o] !== v) continue; // not live out
      const piece = inPiece[e]!;
      if (piece < 0 || set.vregs[v]!.children[piece]!.reg === undefined || piece !== outPiece[o]) continue;
      const slot = vregSlot[v]!;
      if (slot < 0) continue;
      const home = slotLoc(slot);
      if (!wb.preds.every((q) => locAtEnd(v, q) === home)) continue;
      if (
        !wb.succs.every((q) => {
          const f = find(inV, inOff[q]!, inOff[q + 1]!, v);
          return f < 0 || pieceLoc(v, inPiece[f]!, layout.from[q]!) === home;
        })
      ) {
        continue;
      }
      if (!referenced) {
        referenced = new Set();
        for (const wi of wb.insts) for (let j = wi.opFrom; j < wi.opTo; j++) referenced.add(opStore.reg[j]!);
      }
      if (referenced.has(VREG_BASE + v)) continue;
      inPass[e] = 1;
      outPass[o] = 1;
    }
  }
  for (let p = 0; p < nb; p++) {
    const succs = blocks[p]!.succs;
    for (let j = 0; j < succs.length; j++) {
      const s = succs[j]!;
      if (succs.indexOf(s) < j) continue; // a repeated successor: one set of moves
      const moves: PMove[] = [];
      const srcPos = layout.to[p]! - 1;
      const dstPos = layout.from[s]!;
      // Live-in values that were split, ascending (a value never split has one location),
      // matched with p's live-out entries.
      let o = outOff[p]!;
      const oEnd = outOff[p + 1]!;
      for (let e = inOff[s]!; e < inOff[s + 1]!; e++) {
        const v = inV[e]!;
        while (o < oEnd && outV[o]! < v) o++;
        const atP = o < oEnd && outV[o] === v;
        if (inPass[e] === 1 || (atP && outPass[o] === 1)) {
          stats.passThroughMoves++;
          continue;
        }
        const src = atP ? pieceLoc(v, outPiece[o]!, srcPos) : locAt(VREG_BASE + v, srcPos);
        const dst = pieceLoc(v, inPiece[e]!, dstPos);
        if (src !== dst) moves.push({ src, dst, cls: func.vregClass[v]! });
      }
      if (moves.length === 0) continue;
      const pb = blocks[p]!;
      const termsTouchRegs = pb.insts.some((wi) => wi.isTerminator && wi.opTo > wi.opFrom);
      let place: EdgePlace;
      if (pb.succs.length === 1 && !termsTouchRegs) place = 'end';
      else if (blocks[s]!.preds.length === 1) place = 'start';
      else place = 'split';
      edgeMoves.push({ p, s, moves, place });
    }
  }

  // ── spill at the definition ──
  // A spilled value with one definition (not on a terminator) is stored to its slot right
  // after that definition. Its slot then holds the value wherever the value is live (the
  // definition dominates every point where it is live, and nothing else writes the slot),
  // so the stores at later register-to-stack transitions, often one per CFG edge, go.
  const defCount = new Int32Array(func.vregClass.length);
  const opReg = opStore.reg;
  const opRole = opStore.role;
  for (const b of blocks) {
    for (const wi of b.insts) {
      for (let j = wi.opFrom; j < wi.opTo; j++) {
        if (opRole[j] === OpRole.Use || opReg[j]! < VREG_BASE) continue;
        // A def on a terminator cannot be followed by a store in its block: never eligible.
        defCount[opReg[j]! - VREG_BASE] += wi.isTerminator ? 2 : 1;
      }
    }
  }
  const storedAtDef = new Uint8Array(slotClass.length);
  for (let v = 0; v < defCount.length; v++) {
    if (defCount[v] === 1 && vregSlot[v]! >= 0) storedAtDef[vregSlot[v]!] = 1;
  }
  // Callee-saved registers the allocated function writes: noted as instructions are
  // rewritten (an original one's results once it is kept) or inserted.
  const calleeSaved = calleeSavedOf(regs);
  const written = new Uint8Array(VREG_BASE);
  const noteWrite = (reg: Reg, role: OpRole): Reg => {
    if (role !== OpRole.Use && reg < VREG_BASE && calleeSaved[reg] === 1) written[reg] = 1;
    return reg;
  };
  const noted = (inst: I): I => {
    isa.mapRegs(inst, noteWrite);
    return inst;
  };
  const storeAfterDef = (wi: WInst<I>, n: number, insts: I[], prov: Provenance[] | undefined): void => {
    for (let j = wi.opFrom; j < wi.opTo; j++) {
      const role = opRole[j]!;
      const vreg = opReg[j]!;
      if (role === OpRole.Use || vreg < VREG_BASE) continue;
      const slot = vregSlot[vreg - VREG_BASE]!;
      if (slot < 0 || storedAtDef[slot] === 0) continue;
      const reg = locAt(vreg, role === OpRole.EarlyDef ? posEarly(n) : posLate(n));
      if (isSlot(reg)) throw new Error(`regalloc: v${vreg} is defined on the stack`);
      const cls = opStore.cls[j]! as RegClass;
      insts.push(noted(isa.makeSpill(cls, reg, slot)));
      prov?.push({ kind: 'spill', cls, src: reg, slot });
      stats.spills++;
    }
  };

  const emit = (seq: PMove[], insts: I[], prov: Provenance[] | undefined): void => {
    for (const m of seq) {
      if (isSlot(m.dst) && storedAtDef[slotOf(m.dst)] === 1) {
        stats.spillsAtDefDropped++;
        continue;
      }
      if (isSlot(m.dst)) {
        insts.push(noted(isa.makeSpill(m.cls, m.src, slotOf(m.dst))));
        prov?.push({ kind: 'spill', cls: m.cls, src: m.src, slot: slotOf(m.dst) });
        stats.spills++;
      } else if (isSlot(m.src)) {
        insts.push(noted(isa.makeReload(m.cls, m.dst, slotOf(m.src))));
        prov?.push({ kind: 'reload', cls: m.cls, dst: m.dst, slot: slotOf(m.src) });
        stats.reloads++;
      } else {
        insts.push(noted(isa.makeMove(m.cls, m.dst, m.src)));
        prov?.push({ kind: 'move', cls: m.cls, dst: m.dst, src: m.src });
      }
    }
  };
  const edgeSeq = (e: (typeof edgeMoves)[number]): PMove[] => {
    stats.edgeMoves += e.moves.length;
    if (e.moves.length > 1) scratchPos = [layout.to[e.p]! - 1, layout.from[e.s]!]; // (a cycle needs two moves)
    return sequentialize(e.moves, scratchHere);
  };

  // ── rewrite ──
  const newBlocks: MBlock<I>[] = [];
  const provenance: Provenance[][] = [];
  const atStartOf: (typeof edgeMoves)[] = blocks.map(() => []);
  const atEndOf: (typeof edgeMoves)[] = blocks.map(() => []);
  for (const e of edgeMoves) {
    if (e.place === 'start') atStartOf[e.s]!.push(e);
    else if (e.place === 'end') atEndOf[e.p]!.push(e);
  }
  // Operands are rewritten in layout order, so each vreg's position only grows: a cursor
  // into its pieces replaces the binary search of locAt (which remains the fallback).
  // Instructions with split moves before them, ascending (visited in that order).
  const smKeys = [...splitMoves.keys()].sort((a, b) => a - b);
  let smNext = 0;
  // A Def (late) may be visited before a Use (early) of the same instruction, so a position
  // can step back a little; then the cursor finds nothing and the search decides.
  const pieceForward = forwardPieceCursor(set.vregs);
  const locForward = (vreg: Reg, pos: number): Loc => {
    const v = vreg - VREG_BASE;
    const c = pieceForward(v, pos);
    return c >= 0 ? locOf(set.vregs[v]!.children[c]!) : locAt(vreg, pos);
  };
  let rwN = 0;
  let rwInst: I | undefined;
  // Callee-saved registers the instruction being rewritten writes (noted if it is kept).
  const rwWrites: Reg[] = [];
  const rewriteOperand = (reg: Reg, role: OpRole): Reg => {
    let r = reg;
    if (reg >= VREG_BASE) {
      r = locForward(reg, role === OpRole.Def ? posLate(rwN) : posEarly(rwN));
      if (isSlot(r)) throw new Error(`regalloc: v${reg} is on the stack at its use in ${isa.format(rwInst!)}`);
    }
    if (role !== OpRole.Use && calleeSaved[r] === 1) rwWrites.push(r);
    return r;
  };
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi]!;
    const insts: I[] = [];
    const prov: Provenance[] | undefined = record ? [] : undefined;
    for (const e of atStartOf[bi]!) emit(edgeSeq(e), insts, prov);
    const atEnd = atEndOf[bi]!;
    let endDone = false;
    const head = layout.head[bi]! + 1;
    for (let k = 0; k < b.insts.length; k++) {
      const wi = b.insts[k]!;
      const n = head + k;
      while (smNext < smKeys.length && smKeys[smNext]! < n) smNext++;
      const sm = smNext < smKeys.length && smKeys[smNext] === n ? splitMoves.get(n) : undefined;
      if (sm) {
        stats.splitMoves += sm.length;
        if (sm.length > 1) scratchPos = [4 * n - 1, 4 * n];
        emit(sequentialize(sm, scratchHere), insts, prov);
      }
      if (wi.isTerminator && !endDone) {
        for (const e of atEnd) emit(edgeSeq(e), insts, prov);
        endDone = true;
      }
      rwN = n;
      rwInst = wi.inst;
      rwWrites.length = 0;
      isa.mapRegs(wi.inst, rewriteOperand);
      const mv = wi.move ? isa.asMove(wi.inst) : undefined;
      if (mv && mv.dst === mv.src) {
        if (wi.orig >= 0) {
          prov?.push({ kind: 'elided', index: wi.orig });
          stats.elidedMoves++;
        }
      } else {
        for (const r of rwWrites) written[r] = 1;
        insts.push(wi.inst);
        prov?.push(wi.orig >= 0 ? { kind: 'orig', index: wi.orig } : { kind: 'move', cls: mv!.cls, dst: mv!.dst, src: mv!.src });
      }
      if (!wi.isTerminator) storeAfterDef(wi, n, insts, prov);
    }
    if (!endDone) for (const e of atEnd) emit(edgeSeq(e), insts, prov);
    newBlocks.push({ insts, succs: b.succs.slice(), preds: b.preds.slice() });
    if (prov) provenance.push(prov);
  }
  rwInst = undefined;
  const origBlock = blocks.map((_, i) => i);

  for (const e of edgeMoves) {
    if (e.place !== 'split') continue;
    if (!isa.makeJump || !isa.retargetBranch) {
      throw new RegallocError(
        `${func.name}: critical edge ${e.p}→${e.s} needs moves, and the ISA cannot split edges (makeJump/retargetBranch)`,
      );
    }
    const idx = newBlocks.length;
    const pb = newBlocks[e.p]!;
    let found = false;
    for (const inst of pb.insts) {
      if (isa.isTerminator(inst) && isa.branchTargets(inst).includes(e.s)) {
        isa.retargetBranch(inst, e.s, idx);
        found = true;
      }
    }
    if (!found) throw new RegallocError(`${func.name}: critical edge ${e.p}→${e.s} is a fall-through and cannot be split`);
    const insts: I[] = [];
    const prov: Provenance[] | undefined = record ? [] : undefined;
    emit(edgeSeq(e), insts, prov);
    insts.push(noted(isa.makeJump(e.s)));
    prov?.push({ kind: 'jump', target: e.s });
    pb.succs = pb.succs.map((s) => (s === e.s ? idx : s));
    const sb = newBlocks[e.s]!;
    sb.preds = sb.preds.map((q) => (q === e.p ? idx : q));
    newBlocks.push({ insts, succs: [e.s], preds: [e.p] });
    if (prov) provenance.push(prov);
    origBlock.push(-1);
    stats.splitEdges++;
  }

  // ── frame facts ──
  const slotOffset: number[] = [];
  let size = 0;
  // Wider (FPR) slots first so every slot is naturally aligned without padding.
  const order = slotClass.map((c, i) => ({ c, i })).sort((a, b) => regs.spillSlotSize[b.c] - regs.spillSlotSize[a.c] || a.i - b.i);
  for (const { c, i } of order) {
    const sz = regs.spillSlotSize[c];
    size = Math.ceil(size / sz) * sz;
    slotOffset[i] = size;
    size += sz;
  }
  const spillAreaSize = Math.ceil(size / 16) * 16;


  func.blocks.length = 0;
  func.blocks.push(...newBlocks);
  func.spillSlots = slotClass.length;
  const usedCalleeSaved: Reg[] = [];
  for (let r = 0; r < VREG_BASE; r++) if (written[r] === 1) usedCalleeSaved.push(r);
  func.usedCalleeSaved = usedCalleeSaved;

  const result: AllocResult = { origBlock, provenance, slotClass, slotOffset, spillAreaSize, stats };
  if (snapshot) checkAllocation(snapshot, func, isa, result);
  return result;
}
