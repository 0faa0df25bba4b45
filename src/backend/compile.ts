/**
 * The compiler driver, target-agnostic:
 *
 *   ValidatedModule ─ translate ─▶ IrModule ─ pipeline (-O) ─▶ per function:
 *       <target>.compileFunction (isel → regalloc → emit) ─▶ FinishedCode
 *   + one array-call trampoline per exported signature ─ object.ts ─▶ ObjectFile ─ elf.ts ─▶ bytes
 *
 * A target is one entry of BACKENDS (a `TargetBackend`); adding AArch64 means adding its
 * entry. Output is deterministic: functions and trampolines are placed in index / first-use
 * order and nothing depends on hash order or timing.
 */

import type { ValidatedModule } from '../frontend/validate.js';
import { translateModule } from '../frontend/translate.js';
import type { FinishedCode } from './codebuf.js';
import { writeElfObject, type ElfMachine } from './elf.js';
import { buildObject, sigKey, type CodeFunc } from './object.js';
import type { Func } from '../ir/func.js';
import type { IrModule } from '../ir/module.js';
import { optimizeModule, type OptLevel } from '../ir/pipeline.js';
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

/** Wall-clock milliseconds per compilation stage (decode+validate happens before the driver). */
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
  /** Per-stage wall-clock times; `translate` is 0 when the driver is handed IR. */
  times: StageTimes;
}

const emptyTimes = (): StageTimes => ({ translate: 0, passes: 0, isel: 0, regalloc: 0, emit: 0, trampolines: 0, object: 0 });

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

/** .wasm (validated) → relocatable object for `opts.target`. */
export function compileModule(vm: ValidatedModule, opts: CompileOptions): CompileResult {
  const t0 = performance.now();
  const r = translateModule(vm);
  if (!r.ok) throw new CompileError(`translation failed: ${r.error.message}`);
  const translated = performance.now() - t0;
  const result = compileIrModule(r.value, opts);
  result.stats.times.translate = translated;
  return result;
}

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

export function compileIrModule(m: IrModule, opts: CompileOptions): CompileResult {
  const backend = BACKENDS[opts.target];
  if (!backend) throw new CompileError(`no backend for target ${opts.target}`);
  if (opts.bounds === 'explicit' && !backend.explicitBounds) throw new CompileError(`--bounds explicit is not yet supported for ${opts.target}`);
  backend.checkModule(m);
  const times = emptyTimes();
  const level = opts.optLevel ?? 0;
  if (level > 0) {
    const t0 = performance.now();
    const errors = optimizeModule(m, level);
    times.passes = performance.now() - t0;
    if (errors.length > 0) throw new CompileError(`IR verification failed: ${errors[0]!.message}`);
  }

  // Trampolines for every exported function signature, in export order.
  const sigs = new Map<string, FuncType>();
  for (const e of m.exports) {
    if (e.kind !== 'func') continue;
    const t = m.types[m.funcs[e.index]!.typeIndex]!;
    const k = sigKey(t);
    if (!sigs.has(k)) sigs.set(k, t);
  }
  const trampNames = [...sigs.keys()].map((_, i) => `kiln.array_call.${i}`);
  const symbols = functionSymbols(m, new Set(trampNames));

  const stats: CompileStats = { functions: 0, trampolines: 0, codeBytes: 0, objectBytes: 0, spills: 0, reloads: 0, times };
  const funcs: CodeFunc[] = [];
  m.funcs.forEach((decl, i) => {
    if (decl.import) return;
    if (!decl.body) throw new CompileError(`function ${i} has no body`);
    let out;
    regallocClock.reset();
    const started = performance.now();
    try {
      out = backend.compileFunction(m, i, decl.body, (k) => symbols[k]!, { checkAlloc: opts.checkAlloc, bounds: opts.bounds });
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
    funcs.push({ symbol: symbols[i]!, code: out.code });
    stats.functions++;
    stats.spills += out.stats.spills;
    stats.reloads += out.stats.reloads;
    stats.codeBytes += out.code.bytes.length;
  });
  const trampolines = new Map<string, CodeFunc>();
  const t0 = performance.now();
  [...sigs].forEach(([k, t], i) => {
    const code = backend.compileTrampoline(t, trampNames[i]!);
    trampolines.set(k, { symbol: trampNames[i]!, code });
    stats.trampolines++;
    stats.codeBytes += code.bytes.length;
  });
  const t1 = performance.now();
  times.trampolines = t1 - t0;
  const obj = buildObject({
    machine: backend.machine, module: m, funcs, trampolines,
    moduleSymbol: opts.moduleSymbol, explicitBounds: opts.bounds === 'explicit', padByte: backend.padByte,
  });
  const object = writeElfObject(obj);
  times.object = performance.now() - t1;
  stats.objectBytes = object.length;
  return { object, stats };
}
