/**
 * The IR module: function bodies plus every module-level declaration that the
 * backends, the object writer and the interpreter need. It is a plain data structure
 * (no methods beyond the lookups below) so that workers can receive it and tests can
 * build it literally.
 *
 * Each Wasm index space is one array, imports first, exactly as Wasm numbers them:
 *   funcs[i]    imported (import set, body undefined) or defined (body: Func)
 *   globals[i]  imported (import set) or defined (init: ConstExpr)
 *   memories[i], tables[i] likewise.
 * So `call func=3` names `funcs[3]`, whether it is an import or not.
 */
import type { Func } from './func.js';
import type { TypeEnv } from './opcodes.js';
import type { FuncType, RefType, Type } from './types.js';

export interface Limits {
  min: bigint;
  /** undefined: no maximum. */
  max?: bigint;
}

export interface ImportName {
  module: string;
  name: string;
}

/**
 * A Wasm constant expression (global initialisers, segment offsets, element items).
 * Float constants are raw bits (f32: u32 number, f64: u64 bigint).
 */
export type ConstExpr =
  | { kind: 'i32'; value: number }
  | { kind: 'i64'; value: bigint }
  | { kind: 'f32'; bits: number }
  | { kind: 'f64'; bits: bigint }
  | { kind: 'v128'; bytes: Uint8Array }
  | { kind: 'ref.null'; type: RefType }
  | { kind: 'ref.func'; func: number }
  | { kind: 'global.get'; global: number };

export interface FuncDecl {
  /** Index into `types`. */
  typeIndex: number;
  /** From the name section when present, else a generated name such as `f3`. */
  name: string;
  import?: ImportName;
  /** The body, for defined functions (absent for imports, and until translated). */
  body?: Func;
}

export interface GlobalDecl {
  type: Type;
  mutable: boolean;
  import?: ImportName;
  /** Initialiser, for defined globals. */
  init?: ConstExpr;
}

export interface MemoryDecl {
  /** In 64 KiB pages. */
  limits: Limits;
  shared?: boolean;
  import?: ImportName;
}

export interface TableDecl {
  elemType: RefType;
  limits: Limits;
  import?: ImportName;
}

export type SegmentMode<Target extends 'memory' | 'table'> =
  | { kind: 'passive' }
  | ({ kind: 'active'; offset: ConstExpr } & (Target extends 'memory' ? { memory: number } : { table: number }));

export interface DataSegment {
  mode: SegmentMode<'memory'>;
  bytes: Uint8Array;
}

export interface ElemSegment {
  type: RefType;
  mode: SegmentMode<'table'> | { kind: 'declarative' };
  /** One const expr per element: `ref.func`, `ref.null` or `global.get`. */
  items: ConstExpr[];
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface IrModule {
  /** The type section, in order (call_ref and table.check_call name these). */
  types: FuncType[];
  funcs: FuncDecl[];
  globals: GlobalDecl[];
  memories: MemoryDecl[];
  tables: TableDecl[];
  data: DataSegment[];
  elems: ElemSegment[];
  exports: Export[];
  /** Function index of the start function, if any. */
  start?: number;
  /** Module name from the name section. */
  name?: string;
}

export function emptyModule(): IrModule {
  return { types: [], funcs: [], globals: [], memories: [], tables: [], data: [], elems: [], exports: [] };
}

/** Number of imported functions: defined function k has index numImportedFuncs + k. */
export function numImportedFuncs(m: IrModule): number {
  let n = 0;
  while (n < m.funcs.length && m.funcs[n]!.import) n++;
  return n;
}

export function funcTypeOf(m: IrModule, funcIndex: number): FuncType | undefined {
  const f = m.funcs[funcIndex];
  return f === undefined ? undefined : m.types[f.typeIndex];
}

/** The module seen through the interface the op table's signature rules use. */
export function moduleTypeEnv(m: IrModule): TypeEnv {
  return {
    funcType: (i) => funcTypeOf(m, i),
    typeAt: (i) => m.types[i],
    global: (i) => m.globals[i],
    tableType: (i) => m.tables[i]?.elemType,
  };
}

/** Defined functions with bodies, with their function indices. */
export function* definedFuncs(m: IrModule): Generator<{ index: number; decl: FuncDecl; body: Func }> {
  for (let i = 0; i < m.funcs.length; i++) {
    const decl = m.funcs[i]!;
    if (decl.body) yield { index: i, decl, body: decl.body };
  }
}
