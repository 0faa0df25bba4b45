/** `kiln compile` and `kiln run` as a user runs them, on small modules written in the text format. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

const kiln = (args: string[]) =>
  execa('node', ['bin/kiln.js', ...args], { reject: false, env: { FORCE_COLOR: '0', KILN_CACHE_DIR: cacheDir } });

let dir: string;
let cacheDir: string;

async function wat(name: string, text: string): Promise<string> {
  const src = join(dir, `${name}.wat`);
  const out = join(dir, `${name}.wasm`);
  writeFileSync(src, text);
  await execa('wat2wasm', [src, '-o', out]);
  return out;
}

const exitWith = (body: string) => `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  ${body})`;

let fib: string;
let trap: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-compile-'));
  cacheDir = join(dir, 'cache');
  fib = await wat(
    'fib',
    exitWith(`(func $fib (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "_start") (call $exit (i32.rem_u (call $fib (i32.const 20)) (i32.const 256))))`),
  );
  trap = await wat('trap', exitWith(`(func (export "_start") unreachable)`));
});

describe('kiln compile', () => {
  it('produces an executable that runs natively (default target, -O2)', async () => {
    const exe = join(dir, 'fib');
    const r = await kiln(['compile', fib, '-o', exe]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const run = await execa(exe, [], { reject: false });
    expect(run.exitCode).toBe(6765 % 256);
  });

  it('--emit obj writes a relocatable ELF object; --emit asm and ir print listings', async () => {
    const obj = join(dir, 'fib.o');
    expect((await kiln(['compile', fib, '--emit', 'obj', '-o', obj])).exitCode).toBe(0);
    const bytes = readFileSync(obj);
    expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(bytes[16]).toBe(1); // ET_REL
    const asm = await kiln(['compile', fib, '--emit', 'asm']);
    expect(asm.exitCode).toBe(0);
    expect(asm.stdout).toMatch(/<fib>:|<f1>:/);
    expect(asm.stdout).toContain('ret');
    const ir = await kiln(['compile', fib, '--emit', 'ir', '-O0']);
    expect(ir.exitCode).toBe(0);
    expect(ir.stdout).toContain('i32.lt_u');
  });

  it('--emit ir --bounds explicit prints the bounds checks the backend will compile', async () => {
    // Two loads from the same address: the second check is dominated by the first and goes at -O2.
    const loads = await wat(
      'loads',
      exitWith(`(func (export "_start")
        (call $exit (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 0)))))`),
    );
    const checks = (text: string) => text.split('\n').filter((l) => l.includes('memory.check_bounds')).length;
    const guard = await kiln(['compile', loads, '--emit', 'ir', '-O0']);
    expect(guard.exitCode).toBe(0);
    expect(checks(guard.stdout)).toBe(0);
    const o0 = await kiln(['compile', loads, '--emit', 'ir', '-O0', '--bounds', 'explicit']);
    expect(o0.exitCode).toBe(0);
    expect(checks(o0.stdout)).toBe(2);
    const o2 = await kiln(['compile', loads, '--emit', 'ir', '-O2', '--bounds', 'explicit']);
    expect(checks(o2.stdout)).toBe(1);
  });

  it('--stats reports functions and throughput', async () => {
    const r = await kiln(['compile', fib, '--emit', 'obj', '-o', join(dir, 's.o'), '--stats']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/2 functions/);
    expect(r.stderr).toMatch(/MB\/s of wasm/);
  });

  it('--jobs: the same object from worker threads as in-process; --stats names the threads; --jobs 0 is a usage error', async () => {
    // 400 small functions (~22 KB of code): big enough for the driver to start a worker, which
    // joins after well under a second and takes part in a compile of several seconds.
    const funcs = Array.from({ length: 400 }, (_, k) => `(func $f${k} (export "f${k}") (param i32 i32) (result i32)
      (local i32)
      (loop $l (local.set 2 (i32.add (local.get 2) (i32.mul (local.get 0) (i32.const ${k + 3}))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (local.set 1 (i32.rotl (i32.xor (local.get 1) (local.get 2)) (i32.and (local.get 0) (i32.const ${k % 31}))))
        (br_if $l (i32.gt_s (local.get 0) (local.get 1))))
      (i32.xor (local.get 2) (call $f${(k * 7) % 400} (i32.const 0) (i32.const 1))))`);
    const big = await wat('many', `(module ${funcs.join('\n')})`);
    const one = await kiln(['compile', big, '--emit', 'obj', '-o', join(dir, 'j1.o'), '--jobs', '1', '--stats']);
    expect(one.exitCode).toBe(0);
    expect(one.stderr).toMatch(/on 1 thread \(--jobs 1\)/);
    const two = await kiln(['compile', big, '--emit', 'obj', '-o', join(dir, 'j2.o'), '--jobs', '2', '--stats']);
    expect(two.exitCode).toBe(0);
    expect(two.stderr).toMatch(/on 2 threads \(--jobs 2\)/);
    expect(readFileSync(join(dir, 'j2.o')).equals(readFileSync(join(dir, 'j1.o')))).toBe(true);
    const bad = await kiln(['compile', big, '--emit', 'obj', '-o', join(dir, 'j0.o'), '--jobs', '0']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--jobs takes a positive whole number/);
  });

  it('rejects invalid wasm with one line naming file and offset, exit 1, and no output file', async () => {
    const bad = join(dir, 'bad.wasm');
    writeFileSync(bad, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0a, 0x05]));
    const out = join(dir, 'bad-out');
    const r = await kiln(['compile', bad, '-o', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.wasm: 0x[0-9a-f]+: /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.bad-out'))).toEqual([]);
  });

  it('rejects an unknown target as a usage error', async () => {
    const r = await kiln(['compile', fib, '--target', 'mips-linux']);
    expect(r.exitCode).toBe(2);
  });
});

describe('kiln run', () => {
  it('compiles once, caches, and passes the exit status through', async () => {
    const first = await kiln(['run', fib]);
    expect(first.exitCode).toBe(6765 % 256);
    const cached = readdirSync(join(cacheDir, 'exe'));
    expect(cached).toHaveLength(1);
    const second = await kiln(['run', fib]);
    expect(second.exitCode).toBe(6765 % 256);
    expect(readdirSync(join(cacheDir, 'exe'))).toEqual(cached);
  });

  it('reports a trap with the spec message and exit 134', async () => {
    const r = await kiln(['run', trap]);
    expect(r.exitCode).toBe(134);
    expect(r.stderr).toContain('wasm trap: unreachable');
  });
});

describe('kiln run --engine interp', () => {
  it('runs the same program on the IR interpreter with the same exit status and no warnings', async () => {
    const r = await kiln(['run', '--engine', 'interp', fib]);
    expect(r.exitCode).toBe(6765 % 256);
    expect(r.stderr).toBe('');
    const t = await kiln(['run', '--engine', 'interp', trap]);
    expect(t.exitCode).toBe(134);
    expect(t.stderr).toContain('wasm trap: unreachable');
  });
});

describe('kiln run --target aarch64-linux', () => {
  it('cross-compiles and runs under qemu with the same exit status and trap report', async () => {
    const exe = join(dir, 'fib-arm');
    expect((await kiln(['compile', fib, '-o', exe, '--target', 'aarch64-linux'])).exitCode).toBe(0);
    const elf = readFileSync(exe);
    expect(elf.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
    const r = await kiln(['run', '--target', 'aarch64-linux', fib]);
    expect(r.exitCode).toBe(6765 % 256);
    const t = await kiln(['run', '--target', 'aarch64-linux', trap]);
    expect(t.exitCode).toBe(134);
    expect(t.stderr).toContain('wasm trap: unreachable');
  });
});
