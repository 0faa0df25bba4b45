/**
 * Differential test: random straight-line IR functions (every scalar numeric op, operands
 * drawn from earlier values or constants so immediates, fused compares and register
 * pressure all get exercised, selects, occasional trapping div/rem/trunc) compiled for
 * AArch64 and run under qemu must return what the IR interpreter returns — or trap with
 * the same message. Each function folds every value it computed into one i64 (NaNs
 * canonicalised first, and before reinterpret / copysign's sign: NaN payloads and signs
 * are nondeterministic by the spec).
 * KILN_DIFF_SEED / KILN_DIFF_FUNCS change the seed and the number of functions.
 */
import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { OPS, type OpInfo, type OpName } from '../../src/ir/opcodes.js';
import type { Func, Value } from '../../src/ir/func.js';
import { Store, Trap, exportedFunc, importsFrom, instantiate, invoke, type Val } from '../../src/ir/interp.js';
import { verifyModule } from '../../src/ir/verify.js';
import { failures, runSpecCommands } from './helpers.js';

type Scalar = 'i32' | 'i64' | 'f32' | 'f64';
const SCALAR = new Set<string>(['i32', 'i64', 'f32', 'f64']);
const pure = OPS.filter((o) => (o.kind === 'numeric' || o.kind === 'unchecked') && o.requires.length === 0 && o.params !== null && o.params.every((p) => SCALAR.has(p)) && SCALAR.has(o.results?.[0] ?? ''));
const checked = OPS.filter((o) => o.kind === 'unchecked' && o.requires.length > 0);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const PARAMS: Scalar[] = ['i32', 'i64', 'f32', 'f64', 'i32', 'i64', 'f64', 'i32'];
const INTS = [0n, 1n, -1n, 2n, 7n, 31n, 32n, 63n, 64n, 4095n, 4096n, -4096n, 0xffn, 0xff00n, 0x7fffffffn, -0x80000000n, 0x123456789n, -(1n << 63n), (1n << 63n) - 1n];
const FLOATS = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 1e10, -1e19, 3e9, 4294967296, 2147483648, -2147483649, Infinity, -Infinity, NaN, 1e-310];

function genFunc(name: string, m: IrModule, r: () => number, nops: number): Func {
  const b = new FuncBuilder(name, m.types[0]!, moduleTypeEnv(m));
  const pool: Record<Scalar, Value[]> = { i32: [], i64: [], f32: [], f64: [] };
  b.params.forEach((p, k) => pool[PARAMS[k]!].push(p));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const konst = (t: Scalar): Value => {
    if (t === 'i32') return b.i32(Number(BigInt.asIntN(32, pick(INTS))));
    if (t === 'i64') return b.i64(pick(INTS));
    return t === 'f32' ? b.f32(pick(FLOATS)) : b.f64(pick(FLOATS));
  };
  const operand = (t: Scalar): Value => (r() < 0.25 || pool[t].length === 0 ? konst(t) : pool[t][pool[t].length - 1 - Math.floor(r() * Math.min(pool[t].length, 12))]!);
  for (let k = 0; k < nops; k++) {
    const x = r();
    let info: OpInfo;
    if (x < 0.008) info = pick(checked);
    else info = pick(pure);
    const rt = info.results![0] as Scalar;
    if (x > 0.9) {
      // select, with a compare as its condition (fusable) or a plain i32
      const t = pick<Scalar>(['i32', 'i64', 'f32', 'f64']);
      const ci = (() => {
        const op = pick(['i32.lt_s', 'i64.ge_u', 'f64.lt', 'f32.ne', 'i32.eqz', 'i64.eq'] as const);
        const ty = op.split('.')[0] as Scalar;
        return op === 'i32.eqz' ? b.op(op, [operand('i32')]) : b.op(op, [operand(ty), operand(ty)]);
      })();
      pool[t].push(b.select(operand(t), operand(t), r() < 0.6 ? ci : operand('i32')));
      continue;
    }
    // A NaN's payload and sign are nondeterministic (spec): keep them from leaking into
    // non-NaN values through reinterpret and copysign's sign operand.
    const canon = (v: Value, t: Scalar): Value => (t === 'f32' ? b.select(b.f32(0.75), v, b.op('f32.ne', [v, v])) : b.select(b.f64(-0.75), v, b.op('f64.ne', [v, v])));
    const leaks = /reinterpret_f|copysign/.test(info.name);
    const args = (info.params as Scalar[]).map((p, i) => {
      const v = operand(p);
      return leaks && (p === 'f32' || p === 'f64') && (i === 1 || !info.name.endsWith('copysign')) ? canon(v, p) : v;
    });
    const v = info.requires.length > 0 ? b.wasm(info.name as OpName, args)! : b.op(info.name as OpName, args);
    pool[rt].push(v);
  }
  // Fold everything into one i64.
  let acc = b.i64(0x9e3779b97f4a7c15n);
  const mix = (v: Value): void => {
    acc = b.op('i64.add', [b.op('i64.rotl', [acc, b.i64(5)]), v]);
    acc = b.op('i64.xor', [acc, b.op('i64.shr_u', [acc, b.i64(29)])]);
  };
  for (const v of pool.i32) mix(b.op('i64.extend_i32_u', [v]));
  for (const v of pool.i64) mix(v);
  for (const v of pool.f32) mix(b.op('i64.extend_i32_u', [b.op('i32.reinterpret_f32', [b.select(b.f32(123.25), v, b.op('f32.ne', [v, v]))])]));
  for (const v of pool.f64) mix(b.op('i64.reinterpret_f64', [b.select(b.f64(-7.5), v, b.op('f64.ne', [v, v]))]));
  b.ret([acc]);
  return b.finish();
}

function argValues(r: () => number): { val: Val; text: string }[] {
  return PARAMS.map((t) => {
    const pickI = () => (r() < 0.5 ? INTS[Math.floor(r() * INTS.length)]! : BigInt(Math.floor((r() - 0.5) * 2 ** 40)));
    if (t === 'i32') {
      const v = Number(BigInt.asIntN(32, pickI()));
      return { val: v, text: `i32:${v}` };
    }
    if (t === 'i64') {
      const v = BigInt.asIntN(64, pickI() * (r() < 0.3 ? 0x100000001n : 1n));
      return { val: v, text: `i64:${v}` };
    }
    const x = r() < 0.5 ? FLOATS[Math.floor(r() * FLOATS.length)]! : (r() - 0.5) * 10 ** Math.floor(r() * 25);
    if (t === 'f32') {
      const bits = new Uint32Array(new Float32Array([x]).buffer)[0]!;
      return { val: bits, text: `f32:${bits}` };
    }
    const bits = new BigUint64Array(new Float64Array([x]).buffer)[0]!;
    return { val: bits, text: `f64:${bits}` };
  });
}

describe('random IR functions: AArch64 (qemu) vs the IR interpreter', () => {
  const seed = Number(process.env.KILN_DIFF_SEED ?? 20261125);
  const nfuncs = Number(process.env.KILN_DIFF_FUNCS ?? 40);
  for (const optLevel of [0, 2] as const) {
    it(`${nfuncs} functions, seed ${seed}, -O${optLevel}`, { timeout: 300_000 }, async () => {
      const r = rng(seed + optLevel);
      const m = emptyModule();
      m.types.push({ params: PARAMS, results: ['i64'] });
      for (let k = 0; k < nfuncs; k++) {
        const name = `f${k}`;
        m.funcs.push({ typeIndex: 0, name, body: genFunc(name, m, r, 30 + Math.floor(r() * 120)) });
        m.exports.push({ name, kind: 'func', index: k });
      }
      expect(verifyModule(m).map((e) => e.message)).toEqual([]);
      // Expected results from the interpreter (on the unoptimised module).
      const store = new Store();
      const inst = instantiate(store, m, importsFrom({}));
      const cmds = ['module 0'];
      let traps = 0;
      for (let k = 0; k < nfuncs; k++) {
        for (let t = 0; t < 3; t++) {
          const args = argValues(r);
          let line: string;
          try {
            const [res] = invoke(store, exportedFunc(inst, `f${k}`), args.map((a) => a.val));
            line = `assert_return "f${k}" ${args.map((a) => a.text).join(' ')} -> i64:${BigInt.asIntN(64, res as bigint)}`;
          } catch (e) {
            if (!(e instanceof Trap)) throw e;
            traps++;
            line = `assert_trap "f${k}" ${args.map((a) => a.text).join(' ')} -> "${e.message}"`;
          }
          cmds.push(line);
        }
      }
      const { lines, run } = await runSpecCommands([m], cmds, optLevel);
      expect(run.stderr).toBe('');
      expect(failures(lines).map((l) => `${l}   <- ${cmds[Number(l.split(' ')[0]) - 1]}`)).toEqual([]);
      expect(lines.filter((l) => / pass$/.test(l))).toHaveLength(cmds.length);
      console.log(`-O${optLevel}: ${cmds.length - 1} calls agree (${traps} trapping)`);
    });
  }
});
