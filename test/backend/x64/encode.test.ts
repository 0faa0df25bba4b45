import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { emitJumpTable, encodeInst, linearSlots } from '../../../src/backend/x64/encode.js';
import type { EncodeContext } from '../../../src/backend/x64/encode.js';
import type { X64Inst } from '../../../src/backend/x64/inst.js';
import { Cond, X64_ISA, mem, memIdx, ripLabel, ripSym } from '../../../src/backend/x64/inst.js';
import { RAX, RBP, RCX, RDX, RSI, RSP, R10, R11, R12, R9, XMM0 } from '../../../src/backend/x64/regs.js';
import { VREG_BASE } from '../../../src/backend/minst.js';
import { CASES } from './encode-cases.js';
import { encodeForTest, hasObjdump, objdumpMany, toHex } from './harness.js';

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.split(' ').filter((s) => s !== ''), (b) => parseInt(b, 16));
}

const label = (c: (typeof CASES)[number], i: number): string => `#${i} ${c.text || X64_ISA.format(c.inst)}`;

describe('x64 encoder table', () => {
  it('has a few hundred cases covering every instruction kind', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(300);
    const ops = new Set(CASES.map((c) => c.inst.op));
    for (const op of [
      'mov_rr', 'mov_ri', 'gzero', 'load', 'store', 'store_imm', 'ext_rr', 'lea', 'alu_rr', 'alu_ri', 'alu_rm', 'alu_mr', 'alu_mi',
      'imul_rr', 'imul_rri', 'div', 'sign_ext_ax', 'unary', 'shift_rc', 'shift_ri', 'bit', 'setcc', 'cmov',
      'mov_to_xmm', 'mov_from_xmm', 'xmov', 'xload', 'xstore', 'sse', 'xzero', 'round', 'cvt_i2f', 'cvt_f2i',
      'jmp', 'jcc', 'jmp_r', 'trap_if', 'call', 'ret', 'push', 'pop', 'sp_adjust', 'ud2', 'int3', 'nop',
    ] as const) expect(ops.has(op), op).toBe(true);
  });

  it.each(CASES.map((c, i) => [label(c, i), c] as const))('encodes %s', (_name, c) => {
    expect(toHex(encodeForTest([c.inst], c.next).bytes)).toBe(c.hex);
  });

  describe.runIf(hasObjdump())('agrees with GNU objdump', () => {
    let texts: string[] = [];
    beforeAll(() => {
      texts = objdumpMany(CASES.map((c) => hexBytes(c.hex)));
    });
    it.each(CASES.map((c, i) => [label(c, i), i] as const))('disassembles %s', (_name, i) => {
      expect(texts[i]).toBe(CASES[i]!.text);
    });
  });

  // The table's bytes were cross-checked with llvm-mc when written; keep checking it.
  it.runIf(hasLlvmMc())('agrees with llvm-mc on every assemblable row', () => {
    const rows = CASES.filter((c) => c.text !== '' && !c.text.includes('.+') && !/^(nop|xchg)/.test(c.text));
    const marker = 'hlt\nhlt\nhlt';
    const src = rows.map((c) => `${c.text.split(' ; ').join('\n')}\n${marker}`).join('\n');
    const out = execFileSync(LLVM_MC, ['-triple=x86_64', '-x86-asm-syntax=intel', '-show-encoding'], { input: src, encoding: 'utf8' });
    const encs: string[] = [];
    let cur: string[] = [];
    let hlts = 0;
    for (const line of out.split('\n')) {
      const mm = /encoding: \[([^\]]*)\]/.exec(line);
      if (!mm) continue;
      const bytes = mm[1]!.split(',').map((b) => b.trim().replace(/^0x/, '').padStart(2, '0'));
      if (bytes.length === 1 && bytes[0] === 'f4') {
        if (++hlts === 3) {
          encs.push(cur.join(' '));
          cur = [];
          hlts = 0;
        }
        continue;
      }
      hlts = 0;
      cur.push(...bytes);
    }
    expect(encs.length).toBe(rows.length);
    const diffs = rows.flatMap((c, i) => (encs[i] === c.hex ? [] : [`${c.text}: table ${c.hex}, llvm-mc ${encs[i]}`]));
    expect(diffs).toEqual([]);
  });
});

const LLVM_MC = 'llvm-mc-14';
function hasLlvmMc(): boolean {
  try {
    execFileSync(LLVM_MC, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('x64 encoder side facts', () => {
  it('records a plt32 relocation for direct calls', () => {
    const f = encodeForTest([{ op: 'call', callee: { kind: 'sym', symbol: 'kiln_f3' }, args: [], rets: [] }]);
    expect(f.relocs).toEqual([{ offset: 1, kind: 'x64-plt32', symbol: 'kiln_f3', addend: -4 }]);
  });

  it('records pc32 relocations whose addend accounts for a trailing immediate', () => {
    const f = encodeForTest([
      { op: 'lea', size: 64, dst: RCX, mem: ripSym('data', 8) },
      { op: 'alu_mi', aop: 'or', size: 64, mem: ripSym('flags', 0), imm: 1 },
      { op: 'alu_mi', aop: 'cmp', size: 32, mem: ripSym('x', 0), imm: 0x1000 },
      { op: 'round', ty: 'f32', mode: 3, dst: XMM0, src: ripSym('c', 0) },
    ]);
    expect(f.relocs).toEqual([
      { offset: 3, kind: 'x64-pc32', symbol: 'data', addend: 4 },
      { offset: 10, kind: 'x64-pc32', symbol: 'flags', addend: -5 },
      { offset: 17, kind: 'x64-pc32', symbol: 'x', addend: -8 },
      { offset: 30, kind: 'x64-pc32', symbol: 'c', addend: -5 },
    ]);
  });

  it('resolves RIP-relative label operands to the label (constant pools)', () => {
    const buf = new CodeBuffer();
    const pool = buf.newLabel();
    const ctx: EncodeContext = { blockLabel: () => 0, slot: linearSlots(RSP, 0) };
    encodeInst({ op: 'sse', sop: 'andps', dst: XMM0, src: ripLabel(pool) }, buf, ctx); // 7 bytes
    encodeInst({ op: 'ret', rets: [] }, buf, ctx);
    buf.align(16, 0xcc);
    buf.bindLabel(pool);
    const f = buf.finish();
    // disp = 16 - 7
    expect(toHex(f.bytes.subarray(0, 7))).toBe('0f 54 05 09 00 00 00');
  });

  it('adds a displacement to a RIP-relative label operand', () => {
    const f = encodeForTest([{ op: 'xload', xop: 'movsd', dst: XMM0, mem: ripLabel(1, 8) }]);
    // label 1 is at offset 0; the load is 8 bytes long: 0 + 8 - 8
    expect(toHex(f.bytes)).toBe('f2 0f 10 05 00 00 00 00');
  });

  it('records trap sites: memory faults, ud2 with a code, trap_if', () => {
    const f = encodeForTest([
      { op: 'load', width: 32, ext: 'zx', size: 32, dst: RAX, mem: memIdx(R10, RCX, 1, 8), trap: 7 }, // 0..5
      { op: 'trap_if', cc: Cond.E, code: 3 }, // 5: 74?? -> jne +2 ; ud2 at 7
      { op: 'div', signed: true, size: 64, divisor: RCX, lo: RAX, hi: RDX, quot: RAX, rem: RDX, trap: 4 }, // 9
      { op: 'ud2', code: 0 }, // 12
      { op: 'ud2' }, // 14: no code, no site
      { op: 'xstore', xop: 'movups', src: XMM0, mem: mem(RAX), trap: 7 }, // 16
      { op: 'store', width: 8, src: RAX, mem: mem(RAX), trap: 7 }, // 19
    ]);
    expect(toHex(f.bytes)).toBe('41 8b 44 0a 08 75 02 0f 0b 48 f7 f9 0f 0b 0f 0b 0f 11 00 88 00');
    expect(f.trapSites).toEqual([
      { offset: 0, code: 7 },
      { offset: 7, code: 3 },
      { offset: 9, code: 4 },
      { offset: 12, code: 0 },
      { offset: 16, code: 7 },
      { offset: 19, code: 7 },
    ]);
  });

  it('emits a jump table: rip-relative table, relative entries indexed by the whole register', () => {
    const buf = new CodeBuffer();
    const blocks = [buf.newLabel(), buf.newLabel(), buf.newLabel()];
    const ctx: EncodeContext = { blockLabel: (b) => blocks[b]!, slot: linearSlots(RSP, 0) };
    buf.bindLabel(blocks[0]!); // block 0 at offset 0
    encodeInst({ op: 'jmp_table', index: RDX, tmp: R9, targets: [0, 2, 1, 2] }, buf, ctx);
    buf.bindLabel(blocks[1]!);
    encodeInst({ op: 'ret', rets: [] }, buf, ctx);
    buf.bindLabel(blocks[2]!);
    encodeInst({ op: 'int3' }, buf, ctx);
    const f = buf.finish();
    // lea r11,[rip+d] (7) ; movsxd r9,[r11+rdx*4] (4) ; add r11,r9 (3) ; jmp r11 (3) = 17 bytes, pad to 20, table at 20
    const code = f.bytes.subarray(0, 17);
    expect(toHex(code)).toBe('4c 8d 1d 0d 00 00 00 4d 63 0c 93 4d 01 cb 41 ff e3');
    const tableAt = 20;
    const b1 = tableAt + 16;
    const b2 = b1 + 1;
    const entries = Array.from({ length: 4 }, (_, k) => new DataView(f.bytes.buffer, f.bytes.byteOffset).getInt32(tableAt + 4 * k, true));
    expect(entries).toEqual([0 - tableAt, b2 - tableAt, b1 - tableAt, b2 - tableAt]);
    expect(f.labelOffsets[3]).toBe(tableAt);
    if (hasObjdump()) {
      expect(objdumpMany([code])[0]).toBe(
        'lea r11,[rip+0xd] ; movsxd r9,DWORD PTR [r11+rdx*4] ; add r11,r9 ; jmp r11',
      );
    }
  });

  it('emits a jump table with a default: cmp index32, n; jae default first', () => {
    const buf = new CodeBuffer();
    const blocks = [buf.newLabel(), buf.newLabel(), buf.newLabel()];
    const ctx: EncodeContext = { blockLabel: (b) => blocks[b]!, slot: linearSlots(RSP, 0) };
    buf.bindLabel(blocks[0]!);
    encodeInst({ op: 'jmp_table', index: RSI, tmp: RAX, targets: [1, 1, 0], dflt: 2 }, buf, ctx);
    buf.bindLabel(blocks[1]!);
    encodeInst({ op: 'ret', rets: [] }, buf, ctx);
    buf.bindLabel(blocks[2]!);
    encodeInst({ op: 'int3' }, buf, ctx);
    const f = buf.finish();
    // cmp esi,3 (3) ; jae rel32 (6) ; lea (7) ; movsxd rax,[r11+rsi*4] (4) ; add (3) ; jmp (3) = 26, table at 28 (3 entries), ret at 40, int3 at 41
    const code = f.bytes.subarray(0, 26);
    expect(toHex(code)).toBe('83 fe 03 0f 83 20 00 00 00 4c 8d 1d 0c 00 00 00 49 63 04 b3 49 01 c3 41 ff e3');
    if (hasObjdump()) {
      expect(objdumpMany([code])[0]).toBe('cmp esi,0x3 ; jae .+41 ; lea r11,[rip+0xc] ; movsxd rax,DWORD PTR [r11+rsi*4] ; add r11,rax ; jmp r11');
    }
  });

  it('pads before a jump table with int3 to a 4-byte boundary', () => {
    const buf = new CodeBuffer();
    const t = buf.newLabel();
    const a = buf.newLabel();
    buf.emit8(0x90);
    buf.bindLabel(a);
    emitJumpTable(buf, t, [a, a]);
    const f = buf.finish();
    expect(toHex(f.bytes)).toBe('90 cc cc cc fd ff ff ff fd ff ff ff');
  });

  it('encodes spills/reloads through rbp-based frame slots', () => {
    const slots = linearSlots(RBP, -0x40);
    const f = encodeForTest(
      [
        { op: 'store', width: 64, src: R12, mem: { kind: 'slot', slot: 0 } },
        { op: 'xload', xop: 'movups', dst: XMM0, mem: { kind: 'slot', slot: 5 } },
        { op: 'load', width: 32, ext: 'zx', size: 32, dst: RAX, mem: { kind: 'slot', slot: 1, disp: 4 } },
      ],
      undefined,
      slots,
    );
    expect(toHex(f.bytes)).toBe('4c 89 65 c0 0f 10 45 10 8b 45 d4');
  });

  it('rejects operands the hardware cannot encode', () => {
    const bad: X64Inst[] = [
      { op: 'load', width: 64, ext: 'zx', size: 64, dst: RAX, mem: memIdx(RAX, RSP, 1) },
      { op: 'mov_rr', size: 64, dst: VREG_BASE, src: RAX },
      { op: 'load', width: 64, ext: 'zx', size: 64, dst: RAX, mem: mem(RAX, 0x80000000) },
      { op: 'alu_ri', aop: 'add', size: 64, dst: RCX, imm: 0x80000000 },
      { op: 'shift_rc', sop: 'shl', size: 32, dst: RAX, count: RDX },
      { op: 'div', signed: false, size: 32, divisor: RCX, lo: RCX, hi: RDX, quot: RAX, rem: RDX },
      { op: 'sse', sop: 'addss', dst: RAX, src: XMM0 },
      { op: 'mov_to_xmm', size: 32, dst: RAX, src: RCX },
      { op: 'jmp_table', index: R11, tmp: RAX, targets: [0] },
      { op: 'nop', len: 10 },
      { op: 'ext_rr', from: 32, signed: true, size: 32, dst: RAX, src: RCX },
      { op: 'mov_rr', size: 64, dst: XMM0, src: RAX },
      { op: 'mov_rr', size: 64, dst: RAX, src: XMM0 },
      { op: 'mov_ri', size: 64, dst: XMM0, imm: 1n },
      { op: 'store', width: 32, src: XMM0, mem: mem(RAX) },
      { op: 'lea', size: 64, dst: XMM0, mem: mem(RAX) },
      { op: 'load', width: 32, ext: 'zx', size: 32, dst: XMM0, mem: mem(RAX) },
      { op: 'load', width: 64, ext: 'zx', size: 64, dst: RAX, mem: mem(XMM0) },
      { op: 'xload', xop: 'movups', dst: XMM0, mem: memIdx(RAX, XMM0, 2) },
      { op: 'cvt_f2i', ty: 'f32', size: 32, dst: RAX, src: RCX },
      { op: 'call', callee: { kind: 'reg', reg: XMM0 }, args: [], rets: [] },
      { op: 'store_imm', width: 8, imm: 256, mem: mem(RAX) },
      { op: 'store_imm', width: 16, imm: -0x8001, mem: mem(RAX) },
      { op: 'store_imm', width: 64, imm: 0x80000000, mem: mem(RAX) },
    ];
    for (const i of bad) expect(() => encodeForTest([i]), X64_ISA.format(i)).toThrow();
  });

  it('accepts 32-bit immediates given as unsigned values for 32-bit ops only', () => {
    expect(toHex(encodeForTest([{ op: 'alu_ri', aop: 'and', size: 32, dst: R12, imm: 0xfffffff0 }]).bytes)).toBe('41 83 e4 f0');
    expect(toHex(encodeForTest([{ op: 'alu_ri', aop: 'cmp', size: 32, dst: RAX, imm: 0x80000000 }]).bytes)).toBe('3d 00 00 00 80');
  });
});
