/**
 * Parallel compilation (src/backend/parallel.ts) gives the same object bytes as the
 * in-process driver whatever the job count: a clang-built C program (wasi-libc, printf,
 * floats, call_indirect) and spec modules, on both targets, at -O0, -O2 and -O2 with
 * explicit bounds. Workers run from the TypeScript sources here (parallel-worker-ts.mjs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildC } from '../../bench/build.js';
import { compileModule, CompileError, type CompileOptions } from '../../src/backend/compile.js';
import { compileModuleParallel, makeChunks } from '../../src/backend/parallel.js';
import { loadModule, type ValidatedModule } from '../../src/frontend/validate.js';
import { findInPath } from '../../toolchain/cc.js';
import { testsuiteDir } from '../../src/spec/testsuite.js';
import { convertWast } from '../../src/spec/wast2json.js';

function load(bytes: Uint8Array): ValidatedModule {
  const r = loadModule(bytes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/**
 * Compiles in worker threads only (two sharing the chunks) and, if `mixed`, with the main
 * thread taking part, and compares each object with the in-process one.
 */
async function expectSameForAnyJobs(name: string, bytes: Uint8Array, configs: CompileOptions[], mixed: boolean): Promise<void> {
  const vm = load(bytes);
  for (const opts of configs) {
    const label = `${name} ${opts.target} -O${opts.optLevel} ${opts.bounds}`;
    const ref = Buffer.from(compileModule(vm, opts).object);
    const r = await compileModuleParallel(vm, bytes, { ...opts, jobs: 3, workersOnly: true });
    expect(Buffer.from(r.object).equals(ref), `${label}: two workers`).toBe(true);
    expect(r.stats.jobs).toBeGreaterThanOrEqual(1);
    expect(r.stats.jobs).toBeLessThanOrEqual(2);
    if (mixed) {
      const r = await compileModuleParallel(vm, bytes, { ...opts, jobs: 2, forceWorkers: true });
      expect(Buffer.from(r.object).equals(ref), `${label}: main thread and a worker`).toBe(true);
    }
  }
}

const TARGETS = ['x86_64', 'aarch64'] as const;

describe('parallel compilation is byte-identical for any --jobs', () => {
  it.runIf(findInPath('clang-14') !== undefined)('a C benchmark program (wasi-libc) on both targets, -O0/-O2/explicit bounds', { timeout: 600_000 }, async () => {
    const bytes = readFileSync(buildC('mandel', 'wasm'));
    const configs: CompileOptions[] = TARGETS.flatMap((target) => [
      { target, optLevel: 0, bounds: 'guard' },
      { target, optLevel: 2, bounds: 'guard' },
      { target, optLevel: 2, bounds: 'explicit' },
    ]);
    await expectSameForAnyJobs('mandel', bytes, configs, true);
  });

  it('spec modules with many functions on both targets', { timeout: 600_000 }, async () => {
    let modules = 0;
    for (const name of ['call_indirect', 'conversions', 'br_table']) {
      const { dir, script } = await convertWast(join(testsuiteDir(), `${name}.wast`));
      // The script's module with the most functions.
      let best: Uint8Array | undefined;
      let most = 0;
      for (const cmd of script.commands) {
        if (cmd.type !== 'module') continue;
        const bytes = readFileSync(join(dir, cmd.filename!));
        const n = load(bytes).module.funcs.length;
        if (n > most) [best, most] = [bytes, n];
      }
      expect(most).toBeGreaterThan(10);
      await expectSameForAnyJobs(name, best!, TARGETS.map((target) => ({ target, optLevel: 2, bounds: 'guard' })), false);
      modules++;
    }
    expect(modules).toBe(3);
  });

  it('fails with the in-process driver\'s error when a function cannot be compiled', async () => {
    // Two functions with a v128 local each: the x86-64 backend rejects SIMD.
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type 0: [] -> []
      0x03, 0x03, 0x02, 0x00, 0x00, // two functions of type 0
      0x0a, 0x0d, 0x02, 0x05, 0x01, 0x01, 0x7b, 0x01, 0x0b, 0x05, 0x01, 0x01, 0x7b, 0x01, 0x0b, // (local v128) nop
    ]);
    const vm = load(bytes);
    const opts: CompileOptions = { target: 'x86_64', optLevel: 2 };
    let inProcess: unknown;
    try {
      compileModule(vm, opts);
    } catch (e) {
      inProcess = e;
    }
    expect(inProcess).toBeInstanceOf(CompileError);
    await expect(compileModuleParallel(vm, bytes, { ...opts, jobs: 2, workersOnly: true })).rejects.toThrow((inProcess as Error).message);
  });

  it('chunks are contiguous, cover every function once and balance code size', () => {
    const { module } = load(readFileSync(buildC('hello', 'wasm')));
    const indices = module.funcs.map((_, k) => module.numImportedFuncs + k);
    const vm = { module, declaredRefs: new Uint8Array() };
    for (const jobs of [1, 2, 4]) {
      const chunks = makeChunks(vm, indices, jobs);
      expect(chunks.flat()).toEqual(indices);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.every((c) => c.length > 0)).toBe(true);
    }
  });
});
