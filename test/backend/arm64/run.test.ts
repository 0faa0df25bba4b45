/**
 * Encoded code executed for real: a few functions are encoded by kiln, emitted as `.inst`
 * words into an assembly file, linked with a C driver (`aarch64-linux-gnu-gcc -static`) and
 * run under qemu-aarch64. Covers constant materialisation, popcnt through SIMD, the jump
 * table sequence, and a frame with callee-saved registers, a large spill area and the
 * stack-limit check (which must trap with SIGILL through `udf`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { encodeInst, type EncodeCtx } from '../../../src/backend/arm64/encode.js';
import { epilogue, layoutFrame, prologue } from '../../../src/backend/arm64/abi.js';
import { popcount, type A64Inst } from '../../../src/backend/arm64/inst.js';
import { vreg, X0, X1, X19, X2 } from '../../../src/backend/arm64/regs.js';

const CONSTS64 = [0n, 1n, 0xffffffffffffffffn, 0x1234567890abcdefn, 0x00ff00ff00ff1234n, 0x3fb999999999999an, 0xffff5678ffff1234n, 0x8000000000000000n, 0xfedcba9876543210n];
const CONSTS32 = [0x12345678n, 0xfffffffen, 0xf0f0f0f0n];

interface Fn {
  name: string;
  bytes: Uint8Array;
}

function encodeBlocks(name: string, blocks: A64Inst[][], frameSlots?: (s: number) => number): Fn {
  const buf = new CodeBuffer();
  const labels = blocks.map(() => buf.newLabel());
  const ctx: EncodeCtx = { blockLabel: (b) => labels[b]!, slotOffset: frameSlots ?? (() => 0) };
  blocks.forEach((insts, b) => {
    buf.bindLabel(labels[b]!);
    ctx.nextBlock = b + 1 < blocks.length ? b + 1 : undefined;
    for (const i of insts) encodeInst(i, buf, ctx);
  });
  const code = buf.finish();
  expect(code.relocs).toEqual([]);
  return { name, bytes: code.bytes };
}

const ret: A64Inst = { op: 'ret', rets: [] };

function buildFunctions(): Fn[] {
  const fns: Fn[] = [];
  CONSTS64.forEach((c, k) => fns.push(encodeBlocks(`k64_${k}`, [[{ op: 'movconst', size: 64, rd: X0, imm: c }, ret]])));
  CONSTS32.forEach((c, k) => fns.push(encodeBlocks(`k32_${k}`, [[{ op: 'movconst', size: 32, rd: X0, imm: c }, ret]])));
  fns.push(encodeBlocks('pop64', [[...popcount(64, X0, X0, vreg(0)), ret]]));
  fns.push(encodeBlocks('pop32', [[...popcount(32, X0, X0, vreg(7)), ret]]));
  const set = (v: number): A64Inst[] => [{ op: 'movconst', size: 64, rd: X0, imm: BigInt(v) }, ret];
  fns.push(encodeBlocks('sw', [[{ op: 'jumptable', idx: X0, targets: [1, 2, 3, 2], dflt: 4 }], set(10), set(11), set(12), set(99)]));

  // frame(vmctx, x): keeps x in a spill slot 69 KB up the frame, clobbers x19/x20/d8, returns x + 1234.
  const frame = layoutFrame({ usedCalleeSaved: [X19, X19 + 1, vreg(8)], spillAreaSize: 70000, outgoingBytes: 32 });
  const buf = new CodeBuffer();
  const trap = buf.newLabel();
  const ctx: EncodeCtx = { blockLabel: () => trap, slotOffset: (s) => frame.spillBase + 16 * s };
  const body: A64Inst[] = [
    ...prologue(frame, { limitOffset: 8, trap }),
    { op: 'str', bits: 64, rt: X1, am: { k: 'slot', slot: 4370 } },
    { op: 'movconst', size: 64, rd: X19, imm: 1234n },
    { op: 'movconst', size: 64, rd: X19 + 1, imm: -1n },
    { op: 'fmov_from_gpr', size: 64, rd: vreg(8), rn: X19 + 1 },
    { op: 'movconst', size: 64, rd: X1, imm: 0n },
    { op: 'ldr', bits: 64, rt: X2, am: { k: 'slot', slot: 4370 } },
    { op: 'alu', fn: 'add', size: 64, rd: X0, rn: X2, rm: X19 },
    ...epilogue(frame),
    ret,
  ];
  for (const i of body) encodeInst(i, buf, ctx);
  buf.bindLabel(trap);
  encodeInst({ op: 'udf', imm: 1, trap: 1 }, buf, ctx);
  fns.push({ name: 'frame', bytes: buf.finish().bytes });
  return fns;
}

const DRIVER = String.raw`
#include <stdio.h>
#include <stdint.h>
#include <string.h>
${CONSTS64.map((_, k) => `uint64_t k64_${k}(void);`).join('\n')}
${CONSTS32.map((_, k) => `uint32_t k32_${k}(void);`).join('\n')}
uint32_t pop64(uint64_t); uint32_t pop32(uint32_t);
uint64_t sw(uint32_t);
uint64_t frame(const uint64_t *vmctx, uint64_t x);
int main(int argc, char **argv) {
  static const uint64_t vm[2] = { 0, 0 };           /* stack limit at offset 8: 0 */
  static const uint64_t vm_low[2] = { 0, ~0ull };   /* limit above every sp: traps */
  if (argc > 1 && strcmp(argv[1], "trap") == 0) { frame(vm_low, 1); puts("no trap"); return 0; }
${CONSTS64.map((_, k) => `  printf("%016llx\\n", (unsigned long long)k64_${k}());`).join('\n')}
${CONSTS32.map((_, k) => `  printf("%08x\\n", k32_${k}());`).join('\n')}
  printf("%u %u %u\n", pop64(0), pop64(~0ull), pop64(0x8000000100000001ull));
  printf("%u %u\n", pop32(0xffffffffu), pop32(0x80000001u));
  printf("%llu %llu %llu %llu %llu %llu\n", (unsigned long long)sw(0), (unsigned long long)sw(1), (unsigned long long)sw(2),
         (unsigned long long)sw(3), (unsigned long long)sw(4), (unsigned long long)sw(0xffffffffu));
  register uint64_t keep __asm__("x19") = 77;
  __asm__ volatile("" : "+r"(keep));
  uint64_t r = frame(vm, 5);
  __asm__ volatile("" : "+r"(keep));
  printf("%llu %llu\n", (unsigned long long)r, (unsigned long long)keep);
  return 0;
}
`;

function assembly(fns: Fn[]): string {
  const out = ['.text'];
  for (const f of fns) {
    out.push(`.globl ${f.name}`, `.type ${f.name}, %function`, '.p2align 2', `${f.name}:`);
    const dv = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    for (let i = 0; i < f.bytes.length; i += 4) out.push(`  .inst 0x${dv.getUint32(i, true).toString(16).padStart(8, '0')}`);
  }
  return out.join('\n') + '\n';
}

describe('encoded AArch64 code runs under qemu', () => {
  let dir = '';
  let exe = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-a64-run-'));
    writeFileSync(join(dir, 'fns.S'), assembly(buildFunctions()));
    writeFileSync(join(dir, 'main.c'), DRIVER);
    exe = join(dir, 'prog');
    execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O1', '-o', exe, join(dir, 'main.c'), join(dir, 'fns.S')], { stdio: 'pipe' });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes constants, popcounts, a jump table and a large frame', () => {
    const out = execFileSync('qemu-aarch64', [exe], { encoding: 'utf8' }).trim().split('\n');
    const expected = [
      ...CONSTS64.map((c) => c.toString(16).padStart(16, '0')),
      ...CONSTS32.map((c) => c.toString(16).padStart(8, '0')),
      '0 64 3',
      '32 2',
      '10 11 12 11 99 99',
      '1239 77',
    ];
    expect(out).toEqual(expected);
  });

  it('traps with SIGILL when the frame would cross the stack limit', () => {
    const r = spawnSync('qemu-aarch64', [exe, 'trap'], { encoding: 'utf8' });
    expect(r.stdout).not.toContain('no trap');
    expect(r.signal ?? r.status).toSatisfy((s: unknown) => s === 'SIGILL' || s === 132);
  });
});
