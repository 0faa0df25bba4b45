/**
 * The compiler driver, target-agnostic:
 *
 *   ValidatedModule ─ translateDecls ─▶ declarations (no bodies)
 *   per defined function i, independently:
 *       validate + translate body i ─ pipeline (-O) ─▶ <target>.compileFunction
 *       (isel → regalloc → emit) ─▶ FinishedCode
 *   + one array-call trampoline per exported signature ─ object.ts ─▶ ObjectFile ─ elf.ts ─▶ bytes
 *
 * A target is one entry of BACKENDS (a `TargetBackend`). Output is deterministic: a
 * function's machine code depends only on the module and its index (never on which
 * functions were compiled before it, in which thread, or in what order), and functions
 * and trampolines are placed in index / first-use order. That is what lets parallel.ts
 * compile functions in worker threads with byte-identical output for any job count.
 *
 * What one function's compilation sees of the rest of the module is `CompileUnit.decls`:
 * the declarations only. A pass that needs another function's IR (an inliner wanting
 * a callee's unoptimised body) must get it with `unitBody(unit, k)`, which every thread
 * can answer for any k because every thread holds the whole validated module.
 */

import type { ValidatedModule } from '../frontend/validate.js';
import { validateFunction } from '../frontend/validate.js';
import { translateDecls, translateValidated } from '../frontend/translate.js';
import type { FinishedCode } from './codebuf.js';
import { writeElfObject, type ElfMachine } from './elf.js';
import { buildObject, sigKey, type CodeFunc } from './object.js';
import type { Func } from '../ir/func.js';
import type { IrModule } from '../ir/module.js';
import { runPipeline, type OptLevel } from '../ir/pipeline.js';
import { InlineCallees, MAX_INLINE_BODY_BYTES } from '../ir/passes/inline.js';
import { explicitBoundsChecks } from '../ir/passes/check-elim.js';
import type { FuncType } from '../ir/types.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { regallocClock } from './regalloc/index.js';
import { X64_BACKEND } from './x64/emit.js';
import { A64_BACKEND } from './arm64/emit.js';

export class CompileError extends Error {
  override name = 'CompileError';
}

export type BoundsMode = 'guard' | 'explicit';

export interface CompileOptions {
  target: KilnTarget;
  optLevel?: OptLevel;
  bounds?: BoundsMode;
  /** Global symbol of the module metadata (multi-module executables use `kiln_module_K`). */
  moduleSymbol?: string;
  /** Run the register-allocation checker on every function (tests). */
  checkAlloc?: boolean;
}

export interface FunctionStats {
  spills: number;
  reloads: number;
}

/**
 * Milliseconds per compilation stage (decode+validate happens before the driver). With
 * several jobs the per-function stages are sums over all threads (CPU time, roughly),
 * not wall time.
 */
export interface StageTimes {
  translate: number;
  passes: number;
  isel: number;
  regalloc: number;
  emit: number;
  /** Array-call trampolines, all stages. */
  trampolines: number;
  /** Object layout and the ELF writer. */
  object: number;
}

export interface CompileStats {
  functions: number;
  trampolines: number;
  codeBytes: number;
  objectBytes: number;
  spills: number;
  reloads: number;
  /** Threads that compiled functions (1: in-process only). */
  jobs: number;
  /** Per-stage times; `translate` is 0 when the driver is handed IR. */
  times: StageTimes;
}

export const emptyTimes = (): StageTimes => ({ translate: 0, passes: 0, isel: 0, regalloc: 0, emit: 0, trampolines: 0, object: 0 });

export function addTimes(into: StageTimes, t: StageTimes): void {
  for (const k of Object.keys(into) as (keyof StageTimes)[]) into[k] += t[k];
}

export interface CompileResult {
  object: Uint8Array;
  stats: CompileStats;
}

/** What a target provides to the driver. */
export interface TargetBackend {
  readonly target: KilnTarget;
  readonly machine: ElfMachine;
  /** Filler byte between functions. */
  readonly padByte: number;
  /** Throws CompileError for what the target cannot compile (e.g. SIMD). */
  checkModule(m: IrModule): void;
  /** True if compileFunction honours `bounds: 'explicit'` (otherwise the driver rejects it). */
  readonly explicitBounds?: boolean;
  compileFunction(m: IrModule, funcIndex: number, f: Func, symbolOf: (funcIndex: number) => string, opts: { checkAlloc?: boolean; bounds?: BoundsMode }): { code: FinishedCode; stats: FunctionStats };
  compileTrampoline(sig: FuncType, symbol: string): FinishedCode;
}

export const BACKENDS: Partial<Record<KilnTarget, TargetBackend>> = {
  x86_64: X64_BACKEND,
  aarch64: A64_BACKEND,
};

/** Deterministic local symbol names from the wasm name section (deduplicated, never a runtime name). */
export function functionSymbols(m: IrModule, reserved: ReadonlySet<string>): string[] {
  const used = new Set(reserved);
  return m.funcs.map((f, i) => {
    let base = f.name && f.name.length > 0 ? f.name.replace(/\0/g, '') : `f${i}`;
    if (base.startsWith('kiln_') || base.startsWith('.') || base === '') base = `wasm.${base}`;
    let name = base;
    if (used.has(name)) name = `${base}.${i}`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    return name;
  });
}

/**
 * Everything one function's compilation reads. Built the same way from the same inputs in
 * the main thread and in every worker, so all of them compile a function identically.
 */
export interface CompileUnit {
  backend: TargetBackend;
  opts: CompileOptions;
  /** The module as passes and instruction selection see it (declarations; bodies absent in the parallel driver). */
  decls: IrModule;
  /** Symbol of every function (imports included), from `functionSymbols`. */
  symbols: string[];
  /** Exported signatures needing an array-call trampoline, in first-export order, and their symbols. */
  trampolines: { key: string; sig: FuncType; symbol: string }[];
  /** The validated module, when compiling from wasm (absent for `compileIrModule`). */
  vm?: ValidatedModule;
}

function backendFor(opts: CompileOptions): TargetBackend {
  const backend = BACKENDS[opts.target];
  if (!backend) throw new CompileError(`no backend for target ${opts.target}`);
  if (opts.bounds === 'explicit' && !backend.explicitBounds) throw new CompileError(`--bounds explicit is not yet supported for ${opts.target}`);
  return backend;
}

/** The unit for `decls`: symbols and trampolines, after the module-level target checks. */
export function makeUnit(decls: IrModule, opts: CompileOptions, vm?: ValidatedModule): CompileUnit {
  const backend = backendFor(opts);
  backend.checkModule(decls);
  const sigs = new Map<string, FuncType>();
  for (const e of decls.exports) {
    if (e.kind !== 'func') continue;
    const t = decls.types[decls.funcs[e.index]!.typeIndex]!;
    const k = sigKey(t);
    if (!sigs.has(k)) sigs.set(k, t);
  }
  const trampolines = [...sigs].map(([key, sig], i) => ({ key, sig, symbol: `kiln.array_call.${i}` }));
  const symbols = functionSymbols(decls, new Set(trampolines.map((t) => t.symbol)));
  return { backend, opts, decls, symbols, trampolines, vm };
}

/** The declarations of a validated module, as a unit (translation errors become CompileErrors). */
export function unitFromWasm(vm: ValidatedModule, opts: CompileOptions): CompileUnit {
  let decls: IrModule;
  try {
    decls = translateDecls(vm);
  } catch (e) {
    throw new CompileError(`translation failed: internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return makeUnit(decls, opts, vm);
}

/** A fresh, unoptimised IR body of defined function `funcIndex` (validated and translated again). */
export function unitBody(unit: CompileUnit, funcIndex: number): Func {
  const vm = unit.vm;
  if (!vm) {
    const body = unit.decls.funcs[funcIndex]?.body;
    if (!body) throw new CompileError(`function ${funcIndex} has no body`);
    return body;
  }
  const r = validateFunction(vm, funcIndex);
  if (!r.ok) throw new CompileError(`translation failed: ${r.error.message}`);
  try {
    return translateValidated(vm, r.value);
  } catch (e) {
    throw new CompileError(`translation failed: internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Translations of small functions (at most MAX_INLINE_BODY_BYTES of Wasm) shared by their
 * two readers, the inliner (which clones before changing anything) and the function's own
 * compilation (which changes its body in place): each small function is validated and
 * translated once per unit instead of twice. A copy has the same indices as a fresh
 * translation, so the output does not depend on who asked first.
 */
interface SharedBody {
  f: Func;
  /** The inliner has read it. */
  fetched: boolean;
  /** The function's own compilation has taken a copy. */
  compiled: boolean;
}

const smallBodies = new WeakMap<CompileUnit, Map<number, SharedBody>>();

function isSmall(vm: ValidatedModule, k: number): boolean {
  const fn = vm.module.funcs[k - vm.module.numImportedFuncs];
  return fn !== undefined && fn.bodyEnd - fn.bodyStart <= MAX_INLINE_BODY_BYTES;
}

function sharedBodies(unit: CompileUnit): Map<number, SharedBody> {
  let m = smallBodies.get(unit);
  if (!m) {
    m = new Map();
    smallBodies.set(unit, m);
  }
  return m;
}

/** The inliner's read of small function `k` (it must not change the body). */
function fetchSmall(unit: CompileUnit, k: number): Func {
  const m = sharedBodies(unit);
  const s = m.get(k);
  if (!s) {
    const f = unitBody(unit, k);
    m.set(k, { f, fetched: true, compiled: false });
    return f;
  }
  s.fetched = true;
  if (s.compiled) m.delete(k);
  return s.f;
}

/** A body of defined function `i` for its own compilation (the pipeline changes it). */
function bodyToCompile(unit: CompileUnit, i: number): Func {
  const vm = unit.vm;
  if (!vm || !isSmall(vm, i)) return unitBody(unit, i);
  const m = sharedBodies(unit);
  const s = m.get(i);
  if (!s) {
    const f = unitBody(unit, i);
    m.set(i, { f, fetched: false, compiled: true });
    return f.clone();
  }
  if (s.fetched) {
    // The inliner has its own prepared copy: this one is no longer shared.
    m.delete(i);
    return s.f;
  }
  s.compiled = true;
  return s.f.clone();
}

const calleeSources = new WeakMap<CompileUnit, InlineCallees>();

/**
 * Bodies the inliner copies: fresh translations of small functions from wasm (the same in
 * every worker, whatever was compiled before), or for an IR unit a snapshot of its bodies
 * taken before the first function is optimised.
 */
function calleesOf(unit: CompileUnit): InlineCallees {
  let c = calleeSources.get(unit);
  if (!c) {
    const vm = unit.vm;
    if (vm) {
      // A body longer in bytes is far beyond the inlining limit: it is not translated.
      // The inliner clones what it is given before changing anything.
      c = new InlineCallees((k) => (isSmall(vm, k) ? fetchSmall(unit, k) : undefined));
    } else c = InlineCallees.snapshot(unit.decls);
    calleeSources.set(unit, c);
  }
  return c;
}

export interface CompiledFunction {
  index: number;
  code: FinishedCode;
  stats: FunctionStats;
}

/**
 * Compiles defined function `i` of the unit: translate (from wasm) or take the given IR,
 * optimise, select, allocate, emit. Adds to `times`.
 */
export function compileUnitFunction(unit: CompileUnit, i: number, times: StageTimes): CompiledFunction {
  const { backend, opts, decls } = unit;
  const decl = decls.funcs[i]!;
  let t0 = performance.now();
  const body = bodyToCompile(unit, i);
  let t1 = performance.now();
  if (unit.vm) times.translate += t1 - t0;
  // The target's checks for this body (the module-level part ran in makeUnit).
  backend.checkModule({ ...decls, funcs: [{ ...decl, body }] });
  const level = opts.optLevel ?? 0;
  if (level > 0) {
    t0 = performance.now();
    const errors = runPipeline(body, level, { module: decls, funcIndex: i, callees: calleesOf(unit) });
    t1 = performance.now();
    times.passes += t1 - t0;
    if (errors.length > 0) throw new CompileError(`IR verification failed: ${errors[0]!.message}`);
  }
  if (opts.bounds === 'explicit') {
    t0 = performance.now();
    explicitBoundsChecks(body, level > 0);
    times.passes += performance.now() - t0;
  }
  let out;
  regallocClock.reset();
  const started = performance.now();
  try {
    out = backend.compileFunction(decls, i, body, (k) => unit.symbols[k]!, { checkAlloc: opts.checkAlloc, bounds: opts.bounds });
  } catch (e) {
    if (e instanceof CompileError) throw e;
    throw new CompileError(`function ${i} (${decl.name}): ${e instanceof Error ? e.message : String(e)}`);
  }
  // isel runs before the allocator's first call, emission after its last.
  const done = performance.now();
  if (regallocClock.firstEnter >= 0) {
    times.isel += regallocClock.firstEnter - started;
    times.regalloc += regallocClock.totalMs;
    times.emit += done - regallocClock.lastExit;
  } else times.isel += done - started;
  return { index: i, code: out.code, stats: out.stats };
}

/** Indices of the unit's defined functions, in order. */
export function definedFunctions(unit: CompileUnit): number[] {
  const out: number[] = [];
  unit.decls.funcs.forEach((d, i) => {
    if (!d.import) out.push(i);
  });
  return out;
}

/**
 * Trampolines and the object file from every defined function's code (`compiled` in any
 * order; placed by function index).
 */
export function assembleObject(unit: CompileUnit, compiled: readonly CompiledFunction[], times: StageTimes, jobs: number): CompileResult {
  const { backend, decls, opts } = unit;
  const sorted = [...compiled].sort((a, b) => a.index - b.index);
  const stats: CompileStats = { functions: 0, trampolines: 0, codeBytes: 0, objectBytes: 0, spills: 0, reloads: 0, jobs, times };
  const funcs: CodeFunc[] = [];
  for (const c of sorted) {
    funcs.push({ symbol: unit.symbols[c.index]!, code: c.code });
    stats.functions++;
    stats.spills += c.stats.spills;
    stats.reloads += c.stats.reloads;
    stats.codeBytes += c.code.bytes.length;
  }
  const trampolines = new Map<string, CodeFunc>();
  const t0 = performance.now();
  for (const t of unit.trampolines) {
    const code = backend.compileTrampoline(t.sig, t.symbol);
    trampolines.set(t.key, { symbol: t.symbol, code });
    stats.trampolines++;
    stats.codeBytes += code.bytes.length;
  }
  const t1 = performance.now();
  times.trampolines += t1 - t0;
  const obj = buildObject({
    machine: backend.machine, module: decls, funcs, trampolines,
    moduleSymbol: opts.moduleSymbol, explicitBounds: opts.bounds === 'explicit', padByte: backend.padByte,
  });
  const object = writeElfObject(obj);
  times.object += performance.now() - t1;
  stats.objectBytes = object.length;
  return { object, stats };
}

function compileInProcess(unit: CompileUnit): CompileResult {
  const times = emptyTimes();
  const compiled = definedFunctions(unit).map((i) => compileUnitFunction(unit, i, times));
  return assembleObject(unit, compiled, times, 1);
}

/**
 * .wasm (validated) → relocatable object for `opts.target`, in this thread. For several
 * threads use `compileModuleParallel` (parallel.ts): the object is the same.
 */
export function compileModule(vm: ValidatedModule, opts: CompileOptions): CompileResult {
  return compileInProcess(unitFromWasm(vm, opts));
}

/** An IR module (bodies present, optimised in place) → relocatable object. */
export function compileIrModule(m: IrModule, opts: CompileOptions): CompileResult {
  return compileInProcess(makeUnit(m, opts));
}
