/**
 * WASI on the interpreter vs Node's own WASI on V8: the same .wasm (C compiled by
 * clang-14 for wasm32-wasi) must give identical stdout and exit code.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWasiInterp } from '../../src/cli/run-interp.js';

const HELLO = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }
int main(int argc, char **argv) {
  printf("hello, world\\n");
  for (int i = 0; i < argc; i++) printf("arg %d: %s\\n", i, argv[i]);
  const char *e = getenv("KILN_GREETING");
  printf("env: %s\\n", e ? e : "(unset)");
  double x = 0;
  for (int i = 1; i <= 10; i++) x += 1.0 / i;
  printf("h10 = %.9f, fib(20) = %llu\\n", x, (unsigned long long)fib(20));
  char *buf = malloc(1 << 20);
  memset(buf, 'k', 1 << 20);
  printf("sum %d\\n", buf[12345] + buf[(1 << 20) - 1]);
  free(buf);
  return argc + 40;
}
`;

const TRAPS = `
#include <stdio.h>
int main(void) {
  printf("before\\n");
  fflush(stdout);
  __builtin_trap();
}
`;

let dir: string;
function compile(name: string, src: string): string {
  const c = join(dir, `${name}.c`);
  const out = join(dir, `${name}.wasm`);
  writeFileSync(c, src);
  execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', c, '-o', out]);
  return out;
}

/** Runs `fn` with the guest's stdout going to a file; returns [result, stdout]. */
async function captured<T>(fn: (stdout: number) => Promise<T> | T): Promise<[T, string]> {
  const path = join(dir, `out-${Math.random().toString(36).slice(2)}.txt`);
  const fd = openSync(path, 'w');
  try {
    const r = await fn(fd);
    return [r, readFileSync(path, 'utf8')];
  } finally {
    closeSync(fd);
  }
}

/** Node's WebAssembly (the project's lib settings do not declare it). */
const WA = (globalThis as unknown as {
  WebAssembly: { compile(b: Uint8Array): Promise<object>; instantiate(m: object, imports: object): Promise<object> };
}).WebAssembly;

async function runV8(wasm: string, args: string[], env: Record<string, string>, stdout: number): Promise<number> {
  const wasi = new WASI({ version: 'preview1', args, env, preopens: {}, returnOnExit: true, stdout });
  const mod = await WA.compile(readFileSync(wasm));
  const inst = await WA.instantiate(mod, { wasi_snapshot_preview1: wasi.wasiImport });
  return wasi.start(inst) ?? 0;
}

describe('WASI on the interpreter', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-interp-wasi-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hello world: same stdout and exit code as Node WASI on V8', async () => {
    const wasm = compile('hello', HELLO);
    const args = ['hello', 'one', 'two words'];
    const env = { KILN_GREETING: 'hi there' };
    const [ours, outOurs] = await captured((fd) => runWasiInterp(readFileSync(wasm), args, env, {}, { stdout: fd }));
    const [ref, outRef] = await captured((fd) => runV8(wasm, args, env, fd));
    expect(outOurs).toBe(outRef);
    expect(ours).toBe(ref);
    expect(ours).toBe(43);
    expect(outOurs).toContain('hello, world\narg 0: hello\n');
    expect(outOurs).toContain('fib(20) = 6765');
  }, 120_000);

  it('a trap prints the spec message and exits 134', async () => {
    const wasm = compile('traps', TRAPS);
    const report: string[] = [];
    const [code, out] = await captured((fd) => runWasiInterp(readFileSync(wasm), ['traps'], {}, {}, { stdout: fd, report: { write: (s: string) => report.push(s) } }));
    expect(code).toBe(134);
    expect(out).toBe('before\n');
    expect(report.join('')).toBe('wasm trap: unreachable\n');
  }, 120_000);
});
