/**
 * Live intervals over linear positions.
 *
 * Every instruction n (numbered across blocks in layout order, with one extra pseudo
 * index at the head of each block) owns four positions:
 *
 *   4n+0  boundary "before n": the only place a split may happen and moves are inserted
 *   4n+1  early: uses are read, EarlyDefs are written
 *   4n+2  middle: clobbers happen (a value live across the call covers it, an argument
 *         that dies at the call or a result written at the end does not)
 *   4n+3  late: Defs are written
 *
 * Ranges are half-open [from, to). A Use at n ends its range at 4n+2, a Def starts one at
 * 4n+3, so a dying operand and a result can share a register; an EarlyDef starts at 4n+1
 * and therefore overlaps every operand read by the instruction.
 */

import type { Reg, RegClass } from '../minst.js';

export const INF = Number.MAX_SAFE_INTEGER;

export const posBefore = (n: number): number => 4 * n;
export const posEarly = (n: number): number => 4 * n + 1;
export const posMid = (n: number): number => 4 * n + 2;
export const posLate = (n: number): number => 4 * n + 3;
/** The boundary at or before `pos`: where a split covering `pos` can take effect. */
export const floor4 = (pos: number): number => pos - (pos & 3);

export interface Range {
  from: number;
  to: number;
}

/** A position at which the value must be in a register (every operand is a register operand). */
export interface UsePos {
  pos: number;
  isDef: boolean;
}

/** A wish: at `pos`, be in `reg`, or wherever vreg `partner` is at `partnerPos` (a move connects them). */
export interface Hint {
  pos: number;
  reg?: Reg;
  partner?: Reg;
  partnerPos?: number;
}

/** Index of the first range with to > pos (ranges are sorted and disjoint). */
function firstEndingAfter(rs: readonly Range[], pos: number): number {
  let lo = 0;
  let hi = rs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rs[mid]!.to <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First position >= `from` covered by both range lists, walking from a[i] and b[j] (the
 * first ranges ending after `from`); INF if there is none before `limit`.
 */
export function meetFrom(a: readonly Range[], i: number, b: readonly Range[], j: number, from: number, limit: number): number {
  while (i < a.length && j < b.length) {
    const ra = a[i]!;
    const rb = b[j]!;
    let lo = ra.from > rb.from ? ra.from : rb.from;
    if (lo < from) lo = from;
    if (lo >= limit) return INF;
    if (lo < ra.to && lo < rb.to) return lo;
    if (ra.to <= rb.to) i++;
    else j++;
  }
  return INF;
}

export class Interval {
  ranges: Range[] = [];
  uses: UsePos[] = [];
  /** Assigned physical register; undefined with `spilled` means the value lives in its vreg's slot. */
  reg: Reg | undefined = undefined;
  spilled = false;
  /** The piece this one was split from (a register hint: staying put avoids a move). */
  prevPiece: Interval | undefined = undefined;
  /** Every piece the vreg was split into, sorted by start; only maintained on the root. */
  children: Interval[] = [];
  readonly root: Interval;

  constructor(
    readonly vreg: Reg,
    readonly cls: RegClass,
    root?: Interval,
  ) {
    this.root = root ?? this;
    if (!root) this.children.push(this);
  }

  get start(): number {
    return this.ranges[0]!.from;
  }

  get end(): number {
    return this.ranges[this.ranges.length - 1]!.to;
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /**
   * Adds [from, to), merging with what is there. Liveness builds intervals backwards, so
   * the common case prepends or extends the first range.
   */
  addRange(from: number, to: number): void {
    if (from >= to) return;
    const rs = this.ranges;
    if (rs.length === 0) {
      rs.push({ from, to });
      return;
    }
    const first = rs[0]!;
    if (to < first.from) {
      rs.unshift({ from, to });
      return;
    }
    if (to <= first.to && from <= first.from && to >= first.from) {
      first.from = from;
      return;
    }
    // General case: insert and re-normalise.
    rs.push({ from, to });
    rs.sort((a, b) => a.from - b.from);
    const out: Range[] = [];
    for (const r of rs) {
      const last = out[out.length - 1];
      if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
      else out.push({ from: r.from, to: r.to });
    }
    this.ranges = out;
  }

  /** Liveness found the definition: the value does not exist before `pos`. */
  setFrom(pos: number): void {
    const first = this.ranges[0];
    if (first && first.from <= pos && pos < first.to) first.from = pos;
    else this.addRange(pos, pos + 1);
  }

  addUse(pos: number, isDef: boolean): void {
    // Built backwards: usually prepend.
    const us = this.uses;
    if (us.length === 0 || us[0]!.pos >= pos) us.unshift({ pos, isDef });
    else {
      us.push({ pos, isDef });
      us.sort((a, b) => a.pos - b.pos);
    }
  }

  covers(pos: number): boolean {
    const rs = this.ranges;
    let lo = 0;
    let hi = rs.length;
    // Last range with from <= pos.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rs[mid]!.from <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && pos < rs[lo - 1]!.to;
  }

  /**
   * First position >= `from` covered by both intervals, or INF. With `limit`, an
   * intersection at or after `limit` may also be reported as INF (callers that only
   * care about positions before `limit` stop the walk early).
   */
  nextIntersection(other: Interval, from = 0, limit = INF): number {
    const a = this.ranges;
    const b = other.ranges;
    if (a.length === 0 || b.length === 0) return INF;
    if (a[a.length - 1]!.to <= from || b[b.length - 1]!.to <= from) return INF;
    return meetFrom(a, firstEndingAfter(a, from), b, firstEndingAfter(b, from), from, limit);
  }

  /**
   * `this.nextIntersection(cur, cur.start, limit)` for linear scan: starts at the scan
   * cursor (which stands at or just before cur.start's range when the scan is at
   * cur.start) instead of searching both range lists from the beginning.
   */
  meetFromCursor(cur: Interval, limit: number): number {
    const a = this.ranges;
    const b = cur.ranges;
    const from = b[0]!.from;
    let i = this.cursor;
    if (i > a.length || (i > 0 && a[i - 1]!.to > from)) i = firstEndingAfter(a, from);
    while (i < a.length && a[i]!.to <= from) i++;
    return meetFrom(a, i, b, 0, from, limit);
  }

  /** First register-requiring use at or after `pos`, or INF. */
  nextUseFrom(pos: number): number {
    const us = this.uses;
    let lo = 0;
    let hi = us.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (us[mid]!.pos < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < us.length ? us[lo]!.pos : INF;
  }

  /** Start of the range at the scan cursor (after `stateAt` said 2: where the hole ends), or INF. */
  nextRangeFrom(): number {
    const r = this.ranges[this.cursor];
    return r === undefined ? INF : r.from;
  }

  /** End of the range at the scan cursor (after `stateAt` said 1: where the covered stretch ends), or INF. */
  cursorRangeEnd(): number {
    const r = this.ranges[this.cursor];
    return r === undefined ? INF : r.to;
  }

  /** Linear scan's cursor: no range before it ends after the scan position (positions only grow). */
  private cursor = 0;

  /**
   * For the scan position `pos`, which must never decrease between calls on one interval:
   * 0 if the interval has ended (end <= pos), 1 if it covers `pos`, 2 if `pos` is in a hole.
   */
  stateAt(pos: number): 0 | 1 | 2 {
    const rs = this.ranges;
    let c = this.cursor;
    if (c > rs.length) c = rs.length;
    while (c < rs.length && rs[c]!.to <= pos) c++;
    this.cursor = c;
    if (c === rs.length) return 0;
    return rs[c]!.from <= pos ? 1 : 2;
  }

  /**
   * Splits at boundary `pos`: this keeps everything before it, the returned child gets the
   * rest. `pos` must lie strictly inside [start, end).
   */
  split(pos: number): Interval {
    if (pos <= this.start || pos >= this.end) throw new Error(`regalloc: bad split of v${this.vreg} at ${pos}`);
    if ((pos & 3) !== 0) throw new Error(`regalloc: split at ${pos} is not an instruction boundary`);
    const child = new Interval(this.vreg, this.cls, this.root);
    child.prevPiece = this;
    const keep: Range[] = [];
    for (const r of this.ranges) {
      if (r.to <= pos) keep.push(r);
      else if (r.from >= pos) child.ranges.push(r);
      else {
        keep.push({ from: r.from, to: pos });
        child.ranges.push({ from: pos, to: r.to });
      }
    }
    this.ranges = keep;
    // Uses are sorted by position: the child takes those from the first one at or after pos.
    const us = this.uses;
    let lo = 0;
    let hi = us.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (us[mid]!.pos < pos) lo = mid + 1;
      else hi = mid;
    }
    child.uses = us.slice(lo);
    this.uses = us.slice(0, lo);
    const siblings = this.root.children;
    lo = 0;
    hi = siblings.length;
    const cs = child.ranges[0]!.from;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (siblings[mid]!.ranges[0]!.from < cs) lo = mid + 1;
      else hi = mid;
    }
    siblings.splice(lo, 0, child);
    return child;
  }

  /**
   * The piece of this vreg covering `pos`, if any. Pieces partition the timeline (a split
   * gives everything before the split point to one side), so the candidate is the last
   * piece starting at or before `pos`.
   */
  childAt(pos: number): Interval | undefined {
    const cs = this.root.children;
    let lo = 0;
    let hi = cs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid]!.ranges[0]!.from <= pos) lo = mid + 1;
      else hi = mid;
    }
    const c = cs[lo - 1];
    return c && c.covers(pos) ? c : undefined;
  }

  toString(): string {
    const loc = this.reg !== undefined ? `r${this.reg}` : this.spilled ? 'stack' : '?';
    return `v${this.vreg}:${loc}:${this.ranges.map((r) => `[${r.from},${r.to})`).join('')}`;
  }
}
