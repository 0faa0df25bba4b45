/**
 * licm through the interpreter: nested loops with invariant arithmetic, an invariant
 * op in a conditional arm, a load and a checked division by a loop-invariant value
 * give the same results and the same traps before and after hoisting, including for
 * zero-trip loops (the hoisted ops then run where the loop body never did).
 */
import { describe, expect, it } from 'vitest';
import type { Func } from '../../src/ir/func.js';
import { exportedFunc, importsFrom, instantiate, invoke, Store } from '../../src/ir/interp.js';
import { emptyModule } from '../../src/ir/module.js';
import { OPS } from '../../src/ir/opcodes.js';
import { licm } from '../../src/ir/passes/licm.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { formatVerifyError } from '../../src/ir/verify.js';
import { ir } from './helpers.js';

// loops(n, m, d): for i < n { for j < m { acc += (n*m + 3) ^ j; if (j & 1) acc += sqrt(d) } ;
//                  acc += load(d & 0xfff) + i / d }   (the division traps when d == 0 and n > 0)
const LOOPS = `
func "loops" (i32, i32, i32) -> (i32) {
block0(v0: i32, v1: i32, v2: i32):
  v3 = i32.const 0
  br_if v0, block1(v3, v3), block9(v3)
block1(v4: i32, v5: i32):
  br block2(v3, v5)
block2(v6: i32, v7: i32):
  v8 = i32.lt_u v6, v1
  br_if v8, block3, block5
block3:
  v9 = i32.mul v0, v1
  v10 = i32.const 3
  v11 = i32.add v9, v10
  v12 = i32.xor v11, v6
  v13 = i32.add v7, v12
  v14 = i32.const 1
  v15 = i32.and v6, v14
  br_if v15, block4, block6(v13)
block4:
  v16 = f64.convert_i32_u v2
  v17 = f64.sqrt v16
  v18 = i32.trunc_sat_f64_u v17
  v19 = i32.add v13, v18
  br block6(v19)
block6(v20: i32):
  v21 = i32.add v6, v14
  br block2(v21, v20)
block5:
  v22 = i32.const 4095
  v23 = i32.and v2, v22
  v24 = i32.load mem=0 offset=0 align=1 v23
  i32.check_nonzero v2
  v25 = i32.div_u v4, v2
  v26 = i32.add v7, v24
  v27 = i32.add v26, v25
  v28 = i32.const 1
  v29 = i32.add v4, v28
  v30 = i32.lt_u v29, v0
  br_if v30, block1(v29, v27), block9(v27)
block9(v31: i32):
  return v31
}
`;

function run(f: Func, args: number[]): unknown {
  const m = emptyModule();
  m.types.push({ params: f.params, results: f.results });
  m.memories.push({ limits: { min: 1n } });
  m.data.push({ mode: { kind: 'active', memory: 0, offset: { kind: 'i32', value: 0 } }, bytes: Uint8Array.from({ length: 4100 }, (_, k) => (k * 37) & 0xff) });
  m.funcs.push({ typeIndex: 0, name: f.name, body: f });
  m.exports.push({ name: 'f', kind: 'func', index: 0 });
  const s = new Store();
  const inst = instantiate(s, m, importsFrom({}));
  try {
    return invoke(s, exportedFunc(inst, 'f'), args);
  } catch (e) {
    return { trap: (e as Error).message };
  }
}

const INPUTS = [[0, 5, 0], [0, 0, 7], [3, 0, 9], [4, 5, 0], [4, 5, 16], [7, 3, 1000], [1, 9, 4097], [5, 5, -1]];

describe('licm', () => {
  it('hoists the invariant ops out of both loops', () => {
    const f = ir(LOOPS);
    expect(runPipeline(f, [licm], { verify: true }).map(formatVerifyError)).toEqual([]);
    const where = (name: string): number[] => [...f.allInsts()].filter((i) => OPS[f.inst(i).op]!.name === name).map((i) => f.inst(i).block);
    const entryish = f.layout.slice(0, 2);
    // n*m+3 and sqrt(d) leave both loops; the load, the check and the division stay.
    for (const op of ['i32.mul', 'f64.sqrt', 'i32.trunc_sat_f64_u']) expect(entryish, `${op}\n${printFunc(f)}`).toContain(where(op)[0]);
    for (const op of ['i32.load', 'i32.check_nonzero', 'i32.div_u', 'i32.xor']) expect(entryish, `${op}\n${printFunc(f)}`).not.toContain(where(op)[0]);
  });

  it('changes no result or trap, alone and in -O2', () => {
    const expected = INPUTS.map((x) => run(ir(LOOPS), x));
    expect(expected).toContainEqual({ trap: 'integer divide by zero' });
    for (const passes of [[licm], 2] as const) {
      const f = ir(LOOPS);
      expect(runPipeline(f, passes, { verify: true }).map(formatVerifyError)).toEqual([]);
      INPUTS.forEach((x, k) => expect(run(f, x), `${printFunc(f)}\ninput ${x}`).toEqual(expected[k]));
    }
  });
});
