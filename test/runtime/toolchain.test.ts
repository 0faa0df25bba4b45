import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { findCompiler, ToolchainError } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime, forgetRuntimeBuilds } from '../../toolchain/runtime.js';
import { tempDir } from './helpers.js';

describe('runtime build cache', () => {
  it('survives two builds racing into a fresh cache directory', async () => {
    const cacheDir = tempDir('cache');
    forgetRuntimeBuilds();
    const a = buildRuntime('x86_64', { cacheDir });
    forgetRuntimeBuilds(); // as if a second process started the same build
    const b = buildRuntime('x86_64', { cacheDir });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.dir).toBe(rb.dir);
    expect(existsSync(ra.archive)).toBe(true);
    expect(existsSync(ra.entries.command) && existsSync(ra.entries.spec)).toBe(true);
    expect(existsSync(join(ra.dir, 'kiln_rt.h'))).toBe(true);
    // exactly one build directory, no leftover temporaries
    expect(readdirSync(join(cacheDir, 'runtime'))).toEqual([ra.dir.split('/').pop()]);
    const again = await buildRuntime('x86_64', { cacheDir });
    expect(again.dir).toBe(ra.dir);
  });
});

describe('linkExecutable', () => {
  it('leaves no partial output when the link fails', async () => {
    const dir = tempDir('link');
    const src = join(dir, 'bad.c');
    writeFileSync(src, 'extern int no_such_symbol(void);\nint use(void) { return no_such_symbol(); }\n');
    const { cc } = findCompiler('x86_64');
    await execa(cc, ['-c', src, '-o', join(dir, 'bad.o')]);
    const output = join(dir, 'prog');
    await expect(linkExecutable({ target: 'x86_64', objects: [join(dir, 'bad.o')], output })).rejects.toThrow(
      ToolchainError,
    );
    expect(readdirSync(dir).sort()).toEqual(['bad.c', 'bad.o']);
  });

  it('reports a module-less executable as a runtime error', async () => {
    const dir = tempDir('empty');
    const src = join(dir, 'empty.c');
    writeFileSync(src, 'int kiln_unrelated;\n');
    const { cc } = findCompiler('x86_64');
    await execa(cc, ['-c', src, '-o', join(dir, 'empty.o')]);
    const output = join(dir, 'prog');
    await linkExecutable({ target: 'x86_64', objects: [join(dir, 'empty.o')], output });
    const r = await execa(output, [], { reject: false });
    expect(r.stderr).toBe('kiln: no module linked into this executable');
    expect(r.exitCode).toBe(1);
  });
});
