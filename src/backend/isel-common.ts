/**
 * The target-independent half of instruction selection, shared by x64/isel.ts and
 * arm64/isel.ts: building MBlocks on virtual registers, lowering block arguments to
 * parallel copies on edge blocks, reading constants and fusable compares off the IR, and
 * the table of operations that are calls into the runtime. Which instructions implement
 * an operation stays in each target's isel.
 */

import type { MBlock, MFunc, Reg, RegClass, EdgeSplittingISA } from './minst.js';
import { FPR, GPR, VREG_BASE } from './minst.js';
import type { Func, Value } from '../ir/func.js';
import type { IrModule } from '../ir/module.js';
import { opInfo, OPS } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import type { ValType } from './abi.js';
import { FUNCREF, MEMORY, SYMBOLS, VMCTX } from './vmctx.js';

export class SelectError extends Error {
  override name = 'SelectError';
}

export { TWO31, TWO32, TWO63, TWO64, truncRange } from '../ir/trunc.js';

/** The register class holding an IR value: FP/vector registers for floats and v128, GPRs otherwise. */
export function clsOf(t: Type): RegClass {
  return t === 'f32' || t === 'f64' || t === 'v128' ? FPR : GPR;
}

/** How a value is passed: references as i64 pointers. */
export function abiType(t: Type): ValType {
  return t === 'i32' || t === 'f32' || t === 'f64' || t === 'v128' || t === 'i64' ? t : 'i64';
}

/** True if the IR type is v128 (both backends reject SIMD for now). */
export function isSimdType(t: Type): boolean {
  return t === 'v128';
}

/** True if any signature, global or value of `m` has a SIMD type. */
export function moduleUsesSimd(m: IrModule): boolean {
  const has = (ts: readonly Type[]) => ts.some(isSimdType);
  if (m.types.some((t) => has(t.params) || has(t.results))) return true;
  if (m.globals.some((g) => isSimdType(g.type))) return true;
  for (const decl of m.funcs) {
    const f = decl.body;
    if (!f) continue;
    for (const v of f.values) if (v.kind !== 'none' && isSimdType(v.type)) return true;
  }
  return false;
}

/** Builds MBlocks on virtual registers; each target's isel extends it with its instructions. */
export abstract class MBuilder<I> {
  blocks: MBlock<I>[] = [];
  vregClass: RegClass[] = [];
  cur = 0;
  /** Bytes of outgoing stack arguments/results the frame must reserve. */
  outgoing = 0;

  constructor(protected readonly isa: EdgeSplittingISA<I>) {}

  newBlock(): number {
    this.blocks.push({ insts: [], succs: [], preds: [] });
    return this.blocks.length - 1;
  }

  vreg(cls: RegClass): Reg {
    this.vregClass.push(cls);
    return VREG_BASE + this.vregClass.length - 1;
  }

  emit(i: I): void {
    this.blocks[this.cur]!.insts.push(i);
  }

  gpr(): Reg {
    return this.vreg(GPR);
  }

  fpr(): Reg {
    return this.vreg(FPR);
  }

  copy(cls: RegClass, src: Reg): Reg {
    const r = this.vreg(cls);
    this.emit(this.isa.makeMove(cls, r, src));
    return r;
  }

  /**
   * Moves `src(k)` to `dst(k)` for every k as if at once: each source is copied to a fresh
   * temporary first, so a destination that is also a source is read before it is written.
   * (How block arguments reach block parameters on an edge.)
   */
  parallelMoves(classes: readonly RegClass[], src: (k: number) => Reg, dst: (k: number) => Reg): void {
    const tmps = classes.map((cls, k) => this.copy(cls, src(k)));
    classes.forEach((cls, k) => this.emit(this.isa.makeMove(cls, dst(k), tmps[k]!)));
  }

  /** A new block holding what `fill` emits and then a jump to `target`; the current block is kept. */
  edgeBlock(target: number, fill: () => void): number {
    const saved = this.cur;
    const nb = this.newBlock();
    this.cur = nb;
    fill();
    this.emit(this.isa.makeJump(target));
    this.cur = saved;
    return nb;
  }

  /** A fresh GPR loaded with the 64 bits at [base + off] (each target's load instruction). */
  abstract load64(base: Reg, off: number): Reg;

  // Walking the vmctx (layout in vmctx.ts): the same loads on every target.

  /** The memory object of memory `mem`. */
  memoryObject(vm: Reg, mem: number): Reg {
    return this.load64(this.load64(vm, VMCTX.memories), 8 * mem);
  }

  /** Memory `mem`'s current byte size (memory 0's straight from vmctx). */
  memoryBound(vm: Reg, mem: number): Reg {
    if (mem === 0) return this.load64(vm, VMCTX.mem0Bound);
    return this.load64(this.memoryObject(vm, mem), MEMORY.bound);
  }

  /** The table object of table `table`. */
  tableObject(vm: Reg, table: number): Reg {
    return this.load64(this.load64(vm, VMCTX.tables), 8 * table);
  }

  /** The address of global `g`'s cell. */
  globalCell(vm: Reg, g: number): Reg {
    return this.load64(this.load64(vm, VMCTX.globals), 8 * g);
  }

  /** Code pointer and vmctx of function `fi`'s funcref record (how imported functions are called). */
  funcEntry(vm: Reg, fi: number): { code: Reg; vmctx: Reg } {
    const funcs = this.load64(vm, VMCTX.funcs);
    const code = this.load64(funcs, fi * FUNCREF.size + FUNCREF.code);
    return { code, vmctx: this.load64(funcs, fi * FUNCREF.size + FUNCREF.vmctx) };
  }

  /** Code pointer and vmctx of the callee a funcref points at. */
  funcrefCallee(fr: Reg): { code: Reg; vmctx: Reg } {
    const code = this.load64(fr, FUNCREF.code);
    return { code, vmctx: this.load64(fr, FUNCREF.vmctx) };
  }

  /** The selected blocks as an MFunc, with succs/preds from each block's terminator. */
  finishBlocks(name: string): MFunc<I> {
    for (const b of this.blocks) {
      b.succs = [];
      b.preds = [];
    }
    this.blocks.forEach((b, i) => {
      const last = b.insts[b.insts.length - 1];
      if (!last || !this.isa.isTerminator(last)) throw new SelectError(`${name}: block ${i} has no terminator`);
      for (const t of this.isa.branchTargets(last)) {
        b.succs.push(t);
        this.blocks[t]!.preds.push(i);
      }
    });
    return { name, blocks: this.blocks, vregClass: this.vregClass, spillSlots: 0, usedCalleeSaved: [] };
  }
}

// ── reading the IR ──

export type Const = { ty: string; imm: number | bigint | string };

const NAME_PARTS = new Map<string, readonly [string, string]>();

/**
 * `name.split('.')`'s first two parts (`i32.add` → `i32`, `add`), made once per op name:
 * isel asks for them at every arithmetic instruction and compare.
 */
export function nameParts(name: string): readonly [string, string] {
  let p = NAME_PARTS.get(name);
  if (p === undefined) {
    const parts = name.split('.');
    p = [parts[0]!, parts[1]!];
    NAME_PARTS.set(name, p);
  }
  return p;
}

/** CONST_TY[op]: the op's name for the ops constantOf reads, else undefined. */
const CONST_TY: readonly (string | undefined)[] = OPS.map((info) =>
  info.name === 'i32.const' || info.name === 'i64.const' || info.name === 'f32.const' || info.name === 'f64.const' || info.name === 'ref.null' ? info.name : undefined,
);

/** The constant `v` is defined by (i32/i64/f32/f64.const, ref.null), if any: isel rematerializes these at each use. */
export function constantOf(f: Func, v: Value): Const | undefined {
  const vd = f.values[v];
  if (vd === undefined || vd.kind !== 'result') return undefined;
  const d = f.insts[vd.owner]!;
  const ty = CONST_TY[d.op];
  return ty === undefined ? undefined : { ty, imm: d.imms[0] as number | bigint | string };
}

/** True if any operand or result of IR instruction `d` is a v128 (isel then reports SIMD unsupported). */
export function touchesV128(f: Func, d: { args: readonly Value[]; results: readonly Value[] }): boolean {
  for (const v of d.args) if (f.values[v]!.type === 'v128') return true;
  for (const v of d.results) if (f.values[v]!.type === 'v128') return true;
  return false;
}

/**
 * Compares whose single use is a br_if or select in the same block, and which the target
 * can fuse (`fusable(op name)`): isel emits them at that use, not where they are defined.
 */
export function fusedCompares(f: Func, fusable: (name: string) => boolean): Set<Value> {
  const out = new Set<Value>();
  const counts = f.useCounts();
  for (const b of f.layout) {
    for (const i of f.block(b).insts) {
      const d = f.inst(i);
      const n = opInfo(d.op).name;
      if (n !== 'br_if' && n !== 'select') continue;
      const c = d.args[n === 'br_if' ? 0 : 2]!;
      if (counts[c] !== 1) continue;
      const di = f.defInst(c);
      if (di === undefined || f.inst(di).block !== b) continue;
      if (fusable(opInfo(f.inst(di).op).name)) out.add(c);
    }
  }
  return out;
}

/**
 * Values whose single use is an instruction of the same block that the target folds
 * them into (`accept(def, user)`, instruction indices): isel emits nothing at the
 * definition and reads the defining operation's operands at the use instead (a shift
 * folded into an address computation, a load folded into an arithmetic operand).
 * Each user folds at most one operand (the first one accepted).
 */
export function foldedDefs(f: Func, accept: (def: number, user: number) => boolean): Set<Value> {
  const out = new Set<Value>();
  const counts = f.useCounts();
  for (const b of f.layout) {
    for (const i of f.block(b).insts) {
      for (const v of f.inst(i).args) {
        if (counts[v] !== 1) continue;
        const di = f.defInst(v);
        if (di === undefined || f.inst(di).block !== b) continue;
        if (accept(di, i)) {
          out.add(v);
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Where each value is last used inside one block (`enter` it first): lets isel tell a
 * two-address `mov + add` whose source dies there (the allocator coalesces the copy) from
 * one whose source lives on, where a three-operand form (x86 lea) saves the copy.
 */
export class BlockUses {
  /** Block entered; its positions are computed at the first question about it. */
  private block = -1;
  private scanned = -1;
  /** Per value: position of its last use in block `stampOf[v]`; per inst: its position in block `stampOfInst[i]`. */
  private readonly lastPos: Int32Array;
  private readonly stampOf: Int32Array;
  private readonly pos: Int32Array;
  private readonly stampOfInst: Int32Array;

  constructor(private readonly f: Func) {
    this.lastPos = new Int32Array(f.values.length);
    this.stampOf = new Int32Array(f.values.length).fill(-1);
    this.pos = new Int32Array(f.insts.length);
    this.stampOfInst = new Int32Array(f.insts.length).fill(-1);
  }

  enter(b: number): void {
    this.block = b;
  }

  private scan(): void {
    const b = this.block;
    this.scanned = b;
    const f = this.f;
    const insts = f.block(b).insts;
    for (let k = 0; k < insts.length; k++) {
      const i = insts[k]!;
      this.pos[i] = k;
      this.stampOfInst[i] = b;
      const d = f.insts[i]!;
      for (const v of d.args) {
        this.lastPos[v] = k;
        this.stampOf[v] = b;
      }
      for (const t of d.targets) {
        for (const v of t.args) {
          this.lastPos[v] = k;
          this.stampOf[v] = b;
        }
      }
    }
  }

  /** True if `v` is used by an instruction after `inst` in the entered block. */
  usedAfter(v: Value, inst: number): boolean {
    if (this.scanned !== this.block) this.scan();
    const b = this.block;
    return this.stampOfInst[inst] === b && this.stampOf[v] === b && this.lastPos[v]! > this.pos[inst]!;
  }
}

/**
 * True if nothing between instructions `from` and `to` of one block (exclusive) writes
 * anything or may trap other than as an out-of-bounds memory read: a load at `from` may
 * then execute at `to` instead with the same observable behaviour.
 */
export function loadMayMoveTo(f: Func, from: number, to: number): boolean {
  const insts = f.block(f.inst(from).block).insts;
  let k = insts.indexOf(from);
  if (k < 0) return false;
  for (k++; k < insts.length && insts[k] !== to; k++) {
    const info = opInfo(f.inst(insts[k]!).op);
    if (info.kind === 'load') continue;
    if (info.effects !== 0 || info.traps.length !== 0) return false;
  }
  return k < insts.length;
}

/** True if `f` loads from or stores to memory 0 (then isel loads its base once at entry). */
export function usesMemory0(f: Func): boolean {
  for (const i of f.allInsts()) {
    const d = f.inst(i);
    const info = opInfo(d.op);
    if ((info.kind === 'load' || info.kind === 'store') && d.imms[0] === 0) return true;
  }
  return false;
}

// ── operations that are runtime calls ──

/**
 * One argument of a runtime helper after vmctx: an immediate, passed as an i32, or a
 * value passed as an i64 (an i32 value is already zero-extended in its register, a
 * reference is a pointer).
 */
export type HelperArg = { k: 'imm'; n: number } | { k: 'value'; v: Value };

/**
 * The runtime call an IR operation lowers to (`kiln_rt.h`: every helper takes vmctx first,
 * then these), or undefined if `name` is not one.
 */
export function runtimeHelper(name: string, imms: readonly unknown[], args: readonly Value[]): { symbol: string; args: HelperArg[]; results: Type[] } | undefined {
  const imm = (k: number): HelperArg => ({ k: 'imm', n: imms[k] as number });
  const i32 = (k: number): HelperArg => ({ k: 'value', v: args[k]! });
  const ref = i32;
  switch (name) {
    case 'memory.grow':
      return { symbol: SYMBOLS.memoryGrow, args: [imm(0), i32(0)], results: ['i32'] };
    case 'memory.fill':
      return { symbol: SYMBOLS.memoryFill, args: [imm(0), i32(0), i32(1), i32(2)], results: [] };
    case 'memory.copy':
      return { symbol: SYMBOLS.memoryCopy, args: [imm(0), imm(1), i32(0), i32(1), i32(2)], results: [] };
    case 'memory.init':
      return { symbol: SYMBOLS.memoryInit, args: [imm(1), imm(0), i32(0), i32(1), i32(2)], results: [] };
    case 'data.drop':
      return { symbol: SYMBOLS.dataDrop, args: [imm(0)], results: [] };
    case 'table.get':
      return { symbol: SYMBOLS.tableGet, args: [imm(0), i32(0)], results: ['i64'] };
    case 'table.set':
      return { symbol: SYMBOLS.tableSet, args: [imm(0), i32(0), ref(1)], results: [] };
    case 'table.grow':
      return { symbol: SYMBOLS.tableGrow, args: [imm(0), ref(0), i32(1)], results: ['i32'] };
    case 'table.fill':
      return { symbol: SYMBOLS.tableFill, args: [imm(0), i32(0), ref(1), i32(2)], results: [] };
    case 'table.copy':
      return { symbol: SYMBOLS.tableCopy, args: [imm(0), imm(1), i32(0), i32(1), i32(2)], results: [] };
    case 'table.init':
      return { symbol: SYMBOLS.tableInit, args: [imm(1), imm(0), i32(0), i32(1), i32(2)], results: [] };
    case 'elem.drop':
      return { symbol: SYMBOLS.elemDrop, args: [imm(0)], results: [] };
  }
  return undefined;
}

/** IS_RUNTIME_HELPER[op] is 1 for the ops `runtimeHelper` lowers (a fast test per instruction). */
export const IS_RUNTIME_HELPER: Uint8Array = Uint8Array.from(OPS, (info) => (runtimeHelper(info.name, [], []) ? 1 : 0));
