/**
 * A real C program (clang-14 → wasm32-wasi: malloc'd trees, recursion, qsort callbacks
 * through call_indirect, printf formatting, libm, 64-bit integer and float mixes) compiled
 * by kiln for AArch64 at -O0 and -O2, run under qemu; stdout and exit code must equal
 * Node's WASI run of the same module.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src/backend/compile.js';
import { loadModule } from '../../src/frontend/validate.js';
import { runExecutable } from '../../qemu/run.js';
import { findInPath } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { tempDir } from './helpers.js';

const BUILTINS = '/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a';
const canBuild = findInPath('clang-14') !== undefined && existsSync('/usr/lib/wasm32-wasi/libc.a') && existsSync(BUILTINS);

/** Node's WebAssembly (the project's lib settings do not declare it). */
const WA = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array, imports: object): Promise<{ instance: object }> } }).WebAssembly;

async function nodeWasi(wasm: Uint8Array, stdoutPath: string): Promise<number> {
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(stdoutPath, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', stdout: fd, returnOnExit: true });
    const { instance } = await WA.instantiate(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
    return wasi.start(instance as Parameters<WASI['start']>[0]);
  } finally {
    closeSync(fd);
  }
}

describe.runIf(canBuild)('a C program on AArch64 (qemu) vs Node WASI', () => {
  it('prints the same and exits the same at -O0 and -O2', { timeout: 300_000 }, async () => {
    const dir = tempDir('a64-c');
    const wasmPath = join(dir, 'prog.wasm');
    await execa('clang-14', [
      '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-o', wasmPath, join(import.meta.dirname, 'fixtures', 'mixed.c'),
      '-nodefaultlibs', '-lc', '-lm', BUILTINS,
    ]);
    const wasm = readFileSync(wasmPath);
    const refCode = await nodeWasi(wasm, join(dir, 'ref.txt'));
    const ref = readFileSync(join(dir, 'ref.txt'), 'utf8');
    expect(ref).toContain('tree sum');
    const vm = loadModule(wasm);
    if (!vm.ok) throw new Error(vm.error.message);
    const runtime = await buildRuntime('aarch64');
    for (const optLevel of [0, 2] as const) {
      const { object } = compileModule(vm.value, { target: 'aarch64', optLevel, checkAlloc: true });
      const obj = join(dir, `prog${optLevel}.o`);
      writeFileSync(obj, object);
      const exe = join(dir, `prog${optLevel}`);
      await linkExecutable({ target: 'aarch64', objects: [obj], output: exe, runtime });
      const r = await runExecutable('aarch64', exe);
      expect({ optLevel, stdout: r.stdout, exit: r.exitCode }).toEqual({ optLevel, stdout: ref, exit: refCode });
    }
  });
});
