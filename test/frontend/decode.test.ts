import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { EXTERNREF, FUNCREF, I32, I64, type WasmModule } from '../../src/frontend/module.js';
import { codeSec, funcSec, HEADER, memSec, section, sleb, str, T, tableSec, typeSec, u32, vec, wasm, type Bytes } from './wasm-builder.js';

function decoded(bytes: Uint8Array): WasmModule {
  const r = decodeModule(bytes);
  if (!r.ok) throw new Error(`decode failed: ${r.error.message} @${r.error.offset}`);
  return r.value;
}

function malformed(bytes: Uint8Array | Bytes): { message: string; offset: number } {
  const r = decodeModule(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  if (r.ok) throw new Error('expected a decode error');
  expect(r.error.kind).toBe('malformed');
  return { message: r.error.message, offset: r.error.offset };
}

describe('header', () => {
  it('accepts the empty module', () => {
    const m = decoded(wasm());
    expect(m.sections).toEqual([]);
    expect(m.funcs).toEqual([]);
  });
  it('rejects bad magic, version and truncation', () => {
    expect(malformed([])).toEqual({ message: 'unexpected end', offset: 0 });
    expect(malformed([0, 0x61, 0x73])).toMatchObject({ message: 'unexpected end' });
    expect(malformed([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0])).toEqual({ message: 'magic header not detected', offset: 0 });
    expect(malformed([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])).toEqual({ message: 'unknown binary version', offset: 4 });
    expect(malformed([0, 0x61, 0x73, 0x6d, 1, 0])).toMatchObject({ message: 'unexpected end' });
  });
});

describe('section framing', () => {
  it('rejects unknown ids, bad order, duplicates, size mismatches', () => {
    expect(malformed([...HEADER, 13, 0])).toEqual({ message: 'malformed section id', offset: 8 });
    expect(malformed(wasm(funcSec(), typeSec())).message).toBe('unexpected content after last section');
    expect(malformed(wasm(typeSec(), typeSec())).message).toBe('unexpected content after last section');
    // data count must come before code
    expect(malformed(wasm(codeSec(), section(12, u32(0)))).message).toBe('unexpected content after last section');
    expect(malformed([...HEADER, 1, 5, 0]).message).toBe('length out of bounds');
    expect(malformed([...HEADER, 1, 2, 0, 0]).message).toBe('section size mismatch');
  });
  it('records sections with offsets', () => {
    const m = decoded(wasm(typeSec([[], []]), section(0, [...str('hi'), 1, 2, 3])));
    expect(m.sections.map((s) => [s.id, s.name, s.offset, s.size])).toEqual([
      [1, 'type', 8, 4],
      [0, 'custom', 14, 6],
    ]);
    expect(m.customs).toEqual([{ name: 'hi', offset: 14, start: 19, end: 22 }]);
  });
  it('custom section name longer than the section', () => {
    expect(malformed([...HEADER, 0, 1, 5, 0x61, 0x61, 0x61, 0x61, 0x61]).message).toMatch(/^unexpected end/);
  });
  it('custom section name must be UTF-8', () => {
    expect(malformed(wasm(section(0, [2, 0xc0, 0x80]))).message).toBe('malformed UTF-8 encoding');
  });
});

describe('type section', () => {
  it('decodes function types including multi-value', () => {
    const m = decoded(wasm(typeSec([[T.i32, T.i64], [T.f32, T.f64, T.v128]], [[T.funcref], [T.externref]])));
    expect(m.types).toEqual([
      { params: [0x7f, 0x7e], results: [0x7d, 0x7c, 0x7b] },
      { params: [FUNCREF], results: [EXTERNREF] },
    ]);
  });
  it('rejects a bad form and bad value types', () => {
    expect(malformed(wasm(section(1, vec([[0x61, 0, 0]])))).message).toBe('malformed function type');
    expect(malformed(wasm(section(1, vec([[0x60, 1, 0x7a, 0]])))).message).toBe('malformed value type');
    expect(malformed(wasm(section(1, vec([[0xe0, 0x7f, 0, 0]])))).message).toBe('integer representation too long');
  });
});

describe('import section', () => {
  it('decodes every kind and builds index spaces', () => {
    const m = decoded(
      wasm(
        typeSec([[], []]),
        section(
          2,
          vec([
            [...str('m'), ...str('f'), 0, 0],
            [...str('m'), ...str('t'), 1, T.funcref, 1, 1, 2],
            [...str('m'), ...str('mem'), 2, 0, 1],
            [...str('m'), ...str('g'), 3, T.i64, 1],
          ]),
        ),
      ),
    );
    expect(m.imports.map((i) => i.desc)).toEqual([
      { kind: 'func', type: 0 },
      { kind: 'table', table: { elem: FUNCREF, limits: { min: 1, max: 2 } } },
      { kind: 'memory', memory: { limits: { min: 1, max: null } } },
      { kind: 'global', global: { type: I64, mutable: true } },
    ]);
    expect([m.numImportedFuncs, m.numImportedTables, m.numImportedMemories, m.numImportedGlobals]).toEqual([1, 1, 1, 1]);
    expect(m.funcTypes).toEqual([0]);
  });
  it('rejects a bad kind, mutability, limits flag and names', () => {
    expect(malformed(wasm(section(2, vec([[...str('m'), ...str('f'), 4, 0]])))).message).toBe('malformed import kind');
    expect(malformed(wasm(section(2, vec([[...str('m'), ...str('g'), 3, T.i32, 2]])))).message).toBe('malformed mutability');
    expect(malformed(wasm(section(2, vec([[...str('m'), ...str('mem'), 2, 2, 0]])))).message).toBe('integer too large');
    expect(malformed(wasm(section(2, vec([[1, 0xff, ...str('f'), 0, 0]])))).message).toBe('malformed UTF-8 encoding');
  });
});

describe('function, table, memory, global, export, start sections', () => {
  it('decodes them', () => {
    const m = decoded(
      wasm(
        typeSec([[], [T.i32]]),
        funcSec(0, 0),
        tableSec([T.funcref, 1], [T.externref, 0, 5]),
        memSec(1, 2),
        section(6, vec([[T.i32, 0, 0x41, ...sleb(-5n), 0x0b], [T.i64, 1, 0x42, ...sleb(1n << 40n), 0x0b]])),
        section(7, vec([[...str('a'), 0, 1], [...str('m'), 2, 0]])),
        section(8, u32(1)),
        codeSec({ code: [0x41, 1] }, { locals: [[2, T.i64], [1, T.f32]], code: [0x41, 2] }),
      ),
    );
    expect(m.funcTypes).toEqual([0, 0]);
    expect(m.tables).toEqual([
      { elem: FUNCREF, limits: { min: 1, max: null } },
      { elem: EXTERNREF, limits: { min: 0, max: 5 } },
    ]);
    expect(m.memories).toEqual([{ limits: { min: 1, max: 2 } }]);
    expect(m.globals[0]!.init.instrs).toEqual([{ op: 'i32.const', value: -5, offset: expect.any(Number) }]);
    expect(m.globals[1]!.init.instrs[0]).toMatchObject({ op: 'i64.const', value: 1n << 40n });
    expect(m.globals[1]!.type).toEqual({ type: I64, mutable: true });
    expect(m.exports.map((e) => [e.name, e.kind, e.index])).toEqual([
      ['a', 'func', 1],
      ['m', 'memory', 0],
    ]);
    expect(m.start).toBe(1);
    expect(m.funcs[1]!.locals).toEqual([
      { count: 2, type: I64 },
      { count: 1, type: T.f32 },
    ]);
    expect(m.funcs[1]!.numLocals).toBe(3);
  });
  it('rejects an export kind out of range', () => {
    expect(malformed(wasm(section(7, vec([[...str('a'), 4, 0]])))).message).toBe('malformed export kind');
  });
});

describe('code section', () => {
  it('checks function/code counts', () => {
    expect(malformed(wasm(typeSec([[], []]), funcSec(0))).message).toBe('function and code section have inconsistent lengths');
    expect(malformed(wasm(typeSec([[], []]), codeSec({ code: [] }))).message).toBe(
      'function and code section have inconsistent lengths',
    );
  });
  it('rejects too many locals', () => {
    const m = wasm(typeSec([[], []]), funcSec(0), codeSec({ locals: [[0xffffffff, T.i32], [2, T.i64]], code: [] }));
    expect(malformed(m).message).toBe('too many locals');
    const big = wasm(typeSec([[], []]), funcSec(0), codeSec({ locals: [[60_000, T.i32]], code: [] }));
    expect(malformed(big).message).toBe('too many locals');
  });
  it('rejects illegal opcodes, bad zero bytes and missing ends', () => {
    const f = (code: Bytes) => wasm(typeSec([[], []]), funcSec(0), memSec(1), codeSec({ code }));
    expect(malformed(f([0xff])).message).toMatch(/^illegal opcode/);
    expect(malformed(f([0xfc, 18])).message).toMatch(/^illegal opcode/);
    expect(malformed(f([0xfd, 0x9a, 0x01])).message).toMatch(/^illegal opcode/);
    expect(malformed(f([0x3f, 0x01, 0x1a])).message).toBe('zero byte expected');
    expect(malformed(f([0x3f, 0x80, 0x00, 0x1a])).message).toBe('zero byte expected');
    expect(malformed(f([0x02, 0x40, 0x05])).message).toBe('END opcode expected');
    expect(malformed(f([0x02, 0x40])).message).toMatch(/^unexpected end/);
    expect(malformed(f([0x02, 0x7a, 0x0b])).message).toBe('malformed value type');
    expect(malformed(f([0xd0, 0x7f, 0x1a])).message).toBe('malformed reference type');
  });
  it('keeps bodies as byte ranges', () => {
    const bytes = wasm(typeSec([[], []]), funcSec(0), codeSec({ locals: [[1, T.i32]], code: [0x01] }));
    const m = decoded(bytes);
    const f = m.funcs[0]!;
    expect([...bytes.subarray(f.bodyStart, f.bodyEnd)]).toEqual([1, 1, T.i32, 0x01, 0x0b]);
    expect(f.codeStart).toBe(f.bodyStart + 3);
  });
  it('requires a data count section for memory.init and data.drop', () => {
    const bytes = wasm(typeSec([[], []]), funcSec(0), memSec(1), codeSec({ code: [0xfc, 9, 0] }), section(11, vec([[1, 0]])));
    expect(malformed(bytes).message).toBe('data count section required');
  });
});

describe('element and data sections', () => {
  it('decodes all eight element encodings', () => {
    const e = (b: Bytes) => b;
    const offset = [0x41, 0, 0x0b];
    const refFunc0 = [0xd2, 0, 0x0b];
    const m = decoded(
      wasm(
        typeSec([[], []]),
        funcSec(0),
        tableSec([T.funcref, 10]),
        section(
          9,
          vec([
            e([0, ...offset, ...vec([[0]])]),
            e([1, 0x00, ...vec([[0]])]),
            e([2, 0, ...offset, 0x00, ...vec([[0]])]),
            e([3, 0x00, ...vec([[0]])]),
            e([4, ...offset, ...vec([refFunc0])]),
            e([5, T.funcref, ...vec([refFunc0, [0xd0, T.funcref, 0x0b]])]),
            e([6, 0, ...offset, T.funcref, ...vec([refFunc0])]),
            e([7, T.funcref, ...vec([refFunc0])]),
          ]),
        ),
        codeSec({ code: [] }),
      ),
    );
    expect(m.elems.map((s) => [s.mode, s.table, s.funcs?.length ?? null, s.exprs?.length ?? null])).toEqual([
      ['active', 0, 1, null],
      ['passive', 0, 1, null],
      ['active', 0, 1, null],
      ['declarative', 0, 1, null],
      ['active', 0, null, 1],
      ['passive', 0, null, 2],
      ['active', 0, null, 1],
      ['declarative', 0, null, 1],
    ]);
  });
  it('rejects bad element kinds and flags', () => {
    expect(malformed(wasm(section(9, vec([[1, 0x01, 0]])))).message).toBe('malformed element kind');
    expect(malformed(wasm(section(9, vec([[5, T.i32, 0]])))).message).toBe('malformed reference type');
    expect(malformed(wasm(section(9, vec([[8]])))).message).toMatch(/^malformed elements segment kind/);
  });
  it('decodes data segments and the data count', () => {
    const m = decoded(
      wasm(memSec(1), section(12, u32(2)), section(11, vec([[0, 0x41, 8, 0x0b, ...vec([[1], [2]])], [1, ...vec([[3]])]]))),
    );
    expect(m.datacount).toBe(2);
    expect(m.datas.map((d) => [d.mode, d.end - d.start, d.offsetExpr?.instrs[0]?.op ?? null])).toEqual([
      ['active', 2, 'i32.const'],
      ['passive', 1, null],
    ]);
  });
  it('checks data count against the data section', () => {
    expect(malformed(wasm(section(12, u32(1)))).message).toBe('data count and data section have inconsistent lengths');
    expect(malformed(wasm(section(12, u32(1)), section(11, vec([[1, 0], [1, 0]])))).message).toBe(
      'data count and data section have inconsistent lengths',
    );
  });
});

describe('name section', () => {
  it('decodes module, function and local names', () => {
    const names = section(
      0,
      [
        ...str('name'),
        ...section(0, str('mod')),
        ...section(1, vec([[0, ...str('main')], [1, ...str('helper')]])),
        ...section(2, vec([[0, ...vec([[0, ...str('x')]])]])),
      ],
    );
    const m = decoded(wasm(typeSec([[], []]), funcSec(0, 0), codeSec({ code: [] }, { code: [] }), names));
    expect(m.names?.module).toBe('mod');
    expect([...m.names!.functions]).toEqual([
      [0, 'main'],
      [1, 'helper'],
    ]);
    expect(m.names!.locals.get(0)?.get(0)).toBe('x');
    expect(m.names!.error).toBeNull();
  });
  it('a broken name section does not make the module malformed', () => {
    const m = decoded(wasm(section(0, [...str('name'), 1, 10, 5])));
    expect(m.names?.error).toMatch(/unexpected end|length out of bounds/);
  });
});

describe('constant expressions', () => {
  it('keeps instructions up to the first non-constant one', () => {
    const m = decoded(wasm(section(6, vec([[T.i32, 0, 0x41, 1, 0x41, 2, 0x6a, 0x41, 3, 0x0b]]))));
    expect(m.globals[0]!.init.instrs.map((i) => i.op)).toEqual(['i32.const', 'i32.const', 'other']);
  });
  it('decodes v128 and float constants', () => {
    const v = [...Array(16).keys()];
    const m = decoded(
      wasm(
        section(
          6,
          vec([
            [T.v128, 0, 0xfd, 0x0c, ...v, 0x0b],
            [T.f32, 0, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b],
          ]),
        ),
      ),
    );
    expect(m.globals[0]!.init.instrs[0]).toMatchObject({ op: 'v128.const', bytes: new Uint8Array(v) });
    expect(m.globals[1]!.init.instrs[0]).toMatchObject({ op: 'f32.const', bits: 0x3f800000 });
    expect(I32).toBe(0x7f);
  });
});
