/**
 * The C runtime, linked with a hand-written module that follows the ABI (test/runtime/fixtures),
 * on both targets: x86-64 natively, AArch64 under qemu-aarch64.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KilnTarget } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime, type RuntimeBuild } from '../../toolchain/runtime.js';
import { runExecutable } from '../../qemu/run.js';
import { compileFixture, tempDir } from './helpers.js';

const TARGETS: KilnTarget[] = ['x86_64', 'aarch64'];

describe.each(TARGETS)('runtime on %s', (target) => {
  let dir: string;
  let rt: RuntimeBuild;
  let exe: string;
  let specExe: string;

  beforeAll(async () => {
    dir = tempDir(`rt-${target}`);
    rt = await buildRuntime(target);
    const code = await compileFixture(target, rt, `code_${target}.S`, join(dir, 'code.o'));
    const fixture = await compileFixture(target, rt, 'fixture.c', join(dir, 'fixture.o'));
    const bad = await compileFixture(target, rt, 'fixture.c', join(dir, 'bad.o'), ['-DFIXTURE_FD_WRITE_MODULE="env"']);
    exe = join(dir, 'fixture');
    specExe = join(dir, 'fixture-spec');
    await Promise.all([
      linkExecutable({ target, objects: [fixture, code], output: exe }),
      linkExecutable({ target, objects: [fixture, code], output: specExe, entry: 'spec' }),
      linkExecutable({ target, objects: [bad, code], output: join(dir, 'bad') }),
    ]);
  });

  const run = (...args: string[]) => runExecutable(target, exe, ['fixture', ...args].slice(1), {});

  it('writes hello world through fd_write from a data segment', async () => {
    const r = await run('hello');
    expect(r.stdout).toBe('hello, world\n');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('passes arguments through args_get', async () => {
    const r = await run('args', 'a b', 'c');
    expect(r.stdout).toBe('argc=4 args a b c\n');
  });

  it('exits with the proc_exit code', async () => {
    for (const code of ['0', '3', '42']) {
      const r = await run('exit', code);
      expect(r.exitCode).toBe(Number(code));
      expect(r.stdout).toBe('');
    }
  });

  it('grows memory within its maximum and traps one byte past the end', async () => {
    const r = await run('grow');
    expect(r.stdout).toBe('grow1 2 -1 3 size=3 bound=196608 last=7\n');
    expect(r.stderr).toBe('wasm trap: out of bounds memory access\n');
    expect(r.exitCode).toBe(134);
  });

  it('reports an out-of-bounds load listed in the trap table', async () => {
    const r = await run('oob');
    expect(r.stderr).toBe('wasm trap: out of bounds memory access\n');
    expect(r.exitCode).toBe(134);
  });

  it('reports a fault in the guard region even without a trap-table entry', async () => {
    const r = await run('oobguard');
    expect(r.stderr).toBe('wasm trap: out of bounds memory access\n');
    expect(r.exitCode).toBe(134);
  });

  it('reports unreachable from a trap instruction', async () => {
    const r = await run('unreachable');
    expect(r.stderr).toBe('wasm trap: unreachable\n');
    expect(r.exitCode).toBe(134);
  });

  it('reports explicit traps raised through kiln_trap', async () => {
    const r = await run('trap');
    expect(r.stderr).toBe('wasm trap: integer divide by zero\n');
    expect(r.exitCode).toBe(134);
  });

  it('does not swallow a NULL dereference outside compiled code', async () => {
    const r = await run('null', '0');
    expect(r.stderr).not.toContain('wasm trap');
    expect(r.signal).toBe('SIGSEGV');
  });

  it('does not report a stray fault inside compiled code as a trap', async () => {
    const r = await run('nullcompiled');
    expect(r.stderr).not.toContain('wasm trap');
    expect(r.signal).toBe('SIGSEGV');
  });

  it('turns runaway recursion into call stack exhausted', async () => {
    const r = await run('recurse');
    expect(r.stderr).toBe('wasm trap: call stack exhausted\n');
    expect(r.exitCode).toBe(134);
  });

  it('allows deep but legal recursion (1M frames, more than the default 8 MiB stack)', async () => {
    const r = await run('deep', '1000000');
    expect(r.stdout).toBe('deep 1000000\n');
    expect(r.exitCode).toBe(0);
  });

  it('refuses to start with an unresolved import', async () => {
    const r = await runExecutable(target, join(dir, 'bad'), ['hello']);
    expect(r.stderr).toBe('kiln: unknown import env.fd_write\n');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('runs a spec command list, catching traps per command', async () => {
    const cmds = join(dir, 'cmds.txt');
    writeFileSync(
      cmds,
      [
        '# comment',
        'module',
        'assert_return "add" i32:1 i32:2 -> i32:3',
        'assert_trap "unreachable" -> "unreachable"',
        'assert_trap "oob_load" i32:0x20000 -> "out of bounds memory access"',
        'assert_trap "explicit_trap" -> "integer divide by zero"',
        'assert_exhaustion "recurse" i32:0 -> "call stack exhausted"',
        'assert_trap "oob_load_nosite" i32:-16 -> "out of bounds"',
        'assert_return "add" i32:0xffffffff i32:-1 -> i32:-2',
        'invoke "add" i32:5 i32:6',
        'get "g"',
        'assert_get "g" -> i32:42',
        'assert_return "grow" i32:1 -> i32:1',
        'assert_return "grow" i32:5 -> i32:-1',
        'assert_return "size" -> i32:2',
        'assert_return "oob_load" i32:0x1fffc -> i32:0',
        'assert_return "nan_canonical" -> f32:nan:canonical',
        'assert_return "nan_arithmetic" -> f32:nan:arithmetic',
        'assert_return "nan_arithmetic" -> f32:nan:canonical',
        'assert_return "call_ind" i32:0 -> i32:42',
        'assert_trap "call_ind" i32:1 -> "uninitialized element"',
        'assert_trap "call_ind" i32:2 -> "out of bounds table access"',
        'assert_return "with space \\e2\\9c\\93" i32:2 i32:2 -> i32:4',
        'assert_return "add" i32:1 i32:1 -> i32:3',
        'assert_trap "add" i32:1 i32:1 -> "unreachable"',
        'assert_return "deep" i32:1000 -> i32:1000',
      ].join('\n') + '\n',
    );
    const r = await runExecutable(target, specExe, [cmds]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      '2 pass',
      '3 pass',
      '4 pass',
      '5 pass',
      '6 pass',
      '7 pass',
      '8 pass',
      '9 pass',
      '10 result i32:0x0000000b',
      '11 result i32:0x0000002a',
      '12 pass',
      '13 pass',
      '14 pass',
      '15 pass',
      '16 pass',
      '17 pass',
      '18 pass',
      '19 fail expected f32:nan:canonical at result 0, got [f32:0x7fc00001]',
      '20 pass',
      '21 pass',
      '22 pass',
      '23 pass',
      '24 fail expected i32:3 at result 0, got [i32:0x00000002]',
      '25 fail expected a trap, returned',
      '26 pass',
      'summary 22 3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(1);
  });

  it('caches the runtime build', async () => {
    const again = await buildRuntime(target);
    expect(again.dir).toBe(rt.dir);
    expect(existsSync(again.archive)).toBe(true);
  });
});

describe.each(TARGETS)('WASI on %s', (target) => {
  let exe: string;
  beforeAll(async () => {
    const dir = tempDir(`wasi-${target}`);
    const rt = await buildRuntime(target);
    const code = await compileFixture(target, rt, `code_${target}.S`, join(dir, 'code.o'));
    const fixture = await compileFixture(target, rt, 'fixture.c', join(dir, 'fixture.o'));
    exe = join(dir, 'fixture');
    await linkExecutable({ target, objects: [fixture, code], output: exe });
  });

  it('reads stdin with fd_read', async () => {
    const input = 'line one\nline two\n' + 'x'.repeat(1000) + '\n';
    const r = await runExecutable(target, exe, ['cat'], { input });
    expect(r.stdout).toBe(input);
    expect(r.exitCode).toBe(0);
  });

  it('answers fdstat, prestat, environ, clocks and random; rejects out-of-bounds pointers', async () => {
    const r = await runExecutable(target, exe, ['wasi'], { env: { SECRET: 'not for the guest' } });
    // fdstat(1)=0, fdstat(7)=EBADF; no preopens: EBADF; no environment; monotonic clock works;
    // bad clock id: EINVAL; guest pointers past memory 0: EFAULT; seek on a pipe: ESPIPE.
    expect(r.stdout).toBe('fdstat 0 8 prestat 8 environ 0 0 clock 0 1 badclock 28 random 0 efault 21 21 21 seek 70\n');
    expect(r.exitCode).toBe(0);
  });
});

describe.each(TARGETS)('spec driver with several modules on %s', (target) => {
  it('registers an instance and links a second module against it', async () => {
    const dir = tempDir(`multi-${target}`);
    const rt = await buildRuntime(target);
    const objects = [
      await compileFixture(target, rt, `code_${target}.S`, join(dir, 'code.o')),
      await compileFixture(target, rt, 'fixture.c', join(dir, 'm0.o'), ['-DFIXTURE_SYMBOL=kiln_module_0']),
    ];
    for (const v of [1, 2, 3, 4])
      objects.push(
        await compileFixture(target, rt, 'fixture2.c', join(dir, `m${v}.o`), [`-DVARIANT=${v}`, `-DFIXTURE_SYMBOL=kiln_module_${v}`]),
      );
    const exe = join(dir, 'multi');
    const modules = [0, 1, 2, 3, 4].map((k) => `kiln_module_${k}`);
    await linkExecutable({ target, objects, output: exe, entry: 'spec', modules });
    const cmds = [
      'module 0 $M',
      'register "M" $M',
      'module 1 $N',
      'assert_return $N "add_via" i32:2 i32:3 -> i32:5',
      'assert_return $N "add_reexport" i32:7 i32:3 -> i32:10',
      'assert_return $N "peek_at" i32:16 -> i32:104',
      'assert_return $N "g_plus_one" -> i32:43',
      'assert_return $N "bound_pages" -> i32:1',
      'assert_return $M "grow" i32:1 -> i32:1',
      'assert_return $N "bound_pages" -> i32:2',
      'assert_unlinkable 2 "unknown import"',
      'assert_unlinkable 3 "incompatible import type"',
      'assert_uninstantiable 4 "out of bounds memory access"',
      'assert_return $N "peek_at" i32:100 -> i32:88',
      'assert_return "add" i32:1 i32:1 -> i32:2',
      'module 9',
    ];
    const file = join(dir, 'cmds.txt');
    writeFileSync(file, cmds.join('\n') + '\n');
    const r = await runExecutable(target, exe, [file]);
    expect(r.stdout.trim().split('\n')).toEqual([
      '1 pass',
      '2 pass',
      '3 pass',
      '4 pass',
      '5 pass',
      '6 pass',
      '7 pass',
      '8 pass',
      '9 pass',
      '10 pass',
      '11 pass unknown import M.no_such_export',
      '12 pass incompatible import type M.add',
      '13 pass out of bounds memory access',
      '14 pass',
      '15 fail unknown function export "add"',
      '16 fail no module 9 in this executable',
      'summary 14 2',
    ]);
    expect(r.exitCode).toBe(1);
  });
});
