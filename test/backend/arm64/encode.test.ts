/**
 * The AArch64 encoder against two independent references:
 *   - the words in cases.ts (assembled by llvm-mc / GNU as, spot-checked by hand), and
 *   - `aarch64-linux-gnu-objdump`, which must print the expected text for those words.
 * Every case of the table, the branch cases and the multi-instruction sequences below go
 * into ONE binary blob and one objdump run; listings are matched back by offset.
 * `formatInst` is held to the same text, so `--emit asm` reads like a disassembly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeBuffer, type FinishedCode, type Label } from '../../../src/backend/codebuf.js';
import { encodeInst, patchAdr, patchImm14, patchImm19, patchImm26, type EncodeCtx } from '../../../src/backend/arm64/encode.js';
import { formatInst } from '../../../src/backend/arm64/format.js';
import type { A64Inst, BranchTest, Cond } from '../../../src/backend/arm64/inst.js';
import { CASES, SP, v, ZR } from './cases.js';

// ---------------------------------------------------------------- helpers

function words(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4)
    out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
}

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}`;

/** A context whose blocks all have labels; slot n lives at sp + 16n. */
function makeCtx(buf: CodeBuffer, nBlocks = 8, nextBlock?: number): EncodeCtx & { labels: Label[] } {
  const labels = Array.from({ length: nBlocks }, () => buf.newLabel());
  return { labels, blockLabel: (b) => labels[b]!, nextBlock, slotOffset: (s) => 16 * s };
}

function encodeAlone(inst: A64Inst): FinishedCode {
  const buf = new CodeBuffer();
  encodeInst(structuredClone(inst), buf, makeCtx(buf, 0));
  return buf.finish();
}

/** Words of a branch to a label `delta` bytes away (label placed by padding with nops). */
function branchWord(make: (l: Label) => A64Inst, delta: number): number {
  const buf = new CodeBuffer();
  const l = buf.newLabel();
  const nop = 0xd503201f;
  if (delta <= 0) {
    buf.bindLabel(l);
    for (let i = 0; i < -delta / 4; i++) buf.emit32(nop);
  }
  const at = buf.offset;
  encodeInst(make(l), buf, makeCtx(buf, 0));
  if (delta > 0) {
    while (buf.offset < at + delta) buf.emit32(nop);
    buf.bindLabel(l);
  }
  return words(buf.finish().bytes.subarray(at, at + 4))[0]!;
}

/** Applies a label patcher to a bare word, for range extremes no buffer should be padded to. */
function patched(base: number, patch: (b: Uint8Array, at: number, target: number) => void, delta: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, base, true);
  patch(b, 0, delta);
  return new DataView(b.buffer).getUint32(0, true);
}

// ---------------------------------------------------------------- the blob

interface Chunk {
  /** Expected words (the reference), in order. */
  ref: number[];
  /** Expected objdump text per word; `@N` stands for the address chunk start + N; null skips a word (data). */
  asm: (string | null)[];
  start?: number;
}

const chunks: Chunk[] = [];
function addChunk(ref: number[], asm: (string | null)[]): Chunk {
  if (ref.length !== asm.length) throw new Error(`chunk ${asm.join('; ')}: ${ref.length} words vs ${asm.length} lines`);
  const ch: Chunk = { ref, asm };
  chunks.push(ch);
  return ch;
}

const tableChunks = CASES.map((c) => addChunk([c.words].flat(), c.asm.split('; ')));

// ---- branches to labels
const cond = (c: Cond): BranchTest => ({ k: 'cond', cond: c });
const bif = (test: BranchTest) => (label: Label): A64Inst => ({ op: 'bif', test, label });
const bLabel = (label: Label): A64Inst => ({ op: 'b', label });
const adr = (rd: number) => (label: Label): A64Inst => ({ op: 'adr', rd, label });
interface BranchCase {
  make: (l: Label) => A64Inst;
  delta: number;
  word: number;
  asm: string;
}
// Words computed by hand: displacement/4 in imm26 (25:0), imm19 (23:5) or imm14 (18:5).
const BRANCHES: BranchCase[] = [
  { make: bLabel, delta: 8, word: 0x14000002, asm: 'b @8' },
  { make: bLabel, delta: -4, word: 0x17ffffff, asm: 'b @-4' },
  { make: bLabel, delta: 0, word: 0x14000000, asm: 'b @0' },
  { make: bif(cond('eq')), delta: 8, word: 0x54000040, asm: 'b.eq @8' },
  { make: bif(cond('ne')), delta: -8, word: 0x54ffffc1, asm: 'b.ne @-8' },
  { make: bif(cond('hs')), delta: 0xffffc, word: 0x547fffe2, asm: 'b.cs @1048572' },
  { make: bif(cond('lo')), delta: -0x100000, word: 0x54800003, asm: 'b.cc @-1048576' },
  { make: bif(cond('gt')), delta: 12, word: 0x5400006c, asm: 'b.gt @12' },
  { make: bif(cond('nv')), delta: 4, word: 0x5400002f, asm: 'b.nv @4' },
  { make: bif({ k: 'zero', nz: false, size: 32, rt: 3 }), delta: 8, word: 0x34000043, asm: 'cbz w3, @8' },
  { make: bif({ k: 'zero', nz: true, size: 64, rt: 0 }), delta: -4, word: 0xb5ffffe0, asm: 'cbnz x0, @-4' },
  { make: bif({ k: 'zero', nz: false, size: 64, rt: 30 }), delta: 0xffffc, word: 0xb47ffffe, asm: 'cbz x30, @1048572' },
  { make: bif({ k: 'zero', nz: true, size: 32, rt: ZR }), delta: 4, word: 0x3500003f, asm: 'cbnz wzr, @4' },
  { make: bif({ k: 'bit', nz: false, rt: 0, bit: 3 }), delta: 8, word: 0x36180040, asm: 'tbz w0, #3, @8' },
  { make: bif({ k: 'bit', nz: true, rt: 0, bit: 40 }), delta: 8, word: 0xb7400040, asm: 'tbnz x0, #40, @8' },
  { make: bif({ k: 'bit', nz: false, rt: 30, bit: 63 }), delta: -0x8000, word: 0xb6fc001e, asm: 'tbz x30, #63, @-32768' },
  { make: bif({ k: 'bit', nz: true, rt: 1, bit: 0 }), delta: 0x7ffc, word: 0x3703ffe1, asm: 'tbnz w1, #0, @32764' },
  { make: bif({ k: 'bit', nz: true, rt: 2, bit: 31 }), delta: -4, word: 0x37ffffe2, asm: 'tbnz w2, #31, @-4' },
  { make: adr(0), delta: 8, word: 0x10000040, asm: 'adr x0, @8' },
  { make: adr(30), delta: -4, word: 0x10ffffff - 0x1f + 30, asm: 'adr x30, @-4' },
];
const branchChunks = BRANCHES.map((b) => addChunk([b.word], [b.asm]));

// Range extremes through the patchers directly.
const EXTREMES: { base: number; patch: typeof patchImm26; delta: number; word: number; asm: string }[] = [
  { base: 0x14000000, patch: patchImm26, delta: 0x7fffffc, word: 0x15ffffff, asm: 'b @134217724' },
  { base: 0x14000000, patch: patchImm26, delta: -0x8000000, word: 0x16000000, asm: 'b @-134217728' },
  { base: 0x94000000, patch: patchImm26, delta: 0x400, word: 0x94000100, asm: 'bl @1024' },
  { base: 0x54000000, patch: patchImm19, delta: -0x100000, word: 0x54800000, asm: 'b.eq @-1048576' },
  { base: 0x36000000, patch: patchImm14, delta: 0x7ffc, word: 0x3603ffe0, asm: 'tbz w0, #0, @32764' },
  { base: 0x10000001, patch: patchAdr, delta: 0xfffff, word: 0x707fffe1, asm: 'adr x1, @1048575' },
  { base: 0x10000001, patch: patchAdr, delta: -0x100000, word: 0x10800001, asm: 'adr x1, @-1048576' },
  { base: 0x10000001, patch: patchAdr, delta: -1, word: 0x70ffffe1, asm: 'adr x1, @-1' },
];
const extremeChunks = EXTREMES.map((e) => addChunk([e.word], [e.asm]));

// ---- a function with block terminators, a jump table, a call and trap sites
function buildFunction(): { code: FinishedCode; ctxLabels: Label[] } {
  const buf = new CodeBuffer();
  const ctx = makeCtx(buf, 5);
  const trap = buf.newLabel();
  const block = (b: number, insts: A64Inst[]): void => {
    buf.bindLabel(ctx.labels[b]!);
    ctx.nextBlock = b + 1;
    for (const i of insts) encodeInst(i, buf, ctx);
  };
  block(0, [
    { op: 'alui', fn: 'subs', size: 32, rd: ZR, rn: 0, imm12: 10 },
    { op: 'bif', test: { k: 'cond', cond: 'hs' }, label: trap },
    { op: 'ldr', bits: 32, rt: 1, am: { k: 'reg', base: 2, index: 0, ext: 'uxtw' }, trap: 6 },
    { op: 'brif', test: { k: 'cond', cond: 'eq' }, taken: 1, notTaken: 2 }, // falls through to 1: inverted
  ]);
  block(1, [
    { op: 'bl', sym: 'callee', args: [{ reg: 0, loc: 0 }], rets: [{ reg: 0, loc: 0 }] },
    { op: 'brif', test: { k: 'zero', nz: false, size: 64, rt: 0 }, taken: 3, notTaken: 4 }, // both explicit
  ]);
  block(2, [{ op: 'jumptable', idx: 1, targets: [3, 4, 3], dflt: 1 }]);
  block(3, [{ op: 'jump', target: 4 }]); // next block: nothing emitted
  block(4, [
    { op: 'adrp', rd: 0, sym: 'data', addend: 8 },
    { op: 'addlo12', rd: 0, rn: 0, sym: 'data', addend: 8 },
    { op: 'ret', rets: [] },
  ]);
  buf.bindLabel(trap);
  encodeInst({ op: 'udf', imm: 6, trap: 6 }, buf, ctx);
  return { code: buf.finish(), ctxLabels: ctx.labels };
}
const fn = buildFunction();
// Layout worked out by hand: blocks at 0, 16, 28, 64, 64 (block 3 is an omitted jump),
// jump table at 52..63, trap stub at 76.
const fnChunk = addChunk(words(fn.code.bytes), [
  'cmp w0, #0xa',
  'b.cs @76',
  'ldr w1, [x2, w0, uxtw]',
  'b.ne @28',
  'bl @16',
  'cbz x0, @64',
  'b @64',
  'cmp w1, #0x3',
  'b.cs @16',
  'adr x16, @52',
  'ldrsw x17, [x16, w1, uxtw #2]',
  'add x16, x16, x17',
  'br x16',
  null,
  null,
  null,
  'adrp x0, @page64',
  'add x0, x0, #0x0',
  'ret',
  'udf #6',
]);

// ---- spills and reloads through a frame context
function spillCode(): FinishedCode {
  const buf = new CodeBuffer();
  const ctx: EncodeCtx = { blockLabel: () => 0, slotOffset: (s) => (s === 9 ? 80000 : 16 * s) };
  const insts: A64Inst[] = [
    { op: 'str', bits: 64, rt: 0, am: { k: 'slot', slot: 2 } },
    { op: 'fstr', bits: 128, rt: v(5), am: { k: 'slot', slot: 3 } },
    { op: 'ldr', bits: 64, rt: 30, am: { k: 'slot', slot: 0 } },
    { op: 'fldr', bits: 128, rt: v(31), am: { k: 'slot', slot: 9 } },
    { op: 'ldr', bits: 32, rt: 1, am: { k: 'slot', slot: 1, off: 4 } },
    { op: 'stp', fp: false, bits: 64, rt: 19, rt2: 20, am: { k: 'slot', slot: 1 } },
  ];
  for (const i of insts) encodeInst(i, buf, ctx);
  return buf.finish();
}
const spill = spillCode();
const spillChunk = addChunk(words(spill.bytes), [
  'str x0, [sp, #32]',
  'str q5, [sp, #48]',
  'ldr x30, [sp]',
  'mov x16, #0x3880',
  'movk x16, #0x1, lsl #16',
  'ldr q31, [sp, x16]',
  'ldr w1, [sp, #20]',
  'stp x19, x20, [sp, #16]',
]);

// ---- one objdump run over everything
function disassemble(): Map<number, string> {
  let off = 0;
  const all: number[] = [];
  for (const ch of chunks) {
    ch.start = off;
    all.push(...ch.ref);
    off += 4 * ch.ref.length;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kiln-a64-'));
  try {
    const file = join(dir, 'blob.bin');
    const bytes = new Uint8Array(all.length * 4);
    const dv = new DataView(bytes.buffer);
    all.forEach((w, i) => dv.setUint32(4 * i, w, true));
    writeFileSync(file, bytes);
    const out = execFileSync('aarch64-linux-gnu-objdump', ['-D', '-b', 'binary', '-m', 'aarch64', file], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const map = new Map<number, string>();
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$/.exec(line);
      if (!m) continue;
      const text = m[2]!.replace(/\/\/.*$/, '').replace(/\s+/g, ' ').trim();
      map.set(parseInt(m[1]!, 16), text);
    }
    return map;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const listing = disassemble();

function expectedText(ch: Chunk, line: string): string {
  return line
    .replace(/@page(\d+)/g, (_m, n: string) => `0x${((ch.start! + Number(n)) & ~0xfff).toString(16)}`)
    .replace(/@(-?\d+)/g, (_m, n: string) => `0x${BigInt.asUintN(64, BigInt(ch.start! + Number(n))).toString(16)}`);
}

function objdumpOf(ch: Chunk): (string | null)[] {
  return ch.asm.map((a, k) => (a === null ? null : listing.get(ch.start! + 4 * k) ?? '<missing>'));
}

function expectedOf(ch: Chunk): (string | null)[] {
  return ch.asm.map((a) => (a === null ? null : expectedText(ch, a)));
}

// ---------------------------------------------------------------- tests

describe('aarch64 encoder table', () => {
  it('has a few hundred cases covering every instruction kind', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(CASES.map((c) => c.inst.op));
    for (const k of ['mov', 'movw', 'movconst', 'alu', 'alui', 'alux', 'logi', 'dp2', 'dp1', 'shifti', 'bitfield', 'extend', 'madd', 'csel', 'ccmp', 'ldr', 'str', 'fldr', 'fstr', 'ldp', 'stp', 'fmov', 'fmov_from_gpr', 'fmov_to_gpr', 'fmovi', 'fconst', 'fp2', 'fp1', 'fcvt', 'i2f', 'f2i', 'fcmp', 'fcsel', 'vmov', 'vzero', 'vlogic', 'varith', 'dup', 'ins', 'umov', 'smov', 'cnt', 'addv', 'blr', 'br', 'ret', 'udf', 'brk', 'nop'])
      expect(kinds, k).toContain(k);
  });

  it.each(CASES.map((c, n) => [c.asm, n] as const))('%s', (_asm, n) => {
    const c = CASES[n]!;
    const ch = tableChunks[n]!;
    const got = words(encodeAlone(c.inst).bytes);
    expect(got.map(hex)).toEqual(ch.ref.map(hex));
    expect(objdumpOf(ch)).toEqual(expectedOf(ch));
    // format() prints what objdump prints, except where the encoder picks a fallback sequence.
    const fallback = (c.inst.op === 'ldr' || c.inst.op === 'str' || c.inst.op === 'fldr' || c.inst.op === 'fstr') && ch.ref.length > 1;
    if (!fallback) expect(formatInst(c.inst)).toBe(c.asm);
  });
});

describe('aarch64 branches and label patchers', () => {
  it.each(BRANCHES.map((b, n) => [b.asm, n] as const))('%s', (_asm, n) => {
    const b = BRANCHES[n]!;
    const ch = branchChunks[n]!;
    expect(hex(branchWord(b.make, b.delta))).toBe(hex(b.word));
    expect(objdumpOf(ch)).toEqual(expectedOf(ch));
  });

  it.each(EXTREMES.map((e, n) => [e.asm, n] as const))('range extreme %s', (_asm, n) => {
    const e = EXTREMES[n]!;
    expect(hex(patched(e.base, e.patch, e.delta))).toBe(hex(e.word));
    expect(objdumpOf(extremeChunks[n]!)).toEqual(expectedOf(extremeChunks[n]!));
  });

  it('rejects out-of-range and misaligned displacements', () => {
    expect(() => patched(0x14000000, patchImm26, 0x8000000)).toThrow(/range/);
    expect(() => patched(0x14000000, patchImm26, -0x8000004)).toThrow(/range/);
    expect(() => patched(0x54000000, patchImm19, 0x100000)).toThrow(/range/);
    expect(() => patched(0x36000000, patchImm14, 0x8000)).toThrow(/range/);
    expect(() => patched(0x36000000, patchImm14, -0x8004)).toThrow(/range/);
    expect(() => patched(0x10000000, patchAdr, 0x100000)).toThrow(/range/);
    expect(() => patched(0x14000000, patchImm26, 6)).toThrow(/aligned/);
  });

  it('records the call relocation and the adrp/add relocations', () => {
    expect(fn.code.relocs).toEqual([
      { offset: 16, kind: 'a64-call26', symbol: 'callee', addend: 0 },
      { offset: 64, kind: 'a64-adr-prel-pg-hi21', symbol: 'data', addend: 8 },
      { offset: 68, kind: 'a64-add-abs-lo12-nc', symbol: 'data', addend: 8 },
    ]);
  });

  it('lowers terminators against the layout: inverted brif, omitted jump, jump table', () => {
    expect(objdumpOf(fnChunk)).toEqual(expectedOf(fnChunk));
    const w = words(fn.code.bytes);
    // Table entries are relative to the table start (offset 52); blocks 3 and 4 are both at 64.
    expect(w.slice(13, 16)).toEqual([12, 12, 12]);
    expect(fn.code.labelOffsets.slice(0, 5)).toEqual([0, 16, 28, 64, 64]);
  });

  it('bounds-checks a jump table of more than 4095 entries through w17', () => {
    const buf = new CodeBuffer();
    const ctx = makeCtx(buf, 2);
    encodeInst({ op: 'jumptable', idx: 1, targets: Array<number>(5000).fill(1), dflt: 0 }, buf, ctx);
    buf.bindLabel(ctx.labels[0]!);
    buf.bindLabel(ctx.labels[1]!);
    const w = words(buf.finish().bytes);
    // mov w17, #5000 ; cmp w1, w17 ; b.hs … ; adr ; ldrsw ; add ; br ; 5000 entries
    expect(w.slice(0, 2).map(hex)).toEqual([hex(0x52827111), hex(0x6b11003f)]);
    expect(w).toHaveLength(7 + 5000);
    expect(w[7 + 4999]).toBe(4 * 5000); // the block right after the table
  });

  it('records trap sites at the faulting load and at the trap instruction', () => {
    expect(fn.code.trapSites).toEqual([
      { offset: 8, code: 6 },
      { offset: 76, code: 6 },
    ]);
  });
});

describe('aarch64 spill slots through the frame context', () => {
  it('resolves slots to [sp, #off], with a scratch register for large offsets', () => {
    expect(objdumpOf(spillChunk)).toEqual(expectedOf(spillChunk));
  });

  it('records a trap site at the memory instruction, not at the offset materialisation', () => {
    const code = encodeAlone({ op: 'ldr', bits: 64, rt: 0, am: { k: 'imm', base: 1, off: 1 << 20 }, trap: 3 });
    expect(words(code.bytes).length).toBe(2);
    expect(code.trapSites).toEqual([{ offset: 4, code: 3 }]);
  });
});

describe('aarch64 encoder rejects what the hardware cannot do', () => {
  const bad: [string, A64Inst, RegExp][] = [
    ['xzr as an add-immediate source (would read sp)', { op: 'alui', fn: 'add', size: 64, rd: 0, rn: ZR, imm12: 1 }, /xzr/],
    ['sp as a shifted-register operand (would read xzr)', { op: 'alu', fn: 'add', size: 64, rd: 0, rn: SP, rm: 1 }, /sp/],
    ['sp as a cmp destination', { op: 'alui', fn: 'subs', size: 64, rd: SP, rn: 1, imm12: 1 }, /sp/],
    ['a virtual register', { op: 'mov', size: 64, rd: 1024, rm: 0 }, /virtual/],
    ['an FPR where a GPR goes', { op: 'mov', size: 64, rd: v(0), rm: 0 }, /not a general/],
    ['a non-bitmask immediate', { op: 'logi', fn: 'and', size: 64, rd: 0, rn: 1, imm: 0x1234n }, /logical immediate/],
    ['imm12 out of range', { op: 'alui', fn: 'add', size: 64, rd: 0, rn: 1, imm12: 4096 }, /imm12/],
    ['ror on add', { op: 'alu', fn: 'add', size: 64, rd: 0, rn: 1, rm: 2, shift: 'ror', amount: 1 }, /rotate/],
    ['shift amount = width', { op: 'alu', fn: 'add', size: 32, rd: 0, rn: 1, rm: 2, shift: 'lsl', amount: 32 }, /shift amount/],
    ['lsl #64', { op: 'shifti', fn: 'lsl', size: 64, rd: 0, rn: 1, amount: 64 }, /out of range/],
    ['movk shift 32 on w', { op: 'movw', fn: 'movk', size: 32, rd: 0, imm16: 1, shift: 32 }, /shift/],
    ['pre-index beyond simm9', { op: 'ldr', bits: 64, rt: 0, am: { k: 'pre', base: 1, off: 256 } }, /offset/],
    ['misaligned pair offset', { op: 'stp', fp: false, bits: 64, rt: 0, rt2: 1, am: { k: 'imm', base: SP, off: 4 } }, /multiple/],
    ['pair offset out of range', { op: 'stp', fp: false, bits: 64, rt: 0, rt2: 1, am: { k: 'imm', base: SP, off: 512 } }, /outside/],
    ['ldrsw into w', { op: 'ldr', bits: 32, sx: 32, rt: 0, am: { k: 'imm', base: 1, off: 0 } }, /sign-extending/],
    ['fmov #0.1', { op: 'fmovi', size: 64, rd: v(0), imm: 0.1 }, /fmov immediate/],
    ['uxtb to x', { op: 'extend', fn: 'uxtb', size: 64, rd: 0, rn: 1 }, /out of range/],
    ['umov of a d lane into w', { op: 'umov', esize: 64, size: 32, rd: 0, rn: v(1), lane: 0 }, /umov/],
    ['lane out of range', { op: 'ins', esize: 32, rd: v(0), lane: 4, rn: 1 }, /lane/],
    ['large offset from x16', { op: 'ldr', bits: 64, rt: 0, am: { k: 'imm', base: 16, off: 1 << 20 } }, /x16/],
  ];
  it.each(bad)('%s', (_name, inst, re) => {
    expect(() => encodeAlone(inst)).toThrow(re);
  });
});
