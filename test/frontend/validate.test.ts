import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { F32, FUNCREF, I32, I64, UNKNOWN, type WasmModule } from '../../src/frontend/module.js';
import { BT_EMPTY, OPS } from '../../src/frontend/opcodes.js';
import { FLAG_DEAD_BLOCK, FLAG_UNREACHABLE, loadModule, validateFunction, validateModule } from '../../src/frontend/validate.js';
import { codeSec, funcSec, memSec, oneFunc, section, sleb, str, T, tableSec, typeSec, u32, vec, wasm, type Bytes } from './wasm-builder.js';

/** 'ok' or the validation message (decode must succeed). */
function check(bytes: Uint8Array): string {
  const d = decodeModule(bytes);
  if (!d.ok) throw new Error(`unexpected decode error: ${d.error.message}`);
  const v = validateModule(d.value);
  if (v.ok) return 'ok';
  expect(v.error.kind).toBe('invalid');
  expect(v.error.offset).toBeGreaterThanOrEqual(0);
  expect(v.error.offset).toBeLessThanOrEqual(bytes.length);
  return v.error.message;
}

const fn = (params: Bytes, results: Bytes, code: Bytes, opts?: Parameters<typeof oneFunc>[3]) => check(oneFunc(params, results, code, opts));
const i32c = (n: number) => [0x41, ...sleb(BigInt(n))];

describe('operand stack', () => {
  it('checks instruction signatures', () => {
    expect(fn([], [T.i32], [...i32c(1), ...i32c(2), 0x6a])).toBe('ok');
    expect(fn([], [T.i32], [...i32c(1), 0x42, 0, 0x6a])).toMatch(/^type mismatch/);
    expect(fn([], [T.i32], [])).toMatch(/^type mismatch/);
    expect(fn([], [], [...i32c(1)])).toMatch(/^type mismatch/);
  });
  it('is polymorphic after unreachable, br, return and br_table', () => {
    expect(fn([], [T.i32], [0x00])).toBe('ok');
    expect(fn([], [T.i32], [0x00, 0x6a])).toBe('ok');
    expect(fn([], [], [0x00, 0x6a, 0x1a])).toBe('ok');
    expect(fn([], [T.i32], [0x00, 0x42, 0, 0x6a])).toMatch(/^type mismatch/);
    expect(fn([], [T.i32], [...i32c(1), 0x0f, 0x45])).toBe('ok');
    expect(fn([], [T.i32], [0x0f])).toMatch(/^type mismatch/);
    expect(fn([], [], [0x02, 0x40, 0x0c, 0, 0x6a, 0x1a, 0x0b])).toBe('ok');
    expect(fn([], [], [0x02, 0x40, ...i32c(0), 0x0e, 0, 0, 0x6a, 0x1a, 0x0b])).toBe('ok');
    // the polymorphic stack ends with its block
    expect(fn([], [], [0x02, 0x40, 0x00, 0x0b, 0x6a, 0x1a])).toMatch(/^type mismatch/);
  });
  it('values below the block are not visible', () => {
    expect(fn([], [], [...i32c(1), 0x02, 0x40, 0x1a, 0x0b, 0x1a])).toMatch(/^type mismatch/);
  });
});

describe('block types', () => {
  const types = typeSec([[], [T.i32]], [[T.i32, T.i32], [T.i32]], [[T.i32], []]);
  const mod = (code: Bytes) =>
    check(wasm(types, funcSec(0), codeSec({ code })));
  it('accepts type-index block types with params (multi-value)', () => {
    expect(mod([...i32c(1), ...i32c(2), 0x02, 1, 0x6a, 0x0b])).toBe('ok');
    expect(mod([...i32c(1), 0x02, 1, 0x6a, 0x0b])).toMatch(/^type mismatch/);
    expect(mod([0x02, 5, 0x0b, ...i32c(0)])).toBe('unknown type 5');
  });
  it('a loop label takes the loop params', () => {
    expect(mod([...i32c(0), 0x03, 2, 0x0c, 0, 0x0b, ...i32c(0)])).toBe('ok');
    expect(mod([...i32c(0), 0x03, 2, 0x1a, 0x0c, 0, 0x0b, ...i32c(0)])).toMatch(/^type mismatch/);
  });
  it('if without else must have matching params and results', () => {
    expect(mod([...i32c(5), ...i32c(1), 0x04, 0x7f, 0x0b])).toMatch(/^type mismatch/);
    const t = typeSec([[], [T.i32]], [[T.i32], [T.i32]]);
    expect(check(wasm(t, funcSec(0), codeSec({ code: [...i32c(5), ...i32c(1), 0x04, 1, 0x0b] })))).toBe('ok');
    expect(mod([...i32c(1), 0x04, 0x7f, ...i32c(1), 0x05, ...i32c(2), 0x0b])).toBe('ok');
    expect(mod([...i32c(1), 0x04, 0x7f, ...i32c(1), 0x05, 0x42, 0, 0x0b])).toMatch(/^type mismatch/);
  });
  it('labels', () => {
    expect(fn([], [], [0x0c, 0])).toBe('ok');
    expect(fn([], [], [0x0c, 1])).toBe('unknown label 1');
    expect(fn([], [], [0x02, 0x40, 0x0c, 1, 0x0b])).toBe('ok');
    expect(fn([], [T.i32], [...i32c(1), 0x0c, 0])).toBe('ok');
  });
});

describe('br_table', () => {
  it('requires equal arities', () => {
    const code = [0x02, 0x7f, 0x02, 0x40, ...i32c(0), 0x0e, 1, 0, 1, 0x0b, ...i32c(0), 0x0b, 0x1a];
    expect(fn([], [], code)).toMatch(/^type mismatch/);
  });
  it('checks every target type', () => {
    const code = [0x02, 0x7d, 0x02, 0x7f, ...i32c(1), ...i32c(0), 0x0e, 1, 0, 1, 0x0b, 0x1a, 0x43, 0, 0, 0, 0, 0x0b, 0x1a];
    expect(fn([], [], code)).toMatch(/^type mismatch/);
  });
  it('targets of the same arity but different types are fine on an unknown stack', () => {
    const code = [0x02, 0x7d, 0x02, 0x7f, 0x00, 0x0e, 1, 0, 1, 0x0b, 0x1a, 0x43, 0, 0, 0, 0, 0x0b, 0x1a];
    expect(fn([], [], code)).toBe('ok');
  });
});

describe('select', () => {
  it('untyped select works on numbers and vectors only', () => {
    expect(fn([], [T.i64], [0x42, 1, 0x42, 2, ...i32c(0), 0x1b])).toBe('ok');
    expect(fn([], [], [0xd0, T.funcref, 0xd0, T.funcref, ...i32c(0), 0x1b, 0x1a])).toMatch(/^type mismatch/);
    expect(fn([], [], [0x42, 1, ...i32c(2), ...i32c(0), 0x1b, 0x1a])).toMatch(/^type mismatch/);
    expect(fn([], [], [0x00, ...i32c(0), 0x1b, 0x1a])).toBe('ok');
    expect(fn([], [], [0x00, 0xd0, T.funcref, ...i32c(0), 0x1b, 0x1a])).toMatch(/^type mismatch/);
  });
  it('typed select', () => {
    expect(fn([], [], [0xd0, T.funcref, 0xd0, T.funcref, ...i32c(0), 0x1c, 1, T.funcref, 0x1a])).toBe('ok');
    expect(fn([], [], [...i32c(1), ...i32c(1), ...i32c(0), 0x1c, 0, 0x1a])).toBe('invalid result arity');
    expect(fn([], [], [...i32c(1), ...i32c(1), ...i32c(0), 0x1c, 2, T.i32, T.i32, 0x1a])).toBe('invalid result arity');
  });
});

describe('ref.func and C.refs', () => {
  const base = (extra: Bytes[], code: Bytes) =>
    check(wasm(typeSec([[], []]), funcSec(0, 0), ...extra, codeSec({ code }, { code: [] })));
  const refFunc1Drop = [0xd2, 1, 0x1a];
  it('rejects an undeclared reference', () => {
    expect(base([], refFunc1Drop)).toBe('undeclared function reference');
    // referring to itself in its own body does not declare it
    expect(base([], [0xd2, 0, 0x1a])).toBe('undeclared function reference');
  });
  it('accepts references declared by elem segments, exports and globals', () => {
    expect(base([section(9, vec([[3, 0x00, ...vec([u32(1)])]]))], refFunc1Drop)).toBe('ok');
    expect(base([section(7, vec([[...str('f'), 0, 1]]))], refFunc1Drop)).toBe('ok');
    expect(base([section(6, vec([[T.funcref, 0, 0xd2, 1, 0x0b]]))], refFunc1Drop)).toBe('ok');
  });
  it('unknown function', () => {
    expect(base([], [0xd2, 9, 0x1a])).toBe('unknown function 9');
  });
});

describe('bulk memory and tables', () => {
  it('data segment indices', () => {
    const ok = oneFunc([], [], [...i32c(0), ...i32c(0), ...i32c(0), 0xfc, 8, 0, 0, 0xfc, 9, 0], {
      memory: true,
      extra: [section(12, u32(1)), section(11, vec([[1, 0]]))],
    });
    expect(check(ok)).toBe('ok');
    const bad = oneFunc([], [], [0xfc, 9, 1], { memory: true, extra: [section(12, u32(1)), section(11, vec([[1, 0]]))] });
    expect(check(bad)).toBe('unknown data segment 1');
    const noMem = oneFunc([], [], [...i32c(0), ...i32c(0), ...i32c(0), 0xfc, 8, 0, 0], {
      extra: [section(12, u32(1)), section(11, vec([[1, 0]]))],
    });
    expect(check(noMem)).toBe('unknown memory 0');
  });
  it('table instructions follow the table type', () => {
    const tables = tableSec([T.funcref, 1], [T.externref, 1]);
    const f = (code: Bytes) => check(oneFunc([], [], code, { extra: [tables] }));
    expect(f([...i32c(0), 0x25, 1, 0x1a])).toBe('ok');
    expect(f([...i32c(0), 0xd0, T.externref, 0x26, 0])).toMatch(/^type mismatch/);
    expect(f([0xd0, T.externref, ...i32c(1), 0xfc, 15, 1, 0x1a])).toBe('ok');
    expect(f([...i32c(0), ...i32c(0), ...i32c(0), 0xfc, 14, 0, 1])).toMatch(/^type mismatch/);
    expect(f([0xfc, 16, 2, 0x1a])).toBe('unknown table 2');
    expect(f([...i32c(0), 0x11, 0, 1])).toMatch(/^unknown type|type mismatch/);
    expect(f([...i32c(0), 0x11, 0, 1, 0x1a])).toMatch(/^type mismatch/);
    expect(f([0xfc, 13, 0])).toBe('unknown elem segment 0');
  });
  it('ref.is_null needs a reference', () => {
    expect(fn([], [T.i32], [0xd0, T.externref, 0xd1])).toBe('ok');
    expect(fn([], [T.i32], [...i32c(0), 0xd1])).toMatch(/^type mismatch/);
    expect(fn([], [T.i32], [0x00, 0xd1])).toBe('ok');
  });
});

describe('memory rules', () => {
  it('alignment', () => {
    expect(fn([], [T.i32], [...i32c(0), 0x28, 2, 0], { memory: true })).toBe('ok');
    expect(fn([], [T.i32], [...i32c(0), 0x28, 3, 0], { memory: true })).toBe('alignment must not be larger than natural');
    expect(fn([], [T.i32], [...i32c(0), 0x2c, 1, 0], { memory: true })).toBe('alignment must not be larger than natural');
    expect(fn([], [T.i32], [...i32c(0), 0x28, 2, 0])).toBe('unknown memory 0');
  });
  it('limits', () => {
    expect(check(wasm(memSec(65536)))).toBe('ok');
    expect(check(wasm(memSec(65537)))).toBe('memory size must be at most 65536 pages (4GiB)');
    expect(check(wasm(memSec(0, 65537)))).toBe('memory size must be at most 65536 pages (4GiB)');
    expect(check(wasm(memSec(2, 1)))).toBe('size minimum must not be greater than maximum');
    expect(check(wasm(tableSec([T.funcref, 2, 1])))).toBe('size minimum must not be greater than maximum');
    expect(check(wasm(tableSec([T.funcref, 0xffffffff])))).toBe('ok');
  });
  it('at most one memory, any number of tables', () => {
    expect(check(wasm(section(2, vec([[...str('m'), ...str('x'), 2, 0, 0]])), memSec(1)))).toBe('multiple memories');
    expect(check(wasm(section(5, vec([[0, 0], [0, 0]]))))).toBe('multiple memories');
    expect(check(wasm(tableSec([T.funcref, 0], [T.externref, 0], [T.funcref, 1])))).toBe('ok');
  });
});

describe('SIMD immediates', () => {
  const v0 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  it('lane indices', () => {
    expect(fn([], [T.i32], [...v0, 0xfd, 0x15, 15])).toBe('ok');
    expect(fn([], [T.i32], [...v0, 0xfd, 0x15, 16])).toBe('invalid lane index');
    expect(fn([], [T.i64], [...v0, 0xfd, 0x1d, 2])).toBe('invalid lane index');
    expect(fn([], [], [...v0, ...v0, 0xfd, 0x0d, ...new Array<number>(15).fill(0), 31, 0x1a])).toBe('ok');
    expect(fn([], [], [...v0, ...v0, 0xfd, 0x0d, ...new Array<number>(15).fill(0), 32, 0x1a])).toBe('invalid lane index');
    expect(fn([], [], [...i32c(0), ...v0, 0xfd, 0x57, 3, 0, 1, 0x1a], { memory: true })).toBe('ok');
    expect(fn([], [], [...i32c(0), ...v0, 0xfd, 0x57, 3, 0, 2, 0x1a], { memory: true })).toBe('invalid lane index');
    expect(fn([], [], [...i32c(0), ...v0, 0xfd, 0x57, 4, 0, 1, 0x1a], { memory: true })).toBe(
      'alignment must not be larger than natural',
    );
  });
});

describe('globals, constant expressions, exports, start', () => {
  const importGlobal = (mut: number) => section(2, vec([[...str('m'), ...str('g'), 3, T.i32, mut]]));
  it('global.set needs a mutable global', () => {
    const g = section(6, vec([[T.i32, 0, ...i32c(0), 0x0b]]));
    expect(fn([], [], [...i32c(1), 0x24, 0], { extra: [g] })).toBe('global is immutable');
    expect(fn([], [], [...i32c(1), 0x24, 1], { extra: [g] })).toBe('unknown global 1');
  });
  it('constant expressions', () => {
    const glob = (init: Bytes, t: number = T.i32) => section(6, vec([[t, 0, ...init, 0x0b]]));
    expect(check(wasm(glob(i32c(1))))).toBe('ok');
    expect(check(wasm(glob([...i32c(1), ...i32c(2), 0x6a])))).toBe('constant expression required');
    expect(check(wasm(glob([0x42, 0])))).toMatch(/^type mismatch/);
    expect(check(wasm(glob([])))).toMatch(/^type mismatch/);
    expect(check(wasm(glob([...i32c(1), ...i32c(1)])))).toMatch(/^type mismatch/);
    expect(check(wasm(importGlobal(0), glob([0x23, 0])))).toBe('ok');
    expect(check(wasm(importGlobal(1), glob([0x23, 0])))).toBe('constant expression required');
    // a defined global is not in scope, even an earlier immutable one
    expect(check(wasm(section(6, vec([[T.i32, 0, ...i32c(0), 0x0b], [T.i32, 0, 0x23, 0, 0x0b]]))))).toBe('unknown global 0');
    expect(check(wasm(glob([0xd0, T.funcref], T.funcref)))).toBe('ok');
    expect(check(wasm(glob([0xd0, T.externref], T.funcref)))).toMatch(/^type mismatch/);
  });
  it('segment offsets and element types', () => {
    const t = tableSec([T.externref, 1]);
    expect(check(wasm(t, section(9, vec([[4, ...i32c(0), 0x0b, ...vec([])]]))))).toMatch(/^type mismatch/);
    expect(check(wasm(tableSec([T.funcref, 1]), section(9, vec([[0, 0x42, 0, 0x0b, ...vec([])]]))))).toMatch(/^type mismatch/);
    expect(check(wasm(section(9, vec([[0, ...i32c(0), 0x0b, ...vec([])]]))))).toBe('unknown table 0');
    expect(check(wasm(section(11, vec([[0, ...i32c(0), 0x0b, 0]]))))).toBe('unknown memory 0');
  });
  it('exports', () => {
    const e = (...items: Bytes[]) => section(7, vec(items));
    expect(check(wasm(memSec(1), e([...str('a'), 2, 0], [...str('b'), 2, 0])))).toBe('ok');
    expect(check(wasm(memSec(1), e([...str('a'), 2, 0], [...str('a'), 2, 0])))).toBe('duplicate export name');
    expect(check(wasm(e([...str('a'), 0, 0])))).toBe('unknown function 0');
    expect(check(wasm(e([...str('a'), 3, 0])))).toBe('unknown global 0');
  });
  it('start function', () => {
    const m = (params: Bytes) => wasm(typeSec([params, []]), funcSec(0), section(8, u32(0)), codeSec({ code: params.length ? [] : [] }));
    expect(check(m([]))).toBe('ok');
    expect(check(m([T.i32]))).toMatch(/^start function/);
    expect(check(wasm(section(8, u32(0))))).toBe('unknown function 0');
  });
  it('locals and functions', () => {
    expect(fn([T.i32], [T.i32], [0x20, 0])).toBe('ok');
    expect(fn([T.i32], [T.i64], [0x20, 1], { locals: [[1, T.i64]] })).toBe('ok');
    expect(fn([T.i32], [], [0x20, 2, 0x1a], { locals: [[1, T.i64]] })).toBe('unknown local 2');
    expect(fn([], [], [0x10, 1])).toBe('unknown function 1');
    expect(check(wasm(typeSec(), funcSec(3), codeSec({ code: [] })))).toBe('unknown type 3');
  });
});

describe('ValidatedFunc stream', () => {
  function stream(code: Bytes, params: Bytes = [], results: Bytes = [], opts?: Parameters<typeof oneFunc>[3]) {
    const bytes = oneFunc(params, results, code, opts);
    const d = decodeModule(bytes);
    if (!d.ok) throw new Error(d.error.message);
    const m: WasmModule = d.value;
    const v = validateFunction(m, 0);
    if (!v.ok) throw new Error(v.error.message);
    const f = v.value;
    const rows = [...f.ops].map((op, i) => ({
      name: OPS[op]!.name,
      imm: [...f.imms.subarray(f.immStart[i], f.immStart[i + 1])],
      type: f.types[i],
      flags: f.flags[i],
      offset: f.offsets[i],
    }));
    return { f, rows, bytes, m };
  }

  it('records ops, immediates, offsets and locals', () => {
    const { f, rows, bytes, m } = stream([0x20, 0, 0x42, ...sleb(-2n), 0x1a, 0x1a, 0x02, 0x7f, ...i32c(7), 0x0b], [T.i32], [T.i32], {
      locals: [[2, T.f32]],
    });
    expect(rows.map((r) => r.name)).toEqual(['local.get', 'i64.const', 'drop', 'drop', 'block', 'i32.const', 'end', 'end']);
    expect(rows[1]!.imm).toEqual([-2, -1]);
    expect(rows[4]!.imm).toEqual([-I32]);
    expect(rows[2]!.type).toBe(I64);
    expect(rows[3]!.type).toBe(I32);
    expect(rows[0]!.type).toBe(UNKNOWN);
    expect([...f.locals]).toEqual([I32, F32, F32]);
    expect(f.numParams).toBe(1);
    expect(f.count).toBe(8);
    expect(f.immStart).toHaveLength(9);
    expect(bytes[rows[0]!.offset]).toBe(0x20);
    expect(rows[0]!.offset).toBe(m.funcs[0]!.codeStart);
    expect(bytes[rows[7]!.offset]).toBe(0x0b);
    expect(f.maxControlDepth).toBe(2);
    expect(f.maxStackHeight).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.flags === 0)).toBe(true);
  });

  it('records inferred operand types for drop, select and ref.is_null', () => {
    const { rows } = stream([0x43, 0, 0, 0, 0, 0x43, 0, 0, 0, 0, ...i32c(1), 0x1b, 0x1a, 0xd0, T.funcref, 0xd1, 0x1a]);
    expect(rows.filter((r) => r.name === 'select')[0]!.type).toBe(F32);
    expect(rows.filter((r) => r.name === 'drop').map((r) => r.type)).toEqual([F32, I32]);
    expect(rows.find((r) => r.name === 'ref.is_null')!.type).toBe(FUNCREF);
  });

  it('flags unreachable code and dead blocks', () => {
    const { rows } = stream([0x02, 0x40, 0x0c, 0, 0x02, 0x40, 0x01, 0x0b, 0x0b, 0x01]);
    expect(rows.map((r) => [r.name, r.flags])).toEqual([
      ['block', 0],
      ['br', 0],
      ['block', FLAG_UNREACHABLE],
      ['nop', FLAG_DEAD_BLOCK],
      ['end', FLAG_DEAD_BLOCK],
      ['end', FLAG_UNREACHABLE],
      ['nop', 0],
      ['end', 0],
    ]);
    const drop = stream([0x00, 0x1a]).rows[1]!;
    expect(drop).toMatchObject({ name: 'drop', type: UNKNOWN, flags: FLAG_UNREACHABLE });
  });

  it('block types and br_table immediates', () => {
    const { rows } = stream([0x02, 0x40, ...i32c(0), 0x0e, 2, 0, 1, 1, 0x0b]);
    expect(rows[0]!.imm).toEqual([BT_EMPTY]);
    expect(rows[2]!.imm).toEqual([2, 0, 1, 1]);
  });

  it('streams from successive calls do not share storage', () => {
    const bytes = wasm(typeSec([[], []]), funcSec(0, 0), codeSec({ code: [0x01, 0x01] }, { code: [0x00] }));
    const d = decodeModule(bytes);
    if (!d.ok) throw new Error(d.error.message);
    const a = validateFunction(d.value, 0);
    const b = validateFunction(d.value, 1);
    if (!a.ok || !b.ok) throw new Error('validation failed');
    expect([...a.value.ops].map((o) => OPS[o]!.name)).toEqual(['nop', 'nop', 'end']);
    expect([...b.value.ops].map((o) => OPS[o]!.name)).toEqual(['unreachable', 'end']);
  });

  it('does not throw for imported or missing functions', () => {
    const bytes = wasm(typeSec([[], []]), section(2, vec([[...str('m'), ...str('f'), 0, 0]])));
    const d = decodeModule(bytes);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(validateFunction(d.value, 0).ok).toBe(false);
    expect(validateFunction(d.value, 7).ok).toBe(false);
    expect(validateFunction(d.value, -1).ok).toBe(false);
  });
});

describe('loadModule', () => {
  it('returns malformed errors from decoding and invalid ones from validation', () => {
    const m = loadModule(new Uint8Array([1, 2, 3]));
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error.kind).toBe('malformed');
    const v = loadModule(oneFunc([], [T.i32], []));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error.kind).toBe('invalid');
    expect(loadModule(wasm(memSec(1))).ok).toBe(true);
  });
});
