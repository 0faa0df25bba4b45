/** Shared test helpers for the IR suites. */
import { FuncBuilder } from '../../src/ir/builder.js';
import type { Func } from '../../src/ir/func.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { OPS, type ImmKind, type OpInfo } from '../../src/ir/opcodes.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFunc, formatParseError } from '../../src/ir/parse.js';
import type { Pass } from '../../src/ir/passes/pass.js';
import { passByName, type OptLevel } from '../../src/ir/pipeline.js';
import { TrapCode } from '../../src/ir/traps.js';
import { f32Bits, f64Bits, type Imm, type Type } from '../../src/ir/types.js';

/** Parse or throw with the error location (tests only). */
export function ir(text: string): Func {
  const r = parseFunc(text);
  if (!r.ok) throw new Error(formatParseError(r.error));
  return r.value;
}

/**
 * The shape of a function with instruction ids abstracted away: what "structurally
 * identical" means for parse(print(f)) versus f.
 */
export function structure(f: Func): unknown {
  return {
    name: f.name,
    params: f.params,
    results: f.results,
    layout: f.layout,
    blocks: f.layout.map((b) => ({
      params: f.block(b).params.map((p) => [p, f.valueType(p)]),
      insts: f.block(b).insts.map((i) => {
        const d = f.inst(i);
        return {
          op: OPS[d.op]!.name,
          args: d.args,
          imms: d.imms.map((x) => (x instanceof Uint8Array ? Array.from(x) : typeof x === 'bigint' ? `${x}n` : x)),
          results: d.results.map((r) => [r, f.valueType(r)]),
          targets: d.targets,
        };
      }),
    })),
  };
}

/** A module with one of everything, for ops that name module entities. */
export function sampleModule(): IrModule {
  const m = emptyModule();
  m.types.push({ params: ['i32'], results: ['i32'] });
  m.funcs.push({ typeIndex: 0, name: 'imported', import: { module: 'env', name: 'f' } });
  m.globals.push({ type: 'i32', mutable: true, init: { kind: 'i32', value: 0 } });
  m.memories.push({ limits: { min: 1n } });
  m.tables.push({ elemType: 'funcref', limits: { min: 4n } });
  m.data.push({ mode: { kind: 'passive' }, bytes: new Uint8Array([1, 2, 3]) });
  m.elems.push({ type: 'funcref', mode: { kind: 'passive' }, items: [{ kind: 'ref.func', func: 0 }] });
  return m;
}

export function sampleImm(kind: ImmKind, info: OpInfo): Imm {
  switch (kind) {
    case 'i32': return -5;
    case 'i64': return -(1n << 40n);
    case 'f32': return f32Bits(1.5);
    case 'f64': return f64Bits(-2.25);
    case 'v128': return Uint8Array.from({ length: 16 }, (_, k) => k * 17);
    case 'shuffle': return Uint8Array.from({ length: 16 }, (_, k) => 31 - k);
    case 'lane': return info.lanes - 1;
    case 'index': return 0;
    case 'offset': return 8n;
    case 'align': return Math.log2(info.access?.bytes ?? 1);
    case 'trap': return TrapCode.Unreachable;
    case 'reftype': return 'externref';
  }
}

const PARAM_TYPES: Type[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'];

/**
 * One function using every op of the table at least once (terminators included),
 * valid against `sampleModule()`.
 */
export function everyOpFunc(m: IrModule = sampleModule()): Func {
  const b = new FuncBuilder('every op', { params: PARAM_TYPES, results: ['i32'] }, moduleTypeEnv(m));
  const p = b.params;
  const byType = (t: Type) => p[PARAM_TYPES.indexOf(t)]!;
  for (const info of OPS) {
    if (info.terminator) continue;
    const imms = info.imms.map((s) => sampleImm(s.kind, info));
    let args;
    switch (info.name) {
      case 'call': args = [byType('i32')]; break;
      case 'call_ref': args = [byType('funcref'), byType('i32')]; imms[0] = 0; break;
      case 'select': args = [byType('f64'), byType('f64'), byType('i32')]; break;
      case 'global.set': args = [byType('i32')]; break;
      case 'table.set': case 'table.fill': case 'table.grow':
        args = info.params!.map((t) => byType(t === 'ref' ? 'funcref' : (t as Type)));
        break;
      default:
        args = info.params!.map((t) => byType(t === 'ref' ? 'externref' : t === 'any' ? 'i32' : t));
    }
    b.inst(info.name, args, imms);
  }
  const [a, c, d, e] = [b.block(['i32']), b.block(), b.block(['i64']), b.block()];
  b.brIf(byType('i32'), a, [byType('i32')], c);
  b.switchTo(a);
  b.brTable(b.blockParams(a)[0]!, [{ block: c, args: [] }, { block: d, args: [byType('i64')] }], { block: e, args: [] });
  b.switchTo(c);
  b.br(d, [byType('i64')]);
  b.switchTo(d);
  b.ret([byType('i32')]);
  b.switchTo(e);
  b.trap(TrapCode.IntegerDivideByZero);
  return b.finish();
}

/** Separates a golden file's input from the expected output the test (re)writes. */
export const GOLDEN_MARKER = '; ==== expected ====\n';

export interface GoldenCase {
  file: string;
  path: string;
  /** Everything before the marker (newline-terminated). */
  input: string;
  /** The `; run:` line: an -O level or passes in order. */
  passes: OptLevel | Pass[];
}

/**
 * The golden files of `dir` whose names match `pattern`, sorted, each with its input and
 * the passes its `; run: fold, dce` (or `; run: -O2`) line names. The caller runs them
 * and compares `input + GOLDEN_MARKER + output` with the file (`toMatchFileSnapshot`,
 * so `npx vitest run -u` rewrites the expected part).
 */
export function goldenCases(dir: string, pattern: RegExp): GoldenCase[] {
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const input = text.includes(GOLDEN_MARKER) ? text.slice(0, text.indexOf(GOLDEN_MARKER)) : text.endsWith('\n') ? text : text + '\n';
      const run = /^; run: (.*)$/m.exec(input);
      if (!run) throw new Error(`${file}: missing '; run: passes' line`);
      const spec = run[1]!.trim();
      const passes: OptLevel | Pass[] = /^-O[012]$/.test(spec)
        ? (Number(spec[2]) as OptLevel)
        : spec.split(/\s*,\s*/).map((n) => {
            const pass = passByName(n);
            if (!pass) throw new Error(`${file}: unknown pass ${n}`);
            return pass;
          });
      return { file, path, input, passes };
    });
}
