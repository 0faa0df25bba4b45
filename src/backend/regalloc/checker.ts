/**
 * An allocation checker, independent of how the allocator works (in the spirit of
 * regalloc2's checker): it symbolically executes the allocated function over its CFG,
 * tracking which values each physical register and spill slot may hold, and asserts at
 * every original instruction that each operand's register holds the value the
 * unallocated program read there.
 *
 * State: location → set of values (virtual registers, or an allocatable physical register
 * standing for its own incoming value). At a join the sets are intersected; a clobber
 * empties a register; a def of v removes v everywhere (registers are not SSA, so older
 * copies are stale) and puts it in the def's register; moves, spills and reloads copy
 * sets. Besides the dataflow it checks shape: every original instruction is present in
 * order (an original move may be elided only if its source is in some register), operand
 * roles and classes match, fixed constraints hold, an EarlyDef shares no register with a
 * use, results of one instruction get distinct registers, and every callee-saved register
 * written is reported in usedCalleeSaved.
 *
 * What it trusts: the allocator's provenance list says which instructions it inserted
 * (the TargetISA has no way to decode a spill or reload); moves are cross-checked with
 * asMove.
 */

import { OpRole, isVirtual, type MFunc, type MoveInfo, type Reg, type RegClass, type TargetISA } from '../minst.js';
import type { AllocResult, Provenance } from './index.js';
import type { Operand } from './liveness.js';

export class CheckError extends Error {
  override name = 'CheckError';
}

interface SnapInst {
  ops: Operand[];
  move: MoveInfo | undefined;
  text: string;
}

export interface FuncSnapshot {
  name: string;
  blocks: { succs: number[]; insts: SnapInst[] }[];
  vregClass: RegClass[];
}

/** Records what the checker needs of the unallocated function (call before allocating). */
export function snapshotFunction<I>(func: MFunc<I>, isa: TargetISA<I>): FuncSnapshot {
  return {
    name: func.name,
    vregClass: func.vregClass.slice(),
    blocks: func.blocks.map((b) => ({
      succs: b.succs.slice(),
      insts: b.insts.map((inst) => {
        const ops: Operand[] = [];
        isa.mapRegs(inst, (reg, role, cls, fixed) => {
          ops.push({ reg, role, cls, fixed });
          return reg;
        });
        return { ops, move: isa.asMove(inst), text: isa.format(inst) };
      }),
    })),
  };
}

type State = Map<number, Set<Reg>>;

const SLOT_KEY = 1 << 20;
const slotKey = (slot: number): number => SLOT_KEY + slot;

function cloneState(s: State): State {
  const out: State = new Map();
  for (const [k, v] of s) out.set(k, new Set(v));
  return out;
}

/** a ∩= b per location; returns whether a changed. */
function meetInto(a: State, b: State): boolean {
  let changed = false;
  for (const [k, set] of a) {
    const other = b.get(k);
    for (const v of [...set]) {
      if (!other || !other.has(v)) {
        set.delete(v);
        changed = true;
      }
    }
    if (set.size === 0) a.delete(k);
  }
  return changed;
}

export function checkAllocation<I>(snap: FuncSnapshot, func: MFunc<I>, isa: TargetISA<I>, result: AllocResult): void {
  const regs = isa.regs;
  const allocatable = new Set<Reg>([...regs.allocatable[0], ...regs.allocatable[1]]);
  const tracked = (r: Reg): boolean => isVirtual(r) || allocatable.has(r);
  const fail = (where: string, msg: string): never => {
    throw new CheckError(`${snap.name}: ${where}: ${msg}`);
  };
  const nameOf = (r: Reg): string => (isVirtual(r) ? `v${r}` : (regs.names[r] ?? `p${r}`));
  const locName = (k: number): string => (k >= SLOT_KEY ? `slot${k - SLOT_KEY}` : nameOf(k));

  const nb = func.blocks.length;
  if (result.provenance.length === 0 && nb > 0) fail('function', 'no provenance recorded (allocate with { provenance: true })');
  if (result.provenance.length !== nb || result.origBlock.length !== nb) fail('function', 'provenance does not cover every block');

  // ── shape ──
  const readOps = (inst: I): Operand[] => {
    const ops: Operand[] = [];
    isa.mapRegs(inst, (reg, role, cls, fixed) => {
      ops.push({ reg, role, cls, fixed });
      return reg;
    });
    return ops;
  };
  /** Per final block: per provenance entry, the instruction (undefined for elided). */
  const paired: { prov: Provenance; inst: I | undefined }[][] = [];
  for (let b = 0; b < nb; b++) {
    const prov = result.provenance[b]!;
    const insts = func.blocks[b]!.insts;
    const ob = result.origBlock[b]!;
    const pairs: { prov: Provenance; inst: I | undefined }[] = [];
    let k = 0;
    let nextOrig = 0;
    for (const p of prov) {
      const where = `block ${b} entry ${pairs.length}`;
      if (p.kind === 'elided') {
        if (ob < 0) fail(where, 'elided original instruction in an inserted block');
        if (p.index !== nextOrig++) fail(where, `original instruction ${p.index} out of order`);
        if (!snap.blocks[ob]!.insts[p.index]!.move) fail(where, `elided instruction is not a move: ${snap.blocks[ob]!.insts[p.index]!.text}`);
        pairs.push({ prov: p, inst: undefined });
        continue;
      }
      const inst = insts[k++];
      if (inst === undefined) fail(where, 'provenance lists more instructions than the block has');
      pairs.push({ prov: p, inst });
      const text = isa.format(inst!);
      if (p.kind === 'orig') {
        if (ob < 0) fail(where, 'original instruction in an inserted block');
        if (p.index !== nextOrig++) fail(where, `original instruction ${p.index} out of order`);
        const s = snap.blocks[ob]!.insts[p.index]!;
        const ops = readOps(inst!);
        if (ops.length !== s.ops.length) fail(where, `${text}: operand count changed`);
        ops.forEach((o, i) => {
          const so = s.ops[i]!;
          if (o.role !== so.role || o.cls !== so.cls) fail(where, `${text}: operand ${i} changed role or class`);
          if (isVirtual(o.reg)) fail(where, `${text}: operand ${i} is still virtual`);
          if (!isVirtual(so.reg) && o.reg !== so.reg) fail(where, `${text}: physical operand ${i} changed`);
          if (isVirtual(so.reg) && (!allocatable.has(o.reg) || regs.classOf[o.reg] !== so.cls)) {
            fail(where, `${text}: operand ${i} got ${nameOf(o.reg)}, not an allocatable register of its class`);
          }
          if (so.fixed !== undefined && o.reg !== so.fixed) fail(where, `${text}: operand ${i} must be in ${nameOf(so.fixed)}`);
        });
      } else if (p.kind === 'move') {
        const m = isa.asMove(inst!);
        if (!m || m.dst !== p.dst || m.src !== p.src || m.cls !== p.cls) fail(where, `${text} is not the move the allocator reported`);
        if (p.dst === p.src) fail(where, `${text}: inserted move onto itself`);
      } else if (p.kind === 'spill' || p.kind === 'reload') {
        if (p.slot < 0 || p.slot >= func.spillSlots) fail(where, `${text}: slot ${p.slot} out of range (${func.spillSlots})`);
        if (result.slotClass[p.slot] !== p.cls) fail(where, `${text}: slot ${p.slot} belongs to another class`);
      } else if (p.kind === 'jump') {
        if (!isa.isTerminator(inst!) || isa.branchTargets(inst!).join() !== String(p.target)) fail(where, `${text}: not a jump to ${p.target}`);
      }
    }
    if (k !== insts.length) fail(`block ${b}`, 'instructions without provenance');
    if (ob >= 0 && nextOrig !== snap.blocks[ob]!.insts.length) fail(`block ${b}`, 'original instructions missing');
    paired.push(pairs);
  }
  // Successors, seen through inserted edge blocks, are the original ones.
  for (let b = 0; b < nb; b++) {
    const ob = result.origBlock[b]!;
    if (ob < 0) continue;
    const through = func.blocks[b]!.succs.map((s) => (result.origBlock[s]! < 0 ? func.blocks[s]!.succs[0]! : s));
    const expect = snap.blocks[ob]!.succs.map((s) => s);
    if (through.join() !== expect.join()) fail(`block ${b}`, `successors ${through} differ from the original ${expect}`);
  }

  // ── dataflow ──
  const transfer = (b: number, state: State, check: boolean): void => {
    const ob = result.origBlock[b]!;
    for (const { prov: p, inst } of paired[b]!) {
      const where = (): string => `block ${b}, ${inst ? isa.format(inst) : 'elided move'}`;
      switch (p.kind) {
        case 'move': {
          const src = state.get(p.src);
          if (src) state.set(p.dst, new Set(src));
          else state.delete(p.dst);
          break;
        }
        case 'spill': {
          const src = state.get(p.src);
          if (src) state.set(slotKey(p.slot), new Set(src));
          else state.delete(slotKey(p.slot));
          break;
        }
        case 'reload': {
          const src = state.get(slotKey(p.slot));
          if (src) state.set(p.dst, new Set(src));
          else state.delete(p.dst);
          break;
        }
        case 'jump':
          break;
        case 'elided': {
          const m = snap.blocks[ob]!.insts[p.index]!.move!;
          const holders = [...state].filter(([, vals]) => vals.has(m.src)).map(([k]) => k);
          if (check && !holders.some((k) => k < SLOT_KEY)) {
            fail(where(), `elided move ${nameOf(m.dst)} ← ${nameOf(m.src)}, but no register holds ${nameOf(m.src)}`);
          }
          for (const vals of state.values()) vals.delete(m.dst);
          for (const k of holders) state.get(k)!.add(m.dst);
          break;
        }
        case 'orig': {
          const s = snap.blocks[ob]!.insts[p.index]!;
          const ops = readOps(inst!);
          if (check) {
            const useRegs = new Set<Reg>();
            ops.forEach((o, i) => {
              const so = s.ops[i]!;
              if (so.role !== OpRole.Use && so.role !== OpRole.UseDef) return;
              useRegs.add(o.reg);
              if (!tracked(so.reg)) return;
              if (!state.get(o.reg)?.has(so.reg)) {
                const has = [...(state.get(o.reg) ?? [])].map(nameOf).join(',') || 'nothing known';
                const where2 = [...state].filter(([, v]) => v.has(so.reg)).map(([k]) => locName(k));
                fail(
                  where(),
                  `operand ${i} reads ${nameOf(o.reg)} expecting ${nameOf(so.reg)}, but it holds {${has}}` +
                    (where2.length ? ` (${nameOf(so.reg)} is in ${where2.join(',')})` : ''),
                );
              }
            });
            const defRegs = new Set<Reg>();
            ops.forEach((o, i) => {
              const so = s.ops[i]!;
              if (so.role === OpRole.Use) return;
              if (so.role === OpRole.EarlyDef && useRegs.has(o.reg)) fail(where(), `early def ${nameOf(o.reg)} shares a register with a use`);
              if (defRegs.has(o.reg)) fail(where(), `two results written to ${nameOf(o.reg)}`);
              defRegs.add(o.reg);
            });
          }
          for (const c of isa.clobbers(inst!)) state.delete(c);
          ops.forEach((o, i) => {
            const so = s.ops[i]!;
            if (so.role === OpRole.Use || !tracked(so.reg)) return;
            for (const [k, vals] of state) {
              vals.delete(so.reg);
              if (vals.size === 0) state.delete(k);
            }
            state.set(o.reg, new Set([so.reg]));
          });
          break;
        }
      }
    }
  };

  const entry: State = new Map();
  for (const r of allocatable) entry.set(r, new Set([r]));
  const inState: (State | undefined)[] = new Array(nb).fill(undefined);
  inState[0] = entry;
  const work = [0];
  const queued = new Set(work);
  while (work.length > 0) {
    const b = work.shift()!;
    queued.delete(b);
    const out = cloneState(inState[b]!);
    transfer(b, out, false);
    for (const s of func.blocks[b]!.succs) {
      const cur = inState[s];
      let changed: boolean;
      if (!cur) {
        inState[s] = cloneState(out);
        changed = true;
      } else changed = meetInto(cur, out);
      if (changed && !queued.has(s)) {
        work.push(s);
        queued.add(s);
      }
    }
  }
  for (let b = 0; b < nb; b++) {
    const st = inState[b];
    if (st) transfer(b, cloneState(st), true);
  }

  // Callee-saved registers the code writes must be reported so the prologue saves them.
  const reported = new Set(func.usedCalleeSaved);
  for (const b of func.blocks) {
    for (const inst of b.insts) {
      for (const o of readOps(inst)) {
        if (o.role !== OpRole.Use && regs.calleeSaved.has(o.reg) && !reported.has(o.reg)) {
          fail(`block ${func.blocks.indexOf(b)}`, `${isa.format(inst)} writes callee-saved ${nameOf(o.reg)}, not in usedCalleeSaved`);
        }
      }
    }
  }
}
