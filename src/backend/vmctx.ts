/**
 * The ONE definition of the compiler ⇄ runtime contract:
 *   - the vmctx layout (what compiled code reads at fixed offsets from its first argument),
 *   - the runtime objects vmctx points to (memory, table, global cell, funcref records),
 *   - the compiled module's metadata (`kiln_module`, emitted by the compiler as plain data
 *     with ABS64 relocations, read by the C runtime to instantiate),
 *   - trap codes and their spec messages, and the numeric enums the metadata uses.
 *
 * `generateRuntimeHeader()` turns this file into `kiln_rt.h`; every offset is checked in C
 * with `_Static_assert`, so the TypeScript and C views cannot drift apart silently.
 * `encodeStruct()` lays out one metadata record as bytes + relocations for the ELF writer.
 *
 * All structs use natural alignment (LP64: pointers and u64 are 8 bytes, 8-aligned) and
 * are little-endian on both targets.
 *
 * What the compiled object must provide
 * -------------------------------------
 * - One global data symbol `kiln_module` (SYMBOLS.module) of type `struct kiln_module`; all
 *   other records it points to may be local symbols. Pointers are ABS64 relocations
 *   (`x64-abs64` / `a64-abs64`), so the metadata is plain data.
 * - All compiled code in one text range [code_start, code_end); trap-table offsets are
 *   relative to code_start and sorted. x86-64 trap instructions must be `ud2` (SIGILL
 *   reports the PC of the instruction; `int3` would not); AArch64 uses `udf`/`brk`.
 * - Per distinct signature an array-call trampoline of type `kiln_array_call_fn`:
 *   `void (*)(void *code, kiln_vmctx *vmctx, const uint64_t *args, uint64_t *results)`.
 *   NOTE: it takes the callee's code pointer first (unlike the brief's 3-argument form),
 *   so ONE trampoline per signature serves every function of that signature, including
 *   re-exported imports and host functions; it calls `code(vmctx, args...)` and stores the
 *   results. Every function export lists the trampoline of its signature.
 *
 * How compiled code reaches things (vmctx = first argument)
 * ---------------------------------------------------------
 * - memory 0: base at VMCTX.mem0Base, byte size at VMCTX.mem0Bound (both always current,
 *   also for an imported memory grown by another instance); memory i>0:
 *   `vmctx->memories[i]->base / ->bound`. Bases never move.
 * - global i: `vmctx->globals[i]` points at a 16-byte cell (value from byte 0).
 * - table i: `vmctx->tables[i]->elems[idx]` (reload `elems` after any call), size at
 *   TABLE.size (u64). A funcref element is a `kiln_funcref*`, NULL = null.
 * - call_indirect: bounds check (OutOfBoundsTableAccess), NULL check (UninitializedElement),
 *   then `elem->sig_id == vmctx->sig_ids[typeidx]` (IndirectCallTypeMismatch): one compare,
 *   ids are canonical process-wide (identical signatures, whatever module, same id).
 * - function i (imported or not): `vmctx->funcs[i]` = (code, vmctx) pair; an import call
 *   passes funcs[i].vmctx as the callee's first argument. `ref.func i` = &vmctx->funcs[i].
 *   Direct calls to defined functions may call the symbol and pass the caller's vmctx.
 * - stack: prologue traps CallStackExhausted when sp < vmctx->stack_limit (frames over
 *   STACK_FRAME_UNCHECKED bytes compare sp - frame_size); the limit keeps
 *   STACK_SAFETY_MARGIN bytes for the trap call and runtime helpers.
 * - runtime helpers: RUNTIME_FUNCTIONS (kiln_trap is noreturn; memory.grow etc.).
 *
 * Several instances per process (spec `register`, cross-module imports)
 * ---------------------------------------------------------------------
 * Every instance has its own vmctx; imports are resolved at instantiation to the exporting
 * instance's objects (funcref pair, memory/table object, global cell), so nothing in the
 * compiled code depends on where an import comes from. A multi-module executable links
 * one object per module, each defining its metadata under a distinct global symbol
 * (e.g. `kiln_module_3`, every other global symbol prefixed likewise), and
 * `linkExecutable({ modules: [...] })` generates the `kiln_modules[]` list the spec
 * driver's `module K` command instantiates from.
 */

/** Bump when any layout below changes; the runtime refuses modules with another version. */
export const KILN_ABI_VERSION = 1;

export const WASM_PAGE_SIZE = 65536;

/** Bytes of address space reserved per 32-bit memory in guard mode: 8 GiB (base + u32 index + u32 offset) … */
export const GUARD_RESERVATION = 8n * 1024n * 1024n * 1024n;
/** … plus this much extra PROT_NONE so accesses up to 16 bytes wide at the very end still fault. */
export const GUARD_TAIL = 2n * 1024n * 1024n;

/**
 * Bytes between `vmctx.stack_limit` and the real end of the wasm stack. A prologue that finds
 * `sp >= stack_limit` may use up to this much stack (its frame plus calls into the runtime,
 * e.g. `kiln_trap`) without checking again. Frames larger than KILN_STACK_FRAME_UNCHECKED
 * must compare `sp - frame_size` instead of `sp`.
 */
export const STACK_SAFETY_MARGIN = 256 * 1024;
export const STACK_FRAME_UNCHECKED = 64 * 1024;

// ---------------------------------------------------------------------------------------
// Trap codes: ONE source of truth, src/ir/traps.ts (numbers and spec messages). This file
// re-exports them for the runtime contract and adds only the C macro names; the generated
// header's KILN_TRAP_* and KILN_TRAP_MESSAGES come from there.
// ---------------------------------------------------------------------------------------

import { TRAP_MESSAGES } from '../ir/traps.js';
export { TrapCode, TRAP_MESSAGES } from '../ir/traps.js';

/** C macro suffix per trap code (index = code); checked against TRAP_MESSAGES' length. */
const TRAP_C_NAMES = [
  'NONE',
  'UNREACHABLE',
  'INT_DIV_BY_ZERO',
  'INT_OVERFLOW',
  'INVALID_CONVERSION',
  'OOB_MEMORY',
  'OOB_TABLE',
  'UNDEFINED_ELEMENT',
  'UNINITIALIZED_ELEMENT',
  'INDIRECT_CALL_TYPE_MISMATCH',
  'STACK_EXHAUSTED',
];

// ---------------------------------------------------------------------------------------
// Enums used inside the metadata.
// ---------------------------------------------------------------------------------------

/** Value types use their wasm binary encodings. */
export const ValType = { I32: 0x7f, I64: 0x7e, F32: 0x7d, F64: 0x7c, V128: 0x7b, FuncRef: 0x70, ExternRef: 0x6f } as const;
/** External kinds use their wasm binary encodings. */
export const ExternKind = { Func: 0, Table: 1, Memory: 2, Global: 3 } as const;
/** kiln_module.flags */
export const ModuleFlags = { ExplicitBounds: 1 } as const;
/** kiln_memory_desc.flags / kiln_memory.flags / kiln_table_desc.flags */
export const LimitFlags = { HasMax: 1, Is64: 2, Shared: 4, Imported: 8 } as const;
/** kiln_global_desc.init_kind */
export const GlobalInit = { Const: 0, GlobalGet: 1, RefFunc: 2, RefNull: 3, Import: 4 } as const;
/** kiln_data_seg.mode / kiln_elem_seg.mode */
export const SegMode = { Active: 0, Passive: 1, Declarative: 2 } as const;
/** Offset expression of an active segment: a constant or `global.get` of an (imported) global. */
export const OffsetKind = { Const: 0, GlobalGet: 1 } as const;
/** kiln_elem_item.kind */
export const ElemItem = { RefFunc: 0, RefNull: 1, GlobalGet: 2 } as const;

// ---------------------------------------------------------------------------------------
// Struct layouts.
// ---------------------------------------------------------------------------------------

export type FieldType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64' | 'ptr';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** C type for 'ptr' fields (defaults to `void *`). */
  ctype?: string;
  doc?: string;
}

export interface StructDef {
  name: string;
  doc: string;
  fields: FieldDef[];
}

const SIZES: Record<FieldType, number> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8, ptr: 8 };
const CTYPES: Record<FieldType, string> = {
  u8: 'uint8_t',
  u16: 'uint16_t',
  u32: 'uint32_t',
  i32: 'int32_t',
  u64: 'uint64_t',
  i64: 'int64_t',
  ptr: 'void *',
};

/** Runtime objects compiled code touches through vmctx. */
const RUNTIME_STRUCTS: StructDef[] = [
  {
    name: 'kiln_vmctx',
    doc: 'Per-instance context; passed as the first argument of every compiled function.',
    fields: [
      { name: 'mem0_base', type: 'ptr', ctype: 'uint8_t *', doc: 'memory 0 base (never moves for the life of the memory)' },
      { name: 'mem0_bound', type: 'u64', doc: 'memory 0 current size in bytes (kept current by the runtime, also when memory 0 is imported and grown elsewhere)' },
      { name: 'stack_limit', type: 'u64', doc: 'prologues trap "call stack exhausted" when sp < stack_limit' },
      { name: 'memories', type: 'ptr', ctype: 'struct kiln_memory **', doc: 'per memory index (imports first): the owning memory object' },
      { name: 'globals', type: 'ptr', ctype: 'struct kiln_global_cell **', doc: 'per global index: pointer to its 16-byte cell' },
      { name: 'tables', type: 'ptr', ctype: 'struct kiln_table **', doc: 'per table index: the owning table object' },
      { name: 'funcs', type: 'ptr', ctype: 'struct kiln_funcref *', doc: 'per function index (imports first): (code, vmctx, sig id); ref.func i = &funcs[i]' },
      { name: 'sig_ids', type: 'ptr', ctype: 'const uint32_t *', doc: 'per module type index: process-wide canonical signature id' },
      { name: 'instance', type: 'ptr', ctype: 'struct kiln_instance *', doc: 'runtime-private instance state' },
      { name: 'module', type: 'ptr', ctype: 'const struct kiln_module *' },
      { name: 'wasi', type: 'ptr', doc: 'WASI state (runtime-private)' },
      { name: 'trap_code', type: 'u32', doc: 'last trap code (debugging aid)' },
      { name: 'reserved0', type: 'u32' },
    ],
  },
  {
    name: 'kiln_memory',
    doc: 'A memory instance; compiled code reads base/bound for memories other than 0.',
    fields: [
      { name: 'base', type: 'ptr', ctype: 'uint8_t *' },
      { name: 'bound', type: 'u64', doc: 'current size in bytes' },
      { name: 'pages', type: 'u64' },
      { name: 'max_pages', type: 'u64', doc: 'effective maximum (declared max, or the index-type limit)' },
      { name: 'reserved', type: 'u64', doc: 'bytes of address space reserved at base' },
      { name: 'flags', type: 'u32' },
      { name: 'nmirrors', type: 'u32' },
      { name: 'mirrors', type: 'ptr', ctype: 'struct kiln_vmctx **', doc: 'vmctxs caching this memory as memory 0' },
    ],
  },
  {
    name: 'kiln_table',
    doc: 'A table instance. elems may move when the table grows: reload it after any call.',
    fields: [
      { name: 'elems', type: 'ptr', ctype: 'void **', doc: 'funcref: struct kiln_funcref * (NULL = null); externref: opaque' },
      { name: 'size', type: 'u64' },
      { name: 'max', type: 'u64' },
      { name: 'capacity', type: 'u64' },
      { name: 'elem_type', type: 'u8' },
    ],
  },
  {
    name: 'kiln_global_cell',
    doc: 'Storage of one global: value little-endian from byte 0 (refs are pointers).',
    fields: [
      { name: 'lo', type: 'u64' },
      { name: 'hi', type: 'u64' },
    ],
  },
  {
    name: 'kiln_funcref',
    doc: 'A function reference: what call_indirect and import calls go through.',
    fields: [
      { name: 'code', type: 'ptr', ctype: 'void *' },
      { name: 'vmctx', type: 'ptr', ctype: 'struct kiln_vmctx *', doc: 'callee vmctx to pass as first argument' },
      { name: 'sig_id', type: 'u32' },
      { name: 'func_index', type: 'u32' },
    ],
  },
];

/** Metadata the compiler emits (read-only data + ABS64 relocations). */
const METADATA_STRUCTS: StructDef[] = [
  {
    name: 'kiln_functype',
    doc: 'One function type; params/results are arrays of ValType bytes.',
    fields: [
      { name: 'nparams', type: 'u32' },
      { name: 'nresults', type: 'u32' },
      { name: 'params', type: 'ptr', ctype: 'const uint8_t *' },
      { name: 'results', type: 'ptr', ctype: 'const uint8_t *' },
    ],
  },
  {
    name: 'kiln_import',
    doc: 'One import. index: type index (func) or the index in its own space (table/memory/global).',
    fields: [
      { name: 'module', type: 'ptr', ctype: 'const char *' },
      { name: 'name', type: 'ptr', ctype: 'const char *' },
      { name: 'module_len', type: 'u32' },
      { name: 'name_len', type: 'u32' },
      { name: 'kind', type: 'u8' },
      { name: 'index', type: 'u32' },
    ],
  },
  {
    name: 'kiln_memory_desc',
    doc: 'A memory declaration (imported ones carry LimitFlags.Imported and their import index).',
    fields: [
      { name: 'min_pages', type: 'u64' },
      { name: 'max_pages', type: 'u64' },
      { name: 'flags', type: 'u32' },
      { name: 'import_index', type: 'u32' },
    ],
  },
  {
    name: 'kiln_table_desc',
    doc: 'A table declaration.',
    fields: [
      { name: 'min', type: 'u64' },
      { name: 'max', type: 'u64' },
      { name: 'flags', type: 'u32' },
      { name: 'import_index', type: 'u32' },
      { name: 'elem_type', type: 'u8' },
    ],
  },
  {
    name: 'kiln_global_desc',
    doc: 'A global: type, mutability and initializer (GlobalInit kind, index, constant bits).',
    fields: [
      { name: 'valtype', type: 'u8' },
      { name: 'mutable_', type: 'u8' },
      { name: 'init_kind', type: 'u8' },
      { name: 'init_index', type: 'u32', doc: 'global index (GlobalGet) or function index (RefFunc)' },
      { name: 'import_index', type: 'u32' },
      { name: 'init_lo', type: 'u64' },
      { name: 'init_hi', type: 'u64' },
    ],
  },
  {
    name: 'kiln_data_seg',
    doc: 'A data segment. offset: constant, or a global index when offset_kind is GlobalGet.',
    fields: [
      { name: 'mode', type: 'u8' },
      { name: 'offset_kind', type: 'u8' },
      { name: 'memory', type: 'u32' },
      { name: 'offset', type: 'u64' },
      { name: 'bytes', type: 'ptr', ctype: 'const uint8_t *' },
      { name: 'len', type: 'u64' },
    ],
  },
  {
    name: 'kiln_elem_item',
    doc: 'One element expression: ref.func index, ref.null, or global.get index.',
    fields: [
      { name: 'kind', type: 'u8' },
      { name: 'index', type: 'u32' },
    ],
  },
  {
    name: 'kiln_elem_seg',
    doc: 'An element segment.',
    fields: [
      { name: 'mode', type: 'u8' },
      { name: 'offset_kind', type: 'u8' },
      { name: 'elem_type', type: 'u8' },
      { name: 'table', type: 'u32' },
      { name: 'offset', type: 'u64' },
      { name: 'count', type: 'u32' },
      { name: 'items', type: 'ptr', ctype: 'const struct kiln_elem_item *' },
    ],
  },
  {
    name: 'kiln_export',
    doc: 'An export. For functions: code (NULL for a re-exported import) and the array-call trampoline of its signature.',
    fields: [
      { name: 'name', type: 'ptr', ctype: 'const char *' },
      { name: 'name_len', type: 'u32' },
      { name: 'kind', type: 'u8' },
      { name: 'index', type: 'u32' },
      { name: 'code', type: 'ptr', ctype: 'void *' },
      { name: 'array_call', type: 'ptr', ctype: 'kiln_array_call_fn' },
    ],
  },
  {
    name: 'kiln_trap_site',
    doc: 'A trap table entry: offset from code_start of a faulting/trapping instruction.',
    fields: [
      { name: 'offset', type: 'u32' },
      { name: 'code', type: 'u32' },
    ],
  },
  {
    name: 'kiln_module',
    doc: 'The compiled module: exported by the object file as the global symbol `kiln_module`.',
    fields: [
      { name: 'abi_version', type: 'u32' },
      { name: 'flags', type: 'u32', doc: 'ModuleFlags' },
      { name: 'ntypes', type: 'u32' },
      { name: 'nimports', type: 'u32' },
      { name: 'types', type: 'ptr', ctype: 'const struct kiln_functype *' },
      { name: 'imports', type: 'ptr', ctype: 'const struct kiln_import *' },
      { name: 'nfuncs', type: 'u32', doc: 'all functions, imported first' },
      { name: 'nimported_funcs', type: 'u32' },
      { name: 'func_types', type: 'ptr', ctype: 'const uint32_t *', doc: 'type index per function index' },
      { name: 'func_code', type: 'ptr', ctype: 'void *const *', doc: 'code per defined function (index - nimported_funcs)' },
      { name: 'nmemories', type: 'u32' },
      { name: 'ntables', type: 'u32' },
      { name: 'memories', type: 'ptr', ctype: 'const struct kiln_memory_desc *' },
      { name: 'tables', type: 'ptr', ctype: 'const struct kiln_table_desc *' },
      { name: 'nglobals', type: 'u32' },
      { name: 'ndata', type: 'u32' },
      { name: 'globals', type: 'ptr', ctype: 'const struct kiln_global_desc *' },
      { name: 'data', type: 'ptr', ctype: 'const struct kiln_data_seg *' },
      { name: 'nelems', type: 'u32' },
      { name: 'nexports', type: 'u32' },
      { name: 'elems', type: 'ptr', ctype: 'const struct kiln_elem_seg *' },
      { name: 'exports', type: 'ptr', ctype: 'const struct kiln_export *' },
      { name: 'start_func', type: 'i32', doc: '-1: none' },
      { name: 'ntraps', type: 'u32' },
      { name: 'traps', type: 'ptr', ctype: 'const struct kiln_trap_site *', doc: 'sorted by offset' },
      { name: 'code_start', type: 'ptr', ctype: 'const uint8_t *', doc: 'first byte of compiled code' },
      { name: 'code_end', type: 'ptr', ctype: 'const uint8_t *', doc: 'one past the last byte of compiled code' },
      { name: 'name', type: 'ptr', ctype: 'const char *', doc: 'NUL-terminated module name for messages (may be NULL)' },
    ],
  },
];

export const STRUCTS: readonly StructDef[] = [...RUNTIME_STRUCTS, ...METADATA_STRUCTS];

export interface FieldLayout {
  offset: number;
  size: number;
  type: FieldType;
}

export interface StructLayout {
  name: string;
  size: number;
  align: number;
  fields: ReadonlyMap<string, FieldLayout>;
}

function computeLayout(def: StructDef): StructLayout {
  let off = 0;
  let align = 1;
  const fields = new Map<string, FieldLayout>();
  for (const f of def.fields) {
    const size = SIZES[f.type];
    off = (off + size - 1) & ~(size - 1);
    fields.set(f.name, { offset: off, size, type: f.type });
    off += size;
    align = Math.max(align, size);
  }
  return { name: def.name, size: (off + align - 1) & ~(align - 1), align, fields };
}

const LAYOUTS = new Map(STRUCTS.map((s) => [s.name, computeLayout(s)]));

export function layoutOf(name: string): StructLayout {
  const l = LAYOUTS.get(name);
  if (!l) throw new Error(`unknown runtime struct ${name}`);
  return l;
}

export function fieldOffset(struct: string, field: string): number {
  const f = layoutOf(struct).fields.get(field);
  if (!f) throw new Error(`unknown field ${struct}.${field}`);
  return f.offset;
}

/** vmctx offsets compiled code uses (see the kiln_vmctx field docs). */
export const VMCTX = {
  mem0Base: fieldOffset('kiln_vmctx', 'mem0_base'),
  mem0Bound: fieldOffset('kiln_vmctx', 'mem0_bound'),
  stackLimit: fieldOffset('kiln_vmctx', 'stack_limit'),
  memories: fieldOffset('kiln_vmctx', 'memories'),
  globals: fieldOffset('kiln_vmctx', 'globals'),
  tables: fieldOffset('kiln_vmctx', 'tables'),
  funcs: fieldOffset('kiln_vmctx', 'funcs'),
  sigIds: fieldOffset('kiln_vmctx', 'sig_ids'),
} as const;

export const MEMORY = { base: fieldOffset('kiln_memory', 'base'), bound: fieldOffset('kiln_memory', 'bound') } as const;
export const TABLE = { elems: fieldOffset('kiln_table', 'elems'), size: fieldOffset('kiln_table', 'size') } as const;
export const FUNCREF = {
  code: fieldOffset('kiln_funcref', 'code'),
  vmctx: fieldOffset('kiln_funcref', 'vmctx'),
  sigId: fieldOffset('kiln_funcref', 'sig_id'),
  size: layoutOf('kiln_funcref').size,
} as const;
export const GLOBAL_CELL_SIZE = layoutOf('kiln_global_cell').size;

/** Symbols: what the compiled object defines and what runtime functions it may call. */
export const SYMBOLS = {
  /** The module metadata (global data symbol of type `struct kiln_module`). */
  module: 'kiln_module',
  /** Runtime entry points compiled code may call (C ABI; see RUNTIME_FUNCTIONS). */
  trap: 'kiln_trap',
  memoryGrow: 'kiln_memory_grow',
  memorySize: 'kiln_memory_size',
  memoryFill: 'kiln_memory_fill',
  memoryCopy: 'kiln_memory_copy',
  memoryInit: 'kiln_memory_init',
  dataDrop: 'kiln_data_drop',
  tableGrow: 'kiln_table_grow',
  tableSize: 'kiln_table_size',
  tableGet: 'kiln_table_get',
  tableSet: 'kiln_table_set',
  tableFill: 'kiln_table_fill',
  tableCopy: 'kiln_table_copy',
  tableInit: 'kiln_table_init',
  elemDrop: 'kiln_elem_drop',
} as const;

/** C prototypes of the runtime functions compiled code may call (emitted into kiln_rt.h). */
export const RUNTIME_FUNCTIONS: readonly string[] = [
  '_Noreturn void kiln_trap(struct kiln_vmctx *vmctx, uint32_t code)',
  '/* returns the old size in pages, or UINT64_MAX (i32: 0xFFFFFFFF = -1) without side effects */\nuint64_t kiln_memory_grow(struct kiln_vmctx *vmctx, uint32_t mem, uint64_t delta_pages)',
  'uint64_t kiln_memory_size(struct kiln_vmctx *vmctx, uint32_t mem)',
  'void kiln_memory_fill(struct kiln_vmctx *vmctx, uint32_t mem, uint64_t dst, uint32_t value, uint64_t len)',
  'void kiln_memory_copy(struct kiln_vmctx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst, uint64_t src, uint64_t len)',
  'void kiln_memory_init(struct kiln_vmctx *vmctx, uint32_t mem, uint32_t seg, uint64_t dst, uint32_t src, uint32_t len)',
  'void kiln_data_drop(struct kiln_vmctx *vmctx, uint32_t seg)',
  '/* returns the old size, or UINT64_MAX (i32: -1) */\nuint64_t kiln_table_grow(struct kiln_vmctx *vmctx, uint32_t table, void *init, uint64_t delta)',
  'uint64_t kiln_table_size(struct kiln_vmctx *vmctx, uint32_t table)',
  'void *kiln_table_get(struct kiln_vmctx *vmctx, uint32_t table, uint64_t index)',
  'void kiln_table_set(struct kiln_vmctx *vmctx, uint32_t table, uint64_t index, void *value)',
  'void kiln_table_fill(struct kiln_vmctx *vmctx, uint32_t table, uint64_t dst, void *value, uint64_t len)',
  'void kiln_table_copy(struct kiln_vmctx *vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst, uint64_t src, uint64_t len)',
  'void kiln_table_init(struct kiln_vmctx *vmctx, uint32_t table, uint32_t seg, uint64_t dst, uint32_t src, uint32_t len)',
  'void kiln_elem_drop(struct kiln_vmctx *vmctx, uint32_t seg)',
];

// ---------------------------------------------------------------------------------------
// Encoding metadata records (for the ELF writer).
// ---------------------------------------------------------------------------------------

/** A pointer field's value: address of `symbol` + `addend` (emitted as an ABS64 relocation). */
export interface SymbolRef {
  symbol: string;
  addend?: number;
}

export type FieldValue = number | bigint | SymbolRef | null;

export interface EncodedStruct {
  bytes: Uint8Array;
  /** ABS64 relocations, offsets relative to the start of `bytes`. */
  relocs: { offset: number; symbol: string; addend: number }[];
}

/**
 * Lays out one record of `struct` (fields not given are zero; `null` pointers are zero).
 * Integers are stored little-endian; pointer fields take a SymbolRef (or null).
 */
export function encodeStruct(struct: string, values: Record<string, FieldValue>): EncodedStruct {
  const layout = layoutOf(struct);
  const bytes = new Uint8Array(layout.size);
  const view = new DataView(bytes.buffer);
  const relocs: EncodedStruct['relocs'] = [];
  for (const [name, v] of Object.entries(values)) {
    const f = layout.fields.get(name);
    if (!f) throw new Error(`unknown field ${struct}.${name}`);
    if (v === null) continue;
    if (typeof v === 'object') {
      if (f.type !== 'ptr') throw new Error(`${struct}.${name} is not a pointer`);
      relocs.push({ offset: f.offset, symbol: v.symbol, addend: v.addend ?? 0 });
      continue;
    }
    if (typeof v === 'number' && (f.size === 1 || f.size === 2 || f.size === 4) && Number.isSafeInteger(v)) {
      // The BigInt.asUintN(size * 8) of a safe integer, without BigInts.
      if (f.size === 1) view.setUint8(f.offset, v & 0xff);
      else if (f.size === 2) view.setUint16(f.offset, v & 0xffff, true);
      else view.setUint32(f.offset, v >>> 0, true);
      continue;
    }
    const big = BigInt(v);
    switch (f.size) {
      case 1:
        view.setUint8(f.offset, Number(BigInt.asUintN(8, big)));
        break;
      case 2:
        view.setUint16(f.offset, Number(BigInt.asUintN(16, big)), true);
        break;
      case 4:
        view.setUint32(f.offset, Number(BigInt.asUintN(32, big)), true);
        break;
      default:
        view.setBigUint64(f.offset, BigInt.asUintN(64, big), true);
    }
  }
  return { bytes, relocs };
}

// ---------------------------------------------------------------------------------------
// C header generation.
// ---------------------------------------------------------------------------------------

function enumBlock(prefix: string, values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `#define ${prefix}${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()} ${v}`)
    .join('\n');
}

/** The contents of kiln_rt.h. Deterministic: the runtime cache key hashes it. */
export function generateRuntimeHeader(): string {
  const out: string[] = [];
  out.push('/* kiln_rt.h — GENERATED from src/backend/vmctx.ts by generateRuntimeHeader(). Do not edit. */');
  out.push('#ifndef KILN_RT_H\n#define KILN_RT_H\n#ifndef __ASSEMBLER__\n#include <stddef.h>\n#include <stdint.h>\n#endif\n');
  out.push(`#define KILN_ABI_VERSION ${KILN_ABI_VERSION}`);
  out.push(`#define KILN_PAGE_SIZE ${WASM_PAGE_SIZE}`);
  out.push(`#define KILN_GUARD_RESERVATION ${GUARD_RESERVATION}`);
  out.push(`#define KILN_GUARD_TAIL ${GUARD_TAIL}`);
  out.push(`#define KILN_STACK_SAFETY_MARGIN ${STACK_SAFETY_MARGIN}`);
  out.push(`#define KILN_STACK_FRAME_UNCHECKED ${STACK_FRAME_UNCHECKED}`);
  out.push('');
  if (TRAP_C_NAMES.length !== TRAP_MESSAGES.length) throw new Error('vmctx: TRAP_C_NAMES out of step with src/ir/traps.ts');
  out.push('/* Trap codes (src/ir/traps.ts TrapCode). */');
  TRAP_C_NAMES.forEach((n, i) => out.push(`#define KILN_TRAP_${n} ${i}`));
  out.push(`#define KILN_TRAP_COUNT ${TRAP_C_NAMES.length}`);
  out.push(
    `#define KILN_TRAP_MESSAGES { ${TRAP_MESSAGES.map((m) => JSON.stringify(m)).join(', ')} }`,
  );
  out.push('');
  out.push(enumBlock('KILN_VAL_', ValType));
  out.push(enumBlock('KILN_EXTERN_', ExternKind));
  out.push(enumBlock('KILN_MODULE_', ModuleFlags));
  out.push(enumBlock('KILN_LIMIT_', LimitFlags));
  out.push(enumBlock('KILN_GLOBAL_INIT_', GlobalInit));
  out.push(enumBlock('KILN_SEG_', SegMode));
  out.push(enumBlock('KILN_OFFSET_', OffsetKind));
  out.push(enumBlock('KILN_ELEM_', ElemItem));
  out.push('');
  out.push('/* Field offsets, usable from assembler (KILN_OFF_<struct>_<field>, KILN_SIZEOF_<struct>). */');
  for (const s of STRUCTS) {
    const layout = layoutOf(s.name);
    const short = s.name.replace(/^kiln_/, '');
    for (const f of s.fields) out.push(`#define KILN_OFF_${short}_${f.name} ${layout.fields.get(f.name)!.offset}`);
    out.push(`#define KILN_SIZEOF_${short} ${layout.size}`);
  }
  out.push('');
  out.push('#ifndef __ASSEMBLER__');
  for (const s of STRUCTS) out.push(`struct ${s.name};`);
  out.push('');
  out.push('/* Generic entry into compiled code: one trampoline per signature; args/results are 64-bit');
  out.push(' * slots (v128 takes two, low half first; f32/i32 in the low bits). */');
  out.push('typedef void (*kiln_array_call_fn)(void *code, struct kiln_vmctx *vmctx, const uint64_t *args, uint64_t *results);');
  out.push('');
  for (const s of STRUCTS) {
    const layout = layoutOf(s.name);
    out.push(`/* ${s.doc} (size ${layout.size}) */`);
    out.push(`typedef struct ${s.name} {`);
    for (const f of s.fields) {
      const ct = f.type === 'ptr' ? (f.ctype ?? 'void *') : CTYPES[f.type];
      const sep = ct.endsWith('*') ? '' : ' ';
      const off = layout.fields.get(f.name)!.offset;
      out.push(`  ${ct}${sep}${f.name}; /* @${off}${f.doc ? ': ' + f.doc : ''} */`);
    }
    out.push(`} ${s.name}_t;`);
    for (const f of s.fields) {
      const off = layout.fields.get(f.name)!.offset;
      out.push(`_Static_assert(offsetof(struct ${s.name}, ${f.name}) == ${off}, "${s.name}.${f.name}");`);
    }
    out.push(`_Static_assert(sizeof(struct ${s.name}) == ${layout.size}, "sizeof ${s.name}");`);
    out.push('');
  }
  out.push('/* Runtime functions compiled code may call. */');
  for (const p of RUNTIME_FUNCTIONS) out.push(`${p};`);
  out.push('#endif /* __ASSEMBLER__ */');
  out.push('\n#endif /* KILN_RT_H */\n');
  return out.join('\n');
}
