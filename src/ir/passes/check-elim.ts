/**
 * Explicit memory bounds checks (--bounds explicit) as IR ops, and removal of the
 * redundant ones.
 *
 * `boundsInsert` puts `memory.check_bounds mem=M end=E idx` right before every load and
 * store (E = the access's static offset + its width); instruction selection then emits
 * one compare-and-trap per check op and none for the accesses. It runs after the -O
 * pipeline (so inlined code is covered and no pass moves a check), in explicit mode only:
 * guard mode never sees a check op.
 *
 * `checkElim` then deletes checks whose outcome an earlier one decides. The facts it
 * uses, for one memory:
 * - memories never shrink, so a check that passed stays passed (memory.grow and calls in
 *   between do not matter for deleting);
 * - check(v, E) passing proves zext(v) + E <= size, hence check(v, E') for E' <= E, and
 *   size >= E, hence every constant-index check(k, E') with k + E' <= E;
 * - for w = v + c (i32.add/i32.sub by a constant; c taken unsigned): check(v, E + c)
 *   implies check(w, E): without wrap-around zext(w) + E = zext(v) + c + E, and with it
 *   zext(w) < zext(v). (Not the converse: a passing check on w says nothing about v.)
 * A check dominated by checks proving it is deleted (a walk of the dominator tree with
 * scoped facts, as in gvn).
 *
 * Widening, within one block: check(v, E1) … check(v, E2) with E2 > E1 becomes one
 * check(v, E2) at the first position, if nothing in between writes state (memory,
 * globals, tables, calls) or may trap with another code. Failing early is then
 * unobservable: the second check (same v) would fail too, nothing was written in
 * between, and any trap in between would have been the same `out of bounds memory
 * access`. Only the very same value is widened (with wrap-around, w = v + c may pass
 * where v + c as a wide sum fails).
 */
import type { Func, Inst, Value } from '../func.js';
import { Effect, OPS, opcode } from '../opcodes.js';
import { TrapCode } from '../traps.js';
import { AnalysisCache, type Pass, type PassContext } from './pass.js';

const CHECK = opcode('memory.check_bounds');
const I32_CONST = opcode('i32.const');
const I32_ADD = opcode('i32.add');
const I32_SUB = opcode('i32.sub');
const WRITES = Effect.WriteMemory | Effect.WriteGlobal | Effect.WriteTable | Effect.WriteSegment | Effect.Call;
const U32 = 0xffff_ffffn;

/** Insert a check before every load and store of `f`. Returns the number inserted. */
export function insertBoundsChecks(f: Func): number {
  let n = 0;
  for (const b of f.layout) {
    const insts = f.block(b).insts;
    const out: Inst[] = [];
    for (const i of insts) {
      const d = f.inst(i);
      const info = OPS[d.op]!;
      if ((info.kind === 'load' || info.kind === 'store') && info.access) {
        const c = f.createInst(CHECK, [d.args[0]!], [d.imms[0]!, (d.imms[1] as bigint) + BigInt(info.access.bytes)]);
        f.inst(c).block = b;
        out.push(c);
        n++;
      }
      out.push(i);
    }
    f.block(b).insts = out;
  }
  return n;
}

/** The constant i32 value of `v` (unsigned), if it is one. */
function constU32(f: Func, v: Value): bigint | undefined {
  const i = f.defInst(v);
  if (i === undefined) return undefined;
  const d = f.inst(i);
  return d.op === I32_CONST ? BigInt((d.imms[0] as number) >>> 0) : undefined;
}

/** If `v` = u + c or u - c' for a constant, [u, c] with c unsigned (c' negated mod 2^32). */
function addendOf(f: Func, v: Value): [Value, bigint] | undefined {
  const i = f.defInst(v);
  if (i === undefined) return undefined;
  const d = f.inst(i);
  if (d.op === I32_ADD) {
    const r = constU32(f, d.args[1]!);
    if (r !== undefined) return [d.args[0]!, r];
    const l = constU32(f, d.args[0]!);
    if (l !== undefined) return [d.args[1]!, l];
  } else if (d.op === I32_SUB) {
    const r = constU32(f, d.args[1]!);
    if (r !== undefined) return [d.args[0]!, (U32 + 1n - r) & U32];
  }
  return undefined;
}

/** Within each block, merge a check into an earlier one on the same value (see the header). */
function widen(f: Func): Inst[] {
  const removed: Inst[] = [];
  for (const b of f.layout) {
    // Key `mem:value` → the first check on it since the last barrier.
    const open = new Map<string, Inst>();
    for (const i of f.block(b).insts) {
      const d = f.inst(i);
      if (d.op === CHECK) {
        const key = `${d.imms[0]}:${d.args[0]}`;
        const first = open.get(key);
        if (first === undefined) {
          open.set(key, i);
          continue;
        }
        const fd = f.inst(first);
        if ((d.imms[1] as bigint) > (fd.imms[1] as bigint)) fd.imms[1] = d.imms[1]!;
        removed.push(i);
        continue;
      }
      const info = OPS[d.op]!;
      if ((info.effects & WRITES) !== 0 || info.traps.some((t) => t !== TrapCode.OutOfBoundsMemoryAccess)) open.clear();
    }
  }
  return removed;
}

/** Delete checks implied by dominating ones (see the header). Returns the deleted checks. */
function dominated(f: Func, ctx: PassContext): Inst[] {
  const dom = ctx.dom(f);
  const removed: Inst[] = [];
  // Scoped facts: proven end per `mem:value`, and per memory the largest proven size.
  const proven = new Map<string, bigint>();
  const least = new Map<number, bigint>();
  const undo: (() => void)[] = [];
  const setFact = <K>(m: Map<K, bigint>, k: K, e: bigint): void => {
    const old = m.get(k);
    if (old !== undefined && old >= e) return;
    undo.push(old === undefined ? () => m.delete(k) : () => m.set(k, old));
    m.set(k, e);
  };
  const implied = (mem: number, v: Value, end: bigint): boolean => {
    const k = constU32(f, v);
    if (k !== undefined) return (least.get(mem) ?? -1n) >= k + end;
    let need = end;
    // Follow v = u + c back a few steps: check(u, need + c) implies check(v, need).
    for (let u: Value | undefined = v, steps = 0; u !== undefined && steps < 8; steps++) {
      if ((proven.get(`${mem}:${u}`) ?? -1n) >= need) return true;
      const a = addendOf(f, u);
      if (a === undefined) break;
      u = a[0];
      need += a[1];
    }
    return false;
  };

  const stack: { block: number; mark: number; entered: boolean }[] = [{ block: dom.rpo[0]!, mark: 0, entered: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.entered) {
      while (undo.length > top.mark) undo.pop()!();
      stack.pop();
      continue;
    }
    top.entered = true;
    top.mark = undo.length;
    for (const i of f.block(top.block).insts) {
      const d = f.inst(i);
      if (d.op !== CHECK) continue;
      const mem = d.imms[0] as number;
      const v = d.args[0]!;
      const end = d.imms[1] as bigint;
      if (implied(mem, v, end)) {
        removed.push(i);
        continue;
      }
      const k = constU32(f, v);
      if (k === undefined) setFact(proven, `${mem}:${v}`, end);
      setFact(least, mem, (k ?? 0n) + end);
    }
    const kids = dom.children[top.block]!;
    for (let j = kids.length - 1; j >= 0; j--) stack.push({ block: kids[j]!, mark: 0, entered: false });
  }
  return removed;
}

/** Remove redundant bounds checks. Returns whether any went. */
export function eliminateBoundsChecks(f: Func, ctx: PassContext): boolean {
  let any = false;
  for (const b of f.layout) for (const i of f.block(b).insts) if (f.inst(i).op === CHECK) any = true;
  if (!any) return false;
  const w = widen(f);
  f.removeInsts(w);
  const d = dominated(f, ctx);
  f.removeInsts(d);
  return w.length + d.length > 0;
}

/**
 * The explicit-bounds lowering of a function about to be selected: checks before every
 * access, then (when optimising) without the redundant ones.
 */
export function explicitBoundsChecks(f: Func, optimise: boolean): void {
  if (insertBoundsChecks(f) > 0 && optimise) eliminateBoundsChecks(f, new AnalysisCache());
}

export const boundsInsert: Pass = {
  name: 'bounds-insert',
  description: 'explicit bounds mode: a memory.check_bounds before every load and store',
  needs: [],
  preserves: ['dom'],
  run: (f) => insertBoundsChecks(f) > 0,
};

export const checkElim: Pass = {
  name: 'check-elim',
  description: 'delete bounds checks implied by dominating ones; widen repeated checks of one address',
  needs: ['dom'],
  preserves: ['dom'],
  run: eliminateBoundsChecks,
};
