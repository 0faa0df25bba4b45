/**
 * Linear scan with interval splitting, after Wimmer & Mössenböck, "Optimized Interval
 * Splitting in a Linear Scan Register Allocator" (VEE 2005).
 *
 * Intervals are visited by start position. Each one first tries a register that is free
 * for its whole life (honouring hints from moves, then the target's preference order,
 * which lists caller-saved registers first so short values stay out of callee-saved
 * ones; a value crossing a call finds every caller-saved register reserved by the
 * clobber and so lands in a callee-saved register if one is free). Failing that it takes
 * a register free for a prefix and is split there; failing that, the register whose
 * occupants are next needed furthest away is taken from them (they are split and
 * spilled until their next use), or the current interval itself is spilled until its
 * first use. Splits only happen at instruction boundaries (positions 4n).
 *
 * Invariant kept by every split: a piece put back on the unhandled queue starts after
 * the current position, so active/inactive sets never go stale.
 */

import { VREG_BASE, type Reg, type RegClass, type RegisterFile } from '../minst.js';
import { INF, floor4, meetFrom, type Hint, type Interval, type Range } from './intervals.js';
import type { IntervalSet } from './liveness.js';

export class RegallocError extends Error {
  override name = 'RegallocError';
}

class Queue {
  private items: Interval[] = [];
  push(it: Interval): void {
    // Sorted by descending start so pop() takes the smallest; ties: defs before live-through pieces.
    const s = it.start;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.start > s) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, it);
  }
  /** Same order as pushing `its` one by one into an empty queue (ties pop in push order). */
  static of(its: Interval[]): Queue {
    const q = new Queue();
    const keyed = its.map((it, i) => ({ it, s: it.start, i }));
    keyed.sort((a, b) => b.s - a.s || b.i - a.i);
    q.items = keyed.map((k) => k.it);
    return q;
  }
  pop(): Interval | undefined {
    return this.items.pop();
  }
  get size(): number {
    return this.items.length;
  }
}

export function linearScan(set: IntervalSet, regs: RegisterFile, cls: RegClass, hints: ReadonlyMap<Reg, readonly Hint[]>): void {
  const allocatable = regs.allocatable[cls];
  const nregs = allocatable.length;
  const fixedOf = allocatable.map((r) => set.fixed.get(r)!);
  const initial: Interval[] = [];
  for (const it of set.vregs) if (it && it.cls === cls && !it.isEmpty) initial.push(it);
  const unhandled = Queue.of(initial);
  // Register → index in `allocatable` (-1 for registers outside the class).
  let maxReg = 0;
  for (const r of allocatable) maxReg = Math.max(maxReg, r);
  const slotIdx = new Int32Array(maxReg + 1).fill(-1);
  allocatable.forEach((r, i) => (slotIdx[r] = i));
  const isSlot = (r: Reg): boolean => r <= maxReg && slotIdx[r]! >= 0;
  const freeUntil = new Array<number>(nregs).fill(INF);
  // Active and inactive intervals per register (index in `allocatable`). At most one interval
  // holding a register covers any position, so `active` has one slot per register.
  // `inactive[i]` keeps the order the intervals went inactive in (eviction order depends on
  // it); `inactiveNext[i]` is the least position at which one of them starts its next range:
  // before that, none of them changes state.
  const active: (Interval | undefined)[] = new Array(nregs).fill(undefined);
  const inactive: Interval[][] = allocatable.map(() => []);
  const inactiveNext = new Array<number>(nregs).fill(INF);
  // A position at or before which register i's state may next change (its active interval
  // ends or enters a hole, or an inactive one starts its next range); -1 to look at the
  // next position. Before it the scan leaves register i alone.
  const changeAt = new Float64Array(nregs).fill(-1);
  const activeList = (): Interval[] => active.filter((it): it is Interval => it !== undefined);

  // Fixed reservations: registers with identical reservations (most caller-saved ones only
  // hold call clobbers) share a group, and where the current interval first meets a group's
  // reservation is computed once per interval (`fixedMeet`). Each group keeps a cursor at
  // its first range ending after the scan position.
  const groupOf = new Int32Array(nregs);
  const groupRanges: (readonly Range[])[] = [];
  for (let i = 0; i < nregs; i++) {
    const rs = fixedOf[i]!.ranges;
    let g = 0;
    while (g < groupRanges.length && !sameRanges(groupRanges[g]!, rs)) g++;
    if (g === groupRanges.length) groupRanges.push(rs);
    groupOf[i] = g;
  }
  const ngroups = groupRanges.length;
  const groupCursor = new Int32Array(ngroups);
  const groupMeet = new Array<number>(ngroups).fill(INF);
  const groupStamp = new Int32Array(ngroups).fill(-1);
  // Bumped whenever the interval being allocated (or its extent) changes.
  let stamp = 0;
  /** `fixedOf[i].nextIntersection(cur, cur.start, cur.end)`. */
  const fixedMeet = (i: number, cur: Interval): number => {
    const g = groupOf[i]!;
    if (groupStamp[g] === stamp) return groupMeet[g]!;
    const rs = groupRanges[g]!;
    const b = cur.ranges;
    const from = b[0]!.from;
    let c = groupCursor[g]!;
    if (c > 0 && rs[c - 1]!.to > from) c = 0;
    while (c < rs.length && rs[c]!.to <= from) c++;
    groupCursor[g] = c;
    const m = meetFrom(rs, c, b, 0, from, b[b.length - 1]!.to);
    groupStamp[g] = stamp;
    groupMeet[g] = m;
    return m;
  };

  const spillWhole = (it: Interval): void => {
    it.reg = undefined;
    it.spilled = true;
  };

  /** Register suggested by moves touching this piece, or by the piece before it. */
  // hintsFor's result, reused: each caller finishes with it before the next call.
  const hintBuf: Reg[] = [];
  const hintsFor = (cur: Interval): Reg[] => {
    const out = hintBuf;
    out.length = 0;
    const root = cur.root;
    const prev = cur.prevPiece;
    const hs = hints.get(root.vreg);
    const lo = cur.start - 3;
    const hi = cur.end;
    // Hints are recorded in position order: skip to the first one in [lo, hi].
    let k = 0;
    if (hs !== undefined) {
      let top = hs.length;
      while (k < top) {
        const mid = (k + top) >>> 1;
        if (hs[mid]!.pos < lo) k = mid + 1;
        else top = mid;
      }
    }
    for (; hs !== undefined && k < hs.length; k++) {
      const h = hs[k]!;
      if (h.pos > hi) break;
      if (h.reg !== undefined) {
        if (isSlot(h.reg)) out.push(h.reg);
      } else if (h.partner !== undefined) {
        const p = set.vregs[h.partner - VREG_BASE]?.childAt(h.partnerPos ?? h.pos);
        if (p?.reg !== undefined && isSlot(p.reg)) out.push(p.reg);
      }
    }
    if (prev?.reg !== undefined && isSlot(prev.reg)) out.push(prev.reg);
    return out;
  };

  /** Puts `it` (no register yet) on the stack until just before its next use. */
  const spillUntilUse = (it: Interval): void => {
    const u = it.nextUseFrom(it.start);
    if (u === INF) {
      spillWhole(it);
      return;
    }
    const at = floor4(u);
    if (at > it.start) {
      const rest = it.split(at);
      spillWhole(it);
      unhandled.push(rest);
    } else {
      unhandled.push(it);
    }
  };

  // freeUntil[i] for the current interval, computed on demand (at most once per stamp).
  const freeStamp = new Int32Array(nregs).fill(-1);
  /** How long register i stays free for `cur`, clamped to cur's end (0 if it is taken now). */
  const freeFor = (i: number, cur: Interval, curEnd: number): number => {
    if (freeStamp[i] === stamp) return freeUntil[i]!;
    let f = 0;
    if (active[i] === undefined) {
      f = fixedMeet(i, cur);
      if (f > curEnd) f = curEnd;
      // An inactive interval meets `cur` no earlier than its next range.
      if (inactiveNext[i]! < f) {
        for (const it of inactive[i]!) {
          if (it.nextRangeFrom() < f) {
            const m = it.meetFromCursor(cur, f);
            if (m < f) f = m;
          }
        }
      }
    }
    freeUntil[i] = f;
    freeStamp[i] = stamp;
    return f;
  };

  const tryFree = (cur: Interval): boolean => {
    const curEnd = cur.end;
    // The first register in preference order that is free for all of cur; when there is
    // one, a hinted register that is free for all of cur goes first.
    let firstFree = -1;
    for (let i = 0; i < nregs; i++) {
      if (freeFor(i, cur, curEnd) >= curEnd) {
        firstFree = i;
        break;
      }
    }
    if (firstFree >= 0) {
      let pick = firstFree;
      for (const h of hintsFor(cur)) {
        const i = slotIdx[h]!;
        if (freeFor(i, cur, curEnd) >= curEnd) {
          pick = i;
          break;
        }
      }
      cur.reg = allocatable[pick]!;
      return true;
    }
    // Free for a prefix only: take the register that stays free longest, split before it is needed.
    let best = 0;
    for (let i = 1; i < nregs; i++) if (freeUntil[i]! > freeUntil[best]!) best = i;
    const at = floor4(freeUntil[best] ?? 0);
    if (at <= cur.start) return false;
    // Splitting off a prefix without any use buys nothing: let the blocked path spill it instead.
    if (cur.nextUseFrom(cur.start) >= at) return false;
    cur.reg = allocatable[best]!;
    const rest = cur.split(at);
    stamp++;
    unhandled.push(rest);
    return true;
  };

  const evict = (it: Interval, at: number): void => {
    let tail: Interval;
    if (it.start < at) tail = it.split(at);
    else tail = it;
    tail.reg = undefined;
    spillUntilUse(tail);
  };

  const useNext = new Array<number>(nregs).fill(INF);
  const blockPos = new Array<number>(nregs).fill(INF);
  const allocateBlocked = (cur: Interval): void => {
    const here = floor4(cur.start);
    const end = cur.end;
    for (let i = 0; i < nregs; i++) {
      let u = INF;
      const a = active[i];
      if (a !== undefined) u = a.nextUseFrom(here);
      if (inactiveNext[i]! < end) {
        for (const it of inactive[i]!) {
          if (it.nextRangeFrom() >= end) continue;
          // Cheap test first: only a sooner use can lower useNext (the intersection walk is not cheap).
          const v = it.nextUseFrom(here);
          if (v >= u || it.meetFromCursor(cur, end) === INF) continue;
          u = v;
        }
      }
      const p = fixedMeet(i, cur);
      blockPos[i] = p;
      useNext[i] = p < u ? p : u;
    }
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nregs; i++) {
      if (useNext[i]! > useNext[best]!) {
        best = i;
        ties = 1;
      } else if (useNext[i]! === useNext[best]!) ties++;
    }
    // A hinted register wins a tie for the furthest next use.
    if (ties > 1) {
      for (const h of hintsFor(cur)) {
        const i = slotIdx[h]!;
        if (useNext[i]! === useNext[best]!) {
          best = i;
          break;
        }
      }
    }
    const firstUse = cur.nextUseFrom(cur.start);
    const needsNow = firstUse < here + 4;
    if (!needsNow && useNext[best]! <= firstUse) {
      // Everyone else is needed sooner than we are: spill ourselves until our first use.
      spillUntilUse(cur);
      return;
    }
    if (useNext[best]! < here + 4) {
      const busy = allocatable.map((r, i) => `${regs.names[r]}: next use ${useNext[i]}`).join('; ');
      throw new RegallocError(
        `no ${cls === 0 ? 'GPR' : 'FPR'} can be freed for v${cur.vreg} at position ${cur.start}: too many operands live at one instruction (${busy}; active ${activeList().join(' ')})`,
      );
    }
    const reg = allocatable[best]!;
    cur.reg = reg;
    if (blockPos[best]! < cur.end) {
      const rest = cur.split(floor4(blockPos[best]!));
      stamp++;
      unhandled.push(rest);
    }
    // Whatever holds `reg` now keeps it only before this instruction.
    const held = active[best];
    if (held !== undefined) {
      active[best] = undefined;
      evict(held, here);
    }
    let next = INF;
    const kept = inactive[best]!;
    let n = 0;
    for (const it of kept) {
      if (it.meetFromCursor(cur, cur.end) === INF) {
        next = Math.min(next, it.nextRangeFrom());
        kept[n++] = it;
      } else evict(it, here);
    }
    kept.length = n;
    inactiveNext[best] = next;
  };

  /** A piece with no use only deserves a register that is free for all of it. */
  const tryFreeWhole = (cur: Interval): boolean => {
    const end = cur.end;
    const freeWhole = (i: number): boolean => {
      if (active[i] !== undefined) return false;
      if (inactiveNext[i]! < end) {
        for (const it of inactive[i]!) if (it.nextRangeFrom() < end && it.meetFromCursor(cur, end) !== INF) return false;
      }
      return fixedMeet(i, cur) === INF;
    };
    for (const r of hintsFor(cur)) {
      if (freeWhole(slotIdx[r]!)) {
        cur.reg = r;
        return true;
      }
    }
    for (let i = 0; i < nregs; i++) {
      if (freeWhole(i)) {
        cur.reg = allocatable[i]!;
        return true;
      }
    }
    return false;
  };

  // Every requeued piece starts strictly later than the current position, so the scan
  // terminates; the guard turns a bug into an error instead of a hang.
  let budget = 1000;
  for (const it of set.vregs) if (it && it.cls === cls) budget += 8 * (it.uses.length + it.ranges.length);
  let lastPos = -1;
  for (;;) {
    const cur = unhandled.pop();
    if (!cur) break;
    if (--budget < 0) throw new Error(`regalloc: linear scan is not making progress (at v${cur.vreg}, ${cur})`);
    const pos = cur.start;
    stamp++;
    // The shortcut through changeAt assumes the position never goes back.
    if (pos < lastPos) changeAt.fill(-1);
    lastPos = pos;
    for (let i = 0; i < nregs; i++) {
      if (changeAt[i]! > pos) continue;
      // The active interval of register i may end or enter a hole; inactive ones may
      // start their next range (or end, which needs that too).
      const a = active[i];
      let now: Interval | undefined;
      let hole: Interval | undefined;
      if (a !== undefined) {
        const st = a.stateAt(pos);
        if (st === 1) now = a;
        else if (st === 2) hole = a;
      }
      const inact = inactive[i]!;
      if (inactiveNext[i]! <= pos) {
        let next = INF;
        let n = 0;
        for (const it of inact) {
          const st = it.stateAt(pos);
          if (st === 1) now = it;
          else if (st === 2) {
            inact[n++] = it;
            const r = it.nextRangeFrom();
            if (r < next) next = r;
          }
        }
        inact.length = n;
        if (hole) {
          inact.unshift(hole);
          const r = hole.nextRangeFrom();
          if (r < next) next = r;
        }
        inactiveNext[i] = next;
      } else if (hole) {
        inact.unshift(hole);
        inactiveNext[i] = Math.min(inactiveNext[i]!, hole.nextRangeFrom());
      }
      active[i] = now;
      const e = now === undefined ? INF : now.cursorRangeEnd();
      changeAt[i] = e < inactiveNext[i]! ? e : inactiveNext[i]!;
    }

    if (cur.nextUseFrom(cur.start) === INF && !tryFreeWhole(cur)) {
      spillWhole(cur);
      continue;
    }
    if (!tryFree(cur)) allocateBlocked(cur);
    if (cur.reg !== undefined) {
      const i = slotIdx[cur.reg]!;
      active[i] = cur;
      changeAt[i] = -1;
    }
  }
}

function sameRanges(a: readonly Range[], b: readonly Range[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.from !== b[i]!.from || a[i]!.to !== b[i]!.to) return false;
  return true;
}
