/**
 * The opcode table against an independent reference: every instruction is encoded
 * from the table with placeholder immediates and disassembled by wabt's wasm2wat;
 * the names must agree one for one.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInstr, Imm, Kind, OPS, opByCode, opcodeBytes, opId } from '../../src/frontend/opcodes.js';
import { codeSec, funcSec, memSec, section, tableSec, T, typeSec, u32, vec, wasm, type Bytes } from './wasm-builder.js';

function placeholderImmediates(imm: Imm): Bytes {
  switch (imm) {
    case Imm.None:
      return [];
    case Imm.BlockType:
      return [0x40];
    case Imm.BrTable:
      return [0, 0];
    case Imm.CallIndirect:
    case Imm.MemArg:
    case Imm.TableInit:
    case Imm.TableCopy:
    case Imm.MemInit:
    case Imm.MemCopy:
      return [0, 0];
    case Imm.F32:
      return [0, 0, 0, 0];
    case Imm.F64:
      return [0, 0, 0, 0, 0, 0, 0, 0];
    case Imm.V128:
    case Imm.Shuffle:
      return new Array<number>(16).fill(0);
    case Imm.MemArgLane:
      return [0, 0, 0];
    case Imm.SelectT:
      return [1, T.i32];
    case Imm.RefType:
      return [T.funcref];
    default:
      return [0];
  }
}

describe('opcode table', () => {
  it('has the expected shape', () => {
    expect(OPS.filter((o) => o.prefix === 0xfd)).toHaveLength(236);
    expect(OPS.filter((o) => o.prefix === 0xfc)).toHaveLength(18);
    OPS.forEach((o, i) => {
      expect(o.id).toBe(i);
      expect(opByCode(o.prefix, o.code)).toBe(i);
      if (o.kind === Kind.Plain && o.imm === Imm.MemArg) expect(o.align).toBeGreaterThanOrEqual(0);
    });
    const names = OPS.map((o) => o.name).filter((n) => n !== 'select');
    expect(new Set(names).size).toBe(names.length);
    expect(opcodeBytes(opId('i32x4.dot_i16x8_s'))).toEqual([0xfd, 0xba, 0x01]);
    expect(opByCode(0xfd, 0x9a)).toBe(-1);
    expect(opByCode(0xfc, 18)).toBe(-1);
  });

  it('agrees with wasm2wat on every name and encoding', async () => {
    const straight = OPS.filter((o) => ![Kind.Block, Kind.Loop, Kind.If, Kind.Else, Kind.End].includes(o.kind));
    const code: Bytes = [];
    for (const o of straight) code.push(...opcodeBytes(o.id), ...placeholderImmediates(o.imm));
    // Structured instructions, in a shape wasm2wat can print.
    code.push(0x02, 0x40, 0x0b, 0x03, 0x40, 0x0b, 0x04, 0x40, 0x05, 0x01, 0x0b);
    const bytes = wasm(
      typeSec([[], []]),
      funcSec(0),
      tableSec([T.funcref, 0]),
      memSec(1),
      section(6, vec([[T.i32, 1, 0x41, 0, 0x0b]])),
      section(9, vec([[0x01, 0x00, ...vec([u32(0)])]])),
      section(12, u32(1)),
      codeSec({ locals: [[1, T.i32]], code }),
      section(11, vec([[0x01, 0x00]])),
    );
    const tmp = { dir: mkdtempSync(join(tmpdir(), 'kiln-opcodes-')) };
    const dispose = () => rmSync(tmp.dir, { recursive: true, force: true });
    try {
      const file = join(tmp.dir, 'all.wasm');
      writeFileSync(file, bytes);
      const res = await execa('wasm2wat', ['--no-check', '--enable-all', file], { reject: false });
      expect(res.stderr).toBe('');
      const body = res.stdout.split('\n');
      const start = body.findIndex((l) => l.includes('(func'));
      const names = body
        .slice(start + 2)
        .map((l) => l.trim().split(/\s+/)[0]!.replace(/\)+$/, ''))
        .filter((n) => n && !n.startsWith('(') && n !== ')');
      const expected = [...straight.map((o) => o.name), 'block', 'end', 'loop', 'end', 'if', 'else', 'nop', 'end'];
      expect(names.slice(0, expected.length)).toEqual(expected);
    } finally {
      dispose();
    }
  });
});

describe('formatInstr', () => {
  const f = (name: string, ...w: number[]) => formatInstr(opId(name), w);
  it('prints immediates in text-format order', () => {
    expect(f('i32.add')).toBe('i32.add');
    expect(f('block', -1)).toBe('block');
    expect(f('block', -0x7f)).toBe('block (result i32)');
    expect(f('loop', 3)).toBe('loop (type 3)');
    expect(f('br_table', 2, 0, 1, 2)).toBe('br_table 0 1 2');
    expect(f('call_indirect', 4, 1)).toBe('call_indirect 1 (type 4)');
    expect(f('i32.load', 2, 0)).toBe('i32.load');
    expect(f('i64.load', 0, 16)).toBe('i64.load offset=16 align=1');
    expect(f('i32.const', -5)).toBe('i32.const -5');
    expect(f('i64.const', -2, -1)).toBe('i64.const -2');
    expect(f('f32.const', 0x3fc00000)).toBe('f32.const 1.5');
    expect(f('f32.const', 0x7fc00000)).toBe('f32.const nan:0x400000');
    expect(f('f64.const', 0, 0xfff00000 | 0)).toBe('f64.const -inf');
    expect(f('select_t', 1, 0x70)).toBe('select (result funcref)');
    expect(f('ref.null', 0x6f)).toBe('ref.null extern');
    expect(f('table.init', 2, 1)).toBe('table.init 1 2');
    expect(f('table.copy', 0, 1)).toBe('table.copy 0 1');
    expect(f('i8x16.shuffle', 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c)).toBe('i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15');
    expect(f('v128.load8_lane', 0, 0, 7)).toBe('v128.load8_lane 7');
    expect(f('memory.init', 3)).toBe('memory.init 3');
  });
});
