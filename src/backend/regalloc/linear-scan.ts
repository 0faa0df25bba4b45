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
import { INF, floor4, type Hint, type Interval } from './intervals.js';
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
  const fixedOf = allocatable.map((r) => set.fixed.get(r)!);
  const initial: Interval[] = [];
  for (const it of set.vregs) if (it && it.cls === cls && !it.isEmpty) initial.push(it);
  const unhandled = Queue.of(initial);
  // Register → index in `allocatable` (-1 for registers outside the class).
  let maxReg = 0;
  for (const r of allocatable) maxReg = Math.max(maxReg, r);
  const slotIdx = new Int32Array(maxReg + 1).fill(-1);
  allocatable.forEach((r, i) => (slotIdx[r] = i));
  const slotOf = {
    has: (r: Reg): boolean => r <= maxReg && slotIdx[r]! >= 0,
    get: (r: Reg): number | undefined => (r <= maxReg && slotIdx[r]! >= 0 ? slotIdx[r]! : undefined),
  };
  const nregs = allocatable.length;
  const freeUntil = new Array<number>(nregs).fill(INF);
  // Active and inactive intervals per register (index in `allocatable`). At most one interval
  // holding a register covers any position, so `active` has one slot per register.
  // `inactive[i]` keeps the order the intervals went inactive in (eviction order depends on
  // it); `inactiveNext[i]` is the least position at which one of them starts its next range:
  // before that, none of them changes state.
  const active: (Interval | undefined)[] = new Array(nregs).fill(undefined);
  const inactive: Interval[][] = allocatable.map(() => []);
  const inactiveNext = new Array<number>(nregs).fill(INF);
  const activeList = (): Interval[] => active.filter((it): it is Interval => it !== undefined);

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
        if (slotOf.has(h.reg)) out.push(h.reg);
      } else if (h.partner !== undefined) {
        const p = set.vregs[h.partner - VREG_BASE]?.childAt(h.partnerPos ?? h.pos);
        if (p?.reg !== undefined && slotOf.has(p.reg)) out.push(p.reg);
      }
    }
    if (prev?.reg !== undefined && slotOf.has(prev.reg)) out.push(prev.reg);
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

  const tryFree = (cur: Interval): boolean => {
    const cs = cur.start;
    const curEnd = cur.end;
    // freeUntil is clamped to cur's end: "free for all of cur" is all that matters beyond it.
    for (let i = 0; i < nregs; i++) {
      if (active[i] !== undefined) {
        freeUntil[i] = 0;
        continue;
      }
      let f = Math.min(curEnd, fixedOf[i]!.nextIntersection(cur, cs, curEnd));
      // An inactive interval meets `cur` no earlier than its next range.
      if (inactiveNext[i]! < f) for (const it of inactive[i]!) if (it.nextRangeFrom() < f) f = Math.min(f, it.nextIntersection(cur, cs, f));
      freeUntil[i] = f;
    }
    const end = cur.end;
    let pick = -1;
    for (const h of hintsFor(cur)) {
      const i = slotOf.get(h)!;
      if (freeUntil[i]! >= end) {
        pick = i;
        break;
      }
    }
    if (pick < 0) pick = freeUntil.findIndex((f) => f >= end);
    if (pick >= 0) {
      cur.reg = allocatable[pick]!;
      return true;
    }
    // Free for a prefix only: take the register that stays free longest, split before it is needed.
    let best = 0;
    for (let i = 1; i < freeUntil.length; i++) if (freeUntil[i]! > freeUntil[best]!) best = i;
    const at = floor4(freeUntil[best] ?? 0);
    if (at <= cur.start) return false;
    // Splitting off a prefix without any use buys nothing: let the blocked path spill it instead.
    if (cur.nextUseFrom(cur.start) >= at) return false;
    cur.reg = allocatable[best]!;
    unhandled.push(cur.split(at));
    return true;
  };

  const evict = (it: Interval, at: number): void => {
    let tail: Interval;
    if (it.start < at) tail = it.split(at);
    else tail = it;
    tail.reg = undefined;
    spillUntilUse(tail);
  };

  const allocateBlocked = (cur: Interval): void => {
    const here = floor4(cur.start);
    const useNext = allocatable.map(() => INF);
    const blockPos = allocatable.map(() => INF);
    const end = cur.end;
    for (let i = 0; i < nregs; i++) {
      const a = active[i];
      if (a !== undefined) useNext[i] = Math.min(useNext[i]!, a.nextUseFrom(here));
      if (inactiveNext[i]! >= end) continue;
      for (const it of inactive[i]!) {
        if (it.nextRangeFrom() >= end) continue;
        // Cheap test first: only a sooner use can lower useNext (the intersection walk is not cheap).
        const u = it.nextUseFrom(here);
        if (u >= useNext[i]! || it.nextIntersection(cur, cur.start, end) === INF) continue;
        useNext[i] = u;
      }
    }
    fixedOf.forEach((f, i) => {
      const p = f.nextIntersection(cur, cur.start, end);
      blockPos[i] = Math.min(blockPos[i]!, p);
      useNext[i] = Math.min(useNext[i]!, p);
    });
    let best = 0;
    for (let i = 1; i < useNext.length; i++) if (useNext[i]! > useNext[best]!) best = i;
    for (const h of hintsFor(cur)) {
      const i = slotOf.get(h)!;
      if (useNext[i]! === useNext[best]!) {
        best = i;
        break;
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
    if (blockPos[best]! < cur.end) unhandled.push(cur.split(floor4(blockPos[best]!)));
    // Whatever holds `reg` now keeps it only before this instruction.
    const held = active[best];
    if (held !== undefined) {
      active[best] = undefined;
      evict(held, here);
    }
    let next = INF;
    inactive[best] = inactive[best]!.filter((it) => {
      if (it.nextIntersection(cur, cur.start, cur.end) === INF) {
        next = Math.min(next, it.nextRangeFrom());
        return true;
      }
      evict(it, here);
      return false;
    });
    inactiveNext[best] = next;
  };

  // Every requeued piece starts strictly later than the current position, so the scan
  // terminates; the guard turns a bug into an error instead of a hang.
  let budget = 1000;
  for (const it of set.vregs) if (it && it.cls === cls) budget += 8 * (it.uses.length + it.ranges.length);
  for (;;) {
    const cur = unhandled.pop();
    if (!cur) break;
    if (--budget < 0) throw new Error(`regalloc: linear scan is not making progress (at v${cur.vreg}, ${cur})`);
    const pos = cur.start;
    for (let i = 0; i < nregs; i++) {
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
      if (inactiveNext[i]! <= pos) {
        const still: Interval[] = [];
        let next = INF;
        if (hole) {
          still.push(hole);
          next = hole.nextRangeFrom();
        }
        for (const it of inactive[i]!) {
          const st = it.stateAt(pos);
          if (st === 1) now = it;
          else if (st === 2) {
            still.push(it);
            next = Math.min(next, it.nextRangeFrom());
          }
        }
        inactive[i] = still;
        inactiveNext[i] = next;
      } else if (hole) {
        inactive[i]!.unshift(hole);
        inactiveNext[i] = Math.min(inactiveNext[i]!, hole.nextRangeFrom());
      }
      active[i] = now;
    }

    if (cur.nextUseFrom(cur.start) === INF && !tryFreeWhole(cur)) {
      spillWhole(cur);
      continue;
    }
    if (!tryFree(cur)) allocateBlocked(cur);
    if (cur.reg !== undefined) active[slotIdx[cur.reg]!] = cur;
  }

  function tryFreeWhole(cur: Interval): boolean {
    // A piece with no use only deserves a register that is free for all of it.
    const busy = new Set<Reg>();
    const end = cur.end;
    for (let i = 0; i < nregs; i++) {
      if (active[i] !== undefined) {
        busy.add(allocatable[i]!);
        continue;
      }
      if (inactiveNext[i]! >= end) continue;
      for (const it of inactive[i]!) {
        if (it.nextRangeFrom() < end && it.nextIntersection(cur, cur.start, end) !== INF) {
          busy.add(allocatable[i]!);
          break;
        }
      }
    }
    const hinted = hintsFor(cur);
    const order = [...hinted, ...allocatable];
    for (const r of order) {
      if (busy.has(r)) continue;
      if (set.fixed.get(r)!.nextIntersection(cur, cur.start, cur.end) !== INF) continue;
      cur.reg = r;
      return true;
    }
    return false;
  }

}
