/**
 * Validator (spec §3) — module-level rules plus the operand-stack algorithm of the
 * spec's validation appendix, one function at a time, in linear time.
 *
 * ## ValidatedFunc: the instruction stream the Wasm→IR translator consumes
 *
 * One entry per instruction, in body order, the final `end` included; entry i is
 * spread over parallel typed arrays (`count` entries each):
 *
 *   ops[i]       opcode id: index into OPS (opcodes.ts) — name, immediates, signature.
 *   offsets[i]   byte offset of the instruction in the module (for messages, traps).
 *   immStart[i]  where the instruction's immediates start in `imms`; they run up to
 *                immStart[i+1] (immStart has count+1 entries).
 *   imms         int32 words; the layout per immediate kind is documented on `Imm`
 *                in opcodes.ts. Indices/offsets are u32 stored as int32 (read them
 *                with `>>> 0`). Block types: >= 0 type index, BT_EMPTY (-1) for none,
 *                or -valtype for a single result (see blockTypeOf()). i64/f64 are
 *                [lo, hi]; v128/shuffle are four little-endian words.
 *   types[i]     operand type the validator inferred where the opcode does not imply
 *                it: `drop` (the dropped type), untyped and typed `select` (the
 *                selected type), `ref.is_null` (the reference type). 0 (UNKNOWN)
 *                elsewhere, and also when the operand came from the polymorphic stack
 *                of unreachable code.
 *   flags[i]     FLAG_UNREACHABLE: the instruction follows an unconditional branch
 *                (unreachable/br/br_table/return) within its innermost block, so no
 *                control flow reaches it by falling through. For `else`/`end` this says
 *                only that the *fallthrough* into them is dead — code after an `end`
 *                may still be reached by a branch to the block.
 *                FLAG_DEAD_BLOCK: the innermost enclosing block was itself entered in
 *                unreachable code; everything up to and including its `end` is dead.
 *
 * Besides the stream: the function's type, `locals` (types of params then declared
 * locals, as ValType bytes), `numParams`, and the maximum operand-stack height and
 * control depth seen (the translator can pre-size its stacks).
 */
import * as decode from './decode.js';
import { WasmFailure, type Result } from './errors.js';
import * as mod from './module.js';
import type { ConstExpr, FuncType, Limits, ValType, WasmModule } from './module.js';
import * as opcodes from './opcodes.js';
import { Reader } from './reader.js';

// Hot-path bindings copied into module scope. Module runners that rewrite imports
// into namespace getters (vitest's) would otherwise pay a getter call for every
// `Kind.X` case label and every readInstr call — a 6x slowdown measured.
const { catchFailure, decodeModule, InstrBuf, readInstr } = decode;
const { FUNCREF, I32, isNumType, isRefType, UNKNOWN, V128, valTypeName } = mod;
const { BT_EMPTY, OPS } = opcodes;
const Imm = opcodes.Imm;
type Imm = opcodes.Imm;
const Kind = opcodes.Kind;
type Kind = opcodes.Kind;

export const FLAG_UNREACHABLE = 1;
export const FLAG_DEAD_BLOCK = 2;

export interface ValidatedFunc {
  /** Index in the function index space (imports first). */
  funcIndex: number;
  typeIndex: number;
  type: FuncType;
  numParams: number;
  /** Params then declared locals. */
  locals: Uint8Array;
  count: number;
  ops: Uint16Array;
  offsets: Uint32Array;
  immStart: Uint32Array;
  imms: Int32Array;
  types: Uint8Array;
  flags: Uint8Array;
  maxStackHeight: number;
  maxControlDepth: number;
}

/** The immediate words of instruction i (a view, no copy). */
export function instrImms(f: ValidatedFunc, i: number): Int32Array {
  return f.imms.subarray(f.immStart[i]!, f.immStart[i + 1]!);
}

export interface ValidatedModule {
  module: WasmModule;
  /** C.refs: 1 for every function index that ref.func may name. */
  declaredRefs: Uint8Array;
}

const MAX_PAGES = 65536;
const EMPTY: readonly ValType[] = [];
const SINGLE: Record<number, readonly ValType[]> = {};
for (const t of [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]) SINGLE[t] = [t];

const KIND_OF = Uint8Array.from(OPS, (o) => o.kind);
const IMM_OF = Uint8Array.from(OPS, (o) => o.imm);
const PARAMS = OPS.map((o) => o.params);
const RESULTS = OPS.map((o) => o.results);

function fail(offset: number, message: string): never {
  throw new WasmFailure('invalid', offset, message);
}

/** Params and results of a block type word (see Imm.BlockType); undefined for an unknown type index. */
export function blockTypeOf(m: WasmModule, word: number): FuncType | undefined {
  if (word === BT_EMPTY) return { params: EMPTY, results: EMPTY };
  if (word < 0) return { params: EMPTY, results: SINGLE[-word]! };
  return m.types[word];
}

// ---------------------------------------------------------------------------
// Module context (shared by validateModule and validateFunction)
// ---------------------------------------------------------------------------

interface ModuleCtx {
  m: WasmModule;
  declaredRefs: Uint8Array;
  numFuncs: number;
  numDatas: number;
  /** Reused across validateFunction calls on this module (its scratch buffers are the point). */
  validator: FuncValidator | null;
}

const ctxCache = new WeakMap<WasmModule, ModuleCtx>();

function moduleCtx(m: WasmModule): ModuleCtx {
  let c = ctxCache.get(m);
  if (c) return c;
  const numFuncs = m.funcTypes.length;
  const declaredRefs = new Uint8Array(numFuncs);
  const note = (f: number) => {
    if (f < numFuncs) declaredRefs[f] = 1;
  };
  const scan = (e: ConstExpr | null) => {
    if (e) for (const i of e.instrs) if (i.op === 'ref.func') note(i.func);
  };
  for (const g of m.globals) scan(g.init);
  for (const s of m.elems) {
    scan(s.offsetExpr);
    if (s.funcs) for (const f of s.funcs) note(f);
    if (s.exprs) for (const e of s.exprs) scan(e);
  }
  for (const d of m.datas) scan(d.offsetExpr);
  for (const e of m.exports) if (e.kind === 'func') note(e.index);
  c = { m, declaredRefs, numFuncs, numDatas: m.datacount ?? m.datas.length, validator: null };
  ctxCache.set(m, c);
  return c;
}

// ---------------------------------------------------------------------------
// Module-level rules
// ---------------------------------------------------------------------------

function checkLimits(l: Limits, range: number, rangeMsg: string | null, at: number): void {
  if (rangeMsg !== null) {
    if (l.min > range) fail(at, rangeMsg);
    if (l.max !== null && l.max > range) fail(at, rangeMsg);
  }
  if (l.max !== null && l.min > l.max) fail(at, 'size minimum must not be greater than maximum');
}

const MEM_RANGE_MSG = `memory size must be at most ${MAX_PAGES} pages (4GiB)`;

/**
 * A constant expression (2.0 rules): only t.const, ref.null, ref.func and global.get
 * of an imported immutable global, leaving exactly one value of type `expected`.
 */
function checkConst(c: ModuleCtx, e: ConstExpr, expected: ValType): void {
  const m = c.m;
  const stack: ValType[] = [];
  for (const i of e.instrs) {
    switch (i.op) {
      case 'i32.const':
        stack.push(0x7f);
        break;
      case 'i64.const':
        stack.push(0x7e);
        break;
      case 'f32.const':
        stack.push(0x7d);
        break;
      case 'f64.const':
        stack.push(0x7c);
        break;
      case 'v128.const':
        stack.push(V128);
        break;
      case 'ref.null':
        stack.push(i.type);
        break;
      case 'ref.func':
        if (i.func >= c.numFuncs) fail(i.offset, `unknown function ${i.func}`);
        stack.push(FUNCREF);
        break;
      case 'global.get': {
        // Only imported globals are in scope for constant expressions in 2.0.
        if (i.global >= m.numImportedGlobals) fail(i.offset, `unknown global ${i.global}`);
        const g = m.globalSpace[i.global]!;
        if (g.mutable) fail(i.offset, 'constant expression required');
        stack.push(g.type);
        break;
      }
      case 'other':
        fail(i.offset, 'constant expression required');
    }
  }
  if (stack.length !== 1 || stack[0] !== expected) {
    fail(e.end - 1, `type mismatch: constant expression of type [${stack.map(valTypeName).join(' ')}], expected ${valTypeName(expected)}`);
  }
}

function validateModuleRules(c: ModuleCtx): void {
  const m = c.m;
  const numTypes = m.types.length;
  for (const imp of m.imports) {
    const d = imp.desc;
    if (d.kind === 'func' && d.type >= numTypes) fail(imp.offset, `unknown type ${d.type}`);
    if (d.kind === 'table') checkLimits(d.table.limits, 2 ** 32 - 1, null, imp.offset);
    if (d.kind === 'memory') checkLimits(d.memory.limits, MAX_PAGES, MEM_RANGE_MSG, imp.offset);
  }
  const funcSection = m.sections.find((s) => s.id === 3);
  for (const f of m.funcs) if (f.type >= numTypes) fail(funcSection?.start ?? f.bodyStart, `unknown type ${f.type}`);
  const tableSection = m.sections.find((s) => s.id === 4);
  for (const t of m.tables) checkLimits(t.limits, 2 ** 32 - 1, null, tableSection?.start ?? 0);
  const memSection = m.sections.find((s) => s.id === 5);
  for (const mt of m.memories) checkLimits(mt.limits, MAX_PAGES, MEM_RANGE_MSG, memSection?.start ?? 0);
  if (m.memorySpace.length > 1) fail(memSection?.start ?? 0, 'multiple memories');

  for (const g of m.globals) checkConst(c, g.init, g.type.type);

  for (const s of m.elems) {
    if (s.mode === 'active') {
      const t = m.tableSpace[s.table];
      if (!t) fail(s.offset, `unknown table ${s.table}`);
      checkConst(c, s.offsetExpr!, I32);
      if (t.elem !== s.type) fail(s.offset, 'type mismatch: element segment type does not match the table');
    }
    if (s.funcs) for (const f of s.funcs) if (f >= c.numFuncs) fail(s.offset, `unknown function ${f}`);
    if (s.exprs) for (const e of s.exprs) checkConst(c, e, s.type);
  }
  for (const d of m.datas) {
    if (d.mode === 'active') {
      if (d.memory >= m.memorySpace.length) fail(d.offset, `unknown memory ${d.memory}`);
      checkConst(c, d.offsetExpr!, I32);
    }
  }
  if (m.start !== null) {
    if (m.start >= c.numFuncs) fail(m.startOffset, `unknown function ${m.start}`);
    const t = m.types[m.funcTypes[m.start]!];
    if (t && (t.params.length || t.results.length)) fail(m.startOffset, 'start function must not have parameters or results');
  }
  const names = new Set<string>();
  for (const e of m.exports) {
    const space =
      e.kind === 'func' ? c.numFuncs : e.kind === 'table' ? m.tableSpace.length : e.kind === 'memory' ? m.memorySpace.length : m.globalSpace.length;
    if (e.index >= space) fail(e.offset, `unknown ${e.kind === 'func' ? 'function' : e.kind} ${e.index}`);
    if (names.has(e.name)) fail(e.offset, 'duplicate export name');
    names.add(e.name);
  }
}

// ---------------------------------------------------------------------------
// Function bodies
// ---------------------------------------------------------------------------

class FuncValidator {
  // Operand stack of ValType bytes (UNKNOWN = polymorphic).
  private vals = new Uint8Array(256);
  private sp = 0;
  // Control stack, structure of arrays.
  private ctlKind = new Uint8Array(64);
  private ctlHeight = new Uint32Array(64);
  private ctlUnreach = new Uint8Array(64);
  private ctlDead = new Uint8Array(64);
  private ctlParams: (readonly ValType[])[] = [];
  private ctlResults: (readonly ValType[])[] = [];
  private depth = 0;
  private maxSp = 0;
  private maxDepth = 0;
  private readonly ib = new InstrBuf();
  private scratch: ValType[] = [];
  /** Offset of the instruction being validated (for messages). */
  private at = 0;

  // Recording buffers (only when record = true).
  private rOps = new Uint16Array(0);
  private rOffsets = new Uint32Array(0);
  private rImmStart = new Uint32Array(0);
  private rImms = new Int32Array(0);
  private rTypes = new Uint8Array(0);
  private rFlags = new Uint8Array(0);

  constructor(private readonly c: ModuleCtx) {}

  private mismatch(expected: ValType, actual: ValType | null): never {
    fail(this.at, `type mismatch: expected ${valTypeName(expected)}, found ${actual === null ? 'nothing' : valTypeName(actual)}`);
  }

  private push(t: ValType): void {
    if (this.sp === this.vals.length) {
      const v = new Uint8Array(this.vals.length * 2);
      v.set(this.vals);
      this.vals = v;
    }
    this.vals[this.sp++] = t;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  private popAny(): ValType {
    const f = this.depth - 1;
    if (this.sp === this.ctlHeight[f]) {
      if (this.ctlUnreach[f]) return UNKNOWN;
      fail(this.at, 'type mismatch: operand stack is empty');
    }
    return this.vals[--this.sp]!;
  }

  private pop(expected: ValType): ValType {
    const f = this.depth - 1;
    if (this.sp === this.ctlHeight[f]) {
      if (this.ctlUnreach[f]) return UNKNOWN;
      this.mismatch(expected, null);
    }
    const actual = this.vals[--this.sp]!;
    if (actual !== expected && actual !== UNKNOWN) this.mismatch(expected, actual);
    return actual;
  }

  private popVals(ts: readonly ValType[]): void {
    for (let k = ts.length - 1; k >= 0; k--) this.pop(ts[k]!);
  }

  private pushVals(ts: readonly ValType[]): void {
    for (let k = 0; k < ts.length; k++) this.push(ts[k]!);
  }

  private pushCtrl(kind: Kind, params: readonly ValType[], results: readonly ValType[]): void {
    const d = this.depth;
    if (d === this.ctlKind.length) {
      const n = d * 2;
      const k = new Uint8Array(n);
      k.set(this.ctlKind);
      this.ctlKind = k;
      const h = new Uint32Array(n);
      h.set(this.ctlHeight);
      this.ctlHeight = h;
      const u = new Uint8Array(n);
      u.set(this.ctlUnreach);
      this.ctlUnreach = u;
      const dd = new Uint8Array(n);
      dd.set(this.ctlDead);
      this.ctlDead = dd;
    }
    this.ctlKind[d] = kind;
    this.ctlHeight[d] = this.sp;
    this.ctlUnreach[d] = 0;
    this.ctlDead[d] = d > 0 ? this.ctlUnreach[d - 1]! | this.ctlDead[d - 1]! : 0;
    this.ctlParams[d] = params;
    this.ctlResults[d] = results;
    this.depth = d + 1;
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    this.pushVals(params);
  }

  /** Pops the innermost frame after checking its results; returns its index (still readable). */
  private popCtrl(): number {
    const f = this.depth - 1;
    this.popVals(this.ctlResults[f]!);
    if (this.sp !== this.ctlHeight[f]) fail(this.at, `type mismatch: ${this.sp - this.ctlHeight[f]!} values left on the stack at end of block`);
    this.depth = f;
    return f;
  }

  private setUnreachable(): void {
    const f = this.depth - 1;
    this.sp = this.ctlHeight[f]!;
    this.ctlUnreach[f] = 1;
  }

  private labelTypes(f: number): readonly ValType[] {
    return this.ctlKind[f] === Kind.Loop ? this.ctlParams[f]! : this.ctlResults[f]!;
  }

  private label(depthImm: number): number {
    const l = depthImm >>> 0;
    if (l >= this.depth) fail(this.at, `unknown label ${l}`);
    return this.depth - 1 - l;
  }

  private blockType(word: number): FuncType {
    const t = blockTypeOf(this.c.m, word);
    if (!t) fail(this.at, `unknown type ${word >>> 0}`);
    return t;
  }

  private table(idx: number): ValType {
    const t = this.c.m.tableSpace[idx >>> 0];
    if (!t) fail(this.at, `unknown table ${idx >>> 0}`);
    return t.elem;
  }

  private memory(idx: number): void {
    if (idx >>> 0 >= this.c.m.memorySpace.length) fail(this.at, `unknown memory ${idx >>> 0}`);
  }

  /** Scratch recording buffers above this many entries are dropped after use, not kept for reuse. */
  /**
   * Recording buffers start small and double; a stream longer than this is handed out
   * as views of the buffers (no copy) and the buffers are not kept for reuse.
   */
  private static readonly KEEP_LIMIT = 1 << 20;

  private growRecord(minCount: number): void {
    const n = Math.max(minCount, this.rOps.length * 2, 1024);
    const grow = <A extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: A, make: (n: number) => A, len: number): A => {
      const b = make(len);
      b.set(a);
      return b;
    };
    this.rOps = grow(this.rOps, (k) => new Uint16Array(k), n);
    this.rOffsets = grow(this.rOffsets, (k) => new Uint32Array(k), n);
    this.rImmStart = grow(this.rImmStart, (k) => new Uint32Array(k), n + 1);
    this.rTypes = grow(this.rTypes, (k) => new Uint8Array(k), n);
    this.rFlags = grow(this.rFlags, (k) => new Uint8Array(k), n);
  }

  private dropRecordBuffers(): void {
    this.rOps = new Uint16Array(0);
    this.rOffsets = new Uint32Array(0);
    this.rImmStart = new Uint32Array(0);
    this.rImms = new Int32Array(0);
    this.rTypes = new Uint8Array(0);
    this.rFlags = new Uint8Array(0);
  }

  run(funcIndex: number, record: boolean): ValidatedFunc | null {
    const c = this.c;
    const m = c.m;
    const defIndex = funcIndex - m.numImportedFuncs;
    const func = m.funcs[defIndex];
    if (defIndex < 0 || !func) fail(0, `unknown function ${funcIndex}: not a defined function`);
    const typeIndex = func.type;
    const type = m.types[typeIndex];
    if (!type) fail(func.bodyStart, `unknown type ${typeIndex}`);

    const numLocals = type.params.length + func.numLocals;
    const locals = new Uint8Array(numLocals);
    locals.set(type.params);
    let li = type.params.length;
    for (const g of func.locals) {
      locals.fill(g.type, li, li + g.count);
      li += g.count;
    }

    this.sp = 0;
    this.depth = 0;
    this.maxSp = 0;
    this.maxDepth = 0;
    this.pushCtrl(Kind.Block, EMPTY, type.results);
    // pushCtrl pushed no params for the function frame (params are locals).

    const bodyLen = func.bodyEnd - func.codeStart;
    // An instruction takes at least one byte: bodyLen bounds the count, but most bodies
    // average 2-3 bytes per instruction, so start at a fraction and grow.
    if (this.rOps.length > FuncValidator.KEEP_LIMIT) this.dropRecordBuffers(); // left by a failed run
    if (record && this.rOps.length === 0) this.growRecord(Math.min(bodyLen, 1 << 12));
    let count = 0;
    let nImms = 0;

    const r = new Reader(m.bytes, func.codeStart, func.bodyEnd);
    const ib = this.ib;

    while (this.depth > 0) {
      if (r.eof()) fail(r.pos, 'unexpected end of function');
      const id = readInstr(r, ib);
      const at = ib.offset;
      this.at = at;
      const top = this.depth - 1;
      const flags = (this.ctlUnreach[top]! ? FLAG_UNREACHABLE : 0) | (this.ctlDead[top]! ? FLAG_DEAD_BLOCK : 0);
      let inferred: ValType = UNKNOWN;
      const w = ib.imm;

      switch (KIND_OF[id] as Kind) {
        case Kind.Plain: {
          this.checkPlainImmediates(IMM_OF[id] as Imm, id, w);
          const ps = PARAMS[id]!;
          for (let k = ps.length - 1; k >= 0; k--) this.pop(ps[k]!);
          const rs = RESULTS[id]!;
          for (let k = 0; k < rs.length; k++) this.push(rs[k]!);
          break;
        }
        case Kind.Unreachable:
          this.setUnreachable();
          break;
        case Kind.Block:
        case Kind.Loop: {
          const bt = this.blockType(w[0]!);
          this.popVals(bt.params);
          this.pushCtrl(KIND_OF[id] as Kind, bt.params, bt.results);
          break;
        }
        case Kind.If: {
          const bt = this.blockType(w[0]!);
          this.pop(I32);
          this.popVals(bt.params);
          this.pushCtrl(Kind.If, bt.params, bt.results);
          break;
        }
        case Kind.Else: {
          if (this.ctlKind[top] !== Kind.If) fail(at, 'else without matching if');
          const f = this.popCtrl();
          this.pushCtrl(Kind.Else, this.ctlParams[f]!, this.ctlResults[f]!);
          // The else arm is dead only if the `if` itself was.
          break;
        }
        case Kind.End: {
          const f = this.popCtrl();
          const params = this.ctlParams[f]!;
          const results = this.ctlResults[f]!;
          if (this.ctlKind[f] === Kind.If && !sameTypes(params, results)) {
            fail(at, 'type mismatch: if without else must leave its parameters unchanged');
          }
          if (this.depth > 0) this.pushVals(results);
          break;
        }
        case Kind.Br: {
          const f = this.label(w[0]!);
          this.popVals(this.labelTypes(f));
          this.setUnreachable();
          break;
        }
        case Kind.BrIf: {
          const f = this.label(w[0]!);
          this.pop(I32);
          const lt = this.labelTypes(f);
          this.popVals(lt);
          this.pushVals(lt);
          break;
        }
        case Kind.BrTable: {
          const n = w[0]!;
          this.pop(I32);
          const def = this.label(w[n + 1]!);
          const arity = this.labelTypes(def).length;
          for (let k = 1; k <= n; k++) {
            const f = this.label(w[k]!);
            const lt = this.labelTypes(f);
            if (lt.length !== arity) fail(at, 'type mismatch: br_table targets have different arities');
            // push_vals(pop_vals(lt)): check the operands without consuming them.
            const s = this.scratch;
            s.length = 0;
            for (let j = lt.length - 1; j >= 0; j--) s.push(this.pop(lt[j]!));
            for (let j = s.length - 1; j >= 0; j--) this.push(s[j]!);
          }
          this.popVals(this.labelTypes(def));
          this.setUnreachable();
          break;
        }
        case Kind.Return:
          this.popVals(this.ctlResults[0]!);
          this.setUnreachable();
          break;
        case Kind.Call: {
          const fi = w[0]! >>> 0;
          if (fi >= c.numFuncs) fail(at, `unknown function ${fi}`);
          const ft = m.types[m.funcTypes[fi]!];
          if (!ft) fail(at, `unknown type ${m.funcTypes[fi]}`);
          this.popVals(ft.params);
          this.pushVals(ft.results);
          break;
        }
        case Kind.CallIndirect: {
          const elem = this.table(w[1]!);
          const ti = w[0]! >>> 0;
          const ft = m.types[ti];
          if (!ft) fail(at, `unknown type ${ti}`);
          if (elem !== FUNCREF) fail(at, 'type mismatch: call_indirect needs a funcref table');
          this.pop(I32);
          this.popVals(ft.params);
          this.pushVals(ft.results);
          break;
        }
        case Kind.Drop:
          inferred = this.popAny();
          break;
        case Kind.Select: {
          this.pop(I32);
          const t1 = this.popAny();
          const t2 = this.popAny();
          const ok1 = t1 === UNKNOWN || isNumType(t1) || t1 === V128;
          const ok2 = t2 === UNKNOWN || isNumType(t2) || t2 === V128;
          if (!ok1 || !ok2) fail(at, 'type mismatch: select without a type needs numeric or vector operands');
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.mismatch(t1, t2);
          inferred = t1 === UNKNOWN ? t2 : t1;
          this.push(inferred);
          break;
        }
        case Kind.SelectT: {
          if (w[0] !== 1) fail(at, 'invalid result arity');
          const t = w[1]!;
          this.pop(I32);
          this.pop(t);
          this.pop(t);
          this.push(t);
          inferred = t;
          break;
        }
        case Kind.LocalGet:
        case Kind.LocalSet:
        case Kind.LocalTee: {
          const li2 = w[0]! >>> 0;
          if (li2 >= numLocals) fail(at, `unknown local ${li2}`);
          const t = locals[li2]!;
          const k = KIND_OF[id] as Kind;
          if (k === Kind.LocalGet) this.push(t);
          else {
            this.pop(t);
            if (k === Kind.LocalTee) this.push(t);
          }
          break;
        }
        case Kind.GlobalGet:
        case Kind.GlobalSet: {
          const gi = w[0]! >>> 0;
          const g = m.globalSpace[gi];
          if (!g) fail(at, `unknown global ${gi}`);
          if ((KIND_OF[id] as Kind) === Kind.GlobalGet) this.push(g.type);
          else {
            if (!g.mutable) fail(at, 'global is immutable');
            this.pop(g.type);
          }
          break;
        }
        case Kind.TableGet: {
          const t = this.table(w[0]!);
          this.pop(I32);
          this.push(t);
          break;
        }
        case Kind.TableSet: {
          const t = this.table(w[0]!);
          this.pop(t);
          this.pop(I32);
          break;
        }
        case Kind.TableInit: {
          const ei = w[0]! >>> 0;
          const t = this.table(w[1]!);
          const seg = m.elems[ei];
          if (!seg) fail(at, `unknown elem segment ${ei}`);
          if (seg.type !== t) fail(at, 'type mismatch: element segment type does not match the table');
          this.popVals(PARAMS[id]!);
          break;
        }
        case Kind.TableCopy: {
          const dst = this.table(w[0]!);
          const src = this.table(w[1]!);
          if (dst !== src) fail(at, 'type mismatch: table.copy between tables of different types');
          this.popVals(PARAMS[id]!);
          break;
        }
        case Kind.TableGrow: {
          const t = this.table(w[0]!);
          this.pop(I32);
          this.pop(t);
          this.push(I32);
          break;
        }
        case Kind.TableSize:
          this.table(w[0]!);
          this.push(I32);
          break;
        case Kind.TableFill: {
          const t = this.table(w[0]!);
          this.pop(I32);
          this.pop(t);
          this.pop(I32);
          break;
        }
        case Kind.RefNull:
          this.push(w[0]!);
          break;
        case Kind.RefIsNull: {
          const t = this.popAny();
          if (t !== UNKNOWN && !isRefType(t)) fail(at, `type mismatch: ref.is_null needs a reference, found ${valTypeName(t)}`);
          inferred = t;
          this.push(I32);
          break;
        }
        case Kind.RefFunc: {
          const fi = w[0]! >>> 0;
          if (fi >= c.numFuncs) fail(at, `unknown function ${fi}`);
          if (!c.declaredRefs[fi]) fail(at, 'undeclared function reference');
          this.push(FUNCREF);
          break;
        }
      }

      if (record) {
        if (count === this.rOps.length) this.growRecord(Math.min(bodyLen, count * 2));
        this.rOps[count] = id;
        this.rOffsets[count] = at;
        this.rImmStart[count] = nImms;
        this.rTypes[count] = inferred;
        this.rFlags[count] = flags;
        const n = ib.n;
        if (nImms + n > this.rImms.length) {
          const bigger = new Int32Array(Math.max(this.rImms.length * 2, nImms + n));
          bigger.set(this.rImms);
          this.rImms = bigger;
        }
        for (let k = 0; k < n; k++) this.rImms[nImms + k] = w[k]!;
        nImms += n;
      }
      count++;
    }
    if (r.pos !== func.bodyEnd) fail(r.pos, 'operators remaining after end of function');
    if (!record) return null;
    this.rImmStart[count] = nImms;
    const large = this.rOps.length > FuncValidator.KEEP_LIMIT;
    const cut = <A extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: A, n: number): A =>
      (large ? a.subarray(0, n) : a.slice(0, n)) as A;
    const out: ValidatedFunc = {
      funcIndex,
      typeIndex,
      type,
      numParams: type.params.length,
      locals,
      count,
      ops: cut(this.rOps, count),
      offsets: cut(this.rOffsets, count),
      immStart: cut(this.rImmStart, count + 1),
      imms: cut(this.rImms, nImms),
      types: cut(this.rTypes, count),
      flags: cut(this.rFlags, count),
      maxStackHeight: this.maxSp,
      maxControlDepth: this.maxDepth,
    };
    if (large) this.dropRecordBuffers();
    return out;
  }

  private checkPlainImmediates(imm: Imm, id: number, w: Int32Array): void {
    switch (imm) {
      case Imm.None:
      case Imm.I32:
      case Imm.I64:
      case Imm.F32:
      case Imm.F64:
      case Imm.V128:
        return;
      case Imm.MemArg:
        this.memory(0);
        if (w[0]! >>> 0 > OPS[id]!.align) fail(this.at, 'alignment must not be larger than natural');
        return;
      case Imm.MemArgLane:
        this.memory(0);
        if (w[0]! >>> 0 > OPS[id]!.align) fail(this.at, 'alignment must not be larger than natural');
        if (w[2]! >= OPS[id]!.lanes) fail(this.at, 'invalid lane index');
        return;
      case Imm.Lane:
        if (w[0]! >= OPS[id]!.lanes) fail(this.at, 'invalid lane index');
        return;
      case Imm.Shuffle:
        for (let k = 0; k < 4; k++) {
          const x = w[k]!;
          if ((x & 0xe0e0e0e0) !== 0) fail(this.at, 'invalid lane index');
        }
        return;
      case Imm.MemZero:
      case Imm.MemCopy:
        this.memory(0);
        return;
      case Imm.MemInit:
        this.memory(0);
        if (w[0]! >>> 0 >= this.c.numDatas) fail(this.at, `unknown data segment ${w[0]! >>> 0}`);
        return;
      case Imm.Data:
        if (w[0]! >>> 0 >= this.c.numDatas) fail(this.at, `unknown data segment ${w[0]! >>> 0}`);
        return;
      case Imm.Elem:
        if (w[0]! >>> 0 >= this.c.m.elems.length) fail(this.at, `unknown elem segment ${w[0]! >>> 0}`);
        return;
      default:
        throw new Error(`opcode table: plain instruction ${OPS[id]!.name} with unexpected immediate ${Imm[imm]}`);
    }
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Entry points — never throw.
// ---------------------------------------------------------------------------

/** Validates the whole module, every function body included (streams are not kept). */
export function validateModule(m: WasmModule): Result<ValidatedModule> {
  let at = 0;
  return catchFailure(
    () => {
      const c = moduleCtx(m);
      validateModuleRules(c);
      const v = new FuncValidator(c);
      for (let i = 0; i < m.funcs.length; i++) {
        at = m.funcs[i]!.bodyStart;
        v.run(m.numImportedFuncs + i, false);
      }
      return { module: m, declaredRefs: c.declaredRefs };
    },
    'invalid',
    () => Math.min(at, m.bytes.length),
  );
}

/**
 * Validates one defined function (funcIndex in the function index space, imports
 * first) and returns its typed instruction stream. Module-level rules are assumed
 * to have been checked by validateModule.
 */
export function validateFunction(m: WasmModule | ValidatedModule, funcIndex: number): Result<ValidatedFunc> {
  const mod = 'module' in m ? m.module : m;
  const f = mod.funcs[funcIndex - mod.numImportedFuncs];
  return catchFailure(
    () => {
      const c = moduleCtx(mod);
      const v = (c.validator ??= new FuncValidator(c));
      return v.run(funcIndex, true)!;
    },
    'invalid',
    () => Math.min(f?.bodyStart ?? 0, mod.bytes.length),
  );
}

/** decodeModule + validateModule. */
export function loadModule(bytes: Uint8Array): Result<ValidatedModule> {
  const d = decodeModule(bytes);
  if (!d.ok) return d;
  return validateModule(d.value);
}
