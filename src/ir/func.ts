/**
 * An IR function: SSA values, blocks with parameters, and instructions, each a dense
 * integer index into one array of small records. Nothing points at anything else
 * except by index, so passes are array walks and printing is deterministic.
 *
 *   Func
 *   ├─ values[v]  : { type, kind: 'param' | 'result' | 'none', owner, index }
 *   ├─ blocks[b]  : { params: Value[], insts: Inst[], live }
 *   ├─ insts[i]   : { op, args, imms, results, targets, block }
 *   └─ layout     : live blocks in order; layout[0] is the entry block, whose
 *                   params are the function's params.
 *
 * Control flow: every live block ends with exactly one terminator (br, br_if,
 * br_table, return, trap) and has no other. A branch passes arguments to the target
 * block's parameters (no phi nodes): `targets` holds one BlockCall per successor edge.
 *   br        targets = [dest]
 *   br_if     args = [cond]; targets = [ifNonZero, ifZero]
 *   br_table  args = [index]; targets = [entry0, …, entryN-1, default]
 *   return    args = returned values; targets = []
 * The entry block has no predecessors.
 *
 * Removing things: a removed instruction keeps its slot with `block = -1`; a removed
 * block is taken out of `layout` and marked dead; values whose definition went away get
 * kind 'none'. Indices are never reused, so names in printed IR stay stable across
 * passes (`compact()` renumbers when wanted).
 */
import type { FuncType, Imm, Type } from './types.js';
import { IS_TERMINATOR, type Opcode } from './opcodes.js';

export type Value = number;
export type Block = number;
export type Inst = number;

export interface BlockCall {
  block: Block;
  args: Value[];
}

export interface InstData {
  op: Opcode;
  /** Operands (for terminators: cond/index/returned values; never branch arguments). */
  args: Value[];
  /** Immediates, laid out as OPS[op].imms says. */
  imms: Imm[];
  results: Value[];
  /** Successor edges with their block arguments (terminators only, else empty). */
  targets: BlockCall[];
  /** Owning block, or -1 when detached/removed. */
  block: Block;
}

export interface BlockData {
  params: Value[];
  insts: Inst[];
  /** False once removed from the layout. */
  live: boolean;
}

export type ValueKind = 'param' | 'result' | 'none';

export interface ValueData {
  type: Type;
  kind: ValueKind;
  /** Block (for params) or instruction (for results); -1 for 'none'. */
  owner: number;
  /** Position among the owner's params/results. */
  index: number;
}

export class Func {
  name: string;
  params: Type[];
  results: Type[];
  readonly values: ValueData[] = [];
  readonly blocks: BlockData[] = [];
  readonly insts: InstData[] = [];
  /** Live blocks in layout (print) order; layout[0] is the entry. */
  layout: Block[] = [];

  constructor(name: string, sig: FuncType) {
    this.name = name;
    this.params = [...sig.params];
    this.results = [...sig.results];
  }

  get sig(): FuncType {
    return { params: this.params, results: this.results };
  }

  get entry(): Block {
    const b = this.layout[0];
    if (b === undefined) throw new Error(`function ${this.name} has no blocks`);
    return b;
  }

  // --- values ---------------------------------------------------------------

  /** Low level: a value with no definition yet (the parser fills gaps with these). */
  newValue(type: Type, kind: ValueKind = 'none', owner = -1, index = 0): Value {
    this.values.push({ type, kind, owner, index });
    return this.values.length - 1;
  }

  valueType(v: Value): Type {
    const d = this.values[v];
    if (d === undefined) throw new Error(`bad value v${v}`);
    return d.type;
  }

  /** The instruction defining `v`, or undefined for block params and dead values. */
  defInst(v: Value): Inst | undefined {
    const d = this.values[v];
    return d !== undefined && d.kind === 'result' ? d.owner : undefined;
  }

  /** The block where `v` is defined (param owner or the defining instruction's block), or -1. */
  defBlock(v: Value): Block {
    const d = this.values[v];
    if (d === undefined) return -1;
    if (d.kind === 'param') return d.owner;
    if (d.kind === 'result') return this.insts[d.owner]!.block;
    return -1;
  }

  // --- blocks ---------------------------------------------------------------

  /** A new block at the end of the layout. The first block created is the entry. */
  createBlock(paramTypes: readonly Type[] = []): Block {
    const b = this.blocks.length;
    this.blocks.push({ params: [], insts: [], live: true });
    this.layout.push(b);
    for (const t of paramTypes) this.addBlockParam(b, t);
    return b;
  }

  addBlockParam(b: Block, type: Type): Value {
    const bd = this.block(b);
    const v = this.newValue(type, 'param', b, bd.params.length);
    bd.params.push(v);
    return v;
  }

  /**
   * Remove parameter `index` of `b` and the matching argument of every branch into `b`.
   * The parameter's value becomes dead; it must have no remaining uses.
   */
  removeBlockParam(b: Block, index: number): void {
    this.removeBlockParams(new Map([[b, [index]]]));
  }

  /**
   * Remove several parameters of several blocks, with their branch arguments, in one
   * pass over the function. `dead` maps a block to the indices of params to remove.
   */
  removeBlockParams(dead: ReadonlyMap<Block, readonly number[]>): void {
    if (dead.size === 0) return;
    const drop = new Map<Block, Set<number>>();
    for (const [b, indices] of dead) {
      const bd = this.block(b);
      const set = new Set(indices);
      drop.set(b, set);
      bd.params.forEach((p, k) => set.has(k) && this.killValue(p));
      bd.params = bd.params.filter((_, k) => !set.has(k));
      bd.params.forEach((p, k) => (this.values[p]!.index = k));
    }
    for (const pb of this.layout) {
      const t = this.terminator(pb);
      if (t === undefined) continue;
      for (const call of this.insts[t]!.targets) {
        const set = drop.get(call.block);
        if (set) call.args = call.args.filter((_, k) => !set.has(k));
      }
    }
  }

  block(b: Block): BlockData {
    const bd = this.blocks[b];
    if (bd === undefined) throw new Error(`bad block block${b}`);
    return bd;
  }

  isLive(b: Block): boolean {
    return this.blocks[b]?.live === true;
  }

  /** Take `b` out of the layout and drop its instructions and params. */
  removeBlock(b: Block): void {
    this.removeBlocks([b]);
  }

  /** removeBlock for many blocks, in one pass over the layout. */
  removeBlocks(blocks: Iterable<Block>): void {
    const gone = new Set<Block>();
    for (const b of blocks) {
      const bd = this.block(b);
      if (!bd.live) continue;
      for (const i of bd.insts) this.retire(i);
      for (const p of bd.params) this.killValue(p);
      bd.insts = [];
      bd.params = [];
      bd.live = false;
      gone.add(b);
    }
    if (gone.size > 0) this.layout = this.layout.filter((x) => !gone.has(x));
  }

  /** The block's terminator (its last instruction if that is one). */
  terminator(b: Block): Inst | undefined {
    const insts = this.block(b).insts;
    const last = insts[insts.length - 1];
    return last !== undefined && IS_TERMINATOR[this.insts[last]!.op] === 1 ? last : undefined;
  }

  /** Successor blocks in edge order (duplicates kept: br_if to one block twice gives two edges). */
  successors(b: Block): Block[] {
    const t = this.terminator(b);
    return t === undefined ? [] : this.insts[t]!.targets.map((c) => c.block);
  }

  // --- instructions -----------------------------------------------------------

  /**
   * Create a detached instruction with fresh result values of `resultTypes`. Attach it
   * with `appendInst`/`insertInst`. (The builder infers result types from the op table.)
   */
  createInst(op: Opcode, args: readonly Value[], imms: readonly Imm[] = [], resultTypes: readonly Type[] = [], targets: readonly BlockCall[] = []): Inst {
    const copies: BlockCall[] = [];
    for (let k = 0; k < targets.length; k++) copies.push({ block: targets[k]!.block, args: targets[k]!.args.slice() });
    return this.createOwned(op, args.slice(), imms.slice(), resultTypes, copies);
  }

  /**
   * Low level, for builders that make every array afresh (the translator, the inliner):
   * `createInst` taking ownership of `args`, `imms`, `targets` and each target's `args`
   * instead of copying them. The caller must not keep, share or reuse any of them.
   */
  createOwned(op: Opcode, args: Value[], imms: Imm[], resultTypes: readonly Type[], targets: BlockCall[]): Inst {
    const i = this.insts.length;
    const results: Value[] = [];
    for (let k = 0; k < resultTypes.length; k++) results.push(this.newValue(resultTypes[k]!, 'result', i, k));
    this.insts.push({ op, args, imms, results, targets, block: -1 });
    return i;
  }

  appendInst(b: Block, i: Inst): Inst {
    this.block(b).insts.push(i);
    this.inst(i).block = b;
    return i;
  }

  /** Insert `i` at position `pos` of block `b`'s instruction list. */
  insertInst(b: Block, pos: number, i: Inst): Inst {
    this.block(b).insts.splice(pos, 0, i);
    this.inst(i).block = b;
    return i;
  }

  /** Insert `i` immediately before `before` (in the same block). */
  insertBefore(before: Inst, i: Inst): Inst {
    const b = this.inst(before).block;
    return this.insertInst(b, this.block(b).insts.indexOf(before), i);
  }

  /** create + append in one step. */
  addInst(b: Block, op: Opcode, args: readonly Value[], imms: readonly Imm[] = [], resultTypes: readonly Type[] = [], targets: readonly BlockCall[] = []): Inst {
    return this.appendInst(b, this.createInst(op, args, imms, resultTypes, targets));
  }

  inst(i: Inst): InstData {
    const d = this.insts[i];
    if (d === undefined) throw new Error(`bad instruction ${i}`);
    return d;
  }

  /** The single result of `i` (throws if it has none). */
  result(i: Inst): Value {
    const v = this.inst(i).results[0];
    if (v === undefined) throw new Error(`instruction ${i} has no result`);
    return v;
  }

  /** Detach `i` from its block. Its results become dead; they must have no remaining uses. */
  removeInst(i: Inst): void {
    const d = this.inst(i);
    if (d.block >= 0) {
      const list = this.block(d.block).insts;
      const pos = list.lastIndexOf(i);
      if (pos >= 0) list.splice(pos, 1);
    }
    this.retire(i);
  }

  /** removeInst for many instructions, with one pass over each affected block. */
  removeInsts(insts: Iterable<Inst>): void {
    const touched = new Set<Block>();
    for (const i of insts) {
      const b = this.inst(i).block;
      if (b >= 0) touched.add(b);
      this.retire(i);
    }
    for (const b of touched) {
      const bd = this.block(b);
      bd.insts = bd.insts.filter((i) => this.insts[i]!.block === b);
    }
  }

  /** Mark `i` removed and its results dead (the caller fixes the block's list). */
  private retire(i: Inst): void {
    const d = this.inst(i);
    d.block = -1;
    for (const r of d.results) this.killValue(r);
  }

  /** Detach `i` from its block without killing its results (to move it elsewhere). */
  detachInst(i: Inst): void {
    const d = this.inst(i);
    if (d.block < 0) return;
    const list = this.block(d.block).insts;
    list.splice(list.lastIndexOf(i), 1);
    d.block = -1;
  }

  /**
   * Turn `i` into a different op in place, keeping its result values (and so all uses).
   * Used by folding (`i32.add c1 c2` → `i32.const c`). Result count must not change.
   */
  rewriteInst(i: Inst, op: Opcode, args: readonly Value[], imms: readonly Imm[] = [], targets: readonly BlockCall[] = []): void {
    const d = this.inst(i);
    d.op = op;
    d.args = [...args];
    d.imms = [...imms];
    d.targets = targets.map((c) => ({ block: c.block, args: [...c.args] }));
  }

  private killValue(v: Value): void {
    const d = this.values[v]!;
    d.kind = 'none';
    d.owner = -1;
  }

  // --- uses -------------------------------------------------------------------

  /** Every value `i` reads: operands, then branch arguments in target order. */
  uses(i: Inst): Value[] {
    const d = this.inst(i);
    if (d.targets.length === 0) return d.args;
    const out = [...d.args];
    for (const c of d.targets) out.push(...c.args);
    return out;
  }

  /** Rewrite every operand and branch argument of `i` through `f`. */
  mapUses(i: Inst, f: (v: Value) => Value): void {
    const d = this.inst(i);
    for (let k = 0; k < d.args.length; k++) d.args[k] = f(d.args[k]!);
    for (const c of d.targets) for (let k = 0; k < c.args.length; k++) c.args[k] = f(c.args[k]!);
  }

  /**
   * Rewrite every operand and branch argument of `i` through a substitution table
   * indexed by value (-1: unchanged; chains a→b→c are followed). Values beyond the
   * table's end are unchanged.
   */
  substituteUses(i: Inst, subst: Int32Array): void {
    const d = this.insts[i]!;
    const args = d.args;
    for (let k = 0; k < args.length; k++) {
      let v = args[k]!;
      for (let r = subst[v]; r !== undefined && r >= 0; r = subst[v]) v = r;
      args[k] = v;
    }
    const targets = d.targets;
    for (let t = 0; t < targets.length; t++) {
      const a = targets[t]!.args;
      for (let k = 0; k < a.length; k++) {
        let v = a[k]!;
        for (let r = subst[v]; r !== undefined && r >= 0; r = subst[v]) v = r;
        a[k] = v;
      }
    }
  }

  /** Apply a substitution to every use in every live block (chains a→b→c are followed). */
  replaceUses(subst: ReadonlyMap<Value, Value>): void {
    if (subst.size === 0) return;
    const limit = subst.size;
    const resolve = (v: Value): Value => {
      let r = v;
      for (let n = 0; n <= limit; n++) {
        const x = subst.get(r);
        if (x === undefined) break;
        r = x;
      }
      return r;
    };
    for (const b of this.layout) for (const i of this.block(b).insts) this.mapUses(i, resolve);
  }

  /** Number of uses of every value across live blocks, indexed by value. */
  useCounts(): Int32Array {
    const counts = new Int32Array(this.values.length);
    for (const b of this.layout) {
      for (const i of this.block(b).insts) {
        const d = this.insts[i]!;
        for (const v of d.args) counts[v]!++;
        for (const c of d.targets) for (const v of c.args) counts[v]!++;
      }
    }
    return counts;
  }

  /** Live instructions in layout order. */
  *allInsts(): Generator<Inst> {
    for (const b of this.layout) yield* this.block(b).insts;
  }

  /** A deep copy (same indices). */
  clone(): Func {
    const f = new Func(this.name, this.sig);
    for (const v of this.values) f.values.push({ ...v });
    for (const b of this.blocks) f.blocks.push({ params: [...b.params], insts: [...b.insts], live: b.live });
    for (const d of this.insts) {
      f.insts.push({ op: d.op, args: [...d.args], imms: d.imms.map((x) => (x instanceof Uint8Array ? x.slice() : x)), results: [...d.results], targets: d.targets.map((c) => ({ block: c.block, args: [...c.args] })), block: d.block });
    }
    f.layout = [...this.layout];
    return f;
  }
}

/**
 * Renumber blocks, values and instructions densely in layout order (block0 is the
 * entry, values numbered by first definition). Returns a new function; the input is
 * untouched. Handy before printing final output or comparing shapes.
 */
export function compact(f: Func): Func {
  const out = new Func(f.name, f.sig);
  const blockMap = new Map<Block, Block>();
  const valueMap = new Map<Value, Value>();
  for (const b of f.layout) blockMap.set(b, out.createBlock());
  const mapV = (v: Value): Value => {
    let m = valueMap.get(v);
    if (m === undefined) {
      // A use of a value not yet defined in layout order (layout need not be RPO):
      // reserve a slot, filled in when its definition is reached.
      m = out.newValue(f.valueType(v));
      valueMap.set(v, m);
    }
    return m;
  };
  const define = (v: Value, kind: ValueKind, owner: number, index: number): Value => {
    const m = mapV(v);
    const d = out.values[m]!;
    d.kind = kind;
    d.owner = owner;
    d.index = index;
    return m;
  };
  for (const b of f.layout) {
    const nb = blockMap.get(b)!;
    const bd = out.block(nb);
    f.block(b).params.forEach((p, k) => bd.params.push(define(p, 'param', nb, k)));
    for (const i of f.block(b).insts) {
      const d = f.inst(i);
      const ni = out.insts.length;
      out.insts.push({
        op: d.op,
        args: d.args.map(mapV),
        imms: d.imms.map((x) => (x instanceof Uint8Array ? x.slice() : x)),
        results: d.results.map((r, k) => define(r, 'result', ni, k)),
        targets: d.targets.map((c) => ({ block: blockMap.get(c.block) ?? c.block, args: c.args.map(mapV) })),
        block: nb,
      });
      bd.insts.push(ni);
    }
  }
  return out;
}
