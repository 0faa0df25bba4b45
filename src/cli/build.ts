/**
 * The steps `kiln compile` and `kiln run` share: read and validate a .wasm, compile it to
 * an object, link an executable. Failures come back as one-line messages, never traces.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CompileError, type BoundsMode, type CompileStats } from '../backend/compile.js';
import { compileModuleParallel, defaultJobs } from '../backend/parallel.js';
import { formatWasmError } from '../frontend/errors.js';
import { loadModule, type ValidatedModule } from '../frontend/validate.js';
import type { OptLevel } from '../ir/pipeline.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { UserError } from './exit.js';
import { readInputFile } from './input.js';
import { tuneV8ForOneShotCompile } from './v8-tiering.js';

export interface BuildOptions {
  target: KilnTarget;
  optLevel: OptLevel;
  bounds: BoundsMode;
  /** Compile threads (the main thread included); 1: no workers. */
  jobs: number;
}

/** The `--jobs` option of compile and run. */
export const JOBS_OPTION = {
  alias: 'j',
  type: 'number',
  describe: `Compile threads: functions are compiled in parallel with identical output for any count; 1 uses no worker threads (default: cores, at most 8 — ${defaultJobs()} here)`,
} as const;

/** Validates a --jobs value (undefined: the default). */
export function parseJobs(jobs: number | undefined): number {
  if (jobs === undefined) return defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UserError('--jobs takes a positive whole number', 2);
  return jobs;
}

export function loadWasm(file: string): { bytes: Uint8Array; vm: ValidatedModule } {
  const input = readInputFile(file);
  if (!input.ok) throw new UserError(input.message, 2);
  const r = loadModule(input.bytes);
  if (!r.ok) throw new UserError(formatWasmError(file, r.error), 1);
  return { bytes: input.bytes, vm: r.value };
}

export async function compileToObject(file: string, bytes: Uint8Array, vm: ValidatedModule, opts: BuildOptions): Promise<{ object: Uint8Array; stats: CompileStats }> {
  // The one compile of a `kiln compile`/`kiln run` process: see v8-tiering.ts.
  tuneV8ForOneShotCompile();
  try {
    return await compileModuleParallel(vm, bytes, { target: opts.target, optLevel: opts.optLevel, bounds: opts.bounds, jobs: opts.jobs });
  } catch (e) {
    if (e instanceof CompileError) throw new UserError(`${file}: cannot compile: ${e.message}`, 1);
    throw e;
  }
}

/** Writes `bytes` to a temporary sibling and renames it into place: no partial file on failure. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(tmp, bytes, mode === undefined ? undefined : { mode });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
