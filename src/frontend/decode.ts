/**
 * Binary decoder: bytes → WasmModule (spec §5, "Binary Format").
 *
 * Sections are read as the reference interpreter reads them: contents are decoded
 * from the whole stream and the declared size is checked afterwards ("section size
 * mismatch"), which is what makes our error messages match the spec testsuite's.
 * Function bodies are scanned once here — every instruction is decoded so that all
 * malformed-ness is reported by decodeModule — but nothing per instruction is kept:
 * a body stays a byte range and is decoded again, function by function, by the
 * validator and the translator (readInstr is the one instruction decoder).
 */
import { err, ok, WasmFailure, type Result } from './errors.js';
import * as mod from './module.js';
import {
  SECTION_NAMES,
  type ConstExpr,
  type ConstInstr,
  type DataSegment,
  type ElemSegment,
  type Export,
  type ExternKind,
  type Func,
  type FuncType,
  type Global,
  type GlobalType,
  type Import,
  type Limits,
  type LocalGroup,
  type MemType,
  type NameSection,
  type RefType,
  type TableType,
  type ValType,
  type WasmModule,
} from './module.js';
import * as opcodes from './opcodes.js';
import { Reader } from './reader.js';

// Hot-path bindings copied into module scope. Module runners that rewrite imports
// into namespace getters (vitest's) would otherwise pay a getter call for every
// `Imm.X` case label of readInstr — a 6x slowdown measured.
const { EXTERNREF, FUNCREF, isValType } = mod;
const { BT_EMPTY, FC_OPS, FD_OPS, OPS, SINGLE_BYTE_OPS, opId } = opcodes;
const Imm = opcodes.Imm;
type Imm = opcodes.Imm;
const Kind = opcodes.Kind;
type Kind = opcodes.Kind;

/** Implementation limit on locals per function (as in V8); the spec's own limit is 2^32-1. */
export const MAX_LOCALS = 50_000;

const MAGIC = 0x6d736100;
const VERSION = 1;

// ---------------------------------------------------------------------------
// Instructions
// ---------------------------------------------------------------------------

/** Scratch for one decoded instruction: its id, offset and immediate words (see Imm). */
export class InstrBuf {
  op = 0;
  offset = 0;
  /** Number of immediate words in `imm`. */
  n = 0;
  imm = new Int32Array(16);

  push(v: number): void {
    if (this.n === this.imm.length) {
      const bigger = new Int32Array(this.imm.length * 2);
      bigger.set(this.imm);
      this.imm = bigger;
    }
    this.imm[this.n++] = v;
  }
}

const IMM_OF = Uint8Array.from(OPS, (o) => o.imm);
const KIND_OF = Uint8Array.from(OPS, (o) => o.kind);

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * Type codes are signed 7-bit LEB128 values in the spec; a continuation bit makes the
 * encoding too long rather than an unknown type.
 */
function typeByte(r: Reader): number {
  const b = r.u8();
  if (b & 0x80) r.fail('integer representation too long', r.pos);
  return b;
}

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = typeByte(r);
  if (!isValType(b)) r.fail('malformed value type', at);
  return b;
}

export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const b = typeByte(r);
  if (b !== FUNCREF && b !== EXTERNREF) r.fail('malformed reference type', at);
  return b;
}

function zeroByte(r: Reader): void {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('zero byte expected', at);
}

/** Decodes one instruction at r.pos into b; returns its id (index into OPS). */
export function readInstr(r: Reader, b: InstrBuf): number {
  const at = r.pos;
  b.offset = at;
  b.n = 0;
  const c = r.u8();
  let id: number;
  if (c === 0xfc || c === 0xfd) {
    const sub = r.u32();
    const t = c === 0xfc ? FC_OPS : FD_OPS;
    id = sub < t.length ? t[sub]! : -1;
    if (id < 0) r.fail(`illegal opcode ${hex2(c)} ${hex2(sub)}`, at);
  } else {
    id = SINGLE_BYTE_OPS[c]!;
    if (id < 0) r.fail(`illegal opcode ${hex2(c)}`, at);
  }
  b.op = id;
  switch (IMM_OF[id] as Imm) {
    case Imm.None:
      break;
    case Imm.BlockType: {
      const p = r.peek();
      if (p === 0x40) {
        r.pos++;
        b.push(BT_EMPTY);
      } else if (p >= 0 && (p & 0xc0) === 0x40) {
        b.push(-readValType(r));
      } else {
        const v = r.s33();
        // Indices that cannot exist become an index no module has (validation: unknown type).
        b.push(v >= 0 && v < 0x7fffffff ? v : 0x7fffffff);
      }
      break;
    }
    case Imm.Label:
    case Imm.Func:
    case Imm.Local:
    case Imm.Global:
    case Imm.Table:
    case Imm.Data:
    case Imm.Elem:
      b.push(r.u32() | 0);
      break;
    case Imm.BrTable: {
      // Counts are plain u32s (as in the reference interpreter); the loop ends at the
      // end of the input long before a bogus count could cost memory.
      const n = r.u32();
      b.push(n);
      for (let i = 0; i <= n; i++) b.push(r.u32() | 0);
      break;
    }
    case Imm.CallIndirect:
    case Imm.MemArg:
    case Imm.TableInit:
    case Imm.TableCopy:
      b.push(r.u32() | 0);
      b.push(r.u32() | 0);
      break;
    case Imm.MemZero:
      zeroByte(r);
      break;
    case Imm.I32:
      b.push(r.s32());
      break;
    case Imm.I64:
      r.s64();
      b.push(r.lo | 0);
      b.push(r.hi | 0);
      break;
    case Imm.F32:
      b.push(r.u32le() | 0);
      break;
    case Imm.F64:
      b.push(r.u32le() | 0);
      b.push(r.u32le() | 0);
      break;
    case Imm.V128:
    case Imm.Shuffle:
      for (let i = 0; i < 4; i++) b.push(r.u32le() | 0);
      break;
    case Imm.Lane:
      b.push(r.u8());
      break;
    case Imm.MemArgLane:
      b.push(r.u32() | 0);
      b.push(r.u32() | 0);
      b.push(r.u8());
      break;
    case Imm.SelectT: {
      const n = r.u32();
      b.push(n);
      for (let i = 0; i < n; i++) b.push(readValType(r));
      break;
    }
    case Imm.RefType:
      b.push(readRefType(r));
      break;
    case Imm.MemInit:
      b.push(r.u32() | 0);
      zeroByte(r);
      break;
    case Imm.MemCopy:
      zeroByte(r);
      zeroByte(r);
      break;
  }
  return id;
}

const OP_MEMORY_INIT = opId('memory.init');
const OP_DATA_DROP = opId('data.drop');

/**
 * Tracks block nesting while scanning an expression: push on block/loop/if, flip on
 * else, pop on end. Knows nothing about types.
 */
class Nesting {
  /** Per open construct: 0 block/loop/function, 1 if (else allowed), 2 if after else. */
  private stack: number[] = [];

  reset(): void {
    this.stack.length = 0;
    this.stack.push(0);
  }

  /** Returns true when the instruction closed the outermost construct. */
  step(r: Reader, kind: Kind, at: number): boolean {
    switch (kind) {
      case Kind.Block:
      case Kind.Loop:
        this.stack.push(0);
        return false;
      case Kind.If:
        this.stack.push(1);
        return false;
      case Kind.Else: {
        const top = this.stack.length - 1;
        if (this.stack[top] !== 1) r.fail('END opcode expected', at);
        this.stack[top] = 2;
        return false;
      }
      case Kind.End:
        this.stack.pop();
        return this.stack.length === 0;
      default:
        return false;
    }
  }
}

// ---------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------

/** Section ids in their required order (data count sits between element and code). */
const SECTION_RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

class Decoder {
  readonly r: Reader;
  readonly ib = new InstrBuf();
  readonly nest = new Nesting();
  readonly m: WasmModule;
  private funcTypeIndices: number[] = [];
  private funcsUsingDataCount = false;

  constructor(readonly bytes: Uint8Array) {
    this.r = new Reader(bytes);
    this.m = {
      bytes,
      sections: [],
      types: [],
      imports: [],
      funcs: [],
      tables: [],
      memories: [],
      globals: [],
      exports: [],
      start: null,
      startOffset: 0,
      elems: [],
      datas: [],
      datacount: null,
      customs: [],
      names: null,
      numImportedFuncs: 0,
      numImportedTables: 0,
      numImportedMemories: 0,
      numImportedGlobals: 0,
      funcTypes: [],
      tableSpace: [],
      memorySpace: [],
      globalSpace: [],
    };
  }

  decode(): WasmModule {
    const r = this.r;
    if (r.remaining() < 4) r.fail('unexpected end', r.end);
    if (r.u32le() !== MAGIC) r.fail('magic header not detected', 0);
    if (r.remaining() < 4) r.fail('unexpected end', r.end);
    if (r.u32le() !== VERSION) r.fail('unknown binary version', 4);

    let lastRank = 0;
    while (!r.eof()) {
      const offset = r.pos;
      const id = r.u8();
      if (id > 12) r.fail('malformed section id', offset);
      if (id !== 0) {
        const rank = SECTION_RANK[id]!;
        if (rank <= lastRank) r.fail('unexpected content after last section', offset);
        lastRank = rank;
      }
      const size = r.len32();
      const start = r.pos;
      this.m.sections.push({ id, name: SECTION_NAMES[id]!, offset, start, size });
      this.section(id, offset, start, size);
      if (r.pos !== start + size) r.fail('section size mismatch', start);
    }

    const m = this.m;
    if (this.funcTypeIndices.length !== m.funcs.length) {
      r.fail('function and code section have inconsistent lengths', r.end);
    }
    if (m.datacount !== null && m.datacount !== m.datas.length) {
      r.fail('data count and data section have inconsistent lengths', r.end);
    }
    if (m.datacount === null && this.funcsUsingDataCount) r.fail('data count section required', r.end);
    // Loops, not push(...xs): a spread of a million arguments overflows the stack.
    for (const t of this.funcTypeIndices) m.funcTypes.push(t);
    for (const t of m.tables) m.tableSpace.push(t);
    for (const t of m.memories) m.memorySpace.push(t);
    for (const g of m.globals) m.globalSpace.push(g.type);
    return m;
  }

  private section(id: number, offset: number, start: number, size: number): void {
    const r = this.r;
    switch (id) {
      case 0:
        return this.customSection(offset, start, size);
      case 1:
        return this.vec(() => this.m.types.push(this.funcType()));
      case 2:
        return this.vec(() => this.importEntry());
      case 3:
        return this.vec(() => this.funcTypeIndices.push(r.u32()));
      case 4:
        return this.vec(() => this.m.tables.push(this.tableType()));
      case 5:
        return this.vec(() => this.m.memories.push(this.memType()));
      case 6:
        return this.vec(() => {
          const at = r.pos;
          const type = this.globalType();
          this.m.globals.push({ type, init: this.constExpr(), offset: at } satisfies Global);
        });
      case 7:
        return this.vec(() => this.exportEntry());
      case 8:
        this.m.startOffset = r.pos;
        this.m.start = r.u32();
        return;
      case 9:
        return this.vec(() => this.elemSegment());
      case 10:
        return this.vec(() => this.code());
      case 11:
        return this.vec(() => this.dataSegment());
      case 12:
        this.m.datacount = r.u32();
        return;
    }
  }

  /** A vector: the count is not checked against the bytes left (items fail at the end instead). */
  private vec(item: () => void): void {
    const n = this.r.u32();
    for (let i = 0; i < n; i++) item();
  }

  private funcType(): FuncType {
    const r = this.r;
    const at = r.pos;
    if (typeByte(r) !== 0x60) r.fail('malformed function type', at);
    const params: ValType[] = [];
    const results: ValType[] = [];
    this.vec(() => params.push(readValType(r)));
    this.vec(() => results.push(readValType(r)));
    return { params, results };
  }

  private limits(): Limits {
    const r = this.r;
    const at = r.pos;
    const flag = r.u8();
    if ((flag & 0x7f) > 1) r.fail('integer too large', at);
    if (flag & 0x80) r.fail('integer representation too long', at + 1);
    const min = r.u32();
    const max = flag === 1 ? r.u32() : null;
    return { min, max };
  }

  private tableType(): TableType {
    const elem = readRefType(this.r);
    return { elem, limits: this.limits() };
  }

  private memType(): MemType {
    return { limits: this.limits() };
  }

  private globalType(): GlobalType {
    const r = this.r;
    const type = readValType(r);
    const at = r.pos;
    const mut = r.u8();
    if (mut > 1) r.fail('malformed mutability', at);
    return { type, mutable: mut === 1 };
  }

  private importEntry(): void {
    const r = this.r;
    const m = this.m;
    const offset = r.pos;
    const module = r.name();
    const name = r.name();
    const at = r.pos;
    const kind = r.u8();
    let imp: Import;
    switch (kind) {
      case 0: {
        const type = r.u32();
        imp = { module, name, desc: { kind: 'func', type }, offset };
        m.numImportedFuncs++;
        m.funcTypes.push(type);
        break;
      }
      case 1: {
        const table = this.tableType();
        imp = { module, name, desc: { kind: 'table', table }, offset };
        m.numImportedTables++;
        m.tableSpace.push(table);
        break;
      }
      case 2: {
        const memory = this.memType();
        imp = { module, name, desc: { kind: 'memory', memory }, offset };
        m.numImportedMemories++;
        m.memorySpace.push(memory);
        break;
      }
      case 3: {
        const global = this.globalType();
        imp = { module, name, desc: { kind: 'global', global }, offset };
        m.numImportedGlobals++;
        m.globalSpace.push(global);
        break;
      }
      default:
        return r.fail('malformed import kind', at);
    }
    m.imports.push(imp);
  }

  private exportEntry(): void {
    const r = this.r;
    const offset = r.pos;
    const name = r.name();
    const at = r.pos;
    const k = r.u8();
    if (k > 3) r.fail('malformed export kind', at);
    const kind = (['func', 'table', 'memory', 'global'] as const)[k] as ExternKind;
    this.m.exports.push({ name, kind, index: r.u32(), offset } satisfies Export);
  }

  /** A constant expression: decoded generally; instructions kept up to the first non-constant one. */
  constExpr(): ConstExpr {
    const r = this.r;
    const ib = this.ib;
    const start = r.pos;
    const instrs: ConstInstr[] = [];
    let recording = true;
    this.nest.reset();
    for (;;) {
      const id = readInstr(r, ib);
      const kind = KIND_OF[id] as Kind;
      if (this.nest.step(r, kind, ib.offset)) break;
      if (recording) {
        const c = constInstr(id, ib, r.bytes, r.pos);
        instrs.push(c);
        if (c.op === 'other') recording = false;
      }
    }
    return { start, end: r.pos, instrs };
  }

  private elemKind(): RefType {
    const r = this.r;
    const at = r.pos;
    if (r.u8() !== 0x00) r.fail('malformed element kind', at);
    return FUNCREF;
  }

  private elemSegment(): void {
    const r = this.r;
    const offset = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', offset);
    const seg: ElemSegment = {
      mode: 'active',
      table: 0,
      offsetExpr: null,
      type: FUNCREF,
      funcs: null,
      exprs: null,
      offset,
    };
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    if (passiveOrDeclarative) {
      seg.mode = explicitTable ? 'declarative' : 'passive';
    } else {
      if (explicitTable) seg.table = r.u32();
      seg.offsetExpr = this.constExpr();
    }
    // Flags 0 and 4 imply funcref with no element kind/type byte.
    if (passiveOrDeclarative || explicitTable) seg.type = usesExprs ? readRefType(r) : this.elemKind();
    if (usesExprs) {
      const exprs: ConstExpr[] = [];
      this.vec(() => exprs.push(this.constExpr()));
      seg.exprs = exprs;
    } else {
      const funcs: number[] = [];
      this.vec(() => funcs.push(r.u32()));
      seg.funcs = funcs;
    }
    this.m.elems.push(seg);
  }

  private dataSegment(): void {
    const r = this.r;
    const offset = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail('malformed data segment kind', offset);
    const seg: DataSegment = { mode: 'active', memory: 0, offsetExpr: null, start: 0, end: 0, offset };
    if (flags === 1) seg.mode = 'passive';
    else {
      if (flags === 2) seg.memory = r.u32();
      seg.offsetExpr = this.constExpr();
    }
    const n = r.u32();
    seg.start = r.pos;
    r.skip(n);
    seg.end = r.pos;
    this.m.datas.push(seg);
  }

  private code(): void {
    const r = this.r;
    const size = r.len32();
    const bodyStart = r.pos;
    const locals: LocalGroup[] = [];
    let total = 0;
    this.vec(() => {
      const count = r.u32();
      const type = readValType(r);
      total += count;
      locals.push({ count, type });
    });
    if (total >= 2 ** 32 || total > MAX_LOCALS) r.fail('too many locals', bodyStart);
    const codeStart = r.pos;
    this.scanBody();
    if (r.pos !== bodyStart + size) r.fail('section size mismatch', bodyStart);
    this.m.funcs.push({
      type: this.funcTypeIndices[this.m.funcs.length] ?? -1,
      bodyStart,
      bodyEnd: r.pos,
      codeStart,
      locals,
      numLocals: total,
    } satisfies Func);
  }

  /** Decodes every instruction of a body (for malformed-ness only). */
  private scanBody(): void {
    const r = this.r;
    const ib = this.ib;
    const nest = this.nest;
    nest.reset();
    for (;;) {
      const id = readInstr(r, ib);
      if (id === OP_MEMORY_INIT || id === OP_DATA_DROP) this.funcsUsingDataCount = true;
      const kind = KIND_OF[id] as Kind;
      if (kind !== Kind.Plain && nest.step(r, kind, ib.offset)) return;
    }
  }

  private customSection(offset: number, start: number, size: number): void {
    const r = this.r;
    const end = start + size;
    const name = r.name();
    if (r.pos > end) r.fail('unexpected end', start);
    const payload = r.pos;
    r.pos = end;
    this.m.customs.push({ name, offset, start: payload, end });
    if (name === 'name' && this.m.names === null) this.m.names = decodeNameSection(r.bytes, payload, end);
  }
}

function constInstr(id: number, ib: InstrBuf, bytes: Uint8Array, endPos: number): ConstInstr {
  const o = OPS[id]!;
  const offset = ib.offset;
  const w = ib.imm;
  switch (o.name) {
    case 'i32.const':
      return { op: 'i32.const', value: w[0]!, offset };
    case 'i64.const':
      return { op: 'i64.const', value: BigInt.asIntN(64, (BigInt(w[1]! >>> 0) << 32n) | BigInt(w[0]! >>> 0)), offset };
    case 'f32.const':
      return { op: 'f32.const', bits: w[0]! >>> 0, offset };
    case 'f64.const':
      return { op: 'f64.const', bits: (BigInt(w[1]! >>> 0) << 32n) | BigInt(w[0]! >>> 0), offset };
    case 'v128.const':
      // The 16 literal bytes are the last 16 bytes of the instruction.
      return { op: 'v128.const', bytes: bytes.slice(endPos - 16, endPos), offset };
    case 'ref.null':
      return { op: 'ref.null', type: w[0] as RefType, offset };
    case 'ref.func':
      return { op: 'ref.func', func: w[0]! >>> 0, offset };
    case 'global.get':
      return { op: 'global.get', global: w[0]! >>> 0, offset };
    default:
      return { op: 'other', name: o.name, offset };
  }
}

/**
 * The "name" custom section (appendix 7.4). A broken name section does not make the
 * module malformed; what was decoded before the problem is kept and `error` is set.
 */
export function decodeNameSection(bytes: Uint8Array, start: number, end: number): NameSection {
  const names: NameSection = { module: null, functions: new Map(), locals: new Map(), error: null };
  const r = new Reader(bytes, start, end);
  const nameMap = (into: Map<number, string>) => {
    const n = r.len32();
    for (let i = 0; i < n; i++) {
      const idx = r.u32();
      into.set(idx, r.name());
    }
  };
  try {
    while (!r.eof()) {
      const id = r.u8();
      const size = r.len32();
      const subEnd = r.pos + size;
      if (id === 0) names.module = r.name();
      else if (id === 1) nameMap(names.functions);
      else if (id === 2) {
        const n = r.len32();
        for (let i = 0; i < n; i++) {
          const f = r.u32();
          const m = new Map<number, string>();
          nameMap(m);
          names.locals.set(f, m);
        }
      }
      r.pos = subEnd;
    }
  } catch (e) {
    if (!(e instanceof WasmFailure)) throw e;
    names.error = `${e.message} at 0x${e.offset.toString(16)}`;
  }
  return names;
}

/** Turns anything thrown inside the frontend into an error value. */
export function catchFailure<T>(f: () => T, kind: 'malformed' | 'invalid', offset: () => number): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof WasmFailure) return err(e.toError());
    // Anything else (RangeError from a huge allocation, stack overflow, a bug) still
    // becomes a value: the entry points promise never to throw.
    const msg = e instanceof Error ? e.message : String(e);
    return err({ kind, offset: offset(), message: `internal error: ${msg}` });
  }
}

export function decodeModule(bytes: Uint8Array): Result<WasmModule> {
  let d: Decoder | null = null;
  return catchFailure(
    () => {
      d = new Decoder(bytes);
      return d.decode();
    },
    'malformed',
    () => Math.min((d as Decoder | null)?.r.pos ?? 0, bytes.length),
  );
}
