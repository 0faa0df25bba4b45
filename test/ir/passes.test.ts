import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import type { Block, Func, Value } from '../../src/ir/func.js';
import { Op, OPS, type OpName } from '../../src/ir/opcodes.js';
import { evalCheck, evalOp } from '../../src/ir/passes/consteval.js';
import { dce } from '../../src/ir/passes/dce.js';
import { fold } from '../../src/ir/passes/fold.js';
import { gvn } from '../../src/ir/passes/gvn.js';
import { licm } from '../../src/ir/passes/licm.js';
import type { Pass } from '../../src/ir/passes/pass.js';
import { simplifyCfg } from '../../src/ir/passes/simplify-cfg.js';
import { PIPELINES, runPipeline } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { TrapCode, type TrapCode as Code } from '../../src/ir/traps.js';
import type { Imm } from '../../src/ir/types.js';
import { formatVerifyError, verifyFunc } from '../../src/ir/verify.js';
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
    expect(PIPELINES[2].map((p) => p.name)).toEqual(['inline', 'fold', 'simplify-cfg', 'gvn', 'licm', 'fold', 'dce', 'simplify-cfg']);
    for (const p of [fold, simplifyCfg, dce, gvn, licm]) {
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

/**
 * Random functions whose blocks also read values of the blocks that dominate them
 * (params included), with empty jump blocks `blockN(params): br C(args)`: the shapes
 * where simplify-cfg's param substitution, jump threading and block merging meet.
 * The CFG is drawn first; blocks are then filled in reverse postorder, each seeing
 * the values of its dominators.
 */
function randomDominatedFunc(seed: number): Func {
  let s = seed | 1;
  const rnd = (n: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const n = 3 + rnd(8);
  // Shape: terminator kind and successor indices (never the entry).
  type Shape = { kind: 'ret' | 'trap' | 'br' | 'br_if' | 'br_table'; succs: number[]; jump: boolean };
  const succ = (): number => 1 + rnd(n - 1);
  const shapes: Shape[] = [];
  for (let k = 0; k < n; k++) {
    const jump = k > 0 && rnd(3) === 0;
    const r = rnd(10);
    if (jump || (k === 0 && r < 4) || (r >= 3 && r < 6)) shapes.push({ kind: 'br', succs: [succ()], jump });
    else if (r < 2) shapes.push({ kind: 'ret', succs: [], jump });
    else if (r < 3) shapes.push({ kind: 'trap', succs: [], jump });
    else if (r < 9) shapes.push({ kind: 'br_if', succs: [succ(), succ()], jump });
    else shapes.push({ kind: 'br_table', succs: Array.from({ length: 1 + rnd(3) }, succ), jump });
  }
  // Dominator sets by the iterative dataflow; fine for ten blocks.
  const preds: number[][] = shapes.map(() => []);
  shapes.forEach((sh, k) => sh.succs.forEach((t) => preds[t]!.push(k)));
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (k: number): void => {
    seen.add(k);
    for (const t of shapes[k]!.succs) if (!seen.has(t)) visit(t);
    order.push(k);
  };
  visit(0);
  order.reverse();
  const all = new Set(order);
  const dom = shapes.map((_, k) => (k === 0 ? new Set([0]) : new Set(all)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const k of order.slice(1)) {
      const next = new Set(all);
      for (const p of preds[k]!) if (seen.has(p)) for (const d of all) if (!dom[p]!.has(d)) next.delete(d);
      next.add(k);
      if (next.size !== dom[k]!.size) {
        dom[k] = next;
        changed = true;
      }
    }
  }
  for (let k = 0; k < n; k++) if (!seen.has(k)) order.push(k); // unreachable: only its own values

  const b = new FuncBuilder(`dominated${seed}`, { params: ['i32', 'i32'], results: ['i32'] });
  const blocks = shapes.map((_, k) => (k === 0 ? b.entry : b.block(Array.from({ length: rnd(3) }, () => 'i32' as const))));
  const defs: Value[][] = shapes.map(() => []);
  const BIN: OpName[] = ['i32.add', 'i32.sub', 'i32.mul', 'i32.xor', 'i32.shl', 'i32.lt_s', 'i32.eq'];
  for (const k of order) {
    const blk = blocks[k]!;
    b.switchTo(blk);
    const own = k === 0 ? [] : b.blockParams(blk);
    const avail: Value[] = [...b.params, ...own];
    if (seen.has(k)) for (const d of dom[k]!) if (d !== k) avail.push(...defs[d]!);
    defs[k]!.push(...own);
    const sh = shapes[k]!;
    if (!sh.jump) {
      for (let j = rnd(4); j > 0; j--) {
        const r = rnd(6);
        const v = r === 0 ? b.i32(pick([0, 1, -1, 5])) : r === 1 ? b.select(pick(avail), pick(avail), pick(avail)) : b.op(pick(BIN), [pick(avail), pick(avail)]);
        avail.push(v);
        defs[k]!.push(v);
      }
    }
    // Jump blocks mostly pass their own params on, in some order.
    const arg = (): Value => (sh.jump && own.length > 0 && rnd(3) > 0 ? pick(own) : pick(avail));
    const call = (t: number): { block: Block; args: Value[] } => ({ block: blocks[t]!, args: b.blockParams(blocks[t]!).map(arg) });
    if (sh.kind === 'ret') b.ret([pick(avail)]);
    else if (sh.kind === 'trap') b.trap(TrapCode.Unreachable);
    else if (sh.kind === 'br') {
      const c = call(sh.succs[0]!);
      b.br(c.block, c.args);
    } else if (sh.kind === 'br_if') {
      const [t, e] = [call(sh.succs[0]!), call(sh.succs[1]!)];
      b.brIf(pick(avail), t.block, t.args, e.block, e.args);
    } else {
      const cs = sh.succs.map(call);
      b.brTable(pick(avail), cs.slice(0, -1), cs[cs.length - 1]!);
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
      for (const p of [fold, simplifyCfg, dce, gvn, licm]) {
        const g = f.clone();
        expect(runPipeline(g, [p], { verify: true }).map(formatVerifyError)).toEqual([]);
      }
    }
    if (process.env.IR_STATS) console.log({ compared, kinds });
    expect(compared).toBeGreaterThan(1000);
  });

  it('agrees on 400 random functions with cross-block values and jump blocks', () => {
    const INPUTS = [[0, 0], [1, 2], [-1, 7], [5, 0], [2147483647, -2147483648], [13, -13]];
    let compared = 0;
    let threaded = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const f = randomDominatedFunc(seed * 104729);
      expect(verifyFunc(f).map(formatVerifyError), printFunc(f)).toEqual([]);
      const before = INPUTS.map((x) => evaluate(f, x));
      for (const passes of [[simplifyCfg], 2] as const) {
        const g = f.clone();
        const errors = runPipeline(g, passes, { verify: true });
        expect(errors.map(formatVerifyError), printFunc(f)).toEqual([]);
        if (passes !== 2 && g.layout.length < f.layout.length) threaded++;
        INPUTS.forEach((x, k) => {
          if (before[k] === 'fuel') return;
          compared++;
          expect(evaluate(g, x), `${printFunc(f)}\n-- optimised --\n${printFunc(g)}\ninput ${x}`).toEqual(before[k]);
        });
      }
    }
    if (process.env.IR_STATS) console.log({ compared, threaded });
    expect(compared).toBeGreaterThan(2000);
  });
});
