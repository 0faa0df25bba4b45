/**
 * Compiling a module's functions in worker threads (issue 8), with the same object as
 * the in-process driver for any job count:
 *
 *   main thread: decode + validate (caller) ─ declarations ─ chunks of functions
 *       ├─ worker 1..N-1: decode the wasm bytes again, then take chunks ─┐
 *       └─ the main thread takes chunks too (workers need ~0.2 s to start) ─┤
 *   chunk results (code in a transferred buffer, relocations, trap sites) ◀─┘
 *   ─ trampolines + object in function-index order (compile.ts assembleObject)
 *
 * Chunks are contiguous index ranges of similar code size; threads claim them from a
 * shared counter (largest first), so which thread compiles which function varies from
 * run to run but the object does not: a function's code depends only on the module and
 * its index (compile.ts). Every worker holds the whole module, so it can translate any
 * function it needs, not only its own.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FinishedCode } from './codebuf.js';
import {
  addTimes,
  assembleObject,
  compileModule,
  compileUnitFunction,
  CompileError,
  definedFunctions,
  emptyTimes,
  unitFromWasm,
  type CompiledFunction,
  type CompileOptions,
  type CompileResult,
  type CompileUnit,
  type StageTimes,
} from './compile.js';
import type { ValidatedModule } from '../frontend/validate.js';

/** Default --jobs: the machine's cores, at most 8 (beyond that start-up and copying dominate). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Below this much function-body wasm a worker would start after the main thread is done. */
export const MIN_PARALLEL_CODE_BYTES = 16 * 1024;

/** Chunks per thread: small enough to balance, large enough that messages stay few. */
const CHUNKS_PER_JOB = 6;

/** What a worker is started with. */
export interface WorkerInput {
  bytes: Uint8Array;
  declaredRefs: Uint8Array;
  opts: CompileOptions;
  /** Function indices of each chunk. */
  chunks: number[][];
  /** Order in which chunks are claimed (indices into `chunks`). */
  order: number[];
  /** Int32 claim counter shared by all threads. */
  counter: SharedArrayBuffer;
}

/** One function of a chunk result; its bytes are `code.subarray(start, start + length)`. */
export interface WireFunction {
  index: number;
  start: number;
  length: number;
  relocs: FinishedCode['relocs'];
  trapSites: FinishedCode['trapSites'];
  labelOffsets: number[];
  spills: number;
  reloads: number;
}

export interface WireError {
  index: number;
  message: string;
  compileError: boolean;
}

/** What a worker posts per chunk. */
export interface ChunkResult {
  chunk: number;
  funcs: WireFunction[];
  code: ArrayBuffer;
  times: StageTimes;
  error?: WireError;
}

/**
 * Contiguous chunks of the defined functions, each about `total / (jobs × CHUNKS_PER_JOB)`
 * bytes of body (a function is never split).
 */
export function makeChunks(vm: ValidatedModule, indices: readonly number[], jobs: number): number[][] {
  const m = vm.module;
  const size = (i: number): number => {
    const f = m.funcs[i - m.numImportedFuncs]!;
    return f.bodyEnd - f.bodyStart;
  };
  const total = indices.reduce((a, i) => a + size(i), 0);
  const target = Math.max(1, total / (jobs * CHUNKS_PER_JOB));
  const chunks: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const i of indices) {
    cur.push(i);
    bytes += size(i);
    if (bytes >= target) {
      chunks.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

/** Compiles one chunk; stops at the first failing function and reports it. */
export function compileChunk(unit: CompileUnit, indices: readonly number[], times: StageTimes): { compiled: CompiledFunction[]; error?: WireError } {
  const compiled: CompiledFunction[] = [];
  for (const i of indices) {
    try {
      compiled.push(compileUnitFunction(unit, i, times));
    } catch (e) {
      return { compiled, error: { index: i, message: e instanceof Error ? e.message : String(e), compileError: e instanceof CompileError } };
    }
  }
  return { compiled };
}

/** A chunk's functions packed for postMessage: one code buffer (transferable) plus the side tables. */
export function packChunk(chunk: number, compiled: readonly CompiledFunction[], times: StageTimes, error?: WireError): ChunkResult {
  const total = compiled.reduce((a, c) => a + c.code.bytes.length, 0);
  const code = new Uint8Array(total);
  const funcs: WireFunction[] = [];
  let at = 0;
  for (const c of compiled) {
    code.set(c.code.bytes, at);
    funcs.push({
      index: c.index, start: at, length: c.code.bytes.length,
      relocs: c.code.relocs, trapSites: c.code.trapSites, labelOffsets: c.code.labelOffsets,
      spills: c.stats.spills, reloads: c.stats.reloads,
    });
    at += c.code.bytes.length;
  }
  return { chunk, funcs, code: code.buffer, times, error };
}

function unpackChunk(r: ChunkResult): CompiledFunction[] {
  const code = new Uint8Array(r.code);
  return r.funcs.map((f) => ({
    index: f.index,
    code: { bytes: code.subarray(f.start, f.start + f.length), relocs: f.relocs, trapSites: f.trapSites, labelOffsets: f.labelOffsets },
    stats: { spills: f.spills, reloads: f.reloads },
  }));
}

/**
 * The worker script: compiled JavaScript next to this file (dist/), or, when this module
 * runs from TypeScript sources (vitest), a bootstrap that teaches the worker's loader
 * TypeScript before importing the .ts worker.
 */
function workerScript(): { url: URL; entry?: string } {
  if (import.meta.url.endsWith('.ts')) {
    return { url: new URL('./parallel-worker-ts.mjs', import.meta.url), entry: new URL('./parallel-worker.ts', import.meta.url).href };
  }
  return { url: new URL('./parallel-worker.js', import.meta.url) };
}

export interface ParallelOptions extends CompileOptions {
  /** Threads, the main thread included; 1 compiles in this thread only. Default `defaultJobs()`. */
  jobs?: number;
  /** Use workers even for a small module (tests). */
  forceWorkers?: boolean;
  /** Tests: workers compile every function, the main thread none (implies forceWorkers; needs jobs ≥ 2). */
  workersOnly?: boolean;
}

/**
 * .wasm (validated) → relocatable object, compiling functions on up to `jobs` threads.
 * `bytes` are the module's bytes (what workers decode). The object is byte-identical to
 * `compileModule(vm, opts)`'s.
 */
export async function compileModuleParallel(vm: ValidatedModule, bytes: Uint8Array, opts: ParallelOptions): Promise<CompileResult> {
  const { jobs: requested, forceWorkers, workersOnly, ...compileOpts } = opts;
  const jobs = Math.max(1, Math.floor(requested ?? defaultJobs()));
  const unit = unitFromWasm(vm, compileOpts);
  const indices = definedFunctions(unit);
  const m = vm.module;
  const codeBytes = m.funcs.reduce((a, f) => a + (f.bodyEnd - f.bodyStart), 0);
  const small = indices.length < 2 || codeBytes < MIN_PARALLEL_CODE_BYTES;
  if (jobs === 1 || (small && !forceWorkers && !workersOnly)) return compileModule(vm, compileOpts);

  const chunks = makeChunks(vm, indices, jobs);
  const chunkBytes = chunks.map((c) => c.reduce((a, i) => a + m.funcs[i - m.numImportedFuncs]!.bodyEnd - m.funcs[i - m.numImportedFuncs]!.bodyStart, 0));
  const order = chunks.map((_, k) => k).sort((a, b) => chunkBytes[b]! - chunkBytes[a]! || a - b);
  const counter = new SharedArrayBuffer(4);
  const claims = new Int32Array(counter);
  const nWorkers = workersOnly ? Math.min(jobs - 1, chunks.length) : Math.min(jobs - 1, chunks.length - 1);
  const input: WorkerInput = { bytes, declaredRefs: vm.declaredRefs, opts: compileOpts, chunks, order, counter };
  const script = workerScript();

  const times = emptyTimes();
  const compiled: CompiledFunction[] = [];
  const errors: WireError[] = [];
  let done = 0;
  const participants = new Set<number>();
  let settle!: () => void;
  let fail!: (e: Error) => void;
  const allDone = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  allDone.catch(() => {}); // handled where it is awaited; a worker may fail while the main thread compiles
  const finish = (thread: number, r: { compiled: CompiledFunction[]; times: StageTimes; error?: WireError }): void => {
    participants.add(thread);
    compiled.push(...r.compiled);
    addTimes(times, r.times);
    if (r.error) errors.push(r.error);
    if (++done === chunks.length) settle();
  };

  const workers: Worker[] = [];
  let stopping = false;
  for (let w = 0; w < nWorkers; w++) {
    const worker = new Worker(script.url, { workerData: { input, entry: script.entry } });
    worker.on('message', (r: ChunkResult) => finish(w + 1, { compiled: unpackChunk(r), times: r.times, error: r.error }));
    worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      if (!stopping && code !== 0) fail(new Error(`compile worker exited with code ${code}`));
    });
    workers.push(worker);
  }

  try {
    // The main thread compiles too, yielding between chunks so results keep arriving.
    for (let k = workersOnly ? chunks.length : Atomics.add(claims, 0, 1); k < chunks.length; k = Atomics.add(claims, 0, 1)) {
      const chunk = order[k]!;
      const t = emptyTimes();
      const r = compileChunk(unit, chunks[chunk]!, t);
      finish(0, { ...r, times: t });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await allDone;
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  if (errors.length > 0) {
    // The lowest function index's error: what the in-process driver reports first.
    const e = errors.reduce((a, b) => (b.index < a.index ? b : a));
    throw e.compileError ? new CompileError(e.message) : new Error(e.message);
  }
  return assembleObject(unit, compiled, times, participants.size);
}
