/**
 * A tiny IR evaluator for the translator's control-flow tests: integer arithmetic
 * (through the folder's Wasm-exact `evalOp`/`evalCheck`), select, direct calls and
 * every terminator. Enough to compare translated functions with V8 running the same
 * Wasm; not the project's interpreter (src/ir/interp), which is written separately.
 */
import type { Func } from '../../src/ir/func.js';
import type { IrModule } from '../../src/ir/module.js';
import { OPS } from '../../src/ir/opcodes.js';
import { evalCheck, evalOp, type Const } from '../../src/ir/passes/consteval.js';
import { trapMessage, type TrapCode } from '../../src/ir/traps.js';

export class IrTrap extends Error {
  constructor(readonly code: TrapCode) {
    super(trapMessage(code));
  }
}

/** The function needs something this evaluator does not model (memory, globals, NaN results, …). */
export class Unsupported extends Error {}

export function evalFunc(m: IrModule, index: number, args: readonly Const[], fuel = { steps: 1_000_000 }): Const[] {
  const f: Func | undefined = m.funcs[index]?.body;
  if (!f) throw new Unsupported(`function ${index} has no body (an import)`);
  const env = new Map<number, Const>();
  const get = (v: number): Const => {
    const x = env.get(v);
    if (x === undefined) throw new Error(`v${v} read before it was set`);
    return x;
  };
  let b = f.entry;
  let incoming: readonly Const[] = args;
  for (;;) {
    f.block(b).params.forEach((p, k) => env.set(p, incoming[k]!));
    let next: { block: number; args: Const[] } | undefined;
    for (const i of f.block(b).insts) {
      if (--fuel.steps < 0) throw new Unsupported('out of fuel');
      const d = f.inst(i);
      const info = OPS[d.op]!;
      const vals = d.args.map(get);
      const call = (k: number) => ({ block: d.targets[k]!.block, args: d.targets[k]!.args.map(get) });
      switch (info.name) {
        case 'br':
          next = call(0);
          break;
        case 'br_if':
          next = call(vals[0] !== 0 ? 0 : 1);
          break;
        case 'br_table': {
          const k = (vals[0] as number) >>> 0;
          next = call(Math.min(k, d.targets.length - 1));
          break;
        }
        case 'return':
          return vals;
        case 'trap':
          throw new IrTrap(d.imms[0] as TrapCode);
        case 'select':
          env.set(d.results[0]!, vals[2] !== 0 ? vals[0]! : vals[1]!);
          break;
        case 'call':
          evalFunc(m, d.imms[0] as number, vals, fuel).forEach((r, k) => env.set(d.results[k]!, r));
          break;
        default:
          if (info.kind === 'const') env.set(d.results[0]!, d.imms[0] as Const);
          else if (info.kind === 'check') {
            const r = evalCheck(d.op, vals);
            if (r === undefined) throw new Unsupported(`cannot evaluate ${info.name}`);
            if (r !== 'pass') throw new IrTrap(r);
          } else {
            const r = evalOp(d.op, vals);
            if (r === undefined) throw new Unsupported(`cannot evaluate ${info.name}`);
            env.set(d.results[0]!, r);
          }
      }
    }
    if (!next) throw new Error(`block${b} fell off its end`);
    b = next.block;
    incoming = next.args;
  }
}
