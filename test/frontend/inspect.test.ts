import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { disassembleFunction, formatInspect, inspectModule } from '../../src/frontend/inspect.js';
import { validateFunction } from '../../src/frontend/validate.js';
import { codeSec, funcSec, memSec, section, str, T, tableSec, typeSec, u32, vec, wasm } from './wasm-builder.js';

describe('inspect', () => {
  const bytes = wasm(
    typeSec([[T.i32], [T.i32]], [[], []]),
    section(2, vec([[...str('env'), ...str('f'), 0, 1], [...str('env'), ...str('g'), 3, T.i32, 0]])),
    funcSec(0, 1),
    tableSec([T.funcref, 2, 4]),
    memSec(1, 16),
    section(6, vec([[T.i64, 1, 0x42, 7, 0x0b]])),
    section(7, vec([[...str('main'), 0, 1], [...str('mem'), 2, 0]])),
    section(8, u32(2)),
    section(9, vec([[0, 0x41, 0, 0x0b, ...vec([u32(1), u32(2)])]])),
    section(12, u32(2)),
    codeSec({ code: [0x20, 0] }, { code: [] }),
    section(11, vec([[0, 0x41, 16, 0x0b, ...vec([[0x61], [0x62], [0x63]])], [1, ...vec([[0]])]])),
    section(0, [...str('name'), ...section(1, vec([[1, ...str('main')], [2, ...str('start')]]))]),
  );
  const d = decodeModule(bytes);
  if (!d.ok) throw new Error(d.error.message);
  const r = inspectModule(d.value, bytes);

  it('summarises every part of the module as plain data', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.size).toBe(bytes.length);
    expect(r.sections.map((s) => s.name)).toEqual([
      'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'datacount', 'code', 'data', 'custom',
    ]);
    expect(r.types.map((t) => t.signature)).toEqual(['[i32] -> [i32]', '[] -> []']);
    expect(r.imports).toEqual([
      { module: 'env', name: 'f', kind: 'func', desc: 'type 1 [] -> []' },
      { module: 'env', name: 'g', kind: 'global', desc: 'i32' },
    ]);
    expect(r.functions.imported).toBe(1);
    expect(r.functions.defined).toBe(2);
    expect(r.functions.totalCodeSize).toBe(d.value.funcs.reduce((n, f) => n + f.bodyEnd - f.bodyStart, 0));
    expect(r.tables).toEqual([{ index: 0, imported: false, elem: 'funcref', min: 2, max: 4 }]);
    expect(r.memories).toEqual([{ index: 0, imported: false, min: 1, max: 16 }]);
    expect(r.globals).toEqual([
      { index: 0, imported: true, type: 'i32', mutable: false, init: null },
      { index: 1, imported: false, type: 'i64', mutable: true, init: 'i64.const 7' },
    ]);
    expect(r.exports).toEqual([
      { name: 'main', kind: 'func', index: 1 },
      { name: 'mem', kind: 'memory', index: 0 },
    ]);
    expect(r.start).toBe(2);
    expect(r.data).toEqual({
      count: 2,
      totalBytes: 4,
      segments: [
        { index: 0, mode: 'active', memory: 0, offset: 'i32.const 16', size: 3 },
        { index: 1, mode: 'passive', memory: 0, offset: null, size: 1 },
      ],
    });
    expect(r.elems.segments).toEqual([{ index: 0, mode: 'active', table: 0, type: 'funcref', offset: 'i32.const 0', count: 2 }]);
    expect(r.customs).toEqual([{ name: 'name', offset: expect.any(Number), size: expect.any(Number) }]);
    expect(r.names?.functions).toEqual([
      { index: 1, name: 'main' },
      { index: 2, name: 'start' },
    ]);
  });

  it('formats for humans', () => {
    const text = formatInspect(r);
    expect(text).toContain('functions: 1 imported, 2 defined');
    expect(text).toContain('"main": func 1 <main>');
    expect(text).toContain('start: function 2 <start>');
    expect(text).toContain('0: active memory 0 at (i32.const 16), 3 bytes');
    expect(text).toContain('memories (1):');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('cuts long lists', () => {
    const many = wasm(typeSec(...Array.from({ length: 120 }, () => [[], []] as [number[], number[]])));
    const m = decodeModule(many);
    if (!m.ok) throw new Error(m.error.message);
    expect(formatInspect(inspectModule(m.value, many))).toContain('… 70 more');
  });

  it('disassembles a validated function', () => {
    const f = validateFunction(d.value, 1);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    const text = disassembleFunction(f.value);
    expect(text.split('\n').filter(Boolean).map((l) => l.replace(/^[0-9a-f]+: /, ''))).toEqual(['  local.get 0', 'end']);
  });
});
