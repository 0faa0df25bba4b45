/**
 * The opcode table against an independent reference: every instruction is encoded
 * from the table with placeholder immediates and disassembled by wabt's wasm2wat;
 * the names must agree one for one.
 */
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Imm, Kind, OPS, opByCode, opcodeBytes, opId } from '../../src/frontend/opcodes.js';
import { makeTempDir } from './spec-helper.js';
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
    const tmp = makeTempDir('opcodes');
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
      tmp.dispose();
    }
  });
});
