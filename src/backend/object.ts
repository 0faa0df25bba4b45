/**
 * The relocatable object for one compiled module, target-agnostic:
 *
 *   per-function FinishedCode (any target) + IrModule ─ buildObject ─▶ ObjectFile ─ elf.ts ─▶ .o
 *
 *   .text        every function and array-call trampoline, 16-byte aligned, in index
 *                order (deterministic); [code_start, code_end) = the whole section
 *   .data.kiln   the `struct kiln_module` metadata (vmctx.ts encodeStruct) and everything
 *                it points to: types, imports, function table, memory/table/global
 *                descriptors, data segment bytes, element items, exports, the trap table
 *
 * Pointers are ABS64 relocations against the section symbols or function symbols, so the
 * metadata needs no code. Only the module symbol is global (`kiln_module`, or
 * `kiln_module_K` in a multi-module executable); function symbols are local and named
 * from the wasm name section (deduplicated), so gdb/perf show wasm names.
 */

import type { FinishedCode, Reloc, RelocKind } from './codebuf.js';
import type { ElfMachine, ObjSymbol, ObjectFile } from './elf.js';
import {
  ElemItem, ExternKind, GlobalInit, KILN_ABI_VERSION, LimitFlags, ModuleFlags, OffsetKind, SegMode, ValType,
  encodeStruct, layoutOf, type EncodedStruct, type FieldValue,
} from './vmctx.js';
import type { ConstExpr, IrModule } from '../ir/module.js';
import { numImportedFuncs } from '../ir/module.js';
import type { FuncType, Type } from '../ir/types.js';

export interface CodeFunc {
  symbol: string;
  code: FinishedCode;
}

export interface ObjectInput {
  machine: ElfMachine;
  module: IrModule;
  /** Code of each defined function, in function-index order. */
  funcs: CodeFunc[];
  /** Array-call trampolines, one per signature key (see `sigKey`). */
  trampolines: ReadonlyMap<string, CodeFunc>;
  /** Global symbol of the metadata (default `kiln_module`). */
  moduleSymbol?: string;
  explicitBounds?: boolean;
  /** Filler between functions (x86: int3). */
  padByte?: number;
}

export const TEXT = '.text';
export const META = '.data.kiln';

/** A canonical key for a function type: one trampoline per key. */
export function sigKey(t: FuncType): string {
  return `${t.params.join(',')}>${t.results.join(',')}`;
}

export function valTypeCode(t: Type): number {
  switch (t) {
    case 'i32': return ValType.I32;
    case 'i64': return ValType.I64;
    case 'f32': return ValType.F32;
    case 'f64': return ValType.F64;
    case 'v128': return ValType.V128;
    case 'funcref': return ValType.FuncRef;
    default: return ValType.ExternRef;
  }
}

/** A growable byte array (appending a whole function or data segment is one copy). */
class Bytes {
  private buf = new Uint8Array(4096);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const grown = new Uint8Array(cap);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  push(byte: number): void {
    this.reserve(1);
    this.buf[this.length++] = byte;
  }

  /** Appends `b`, each element taken modulo 256. */
  append(b: ArrayLike<number>): void {
    this.reserve(b.length);
    if (b instanceof Uint8Array) this.buf.set(b, this.length);
    else for (let i = 0; i < b.length; i++) this.buf[this.length + i] = b[i]! & 0xff;
    this.length += b.length;
  }

  /** Pads with `fill` to a multiple of `n`. */
  align(n: number, fill = 0): void {
    while (this.length % n !== 0) this.push(fill);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

class DataBuf {
  bytes = new Bytes();
  relocs: Reloc[] = [];
  constructor(private absKind: RelocKind) {}

  align(n: number): void {
    this.bytes.align(n);
  }

  raw(b: ArrayLike<number>, align = 1): number {
    this.align(align);
    const at = this.bytes.length;
    this.bytes.append(b);
    return at;
  }

  str(s: string): { at: number; len: number } {
    const b = new TextEncoder().encode(s);
    const at = this.raw(b);
    this.bytes.push(0);
    return { at, len: b.length };
  }

  struct(e: EncodedStruct): number {
    const at = this.raw(e.bytes, 8);
    for (const r of e.relocs) this.relocs.push({ offset: at + r.offset, kind: this.absKind, symbol: r.symbol, addend: r.addend });
    return at;
  }

  /** An array of records of `struct` (empty: null pointer). */
  array(struct: string, rows: Record<string, FieldValue>[]): FieldValue {
    if (rows.length === 0) return null;
    this.align(Math.max(8, layoutOf(struct).align));
    const first = this.bytes.length;
    for (const r of rows) this.struct(encodeStruct(struct, r));
    return { symbol: META, addend: first };
  }

  u32s(values: number[]): FieldValue {
    if (values.length === 0) return null;
    const b = new Uint8Array(values.length * 4);
    const v = new DataView(b.buffer);
    values.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
    return { symbol: META, addend: this.raw(b, 8) };
  }

  ptr(at: number): FieldValue {
    return { symbol: META, addend: at };
  }
}

function limitsMax(max: bigint | undefined, dflt: bigint): bigint {
  return max ?? dflt;
}

function constBits(e: ConstExpr | undefined): { kind: number; index: number; lo: bigint; hi: bigint } {
  if (!e) return { kind: GlobalInit.RefNull, index: 0, lo: 0n, hi: 0n };
  switch (e.kind) {
    case 'i32': return { kind: GlobalInit.Const, index: 0, lo: BigInt(e.value >>> 0), hi: 0n };
    case 'i64': return { kind: GlobalInit.Const, index: 0, lo: BigInt.asUintN(64, e.value), hi: 0n };
    case 'f32': return { kind: GlobalInit.Const, index: 0, lo: BigInt(e.bits >>> 0), hi: 0n };
    case 'f64': return { kind: GlobalInit.Const, index: 0, lo: BigInt.asUintN(64, e.bits), hi: 0n };
    case 'v128': {
      const v = new DataView(e.bytes.buffer, e.bytes.byteOffset, 16);
      return { kind: GlobalInit.Const, index: 0, lo: v.getBigUint64(0, true), hi: v.getBigUint64(8, true) };
    }
    case 'ref.null': return { kind: GlobalInit.RefNull, index: 0, lo: 0n, hi: 0n };
    case 'ref.func': return { kind: GlobalInit.RefFunc, index: e.func, lo: 0n, hi: 0n };
    case 'global.get': return { kind: GlobalInit.GlobalGet, index: e.global, lo: 0n, hi: 0n };
  }
}

function offsetOf(e: ConstExpr): { kind: number; value: bigint } {
  if (e.kind === 'global.get') return { kind: OffsetKind.GlobalGet, value: BigInt(e.global) };
  if (e.kind === 'i32') return { kind: OffsetKind.Const, value: BigInt(e.value >>> 0) };
  if (e.kind === 'i64') return { kind: OffsetKind.Const, value: BigInt.asUintN(64, e.value) };
  throw new Error(`bad segment offset expression ${e.kind}`);
}

export function buildObject(input: ObjectInput): ObjectFile {
  const m = input.module;
  const absKind: RelocKind = input.machine === 'x86_64' ? 'x64-abs64' : 'a64-abs64';
  const pad = input.padByte ?? 0;

  // ── .text ──
  const text = new Bytes();
  const textRelocs: Reloc[] = [];
  const traps: { offset: number; code: number }[] = [];
  const symbols: ObjSymbol[] = [];
  const place = (cf: CodeFunc): void => {
    text.align(16, pad);
    const at = text.length;
    text.append(cf.code.bytes);
    for (const r of cf.code.relocs) textRelocs.push({ ...r, offset: r.offset + at });
    for (const t of cf.code.trapSites) traps.push({ offset: t.offset + at, code: t.code });
    symbols.push({ name: cf.symbol, section: TEXT, offset: at, size: cf.code.bytes.length, binding: 'local', type: 'func' });
  };
  for (const f of input.funcs) place(f);
  for (const t of input.trampolines.values()) place(t);
  traps.sort((a, b) => a.offset - b.offset);

  // ── metadata ──
  const d = new DataBuf(absKind);
  const nimp = numImportedFuncs(m);

  const types = m.types.map((t) => {
    const params = t.params.length ? d.ptr(d.raw(t.params.map(valTypeCode))) : null;
    const results = t.results.length ? d.ptr(d.raw(t.results.map(valTypeCode))) : null;
    return { nparams: t.params.length, nresults: t.results.length, params, results };
  });
  const typesPtr = d.array('kiln_functype', types);

  const imports: Record<string, FieldValue>[] = [];
  const importRow = (mod: string, name: string, kind: number, index: number): number => {
    const a = d.str(mod);
    const b = d.str(name);
    imports.push({ module: d.ptr(a.at), name: d.ptr(b.at), module_len: a.len, name_len: b.len, kind, index });
    return imports.length - 1;
  };
  m.funcs.forEach((f) => f.import && importRow(f.import.module, f.import.name, ExternKind.Func, f.typeIndex));
  const tableImport = m.tables.map((t, i) => (t.import ? importRow(t.import.module, t.import.name, ExternKind.Table, i) : 0));
  const memImport = m.memories.map((t, i) => (t.import ? importRow(t.import.module, t.import.name, ExternKind.Memory, i) : 0));
  const globalImport = m.globals.map((g, i) => (g.import ? importRow(g.import.module, g.import.name, ExternKind.Global, i) : 0));
  const importsPtr = d.array('kiln_import', imports);

  const funcTypes = d.u32s(m.funcs.map((f) => f.typeIndex));
  let funcCode: FieldValue = null;
  if (input.funcs.length > 0) {
    d.align(8);
    const at = d.bytes.length;
    for (const f of input.funcs) d.struct({ bytes: new Uint8Array(8), relocs: [{ offset: 0, symbol: f.symbol, addend: 0 }] });
    funcCode = d.ptr(at);
  }

  const memories = d.array('kiln_memory_desc', m.memories.map((mem, i) => ({
    min_pages: mem.limits.min,
    max_pages: limitsMax(mem.limits.max, 65536n),
    flags: (mem.limits.max !== undefined ? LimitFlags.HasMax : 0) | (mem.shared ? LimitFlags.Shared : 0) | (mem.import ? LimitFlags.Imported : 0),
    import_index: memImport[i]!,
  })));
  const tables = d.array('kiln_table_desc', m.tables.map((t, i) => ({
    min: t.limits.min,
    max: limitsMax(t.limits.max, 0xffff_ffffn),
    flags: (t.limits.max !== undefined ? LimitFlags.HasMax : 0) | (t.import ? LimitFlags.Imported : 0),
    import_index: tableImport[i]!,
    elem_type: valTypeCode(t.elemType),
  })));
  const globals = d.array('kiln_global_desc', m.globals.map((g, i) => {
    const c = g.import ? { kind: GlobalInit.Import, index: 0, lo: 0n, hi: 0n } : constBits(g.init);
    return {
      valtype: valTypeCode(g.type), mutable_: g.mutable ? 1 : 0, init_kind: c.kind, init_index: c.index,
      import_index: globalImport[i]!, init_lo: c.lo, init_hi: c.hi,
    };
  }));
  const data = d.array('kiln_data_seg', m.data.map((seg): Record<string, FieldValue> => {
    const bytes = seg.bytes.length ? d.ptr(d.raw(seg.bytes)) : null;
    if (seg.mode.kind === 'passive') return { mode: SegMode.Passive, bytes, len: seg.bytes.length };
    const o = offsetOf(seg.mode.offset);
    return { mode: SegMode.Active, offset_kind: o.kind, memory: seg.mode.memory, offset: o.value, bytes, len: seg.bytes.length };
  }));
  const elems = d.array('kiln_elem_seg', m.elems.map((seg): Record<string, FieldValue> => {
    const items = d.array('kiln_elem_item', seg.items.map((e) => {
      if (e.kind === 'ref.func') return { kind: ElemItem.RefFunc, index: e.func };
      if (e.kind === 'global.get') return { kind: ElemItem.GlobalGet, index: e.global };
      return { kind: ElemItem.RefNull, index: 0 };
    }));
    const base = { elem_type: valTypeCode(seg.type), count: seg.items.length, items };
    if (seg.mode.kind === 'passive') return { ...base, mode: SegMode.Passive };
    if (seg.mode.kind === 'declarative') return { ...base, mode: SegMode.Declarative };
    const o = offsetOf(seg.mode.offset);
    return { ...base, mode: SegMode.Active, offset_kind: o.kind, table: seg.mode.table, offset: o.value };
  }));
  const kindCode = { func: ExternKind.Func, table: ExternKind.Table, memory: ExternKind.Memory, global: ExternKind.Global } as const;
  const exports = d.array('kiln_export', m.exports.map((e) => {
    const name = d.str(e.name);
    const row: Record<string, FieldValue> = { name: d.ptr(name.at), name_len: name.len, kind: kindCode[e.kind], index: e.index };
    if (e.kind === 'func') {
      const decl = m.funcs[e.index]!;
      if (!decl.import) row.code = { symbol: input.funcs[e.index - nimp]!.symbol };
      const tr = input.trampolines.get(sigKey(m.types[decl.typeIndex]!));
      if (tr) row.array_call = { symbol: tr.symbol };
    }
    return row;
  }));
  const trapTable = d.array('kiln_trap_site', traps.map((t) => ({ offset: t.offset, code: t.code })));
  const name = m.name !== undefined ? d.ptr(d.str(m.name).at) : null;

  d.align(8);
  const modAt = d.struct(encodeStruct('kiln_module', {
    abi_version: KILN_ABI_VERSION,
    flags: input.explicitBounds ? ModuleFlags.ExplicitBounds : 0,
    ntypes: m.types.length, nimports: imports.length, types: typesPtr, imports: importsPtr,
    nfuncs: m.funcs.length, nimported_funcs: nimp, func_types: funcTypes, func_code: funcCode,
    nmemories: m.memories.length, ntables: m.tables.length, memories, tables,
    nglobals: m.globals.length, ndata: m.data.length, globals, data,
    nelems: m.elems.length, nexports: m.exports.length, elems, exports,
    start_func: m.start ?? -1,
    ntraps: traps.length, traps: trapTable,
    code_start: { symbol: TEXT, addend: 0 }, code_end: { symbol: TEXT, addend: text.length },
    name,
  }));
  const moduleSymbol = input.moduleSymbol ?? 'kiln_module';
  symbols.push({ name: moduleSymbol, section: META, offset: modAt, size: layoutOf('kiln_module').size, binding: 'global', type: 'object' });

  return {
    machine: input.machine,
    sections: [
      { name: TEXT, align: 16, bytes: text.finish(), relocs: textRelocs },
      { name: META, flags: { alloc: true, write: true }, align: 16, bytes: d.bytes.finish(), relocs: d.relocs },
    ],
    symbols,
  };
}
