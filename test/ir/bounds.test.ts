/**
 * Explicit bounds checks as IR (passes/check-elim.ts), on the interpreter: with every
 * check inserted and the redundant ones removed, each input gives the same results, the
 * same trap and the same memory contents afterwards as the accesses checking themselves.
 */
import { describe, expect, it } from 'vitest';
import { exportedFunc, importsFrom, instantiate, invoke, Store, Trap } from '../../src/ir/interp.js';
import type { IrModule } from '../../src/ir/module.js';
import { opcode } from '../../src/ir/opcodes.js';
import { formatParseError, parseModule } from '../../src/ir/parse.js';
import { boundsInsert, checkElim, explicitBoundsChecks } from '../../src/ir/passes/check-elim.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { formatVerifyError } from '../../src/ir/verify.js';

const TEXT = `type 0 = (i32, i32) -> (i32)
memory 0 min=1
export "f" func 0

func 0 type=0 "f" (i32, i32) -> (i32) {
block0(v0: i32, v1: i32):
  v2 = i32.load mem=0 offset=0 align=4 v0
  v3 = i32.load mem=0 offset=8 align=4 v0
  i32.store mem=0 offset=4 align=4 v0, v1
  v4 = i32.load mem=0 offset=12 align=4 v0
  v5 = i32.load8_u mem=0 offset=2 align=1 v0
  v6 = i32.const 4
  v7 = i32.add v0, v6
  v8 = i32.load mem=0 offset=0 align=4 v7
  br_if v1, block1, block2
block1:
  i32.store16 mem=0 offset=20 align=2 v0, v1
  v9 = i32.load mem=0 offset=16 align=4 v0
  br block3(v9)
block2:
  v10 = i32.const 65530
  v11 = i32.load16_u mem=0 offset=0 align=2 v10
  br block3(v11)
block3(v12: i32):
  v13 = i32.load mem=0 offset=16 align=4 v0
  v14 = i32.add v2, v3
  v15 = i32.add v14, v4
  v16 = i32.add v15, v5
  v17 = i32.add v16, v8
  v18 = i32.add v17, v12
  v19 = i32.add v18, v13
  return v19
}
`;

function parse(): IrModule {
  const r = parseModule(TEXT);
  if (!r.ok) throw new Error(formatParseError(r.error));
  return r.value;
}

function outcomes(m: IrModule): unknown[] {
  const out: unknown[] = [];
  for (let p = 65500; p < 65540; p++) {
    for (const v of [0, 7]) {
      const store = new Store();
      const inst = instantiate(store, m, importsFrom({}));
      let r: unknown;
      try {
        r = invoke(store, exportedFunc(inst, 'f'), [p, v]);
      } catch (e) {
        if (!(e instanceof Trap)) throw e;
        r = e.message;
      }
      out.push([p, v, r, Array.from(inst.memories[0]!.u8.slice(65480))]);
    }
  }
  return out;
}

const checks = (m: IrModule): number => [...m.funcs[0]!.body!.allInsts()].filter((i) => m.funcs[0]!.body!.inst(i).op === opcode('memory.check_bounds')).length;

describe('explicit bounds checks in IR', () => {
  it('trap at the same point with the same message, after the same stores', () => {
    const want = outcomes(parse());
    const all = parse();
    expect(runPipeline(all.funcs[0]!.body!, [boundsInsert], { verify: true, module: all }).map(formatVerifyError)).toEqual([]);
    expect(checks(all)).toBe(10);
    expect(outcomes(all)).toEqual(want);
    const fewer = parse();
    expect(runPipeline(fewer.funcs[0]!.body!, [boundsInsert, checkElim], { verify: true, module: fewer }).map(formatVerifyError)).toEqual([]);
    expect(checks(fewer)).toBeLessThan(10);
    expect(outcomes(fewer)).toEqual(want);
  });

  it('keep one check per fact not yet proven', () => {
    const m = parse();
    explicitBoundsChecks(m.funcs[0]!.body!, true);
    const n = checks(m);
    // block0: one widened check on v0 before the store, one after it (end 16) covering
    // v0 + 4's load too; block1 (end 22, covering its load) and block3 one each (sibling
    // blocks prove nothing for their join); block2's constant 65530 + 2 is not implied.
    expect(n).toBe(5);
  });
});
