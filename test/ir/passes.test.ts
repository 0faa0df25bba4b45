import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import type { Block, Func, Value } from '../../src/ir/func.js';
import { Op, OPS, type OpName } from '../../src/ir/opcodes.js';
import { evalCheck, evalOp } from '../../src/ir/passes/consteval.js';
import { dce } from '../../src/ir/passes/dce.js';
import { fold } from '../../src/ir/passes/fold.js';
import { gvn } from '../../src/ir/passes/gvn.js';
import type { Pass } from '../../src/ir/passes/pass.js';
import { simplifyCfg } from '../../src/ir/passes/simplify-cfg.js';
import { PIPELINES, runPipeline } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { TrapCode, type TrapCode as Code } from '../../src/ir/traps.js';
import type { Imm } from '../../src/ir/types.js';
import { formatVerifyError } from '../../src/ir/verify.js';
import { everyOpFunc, ir, sampleModule } from './helpers.js';

const ops = (f: Func): string[] => [...f.allInsts()].map((i) => OPS[f.inst(i).op]!.name);

describe('passes keep what may trap', () => {
  it('a trapping load is never removed, at any level', () => {
    for (const level of [1, 2] as const) {
      const f = ir(`func "t" (i32) -> () {
block0(v0: i32):
  v1 = i32.load mem=0 offset=0 align=4 v0
  v2 = i64.load8_s mem=0 offset=100 align=1 v0
  v3 = v128.load mem=0 offset=0 align=16 v0
  v4 = i32.load mem=0 offset=0 align=4 v0
  return
}
`);
      expect(runPipeline(f, level, { verify: true })).toEqual([]);
      expect(ops(f)).toEqual(['i32.load', 'i64.load8_s', 'v128.load', 'i32.load', 'return']);
    }
  });

  it('div by zero is not folded away', () => {
    const b = new FuncBuilder('t', { params: [], results: ['i32'] });
    const q = b.wasm('i32.div_s', [b.i32(1), b.i32(0)])!;
    b.ret([q]);
    const f = b.finish();
    expect(ops(f)).toEqual(['i32.const', 'i32.const', 'i32.check_nonzero', 'i32.check_div_s', 'i32.div_s', 'return']);
    expect(runPipeline(f, 2, { verify: true })).toEqual([]);
    expect(printFunc(f)).toBe('func "t" () -> (i32) {\nblock0:\n  trap integer_divide_by_zero\n}\n');
  });

  it('unused divisions go but their checks stay', () => {
    const b = new FuncBuilder('t', { params: ['i64', 'f64'], results: [] });
    const [x, y] = b.params;
    b.wasm('i64.rem_u', [x!, x!]);
    b.wasm('i32.trunc_f64_u', [y!]);
    b.ret();
    const f = b.finish();
    expect(runPipeline(f, 2, { verify: true })).toEqual([]);
    expect(ops(f)).toEqual(['i64.check_nonzero', 'i32.check_trunc_f64_u', 'return']);
  });

  it('calls, stores, global writes and table ops survive dce', () => {
    const m = sampleModule();
    const f = everyOpFunc(m);
    expect(runPipeline(f, 2, { verify: true, module: m })).toEqual([]);
    const left = new Set(ops(f));
    for (const o of OPS) {
      if (o.effects & ~1 & ~4 & ~16 || o.traps.length > 0) {
        // Writes, calls and possible traps all remain (reads without traps may go).
        if (!o.terminator) expect(left.has(o.name), o.name).toBe(true);
      }
    }
  });
});

describe('NaN bits', () => {
  it('are preserved through -O2', () => {
    const f = ir(`func "nan" () -> (f32, f64, f32, f64) {
block0:
  v0 = f32.const -nan:0x1234
  v1 = f64.const nan:0x8000000000001
  v2 = f32.abs v0
  v3 = f64.neg v1
  return v0, v1, v2, v3
}
`);
    expect(runPipeline(f, 2, { verify: true })).toEqual([]);
    const text = printFunc(f);
    expect(text).toContain('f32.const -nan:0x1234');
    expect(text).toContain('f64.const nan:0x8000000000001');
    expect(text).toContain('f32.const nan:0x1234');
    expect(text).toContain('f64.const -nan:0x8000000000001');
  });

  it('are never produced by folding arithmetic', () => {
    const f = ir(`func "nan" (f32) -> (f32, f32, f64) {
block0(v0: f32):
  v1 = f32.const nan:0x1
  v2 = f32.const 1
  v3 = f32.mul v1, v2
  v4 = f32.const inf
  v5 = f32.const 0
  v6 = f32.mul v4, v5
  v7 = f64.promote_f32 v1
  return v3, v6, v7
}
`);
    fold.run(f, { dom: () => { throw new Error('unused'); } });
    expect(ops(f).filter((n) => !n.endsWith('.const'))).toEqual(['f32.mul', 'f32.mul', 'f64.promote_f32', 'return']);
  });
});

describe('pipeline', () => {
  it('lists passes per level', () => {
    expect(PIPELINES[0]).toEqual([]);
    expect(PIPELINES[1].map((p) => p.name)).toEqual(['fold', 'simplify-cfg', 'dce']);
    expect(PIPELINES[2].map((p) => p.name)).toEqual(['fold', 'simplify-cfg', 'gvn', 'fold', 'dce', 'simplify-cfg']);
    for (const p of [fold, simplifyCfg, dce, gvn]) {
      expect(p.needs.every((a) => a === 'dom')).toBe(true);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });

  it('reports the pass that broke the IR', () => {
    const breaker: Pass = {
      name: 'breaker', description: 'removes the terminator', needs: [], preserves: [],
      run(f) {
        f.removeInst(f.terminator(f.entry)!);
        f.addInst(f.entry, Op.i32_const, [], [1], ['i32']);
        return true;
      },
    };
    const f = ir('func "t" () -> () {\nblock0:\n  return\n}\n');
    const errors = runPipeline(f, [fold, breaker, dce], { verify: true });
    expect(errors.map(formatVerifyError)).toEqual(['t: block0: inst 1: after breaker: block does not end with a terminator (last is i32.const)']);
  });

  it('passes the every-op function through every level', () => {
    for (const level of [0, 1, 2] as const) {
      const m = sampleModule();
      expect(runPipeline(everyOpFunc(m), level, { verify: true, module: m }).map(formatVerifyError)).toEqual([]);
    }
  });
});

// ------------------------------------------------------------------------------------
// Differential testing on random functions: -O2 must not change what a function
// returns or how it traps. A tiny evaluator for the generated subset is the oracle.

type Outcome = { value: Imm } | { trap: Code } | 'fuel';

function evaluate(f: Func, args: readonly number[]): Outcome {
  const env = new Map<Value, Imm>();
  let block: Block = f.entry;
  let incoming: Imm[] = [...args];
  for (let fuel = 0; fuel < 2000; fuel++) {
    f.block(block).params.forEach((p, k) => env.set(p, incoming[k]!));
    for (const i of f.block(block).insts) {
      const d = f.inst(i);
      const info = OPS[d.op]!;
      const a = d.args.map((v) => env.get(v)!);
      const jump = (k: number): void => {
        block = d.targets[k]!.block;
        incoming = d.targets[k]!.args.map((v) => env.get(v)!);
      };
      if (info.kind === 'const') env.set(d.results[0]!, d.imms[0]!);
      else if (info.kind === 'check') {
        const r = evalCheck(d.op, a);
        if (r !== 'pass') return { trap: r! };
      } else if (d.op === Op.select) env.set(d.results[0]!, a[2] !== 0 ? a[0]! : a[1]!);
      else if (d.op === Op.return) return { value: a[0]! };
      else if (d.op === Op.trap) return { trap: d.imms[0] as Code };
      else if (d.op === Op.br) jump(0);
      else if (d.op === Op.br_if) jump(a[0] !== 0 ? 0 : 1);
      else if (d.op === Op.br_table) jump(Math.min((a[0] as number) >>> 0, d.targets.length - 1));
      else {
        const r = evalOp(d.op, a);
        if (r === undefined) throw new Error(`cannot evaluate ${info.name}(${a.join(', ')})`);
        env.set(d.results[0]!, r);
      }
    }
  }
  return 'fuel';
}

function randomFunc(seed: number): Func {
  let s = seed | 1;
  const rnd = (n: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const b = new FuncBuilder(`random${seed}`, { params: ['i32', 'i32'], results: ['i32'] });
  const fparams = b.params;
  const nblocks = 2 + rnd(6);
  const blocks = [b.entry];
  for (let k = 1; k < nblocks; k++) blocks.push(b.block(Array.from({ length: rnd(3) }, () => 'i32' as const)));
  const CONSTS = [0, 1, -1, 2, 3, 7, -2147483648, 2147483647, 100];
  const BIN: OpName[] = ['i32.add', 'i32.sub', 'i32.mul', 'i32.and', 'i32.or', 'i32.xor', 'i32.shl', 'i32.shr_s', 'i32.shr_u', 'i32.rotl', 'i32.eq', 'i32.ne', 'i32.lt_s', 'i32.lt_u', 'i32.ge_u'];
  const DIV: OpName[] = ['i32.div_s', 'i32.div_u', 'i32.rem_s', 'i32.rem_u'];
  const UN: OpName[] = ['i32.eqz', 'i32.clz', 'i32.ctz', 'i32.popcnt', 'i32.extend8_s'];
  for (const blk of blocks) {
    b.switchTo(blk);
    const avail: Value[] = [...fparams, ...b.blockParams(blk)];
    const n = rnd(8);
    for (let k = 0; k < n; k++) {
      const r = rnd(10);
      if (r < 2) avail.push(b.i32(pick(CONSTS)));
      else if (r < 6) avail.push(b.op(pick(BIN), [pick(avail), pick(avail)]));
      else if (r < 7) avail.push(b.op(pick(UN), [pick(avail)]));
      else if (r < 8) avail.push(b.wasm(pick(DIV), [pick(avail), pick(avail)])!);
      else if (r < 9) avail.push(b.select(pick(avail), pick(avail), pick(avail)));
      else avail.push(b.op(pick(BIN), [pick(avail), avail[avail.length - 1]!]));
    }
    const target = (): { block: Block; args: Value[] } => {
      const t = blocks[1 + rnd(blocks.length - 1)]!;
      return { block: t, args: b.blockParams(t).map(() => pick(avail)) };
    };
    const r = rnd(10);
    if (blocks.length === 1 || r < 2) b.ret([pick(avail)]);
    else if (r < 3) b.trap(TrapCode.Unreachable);
    else if (r < 5) {
      const t = target();
      b.br(t.block, t.args);
    } else if (r < 8) {
      const [t, e] = [target(), target()];
      b.brIf(pick(avail), t.block, t.args, e.block, e.args);
    } else {
      b.brTable(pick(avail), Array.from({ length: rnd(3) }, target), target());
    }
  }
  return b.finish();
}

describe('random functions: -O2 preserves behaviour', () => {
  it('agrees with the unoptimised function on 300 random functions', () => {
    const INPUTS = [[0, 0], [1, 2], [-1, 7], [-2147483648, -1], [100, 3], [5, 0], [2147483647, 2147483647], [13, -13]];
    let compared = 0;
    const kinds: Record<string, number> = {};
    for (let seed = 1; seed <= 300; seed++) {
      const f = randomFunc(seed * 7919);
      const before = INPUTS.map((x) => evaluate(f, x));
      const optimised = f.clone();
      const errors = runPipeline(optimised, 2, { verify: true });
      expect(errors.map(formatVerifyError), printFunc(f)).toEqual([]);
      INPUTS.forEach((x, k) => {
        const o = before[k]!;
        const kind = o === 'fuel' ? 'fuel' : 'trap' in o ? `trap${o.trap}` : 'value';
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        if (o === 'fuel') return;
        compared++;
        expect(evaluate(optimised, x), `${printFunc(f)}\n-- optimised --\n${printFunc(optimised)}\ninput ${x}`).toEqual(before[k]);
      });
      // Every pass alone keeps the function valid too.
      for (const p of [fold, simplifyCfg, dce, gvn]) {
        const g = f.clone();
        expect(runPipeline(g, [p], { verify: true }).map(formatVerifyError)).toEqual([]);
      }
    }
    if (process.env.IR_STATS) console.log({ compared, kinds });
    expect(compared).toBeGreaterThan(1000);
  });
});
