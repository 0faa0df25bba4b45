/**
 * Runtime objects of the IR interpreter: the store (function, global and table
 * registries, the register stack, externref handles), and the memory, table, global
 * and function instances that instances share by reference when they import each
 * other's exports.
 *
 * Inside the interpreter every value lives in 32-bit words of one register stack
 * (see exec.ts): i32/f32 one word (f32 as raw bits), i64/f64 two words (lo, hi),
 * v128 four words, references one word holding a handle: a function id (index into
 * `Store.funcs`), an externref id (index into `Store.externs`) or -1 for null.
 * Raw bits everywhere is what keeps NaN payloads exact.
 *
 * At the API boundary (`Val`) values are: i32 signed number, i64 signed bigint,
 * f32 u32 bits (number), f64 u64 bits (bigint), v128 16 bytes, funcref FuncInst or
 * null, externref any host value (null is the null reference).
 */
import type { Func } from '../func.js';
import type { IrModule } from '../module.js';
import { trapMessage, type TrapCode } from '../traps.js';
import type { FuncType, RefType, Type } from '../types.js';
import type { Code } from './compile.js';

export type Val = number | bigint | Uint8Array | FuncInst | null | unknown;

/** A Wasm trap: carries the spec's trap code; the message is the spec's text. */
export class Trap extends Error {
  constructor(readonly code: TrapCode) {
    super(trapMessage(code));
    this.name = 'Trap';
  }
}

/** Instantiation failed at link time (the spec's "unlinkable"). */
export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

/** A function implemented in JS. Arguments/results use the JS convention: i32 number, i64 bigint, f32/f64 number, refs as at the API. */
export type HostFn = (...args: any[]) => unknown;

export class FuncInst {
  /** Compiled body, filled on first call. */
  code: Code | undefined;
  constructor(
    readonly id: number,
    readonly type: FuncType,
    /** Store-wide id of the structural type (equal types, equal ids): what call_indirect compares. */
    readonly typeId: number,
    /** For Wasm functions: the owning instance and the IR body. */
    readonly instance: Instance | undefined,
    readonly body: Func | undefined,
    readonly host: HostFn | undefined,
    readonly name: string,
  ) {}
}

export class GlobalInst {
  /** Raw words of the value (up to v128), see the file comment. */
  readonly words = new Int32Array(4);
  constructor(
    readonly type: Type,
    readonly mutable: boolean,
  ) {}
}

/** The part of the JS API's WebAssembly.Memory we use (the project's lib settings have no WebAssembly types). */
export interface WasmMemoryLike {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number }) => WasmMemoryLike } }).WebAssembly.Memory;

export const PAGE = 65536;
export const MAX_PAGES = 65536;

export class MemoryInst {
  buffer!: ArrayBuffer;
  dv!: DataView;
  u8!: Uint8Array;
  /** Backing WebAssembly.Memory when requested (so node:wasi can read it). */
  readonly wasm: WasmMemoryLike | undefined;
  /** Maximum in pages (the declared max, or the wasm32 limit). */
  readonly max: number;

  constructor(
    min: number,
    /** The declared maximum (import matching compares it). */
    readonly declaredMax: number | undefined,
    useWasmMemory = false,
  ) {
    const max = declaredMax;
    this.max = Math.min(max ?? MAX_PAGES, MAX_PAGES);
    if (useWasmMemory) {
      this.wasm = new WasmMemory(max === undefined ? { initial: min } : { initial: min, maximum: this.max });
      this.setBuffer(this.wasm.buffer);
    } else {
      this.wasm = undefined;
      this.setBuffer(new ArrayBuffer(min * PAGE));
    }
  }

  private setBuffer(b: ArrayBuffer): void {
    this.buffer = b;
    this.dv = new DataView(b);
    this.u8 = new Uint8Array(b);
  }

  get pages(): number {
    return this.buffer.byteLength / PAGE;
  }

  /** Wasm memory.grow: old size in pages, or -1 with no change at all. */
  grow(delta: number): number {
    const old = this.pages;
    if (delta < 0 || old + delta > this.max) return -1;
    if (delta === 0) return old;
    try {
      if (this.wasm) {
        this.wasm.grow(delta);
        this.setBuffer(this.wasm.buffer);
      } else {
        const nb = new ArrayBuffer((old + delta) * PAGE);
        new Uint8Array(nb).set(this.u8);
        this.setBuffer(nb);
      }
    } catch {
      return -1; // the host could not allocate: Wasm allows grow to fail
    }
    return old;
  }

  /** Re-read the buffer after someone else grew a WebAssembly.Memory. */
  sync(): void {
    if (this.wasm && this.wasm.buffer !== this.buffer) this.setBuffer(this.wasm.buffer);
  }
}

/** An implementation limit on table size (the spec lets table.grow fail). */
export const MAX_TABLE = 10_000_000;

export class TableInst {
  /** Reference handles (-1 null). */
  elems: number[];
  readonly max: number;
  constructor(
    readonly elemType: RefType,
    min: number,
    /** The declared maximum (import matching compares it). */
    readonly declaredMax: number | undefined,
    init = -1,
  ) {
    this.elems = new Array<number>(min).fill(init);
    this.max = Math.min(declaredMax ?? 0xffffffff, 0xffffffff);
  }
  get size(): number {
    return this.elems.length;
  }
  grow(delta: number, init: number): number {
    const old = this.elems.length;
    if (old + delta > this.max || old + delta > MAX_TABLE) return -1;
    for (let k = 0; k < delta; k++) this.elems.push(init);
    return old;
  }
}

export type ExternVal =
  | { kind: 'func'; value: FuncInst }
  | { kind: 'global'; value: GlobalInst }
  | { kind: 'memory'; value: MemoryInst }
  | { kind: 'table'; value: TableInst };

export interface Instance {
  readonly store: Store;
  readonly module: IrModule;
  readonly funcs: FuncInst[];
  readonly globals: GlobalInst[];
  readonly memories: MemoryInst[];
  readonly tables: TableInst[];
  /** Store type id of each module type. */
  readonly typeIds: number[];
  /** Data segment bytes; null once dropped. */
  readonly data: (Uint8Array | null)[];
  /** Element segment handles; null once dropped. */
  readonly elems: (number[] | null)[];
  readonly exports: Map<string, ExternVal>;
}

/** Default register-stack size in 32-bit words (64 MiB) and call-depth limit. */
export const DEFAULT_STACK_WORDS = 16 << 20;
export const DEFAULT_MAX_DEPTH = 100_000;

export interface StoreOptions {
  stackWords?: number;
  maxDepth?: number;
  /** Back memories with WebAssembly.Memory (needed for node:wasi). */
  wasmMemories?: boolean;
}

/**
 * Everything instances share: ids for functions, structural function types and
 * externrefs, and the register stack the interpreter runs on.
 */
export class Store {
  readonly funcs: FuncInst[] = [];
  readonly externs: unknown[] = [];
  private readonly externIds = new Map<unknown, number>();
  private readonly typeIdMap = new Map<string, number>();
  readonly types: FuncType[] = [];

  readonly stackWords: number;
  readonly maxDepth: number;
  readonly wasmMemories: boolean;
  private stackBuf: ArrayBuffer | undefined;
  /** Views of the register stack (all over one buffer). */
  i32!: Int32Array;
  u32!: Uint32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  i64!: BigInt64Array;
  u8!: Uint8Array;
  dv!: DataView;
  /** Frame stack (see exec.ts): saved pc, fp and function of each active caller. */
  framePc!: Int32Array;
  frameFp!: Int32Array;
  frameFn: (FuncInst | undefined)[] = [];
  /** Words in use on the register stack / frames in use (for re-entrant calls from host functions). */
  sp = 0;
  depth = 0;

  constructor(opts: StoreOptions = {}) {
    this.stackWords = opts.stackWords ?? DEFAULT_STACK_WORDS;
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.wasmMemories = opts.wasmMemories ?? false;
  }

  /** Allocate the register stack on first use. */
  ensureStack(): void {
    if (this.stackBuf) return;
    const b = new ArrayBuffer(this.stackWords * 4);
    this.stackBuf = b;
    this.i32 = new Int32Array(b);
    this.u32 = new Uint32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.i64 = new BigInt64Array(b);
    this.u8 = new Uint8Array(b);
    this.dv = new DataView(b);
    this.framePc = new Int32Array(this.maxDepth + 1);
    this.frameFp = new Int32Array(this.maxDepth + 1);
    this.frameFn = new Array(this.maxDepth + 1).fill(undefined);
  }

  typeId(t: FuncType): number {
    const key = `${t.params.join(',')}>${t.results.join(',')}`;
    let id = this.typeIdMap.get(key);
    if (id === undefined) {
      id = this.types.length;
      this.types.push(t);
      this.typeIdMap.set(key, id);
    }
    return id;
  }

  externId(v: unknown): number {
    if (v === null || v === undefined) return -1;
    let id = this.externIds.get(v);
    if (id === undefined) {
      id = this.externs.length;
      this.externs.push(v);
      this.externIds.set(v, id);
    }
    return id;
  }

  newFunc(type: FuncType, instance: Instance | undefined, body: Func | undefined, host: HostFn | undefined, name: string): FuncInst {
    const f = new FuncInst(this.funcs.length, type, this.typeId(type), instance, body, host, name);
    this.funcs.push(f);
    return f;
  }

  /** A host function usable as an import. */
  hostFunc(type: FuncType, fn: HostFn, name = 'host'): FuncInst {
    return this.newFunc(type, undefined, undefined, fn, name);
  }

  /** Reference handle for an API reference value of type `t`. */
  refHandle(t: Type, v: unknown): number {
    if (v === null || v === undefined) return -1;
    if (t === 'funcref') {
      if (!(v instanceof FuncInst)) throw new TypeError('funcref value must be a function instance');
      return v.id;
    }
    return this.externId(v);
  }

  /** API reference value of handle `h`. */
  refValue(t: Type, h: number): unknown {
    if (h < 0) return null;
    return t === 'funcref' ? this.funcs[h]! : this.externs[h];
  }
}

/** Words a value of type `t` occupies in a register/global (slots are rounded up to 2 words). */
export function typeWords(t: Type): number {
  switch (t) {
    case 'i64':
    case 'f64':
      return 2;
    case 'v128':
      return 4;
    default:
      return 1;
  }
}

/** Write API value `v` of type `t` into words at `w` of a view triple. */
export function writeVal(store: Store, i32: Int32Array, w: number, t: Type, v: Val): void {
  switch (t) {
    case 'i32':
      i32[w] = Number(v) | 0;
      return;
    case 'f32':
      i32[w] = Number(v) | 0;
      return;
    case 'i64':
    case 'f64': {
      const x = BigInt.asUintN(64, v as bigint);
      i32[w] = Number(x & 0xffffffffn) | 0;
      i32[w + 1] = Number(x >> 32n) | 0;
      return;
    }
    case 'v128': {
      const b = v as Uint8Array;
      for (let k = 0; k < 4; k++) i32[w + k] = b[4 * k]! | (b[4 * k + 1]! << 8) | (b[4 * k + 2]! << 16) | (b[4 * k + 3]! << 24);
      return;
    }
    default:
      i32[w] = store.refHandle(t, v);
  }
}

/** Read the API value of type `t` from words at `w`. */
export function readVal(store: Store, i32: Int32Array, w: number, t: Type): Val {
  switch (t) {
    case 'i32':
      return i32[w]!;
    case 'f32':
      return i32[w]! >>> 0;
    case 'i64':
      return BigInt.asIntN(64, (BigInt(i32[w + 1]!) << 32n) | BigInt(i32[w]! >>> 0));
    case 'f64':
      return (BigInt(i32[w + 1]! >>> 0) << 32n) | BigInt(i32[w]! >>> 0);
    case 'v128': {
      const out = new Uint8Array(16);
      for (let k = 0; k < 4; k++) {
        const x = i32[w + k]!;
        out[4 * k] = x & 0xff;
        out[4 * k + 1] = (x >>> 8) & 0xff;
        out[4 * k + 2] = (x >>> 16) & 0xff;
        out[4 * k + 3] = x >>> 24;
      }
      return out;
    }
    default:
      return store.refValue(t, i32[w]!);
  }
}

const cf32 = new Float32Array(1);
const ci32 = new Int32Array(cf32.buffer);
const cf64 = new Float64Array(1);
const ci64 = new Int32Array(cf64.buffer);

/** Read a value in the JS convention for host functions (floats as numbers). */
export function readHostVal(store: Store, i32: Int32Array, w: number, t: Type): unknown {
  switch (t) {
    case 'i32':
      return i32[w]!;
    case 'f32':
      ci32[0] = i32[w]!;
      return cf32[0]!;
    case 'f64':
      ci64[0] = i32[w]!;
      ci64[1] = i32[w + 1]!;
      return cf64[0]!;
    default:
      return readVal(store, i32, w, t);
  }
}

/** Write a host function result (JS convention) of type `t`. */
export function writeHostVal(store: Store, i32: Int32Array, w: number, t: Type, v: unknown): void {
  switch (t) {
    case 'i32':
      i32[w] = Number(v) | 0;
      return;
    case 'i64':
      writeVal(store, i32, w, t, BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
      return;
    case 'f32':
      cf32[0] = Number(v);
      i32[w] = ci32[0]!;
      return;
    case 'f64':
      cf64[0] = Number(v);
      i32[w] = ci64[0]!;
      i32[w + 1] = ci64[1]!;
      return;
    default:
      writeVal(store, i32, w, t, v as Val);
  }
}

/** Read a global's value at the API. */
export function globalValue(store: Store, g: GlobalInst): Val {
  return readVal(store, g.words, 0, g.type);
}

export function setGlobalValue(store: Store, g: GlobalInst, v: Val): void {
  writeVal(store, g.words, 0, g.type, v);
}
