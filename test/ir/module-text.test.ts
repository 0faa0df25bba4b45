import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { parseModule } from '../../src/ir/parse.js';
import { printModule } from '../../src/ir/print.js';
import { verifyModule } from '../../src/ir/verify.js';
import { everyOpFunc, sampleModule, structure } from './helpers.js';

function richModule(): IrModule {
  const m = sampleModule();
  m.name = 'rich "one"';
  m.types.push({ params: [], results: [] }, { params: ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'], results: ['i32'] });
  m.globals.unshift({ type: 'i32', mutable: true, import: { module: 'env', name: 'counter' } }, { type: 'i32', mutable: false, import: { module: 'env', name: 'base' } });
  m.globals.push({ type: 'v128', mutable: false, init: { kind: 'v128', bytes: Uint8Array.from({ length: 16 }, (_, k) => k) } });
  m.globals.push({ type: 'f32', mutable: true, init: { kind: 'f32', bits: 0x7fc00001 } });
  m.globals.push({ type: 'i32', mutable: false, init: { kind: 'global.get', global: 1 } });
  m.globals.push({ type: 'externref', mutable: true, init: { kind: 'ref.null', type: 'externref' } });
  m.globals.push({ type: 'i64', mutable: false, init: { kind: 'i64', value: -5n } });
  m.memories[0] = { limits: { min: 1n, max: 65536n }, import: { module: 'env', name: 'memory' } };
  m.tables.push({ elemType: 'externref', limits: { min: 0n, max: 10n } });
  m.data.push({ mode: { kind: 'active', memory: 0, offset: { kind: 'i32', value: 1024 } }, bytes: new TextEncoder().encode('Hello, "world"\\\n\x00\xff') });
  m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 0 } }, items: [{ kind: 'ref.func', func: 1 }, { kind: 'ref.null', type: 'funcref' }] });
  m.elems.push({ type: 'funcref', mode: { kind: 'declarative' }, items: [{ kind: 'ref.func', func: 2 }] });
  const b = new FuncBuilder('void', { params: [], results: [] }, moduleTypeEnv(m));
  b.ret();
  m.funcs.push({ typeIndex: 1, name: 'void', body: b.finish() });
  const every = everyOpFunc(sampleModule());
  m.funcs.push({ typeIndex: 2, name: every.name, body: every });
  m.funcs.push({ typeIndex: 0, name: 'not translated yet' });
  m.exports.push({ name: 'every', kind: 'func', index: 2 }, { name: 'mem', kind: 'memory', index: 0 }, { name: 'g', kind: 'global', index: 1 });
  m.start = 1;
  return m;
}

/** Module shape with bodies replaced by their structure. */
function shape(m: IrModule): unknown {
  return JSON.parse(
    JSON.stringify({ ...m, funcs: m.funcs.map((f) => ({ ...f, body: f.body && structure(f.body) })) }, (_, v) =>
      typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v,
    ),
  );
}

describe('module text format', () => {
  it('round-trips declarations and bodies exactly', () => {
    const m = richModule();
    expect(verifyModule(m)).toEqual([]);
    const text = printModule(m);
    const r = parseModule(text);
    if (!r.ok) throw new Error(`${r.error.line}:${r.error.col}: ${r.error.message}`);
    expect(printModule(r.value)).toBe(text);
    expect(shape(r.value)).toEqual(shape(m));
    expect(verifyModule(r.value)).toEqual([]);
    expect(text).toContain('data 1 active mem=0 offset=(i32.const 1024) "Hello, \\22world\\22\\5c\\0a\\00\\c3\\bf"');
    expect(text).toContain('global 4 mut f32 = (f32.const nan:0x400001)');
    expect(text).toContain('global 1 i32 import "env" "base"\n');
    expect(text).toContain('func 3 type=0 "not translated yet"\n');
    expect(text).toContain('\nfunc 1 type=1 "void" () -> () {\nblock0:\n  return\n}\n');
  });

  it('parses what a person writes, and the result verifies', () => {
    const r = parseModule(`module "m"
type 0 = (i32) -> (i32)
func 0 type=0 "ext" import "env" "ext"
global 0 mut i32 = (i32.const 0)
memory 0 min=1
export "f" func 1

func 1 type=0 "f" (i32) -> (i32) {
block0(v0: i32):
  v1: i32 = call func=0 v0
  v2: i32 = global.get global=0
  v3 = i32.add v1, v2
  i32.store mem=0 offset=0 align=4 v0, v3
  return v3
}
`);
    if (!r.ok) throw new Error(r.error.message);
    expect(verifyModule(r.value)).toEqual([]);
    expect(r.value.funcs.map((f) => f.name)).toEqual(['ext', 'f']);
  });

  it('reports errors with positions', () => {
    const bad = (text: string) => {
      const r = parseModule(text);
      return r.ok ? undefined : r.error;
    };
    expect(bad('type 1 = () -> ()\n')).toEqual({ line: 1, col: 6, message: 'expected index 0, found 1' });
    expect(bad('memory 0 min=1 max=x\n')).toMatchObject({ line: 1, col: 20 });
    expect(bad('func 1 type=0 "f" import "a" "b"\n')).toMatchObject({ message: 'func 0 is missing (functions are numbered densely)' });
    expect(bad('global 0 i32 = (i32.add)\n')).toMatchObject({ message: "'i32.add' is not a constant expression" });
    expect(bad('data 0 passive "\\zz"\n')).toMatchObject({ message: 'bad byte string escape' });
    expect(bad('bogus\n')).toMatchObject({ line: 1, col: 1, message: "unknown declaration 'bogus'" });
  });
});
