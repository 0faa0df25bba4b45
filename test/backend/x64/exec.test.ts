/**
 * Runs encoded code on the host CPU (x86-64 Linux with a C compiler only): a small C
 * runner maps the bytes executable and calls functions `int64_t f(int64_t, int64_t,
 * int64_t)` at given offsets. This checks what disassembly cannot: label fixups in both
 * directions, jump-table entries, fixed registers of div/shift, the frame-slot context.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { encodeInst, linearSlots } from '../../../src/backend/x64/encode.js';
import type { EncodeContext } from '../../../src/backend/x64/encode.js';
import { Cond, X64_ISA, mem, memIdx, ripLabel } from '../../../src/backend/x64/inst.js';
import type { X64Inst } from '../../../src/backend/x64/inst.js';
import {
  RAX, RBP, RCX, RDI, RDX, RSI, RSP, R8, R9, R12, XMM0, XMM1, XMM9,
} from '../../../src/backend/x64/regs.js';
import { GPR } from '../../../src/backend/minst.js';

const RUNNER_C = `
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 3;
  static uint8_t code[1 << 16];
  size_t n = fread(code, 1, sizeof code, f);
  fclose(f);
  uint8_t *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 4;
  for (size_t i = 0; i < n; i++) p[i] = code[i];
  if (mprotect(p, n, PROT_READ | PROT_EXEC) != 0) return 5;
  long off;
  long long a, b, c;
  while (scanf("%ld %lld %lld %lld", &off, &a, &b, &c) == 4) {
    int64_t (*fn)(int64_t, int64_t, int64_t) = (int64_t (*)(int64_t, int64_t, int64_t))(void *)(p + off);
    printf("%lld\\n", (long long)fn(a, b, c));
  }
  return 0;
}
`;

function canRunNative(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A function as blocks of instructions; block i is laid out in order. */
type Fn = X64Inst[][];

const ret: X64Inst = { op: 'ret', rets: [] };
const movri = (dst: number, imm: bigint): X64Inst => ({ op: 'mov_ri', size: 64, dst, imm });
const mov = (dst: number, src: number): X64Inst => ({ op: 'mov_rr', size: 64, dst, src });

const FUNCS: Record<string, Fn> = {
  // [10, 20, 30][i] for i < 3, else 40 (unsigned clamp, then a jump table)
  table: [
    [
      { op: 'mov_ri', size: 32, dst: RAX, imm: 3n },
      { op: 'alu_ri', aop: 'cmp', size: 64, dst: RDI, imm: 3 },
      { op: 'cmov', cc: Cond.A, size: 64, dst: RDI, src: RAX },
      { op: 'jmp_table', index: RDI, tmp: RCX, targets: [1, 2, 3, 4] },
    ],
    [movri(RAX, 10n), ret],
    [movri(RAX, 20n), ret],
    [movri(RAX, 30n), ret],
    [movri(RAX, 40n), ret],
  ],
  // a / b and a % b, signed 64-bit
  sdiv: [[mov(RAX, RDI), { op: 'sign_ext_ax', size: 64, src: RAX, dst: RDX }, { op: 'div', signed: true, size: 64, divisor: RSI, lo: RAX, hi: RDX, quot: RAX, rem: RDX }, ret]],
  srem: [[mov(RAX, RDI), { op: 'sign_ext_ax', size: 64, src: RAX, dst: RDX }, { op: 'div', signed: true, size: 64, divisor: RSI, lo: RAX, hi: RDX, quot: RAX, rem: RDX }, mov(RAX, RDX), ret]],
  // unsigned 32-bit division with edx = 0
  udiv32: [[
    { op: 'mov_rr', size: 32, dst: RAX, src: RDI },
    { op: 'mov_ri', size: 32, dst: RDX, imm: 0n },
    { op: 'div', signed: false, size: 32, divisor: RSI, lo: RAX, hi: RDX, quot: RAX, rem: RDX },
    ret,
  ]],
  // (a << n) for 32-bit, sign-extended into rax
  shl32: [[mov(RAX, RDI), mov(RCX, RSI), { op: 'shift_rc', sop: 'shl', size: 32, dst: RAX, count: RCX }, { op: 'ext_rr', from: 32, signed: true, size: 64, dst: RAX, src: RAX }, ret]],
  rotr64: [[mov(RAX, RDI), mov(RCX, RSI), { op: 'shift_rc', sop: 'ror', size: 64, dst: RAX, count: RCX }, ret]],
  // a < b (signed), via setl sil + movzx
  lts: [[
    { op: 'alu_rr', aop: 'cmp', size: 64, dst: RDI, src: RSI },
    { op: 'setcc', cc: Cond.L, dst: RSI },
    { op: 'ext_rr', from: 8, signed: false, size: 32, dst: RAX, src: RSI },
    ret,
  ]],
  // sum of 1..n with a loop (backward and forward label fixups)
  sum: [
    [{ op: 'alu_rr', aop: 'xor', size: 32, dst: RAX, src: RAX }],
    [{ op: 'alu_rr', aop: 'test', size: 64, dst: RDI, src: RDI }, { op: 'jcc', cc: Cond.E, taken: 3, notTaken: 2 }],
    [{ op: 'alu_rr', aop: 'add', size: 64, dst: RAX, src: RDI }, { op: 'alu_ri', aop: 'sub', size: 64, dst: RDI, imm: 1 }, { op: 'jmp', target: 1 }],
    [ret],
  ],
  // a + b*8 + 5
  lea: [[{ op: 'lea', size: 64, dst: RAX, mem: memIdx(RDI, RSI, 8, 5) }, ret]],
  movabs: [[movri(R9, 0x123456789abcdef0n), mov(RAX, R9), ret]],
  // sign-extend the low 16 bits of a through the red zone
  sx16: [[
    { op: 'store', width: 32, src: RDI, mem: mem(RSP, -8) },
    { op: 'load', width: 16, ext: 'sx', size: 64, dst: RAX, mem: mem(RSP, -8) },
    ret,
  ]],
  // f64 bits: (a + b) as doubles
  fadd: [[
    { op: 'mov_to_xmm', size: 64, dst: XMM0, src: RDI },
    { op: 'mov_to_xmm', size: 64, dst: XMM9, src: RSI },
    { op: 'sse', sop: 'addsd', dst: XMM0, src: XMM9 },
    { op: 'mov_from_xmm', size: 64, dst: RAX, src: XMM0 },
    ret,
  ]],
  // trunc(sqrt(double(a)))
  isqrt: [[
    { op: 'cvt_i2f', ty: 'f64', size: 64, dst: XMM1, src: RDI },
    { op: 'sse', sop: 'sqrtsd', dst: XMM1, src: XMM1 },
    { op: 'round', ty: 'f64', mode: 3, dst: XMM1, src: XMM1 },
    { op: 'cvt_f2i', ty: 'f64', size: 64, dst: RAX, src: XMM1 },
    ret,
  ]],
  // |x| on f64 bits with a constant-pool mask (label 0 of this function's pool, see build())
  fabs: [[
    { op: 'mov_to_xmm', size: 64, dst: XMM0, src: RDI },
    { op: 'sse', sop: 'andpd', dst: XMM0, src: ripLabel(-1) },
    { op: 'mov_from_xmm', size: 64, dst: RAX, src: XMM0 },
    ret,
  ]],
  // a spilled to a frame slot and reloaded after the register was overwritten
  spill: [[
    { op: 'push', src: RBP },
    mov(RBP, RSP),
    { op: 'push', src: R12 },
    { op: 'sp_adjust', delta: -40 },
    mov(R12, RDI),
    X64_ISA.makeSpill(GPR, R12, 0),
    X64_ISA.makeSpill(1, XMM0, 1),
    movri(R12, 0n),
    X64_ISA.makeReload(GPR, RAX, 0),
    { op: 'alu_rr', aop: 'add', size: 64, dst: RAX, src: RSI },
    { op: 'sp_adjust', delta: 40 },
    { op: 'pop', dst: R12 },
    { op: 'pop', dst: RBP },
    ret,
  ]],
  // calls `lea` through a register: a + b*8 + 5 + 1
  callreg: [[
    { op: 'push', src: RBP },
    mov(RBP, RSP),
    { op: 'lea', size: 64, dst: R8, mem: ripLabel(-2) },
    { op: 'call', callee: { kind: 'reg', reg: R8 }, args: [], rets: [] },
    { op: 'alu_ri', aop: 'add', size: 64, dst: RAX, imm: 1 },
    { op: 'pop', dst: RBP },
    ret,
  ]],
};

interface Built {
  bytes: Uint8Array;
  offsets: Record<string, number>;
}

/** Lays out every function 16-aligned; ripLabel(-1) is an abs mask pool, ripLabel(-2) the `lea` function. */
function build(): Built {
  const buf = new CodeBuffer();
  const offsets: Record<string, number> = {};
  const pool = buf.newLabel();
  const leaFn = buf.newLabel();
  for (const [name, blocks] of Object.entries(FUNCS)) {
    buf.align(16, 0xcc);
    offsets[name] = buf.offset;
    if (name === 'lea') buf.bindLabel(leaFn);
    const labels = blocks.map(() => buf.newLabel());
    // Frames: slot i at [rbp - 48 + 16*i], below the saved r12 at [rbp - 8].
    const ctx: EncodeContext = { blockLabel: (b) => labels[b]!, slot: linearSlots(RBP, -48) };
    blocks.forEach((insts, b) => {
      buf.bindLabel(labels[b]!);
      if (b + 1 < blocks.length) ctx.nextBlock = b + 1;
      else delete ctx.nextBlock;
      for (const i of insts) {
        const c = structuredClone(i);
        for (const m of [c.op === 'sse' ? c.src : undefined, c.op === 'lea' ? c.mem : undefined]) {
          if (m && typeof m !== 'number' && m.kind === 'rip-label' && m.label < 0) m.label = m.label === -1 ? pool : leaFn;
        }
        encodeInst(c, buf, ctx);
      }
    });
  }
  buf.align(16, 0xcc);
  buf.bindLabel(pool);
  buf.emit64(0x7fff_ffff_ffff_ffffn);
  buf.emit64(0x7fff_ffff_ffff_ffffn);
  return { bytes: buf.finish().bytes, offsets };
}

function f64bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigInt64(0, true);
}

describe.runIf(canRunNative())('x64 encoded code runs natively', () => {
  let dir = '';
  let runner = '';
  let built: Built;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-x64-exec-'));
    writeFileSync(join(dir, 'run.c'), RUNNER_C);
    runner = join(dir, 'run');
    execFileSync('cc', ['-O1', '-o', runner, join(dir, 'run.c')]);
    built = build();
    writeFileSync(join(dir, 'code.bin'), built.bytes);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const calls: [string, bigint[], bigint][] = [
    ['table', [0n], 10n], ['table', [1n], 20n], ['table', [2n], 30n], ['table', [3n], 40n], ['table', [-1n], 40n], ['table', [1000n], 40n],
    ['sdiv', [-7n, 2n], -3n], ['srem', [-7n, 2n], -1n], ['sdiv', [1n << 40n, 3n], (1n << 40n) / 3n],
    ['udiv32', [0xffff_fff0n, 16n], 0x0fff_ffffn],
    ['shl32', [1n, 31n], -0x8000_0000n], ['shl32', [3n, 33n], 6n],
    ['rotr64', [1n, 1n], -0x8000_0000_0000_0000n],
    ['lts', [-1n, 0n], 1n], ['lts', [5n, 5n], 0n],
    ['sum', [0n], 0n], ['sum', [10n], 55n], ['sum', [1000n], 500500n],
    ['lea', [100n, 3n], 129n],
    ['movabs', [], 0x123456789abcdef0n],
    ['sx16', [0x1_8000n], -0x8000n], ['sx16', [0x7fffn], 0x7fffn],
    ['fadd', [f64bits(1.5), f64bits(2.25)], f64bits(3.75)],
    ['isqrt', [99n], 9n], ['isqrt', [100n], 10n],
    ['fabs', [f64bits(-2.5)], f64bits(2.5)],
    ['spill', [40n, 2n], 42n],
    ['callreg', [1n, 1n], 15n],
  ];

  it('computes the expected results', () => {
    const input = calls.map(([n, a]) => `${built.offsets[n]} ${[...a, 0n, 0n, 0n].slice(0, 3).join(' ')}`).join('\n') + '\n';
    const out = execFileSync(runner, [join(dir, 'code.bin')], { input, encoding: 'utf8' }).trim().split('\n');
    const got = calls.map(([n, a], k) => `${n}(${a.join(', ')}) = ${out[k]}`);
    const want = calls.map(([n, a, r]) => `${n}(${a.join(', ')}) = ${BigInt.asIntN(64, r)}`);
    expect(got).toEqual(want);
  });
});
