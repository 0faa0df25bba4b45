/**
 * The decoded (not yet validated) module. Everything is index-based and offsets are
 * byte offsets into `bytes`; function bodies stay as byte ranges so that a large
 * module costs a few words per function until a function is validated/translated.
 */

/** Value types use their binary encoding as the numeric value. */
export type ValType = number;
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;
/** Not a wasm type: the validator's "unknown" operand in unreachable code. */
export const UNKNOWN = 0;

export type RefType = typeof FUNCREF | typeof EXTERNREF;

export function isValType(t: number): boolean {
  return (t >= V128 && t <= I32) || t === FUNCREF || t === EXTERNREF;
}
export function isRefType(t: number): boolean {
  return t === FUNCREF || t === EXTERNREF;
}
export function isNumType(t: number): boolean {
  return t >= F64 && t <= I32;
}

const VALTYPE_NAMES: Record<number, string> = {
  [I32]: 'i32',
  [I64]: 'i64',
  [F32]: 'f32',
  [F64]: 'f64',
  [V128]: 'v128',
  [FUNCREF]: 'funcref',
  [EXTERNREF]: 'externref',
  [UNKNOWN]: 'unknown',
};
export function valTypeName(t: ValType): string {
  return VALTYPE_NAMES[t] ?? `<0x${t.toString(16)}>`;
}

export interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

export function funcTypeToString(t: FuncType): string {
  return `[${t.params.map(valTypeName).join(' ')}] -> [${t.results.map(valTypeName).join(' ')}]`;
}

export interface Limits {
  min: number;
  max: number | null;
}

export interface TableType {
  elem: RefType;
  limits: Limits;
}

export interface MemType {
  limits: Limits;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { kind: 'func'; type: number }
  | { kind: 'table'; table: TableType }
  | { kind: 'memory'; memory: MemType }
  | { kind: 'global'; global: GlobalType };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
  offset: number;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
  offset: number;
}

/**
 * One instruction of a constant expression. Decoding keeps the instructions up to the
 * first one that is not constant (recorded as `other`); validation rejects it.
 */
export type ConstInstr =
  | { op: 'i32.const'; value: number; offset: number }
  | { op: 'i64.const'; value: bigint; offset: number }
  | { op: 'f32.const'; bits: number; offset: number }
  | { op: 'f64.const'; bits: bigint; offset: number }
  | { op: 'v128.const'; bytes: Uint8Array; offset: number }
  | { op: 'ref.null'; type: RefType; offset: number }
  | { op: 'ref.func'; func: number; offset: number }
  | { op: 'global.get'; global: number; offset: number }
  | { op: 'other'; name: string; offset: number };

export interface ConstExpr {
  /** Byte range of the expression including its final `end`. */
  start: number;
  end: number;
  instrs: ConstInstr[];
}

export interface LocalGroup {
  count: number;
  type: ValType;
}

export interface Func {
  /** Index into `types`. */
  type: number;
  /** Body range: from the local declarations to just after the final `end`. */
  bodyStart: number;
  bodyEnd: number;
  /** Offset of the first instruction (after the local declarations). */
  codeStart: number;
  locals: LocalGroup[];
  /** Total declared locals (excluding params). */
  numLocals: number;
}

export interface Global {
  type: GlobalType;
  init: ConstExpr;
  offset: number;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

export interface ElemSegment {
  mode: SegmentMode;
  /** Active only. */
  table: number;
  offsetExpr: ConstExpr | null;
  type: RefType;
  /** Function indices (encodings 0-3) or expressions (encodings 4-7); exactly one is set. */
  funcs: number[] | null;
  exprs: ConstExpr[] | null;
  offset: number;
}

export interface DataSegment {
  mode: 'active' | 'passive';
  memory: number;
  offsetExpr: ConstExpr | null;
  /** Byte range of the contents in the module. */
  start: number;
  end: number;
  offset: number;
}

export interface CustomSection {
  name: string;
  /** Offset of the section id byte. */
  offset: number;
  /** Payload after the name. */
  start: number;
  end: number;
}

export interface NameSection {
  module: string | null;
  functions: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  /** Set when the name section could not be fully decoded (the module stays valid). */
  error: string | null;
}

export interface SectionInfo {
  id: number;
  name: string;
  /** Offset of the id byte. */
  offset: number;
  /** Offset of the contents and their size. */
  start: number;
  size: number;
}

export const SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'element',
  'code',
  'data',
  'datacount',
] as const;

export interface WasmModule {
  bytes: Uint8Array;
  sections: SectionInfo[];
  types: FuncType[];
  imports: Import[];
  /** Defined functions only (index space offset by numImportedFuncs). */
  funcs: Func[];
  tables: TableType[];
  memories: MemType[];
  globals: Global[];
  exports: Export[];
  start: number | null;
  startOffset: number;
  elems: ElemSegment[];
  datas: DataSegment[];
  datacount: number | null;
  customs: CustomSection[];
  names: NameSection | null;

  // Index spaces (imports first, then definitions).
  numImportedFuncs: number;
  numImportedTables: number;
  numImportedMemories: number;
  numImportedGlobals: number;
  /** Type index of every function in the function index space. */
  funcTypes: number[];
  tableSpace: TableType[];
  memorySpace: MemType[];
  globalSpace: GlobalType[];
}

export function funcType(m: WasmModule, funcIndex: number): FuncType | undefined {
  const t = m.funcTypes[funcIndex];
  return t === undefined ? undefined : m.types[t];
}
