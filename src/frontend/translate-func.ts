/**
 * One function body: the validator's instruction stream → an SSA ir.Func.
 *
 * The translation is an abstract interpretation of the Wasm operand stack whose
 * entries are SSA values, together with the current SSA value of every local (no
 * memory slots). Wasm control flow is structured, so SSA construction needs no
 * dominance frontiers:
 *
 * - `block`/`if` labels are *merge blocks*, created when first targeted. A branch to
 *   one passes the label's values; the locals it may also need are only those
 *   assigned somewhere inside the construct (found by a pre-scan, `prescan`), and
 *   even those become merge parameters only if the incoming edges disagree. Edges
 *   are recorded while the construct is open and get their local arguments appended
 *   at its `end`, when the disagreeing set is known.
 * - `loop` labels are *header blocks*, created on entry with a parameter for each
 *   loop parameter and each local assigned inside the loop; every back edge passes
 *   the current values. (Passes drop the parameters that turn out invariant.)
 * - The function body's label returns.
 * - A `block` that nothing branches to adds no IR block at all; `br_if` continues in
 *   a fresh block; `if` branches to a then-block and an else-block (or straight to
 *   the merge block when there is no `else`).
 * - Code no edge reaches (after br/br_table/return/unreachable, or after a construct
 *   whose end nothing reaches) is skipped; only its nesting is tracked.
 *
 * Blocks are laid out in Wasm order and renumbered at the end to match the layout;
 * values come out numbered in definition order.
 */
import { blockTypeOf, type ValidatedFunc } from './validate.js';
import { Kind, OPS as WASM_OPS } from './opcodes.js';
import type { WasmModule } from './module.js';
import { convertImms, irType, PLAIN } from './translate-ops.js';
import { Func, type Block, type BlockCall, type Inst, type Value } from '../ir/func.js';
import { constOpFor, opcode, type Opcode } from '../ir/opcodes.js';
import { TrapCode } from '../ir/traps.js';
import type { FuncType, Imm, RefType, Type } from '../ir/types.js';

/** What the body translator needs from the module (built once per module, see translate.ts). */
export interface ModuleInfo {
  m: WasmModule;
  /** IR signature of each type-section entry. */
  types: readonly FuncType[];
  /** Type index of each function (index space, imports first). */
  funcTypes: readonly number[];
  globals: readonly Type[];
  tables: readonly RefType[];
  /** Name of each function (name section, else `f<index>`). */
  funcNames: readonly string[];
}

const KIND = Uint8Array.from(WASM_OPS, (o) => o.kind);

const OP = {
  br: opcode('br'),
  br_if: opcode('br_if'),
  br_table: opcode('br_table'),
  ret: opcode('return'),
  trap: opcode('trap'),
  call: opcode('call'),
  call_ref: opcode('call_ref'),
  check_call: opcode('table.check_call'),
  select: opcode('select'),
  global_get: opcode('global.get'),
  global_set: opcode('global.set'),
  table_get: opcode('table.get'),
  table_set: opcode('table.set'),
  table_init: opcode('table.init'),
  table_copy: opcode('table.copy'),
  table_grow: opcode('table.grow'),
  table_size: opcode('table.size'),
  table_fill: opcode('table.fill'),
  ref_null: opcode('ref.null'),
  ref_is_null: opcode('ref.is_null'),
  ref_func: opcode('ref.func'),
} as const;

const I32_RESULT: readonly Type[] = ['i32'];
const FUNCREF_RESULT: readonly Type[] = ['funcref'];
const NONE: readonly Type[] = [];

// Frame kinds.
const F_FUNC = 0;
const F_BLOCK = 1;
const F_LOOP = 2;
const F_IF = 3;
const F_ELSE = 4;

/** A branch into a merge block whose local arguments are appended at the construct's end. */
interface Edge {
  inst: Inst;
  /** Index in the instruction's targets. */
  k: number;
  /** Values of the frame's `assigned` locals when the branch was taken. */
  vals: Value[];
}

interface Frame {
  kind: number;
  /** Entered in reachable code (a dead frame is only tracked for its nesting). */
  live: boolean;
  /** Operand stack height below the construct's parameters. */
  height: number;
  results: readonly Type[];
  /** Number of values a branch to this label carries. */
  arity: number;
  /** Locals assigned inside the construct, ascending. */
  assigned: readonly number[];
  /** Merge block (block/if/function), -1 until something branches to it. */
  merge: Block;
  edges: Edge[];
  /** Loop header. */
  header: Block;
  /** If: the else arm's block, or -1 when there is no else (the false edge goes to merge). */
  elseBlock: Block;
  /** If: its parameter values and the values of `assigned` at entry, for the else arm. */
  paramVals: Value[];
  entryLocals: Value[];
}

const DEAD: Frame = {
  kind: F_BLOCK, live: false, height: 0, results: NONE, arity: 0, assigned: [],
  merge: -1, edges: [], header: -1, elseBlock: -1, paramVals: [], entryLocals: [],
};

const EMPTY_NUMS: readonly number[] = [];

interface Prescan {
  /** For block/loop/if instructions: locals assigned inside (ascending), when any. */
  assigned: Map<number, readonly number[]>;
  /** For if instructions: 1 when it has an else arm. */
  hasElse: Uint8Array;
}

/**
 * One pass over the stream: which locals each construct assigns (among those the
 * function reads at all), and which ifs have an else.
 */
function prescan(vf: ValidatedFunc): Prescan {
  const { ops, imms, immStart, count } = vf;
  const read = new Uint8Array(vf.locals.length);
  for (let i = 0; i < count; i++) if (KIND[ops[i]!] === Kind.LocalGet) read[imms[immStart[i]!]! >>> 0] = 1;

  const assigned = new Map<number, readonly number[]>();
  const hasElse = new Uint8Array(count);
  // Open constructs (the function body at the bottom, start -1) and what each assigns.
  // A local is added to the innermost construct and to enclosing ones up to the first
  // that has it already (which implies all further out do), so the work is the size
  // of the result.
  const starts: number[] = [-1];
  const sets: Set<number>[] = [new Set()];
  for (let i = 0; i < count; i++) {
    switch (KIND[ops[i]!]) {
      case Kind.Block:
      case Kind.Loop:
      case Kind.If:
        starts.push(i);
        sets.push(new Set());
        break;
      case Kind.Else:
        hasElse[starts[starts.length - 1]!] = 1;
        break;
      case Kind.End: {
        const s = sets.pop()!;
        const start = starts.pop()!;
        if (s.size > 0 && start >= 0) assigned.set(start, [...s].sort((a, b) => a - b));
        break;
      }
      case Kind.LocalSet:
      case Kind.LocalTee: {
        const l = imms[immStart[i]!]! >>> 0;
        if (!read[l]) break; // a local nothing reads never needs to reach a merge or a loop header
        for (let k = sets.length - 1; k >= 0 && !sets[k]!.has(l); k--) sets[k]!.add(l);
        break;
      }
    }
  }
  return { assigned, hasElse };
}

class BodyTranslator {
  private readonly f: Func;
  private readonly stack: Value[] = [];
  private readonly locals: Value[];
  private readonly localTypes: Type[];
  private readonly frames: Frame[] = [];
  private readonly order: Block[] = [];
  private cur: Block;
  private reachable = true;
  private readonly pre: Prescan;

  constructor(
    private readonly info: ModuleInfo,
    private readonly vf: ValidatedFunc,
    name: string,
  ) {
    const sig = info.types[vf.typeIndex]!;
    this.f = new Func(name, sig);
    this.cur = this.f.createBlock(sig.params);
    this.order.push(this.cur);
    this.pre = prescan(vf);
    this.localTypes = Array.from(vf.locals, irType);
    this.locals = [...this.f.block(this.cur).params];
    // Declared locals start at zero: one constant per type, in the entry block.
    const zeros = new Map<Type, Value>();
    for (let l = vf.numParams; l < this.localTypes.length; l++) {
      const t = this.localTypes[l]!;
      let z = zeros.get(t);
      if (z === undefined) {
        z = this.zero(t);
        zeros.set(t, z);
      }
      this.locals.push(z);
    }
  }

  private zero(t: Type): Value {
    const c = constOpFor(t);
    if (c !== undefined) {
      const imm: Imm = t === 'i32' || t === 'f32' ? 0 : t === 'v128' ? new Uint8Array(16) : 0n;
      return this.emit1(c, [], [imm], [t]);
    }
    return this.emit1(OP.ref_null, [], [t], [t]);
  }

  // --- emission -------------------------------------------------------------------

  /**
   * Append an instruction to the current block. Every array handed over (operands,
   * immediates, targets and their arguments) must be fresh: the Func takes them as they are.
   */
  private emit(op: Opcode, args: Value[], imms: Imm[], results: readonly Type[], targets: BlockCall[] = []): Inst {
    const f = this.f;
    return f.appendInst(this.cur, f.createOwned(op, args, imms, results, targets));
  }

  private emit1(op: Opcode, args: Value[], imms: Imm[], results: readonly Type[]): Value {
    return this.f.insts[this.emit(op, args, imms, results)]!.results[0]!;
  }

  private pushResults(i: Inst): void {
    for (const r of this.f.insts[i]!.results) this.stack.push(r);
  }

  private pop(): Value {
    return this.stack.pop()!;
  }

  private popN(n: number): Value[] {
    const s = this.stack;
    const out = s.slice(s.length - n);
    s.length -= n;
    return out;
  }

  private peekN(n: number): Value[] {
    return this.stack.slice(this.stack.length - n);
  }

  private start(b: Block): void {
    this.cur = b;
    this.order.push(b);
    this.reachable = true;
  }

  private setUnreachable(): void {
    this.reachable = false;
    this.stack.length = this.frames[this.frames.length - 1]!.height;
  }

  private frame(depth: number): Frame {
    return this.frames[this.frames.length - 1 - (depth >>> 0)]!;
  }

  private blockType(word: number): FuncType {
    if (word >= 0) return this.info.types[word]!;
    const bt = blockTypeOf(this.info.m, word)!;
    return { params: NONE, results: bt.results.map(irType) };
  }

  // --- branches ---------------------------------------------------------------------

  /** The edge to label `F` carrying `args` (loop headers also get the carried locals). */
  private callTo(F: Frame, args: Value[]): BlockCall {
    if (F.kind === F_LOOP) {
      const a = args.slice();
      for (const l of F.assigned) a.push(this.locals[l]!);
      return { block: F.header, args: a };
    }
    if (F.merge < 0) F.merge = this.f.createBlock();
    return { block: F.merge, args };
  }

  /** Record the merge-block edges of a just-emitted branch (frames[k] is target k's label). */
  private noteEdges(inst: Inst, labels: readonly Frame[]): void {
    for (let k = 0; k < labels.length; k++) {
      const F = labels[k]!;
      if (F.kind === F_LOOP) continue;
      F.edges.push({ inst, k, vals: F.assigned.map((l) => this.locals[l]!) });
    }
  }

  private branch(op: Opcode, args: Value[], labels: readonly Frame[], values: Value[], extra?: BlockCall): Inst {
    // Each edge gets its own argument array (enterMerge appends to them).
    const targets: BlockCall[] = [];
    for (let k = 0; k < labels.length; k++) targets.push(this.callTo(labels[k]!, k === 0 ? values : values.slice()));
    if (extra) targets.push(extra);
    const i = this.emit(op, args, [], NONE, targets);
    this.noteEdges(i, labels);
    return i;
  }

  /** Make the merge block of F current: parameters for its results and for the locals the edges disagree on. */
  private enterMerge(F: Frame): void {
    const f = this.f;
    const mb = F.merge;
    const edges = F.edges;
    this.stack.length = F.height;
    for (const t of F.results) this.stack.push(f.addBlockParam(mb, t));
    F.assigned.forEach((l, j) => {
      const v0 = edges[0]!.vals[j]!;
      if (edges.every((e) => e.vals[j] === v0)) {
        this.locals[l] = v0;
        return;
      }
      const p = f.addBlockParam(mb, this.localTypes[l]!);
      for (const e of edges) f.insts[e.inst]!.targets[e.k]!.args.push(e.vals[j]!);
      this.locals[l] = p;
    });
    this.start(mb);
  }

  // --- structure ----------------------------------------------------------------------

  private newFrame(kind: number, height: number, results: readonly Type[], arity: number, assigned: readonly number[]): Frame {
    return { kind, live: true, height, results, arity, assigned, merge: -1, edges: [], header: -1, elseBlock: -1, paramVals: [], entryLocals: [] };
  }

  private doElse(F: Frame): void {
    if (this.reachable) this.branch(OP.br, [], [F], this.popN(F.arity));
    this.start(F.elseBlock);
    this.stack.length = F.height;
    this.stack.push(...F.paramVals);
    F.assigned.forEach((l, j) => (this.locals[l] = F.entryLocals[j]!));
    F.kind = F_ELSE;
  }

  /** `end` of a live construct. Returns false once the function is complete. */
  private doEnd(F: Frame): void {
    if (F.kind === F_LOOP) {
      this.frames.pop();
      return;
    }
    if (this.reachable) {
      if (F.kind === F_FUNC) {
        this.emit(OP.ret, this.popN(F.arity), [], NONE);
      } else if (F.kind === F_BLOCK && F.edges.length === 0) {
        // Nothing branches here: carry on in the current block.
        this.frames.pop();
        return;
      } else {
        this.branch(OP.br, [], [F], this.popN(F.arity));
      }
    }
    this.frames.pop();
    if (F.edges.length === 0) {
      this.reachable = false;
      this.stack.length = F.height;
      return;
    }
    this.enterMerge(F);
    if (F.kind === F_FUNC) {
      this.emit(OP.ret, this.popN(F.arity), [], NONE);
      this.reachable = false;
    }
  }

  // --- the instruction loop ---------------------------------------------------------------

  run(): Func {
    const vf = this.vf;
    const info = this.info;
    const f = this.f;
    const { ops, imms, immStart } = vf;
    const frames = this.frames;
    const stack = this.stack;
    const locals = this.locals;
    frames.push(this.newFrame(F_FUNC, 0, f.results, f.results.length, EMPTY_NUMS));

    for (let i = 0; i < vf.count; i++) {
      const id = ops[i]!;
      const kind = KIND[id]!;
      const at = immStart[i]!;

      if (!this.reachable) {
        switch (kind) {
          case Kind.Block:
          case Kind.Loop:
          case Kind.If:
            frames.push(DEAD);
            break;
          case Kind.Else: {
            const F = frames[frames.length - 1]!;
            if (F.live) this.doElse(F);
            break;
          }
          case Kind.End: {
            const F = frames[frames.length - 1]!;
            if (F.live) this.doEnd(F);
            else frames.pop();
            break;
          }
        }
        continue;
      }

      switch (kind) {
        case Kind.Plain: {
          const row = PLAIN[id]!;
          if (row.op < 0) break;
          const args = this.popN(row.nargs);
          for (const c of row.checks) this.emit(c.op, c.divisorOnly ? [args[args.length - 1]!] : args.slice(), [], NONE);
          const ir = this.emit(row.op, args, convertImms(row.imm, imms, at), row.results);
          this.pushResults(ir);
          break;
        }
        case Kind.Unreachable:
          this.emit(OP.trap, [], [TrapCode.Unreachable], NONE);
          this.setUnreachable();
          break;
        case Kind.Block: {
          const bt = this.blockType(imms[at]!);
          const n = bt.params.length;
          frames.push(this.newFrame(F_BLOCK, stack.length - n, bt.results, bt.results.length, this.pre.assigned.get(i) ?? EMPTY_NUMS));
          break;
        }
        case Kind.Loop: {
          const bt = this.blockType(imms[at]!);
          const n = bt.params.length;
          const assigned = this.pre.assigned.get(i) ?? EMPTY_NUMS;
          const F = this.newFrame(F_LOOP, stack.length - n, bt.results, n, assigned);
          F.header = f.createBlock([...bt.params, ...assigned.map((l) => this.localTypes[l]!)]);
          this.emit(OP.br, [], [], NONE, [this.callTo(F, this.popN(n))]);
          this.start(F.header);
          const ps = f.block(F.header).params;
          for (let k = 0; k < n; k++) stack.push(ps[k]!);
          assigned.forEach((l, j) => (locals[l] = ps[n + j]!));
          frames.push(F);
          break;
        }
        case Kind.If: {
          const bt = this.blockType(imms[at]!);
          const cond = this.pop();
          const n = bt.params.length;
          const F = this.newFrame(F_IF, stack.length - n, bt.results, bt.results.length, this.pre.assigned.get(i) ?? EMPTY_NUMS);
          F.paramVals = this.peekN(n);
          F.entryLocals = F.assigned.map((l) => locals[l]!);
          const thenBlock = f.createBlock();
          if (this.pre.hasElse[i]) {
            F.elseBlock = f.createBlock();
            this.emit(OP.br_if, [cond], [], NONE, [
              { block: thenBlock, args: [] },
              { block: F.elseBlock, args: [] },
            ]);
          } else {
            // No else: the false edge carries the params (= results) to the merge block.
            F.merge = f.createBlock();
            const i2 = this.emit(OP.br_if, [cond], [], NONE, [
              { block: thenBlock, args: [] },
              { block: F.merge, args: F.paramVals.slice() },
            ]);
            F.edges.push({ inst: i2, k: 1, vals: F.entryLocals.slice() });
          }
          frames.push(F);
          this.start(thenBlock);
          break;
        }
        case Kind.Else:
          this.doElse(frames[frames.length - 1]!);
          break;
        case Kind.End:
          this.doEnd(frames[frames.length - 1]!);
          break;
        case Kind.Br: {
          const F = this.frame(imms[at]!);
          if (F.kind === F_FUNC) this.emit(OP.ret, this.popN(F.arity), [], NONE);
          else this.branch(OP.br, [], [F], this.popN(F.arity));
          this.setUnreachable();
          break;
        }
        case Kind.BrIf: {
          const F = this.frame(imms[at]!);
          const cond = this.pop();
          const cont = f.createBlock();
          this.branch(OP.br_if, [cond], [F], this.peekN(F.arity), { block: cont, args: [] });
          this.start(cont);
          break;
        }
        case Kind.BrTable: {
          const n = imms[at]!;
          const index = this.pop();
          const labels: Frame[] = [];
          for (let k = 1; k <= n + 1; k++) labels.push(this.frame(imms[at + k]!));
          this.branch(OP.br_table, [index], labels, this.peekN(labels[n]!.arity));
          this.setUnreachable();
          break;
        }
        case Kind.Return:
          this.emit(OP.ret, this.popN(f.results.length), [], NONE);
          this.setUnreachable();
          break;
        case Kind.Call: {
          const fi = imms[at]! >>> 0;
          const ft = info.types[info.funcTypes[fi]!]!;
          this.pushResults(this.emit(OP.call, this.popN(ft.params.length), [fi], ft.results));
          break;
        }
        case Kind.CallIndirect: {
          const ti = imms[at]! >>> 0;
          const table = imms[at + 1]! >>> 0;
          const ft = info.types[ti]!;
          const index = this.pop();
          const args = this.popN(ft.params.length);
          const callee = this.emit1(OP.check_call, [index], [table, ti], FUNCREF_RESULT);
          this.pushResults(this.emit(OP.call_ref, [callee, ...args], [ti], ft.results));
          break;
        }
        case Kind.Drop:
          stack.pop();
          break;
        case Kind.Select:
        case Kind.SelectT: {
          // The validator inferred the selected type (UNKNOWN only in code skipped here).
          const args = this.popN(3);
          const t = vf.types[i] ? irType(vf.types[i]!) : f.valueType(args[0]!);
          stack.push(this.emit1(OP.select, args, [], [t]));
          break;
        }
        case Kind.LocalGet:
          stack.push(locals[imms[at]! >>> 0]!);
          break;
        case Kind.LocalSet:
          locals[imms[at]! >>> 0] = this.pop();
          break;
        case Kind.LocalTee:
          locals[imms[at]! >>> 0] = stack[stack.length - 1]!;
          break;
        case Kind.GlobalGet: {
          const g = imms[at]! >>> 0;
          stack.push(this.emit1(OP.global_get, [], [g], [info.globals[g]!]));
          break;
        }
        case Kind.GlobalSet:
          this.emit(OP.global_set, [this.pop()], [imms[at]! >>> 0], NONE);
          break;
        case Kind.TableGet: {
          const t = imms[at]! >>> 0;
          stack.push(this.emit1(OP.table_get, [this.pop()], [t], [info.tables[t]!]));
          break;
        }
        case Kind.TableSet:
          this.emit(OP.table_set, this.popN(2), [imms[at]! >>> 0], NONE);
          break;
        case Kind.TableInit:
          this.emit(OP.table_init, this.popN(3), [imms[at]! >>> 0, imms[at + 1]! >>> 0], NONE);
          break;
        case Kind.TableCopy:
          this.emit(OP.table_copy, this.popN(3), [imms[at]! >>> 0, imms[at + 1]! >>> 0], NONE);
          break;
        case Kind.TableGrow:
          stack.push(this.emit1(OP.table_grow, this.popN(2), [imms[at]! >>> 0], I32_RESULT));
          break;
        case Kind.TableSize:
          stack.push(this.emit1(OP.table_size, [], [imms[at]! >>> 0], I32_RESULT));
          break;
        case Kind.TableFill:
          this.emit(OP.table_fill, this.popN(3), [imms[at]! >>> 0], NONE);
          break;
        case Kind.RefNull: {
          const t = irType(imms[at]!);
          stack.push(this.emit1(OP.ref_null, [], [t], [t]));
          break;
        }
        case Kind.RefIsNull:
          stack.push(this.emit1(OP.ref_is_null, [this.pop()], [], I32_RESULT));
          break;
        case Kind.RefFunc:
          stack.push(this.emit1(OP.ref_func, [], [imms[at]! >>> 0], FUNCREF_RESULT));
          break;
        default:
          throw new Error(`translate: unhandled instruction ${WASM_OPS[id]!.name}`);
      }
    }
    if (frames.length !== 0) throw new Error('translate: unbalanced control structure');
    renumberBlocks(f, this.order);
    return f;
  }
}

/**
 * Number blocks in layout order (`order` lists every block created, each once). Values
 * need no renumbering: they are created in layout order already (code is only ever
 * appended to the block started last, and a block's params are made when it starts).
 */
function renumberBlocks(f: Func, order: readonly Block[]): void {
  const n = f.blocks.length;
  if (order.length !== n) throw new Error('translate: a block was created but never started');
  const perm = new Int32Array(n);
  order.forEach((b, k) => (perm[b] = k));
  const old = f.blocks.slice();
  for (let k = 0; k < n; k++) {
    const bd = old[order[k]!]!;
    f.blocks[k] = bd;
    for (const p of bd.params) f.values[p]!.owner = k;
    for (const i of bd.insts) {
      const d = f.insts[i]!;
      d.block = k;
      for (const c of d.targets) c.block = perm[c.block]!;
    }
  }
  f.layout = Array.from({ length: n }, (_, k) => k);
}

/** Translate one validated function body. */
export function translateBody(info: ModuleInfo, vf: ValidatedFunc): Func {
  return new BodyTranslator(info, vf, info.funcNames[vf.funcIndex]!).run();
}
