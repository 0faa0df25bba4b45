/**
 * fold: constant folding with exact Wasm semantics, plus the simplifications that
 * constants make possible.
 *
 * - Scalar numeric ops with constant operands become constants (consteval.ts decides
 *   what is determined: a NaN-producing float op or an out-of-domain div/trunc is left
 *   alone).
 * - Checks with constant operands: a check that passes is deleted; one that fails
 *   becomes `trap CODE`, ending the block there (a div by constant zero stays a trap).
 *   `check_div_s` also passes when just one operand rules overflow out.
 * - Integer identities that hold for every input: x+0, x-0, x*1, x&-1, x|0, x^0,
 *   shifts and rotates by 0 → x.
 * - select with a constant condition or equal arms → that arm.
 * - br_if with a constant condition, br_table with a constant index → br.
 * - Block params that receive equal constants on every incoming edge (ignoring edges
 *   passing the param to itself) become a copy of that constant at the top of their
 *   block, so constants flow across blocks and around loops into the ops above.
 *   (simplify-cfg drops params that receive one and the same value; here the
 *   constants may be different instructions, none of which need dominate the block.)
 * Blocks left unreachable are removed, so the result verifies.
 */
import type { Block, BlockCall, Func, Inst, Value } from '../func.js';
import { constOpFor, Op, OPS } from '../opcodes.js';
import type { Imm } from '../types.js';
import { evalCheck, evalOp } from './consteval.js';
import type { Pass } from './pass.js';
import { removeUnreachableBlocks, truncateWithTrap } from './util.js';

const CONST_OPS = new Set<number>([Op.i32_const, Op.i64_const, Op.f32_const, Op.f64_const]);
const IS_CONST: Uint8Array = Uint8Array.from(OPS, (info) => (CONST_OPS.has(info.code) ? 1 : 0));

/** x OP c == x for every x. */
const RIGHT_IDENTITY: Record<string, bigint> = {
  add: 0n, sub: 0n, mul: 1n, and: -1n, or: 0n, xor: 0n, shl: 0n, shr_s: 0n, shr_u: 0n, rotl: 0n, rotr: 0n,
};
/** c OP x == x for every x. */
const LEFT_IDENTITY: Record<string, bigint> = { add: 0n, mul: 1n, and: -1n, or: 0n, xor: 0n };

/** Identity constants per opcode (i32/i64 binary ops whose first operand has the result type). */
const identities = (table: Record<string, bigint>): (bigint | undefined)[] =>
  OPS.map((info) => (info.name.startsWith('i32.') || info.name.startsWith('i64.') ? (Object.hasOwn(table, info.name.slice(4)) ? table[info.name.slice(4)] : undefined) : undefined));
const RIGHT_ID = identities(RIGHT_IDENTITY);
const LEFT_ID = identities(LEFT_IDENTITY);

/** Ops fold looks at beyond rewriting operands. */
const FOLDABLE: Uint8Array = Uint8Array.from(OPS, (info) =>
  info.kind === 'numeric' || info.kind === 'unchecked' || info.kind === 'check' || info.code === Op.select || info.code === Op.br_if || info.code === Op.br_table ? 1 : 0,
);

function asBig(x: Imm): bigint {
  return typeof x === 'bigint' ? x : BigInt(x as number);
}

export const fold: Pass = {
  name: 'fold',
  description: 'constant folding (Wasm-exact), constant checks and branches',
  needs: [],
  preserves: [],
  run(f: Func): boolean {
    let changed = false;
    let cfgChanged = false;
    const subst = new Map<Value, Value>();
    const resolve = (v: Value): Value => {
      for (let x = subst.get(v); x !== undefined; x = subst.get(v)) v = x;
      return v;
    };
    /** The constant value of `v`, if it is a scalar constant. */
    const constOf = (v: Value): Imm | undefined => {
      const vd = f.values[subst.size > 0 ? resolve(v) : v];
      if (vd === undefined || vd.kind !== 'result') return undefined;
      const d = f.insts[vd.owner]!;
      return IS_CONST[d.op] === 1 ? d.imms[0] : undefined;
    };
    // Removals are batched per sweep; `gone` marks them meanwhile.
    const gone = new Set<Inst>();
    const remove = (i: Inst): void => {
      gone.add(i);
      changed = true;
    };
    const replaceWith = (i: Inst, v: Value): void => {
      subst.set(f.result(i), v);
      remove(i);
    };

    /** Propagate constants into block params (to a fixed point); true if any was. */
    const constParams = (): boolean => {
      const incoming = new Map<Block, BlockCall[]>();
      for (const b of f.layout) {
        const t = f.terminator(b);
        if (t === undefined) continue;
        for (const c of f.insts[t]!.targets) {
          if (c.args.length === 0) continue;
          const list = incoming.get(c.block);
          if (list === undefined) incoming.set(c.block, [c]);
          else list.push(c);
        }
      }
      let any = false;
      for (let more = true; more; ) {
        more = false;
        for (const [b, calls] of incoming) {
          if (b === f.entry) continue;
          const params = f.block(b).params;
          for (let k = 0; k < params.length; k++) {
            const p = params[k]!;
            if (subst.has(p)) continue;
            let op = -1;
            let imm: Imm | undefined;
            let same = true;
            for (const c of calls) {
              const v = resolve(c.args[k]!);
              if (v === p) continue;
              const i = f.defInst(v);
              const d = i === undefined ? undefined : f.insts[i]!;
              if (d === undefined || IS_CONST[d.op] !== 1 || (op >= 0 && (d.op !== op || d.imms[0] !== imm))) {
                same = false;
                break;
              }
              op = d.op;
              imm = d.imms[0];
            }
            if (!same || op < 0) continue;
            const ci = f.createInst(op, [], [imm!], [f.valueType(p)]);
            f.insertInst(b, 0, ci);
            subst.set(p, f.result(ci));
            changed = any = more = true;
          }
        }
      }
      return any;
    };

    for (let again = true; again; ) {
      again = false;
      constParams();
      // Nothing below changes the layout or a block's list in place (removals and trap
      // truncations assign new lists), so the current arrays are walked as they are.
      const layout = f.layout;
      for (const b of layout) {
        if (!f.isLive(b)) continue;
        const insts = f.block(b).insts;
        for (const i of insts) {
          const d = f.inst(i);
          if (d.block !== b || gone.has(i)) continue; // removed by a trap truncation, or replaced
          if (subst.size > 0) f.mapUses(i, resolve);
          if (FOLDABLE[d.op] !== 1) continue;
          // Without a constant operand only `select x x c` folds.
          let anyConst = false;
          for (const v of d.args) {
            if (constOf(v) !== undefined) {
              anyConst = true;
              break;
            }
          }
          if (!anyConst) {
            if (d.op === Op.select && d.args[0] === d.args[1]) replaceWith(i, d.args[0]!);
            continue;
          }
          const info = OPS[d.op]!;
          const consts = d.args.map(constOf);

          if (info.kind === 'numeric' || info.kind === 'unchecked') {
            if (d.results.length !== 1) continue;
            const type = f.valueType(d.results[0]!);
            const constOp = constOpFor(type);
            if (constOp !== undefined && type !== 'v128' && consts.every((c) => c !== undefined)) {
              const r = evalOp(d.op, consts as Imm[]);
              if (r !== undefined) {
                f.rewriteInst(i, constOp, [], [r]);
                changed = again = true;
                continue;
              }
            }
            if (info.params?.length === 2 && (type === 'i32' || type === 'i64') && info.params[0] === type) {
              const [ca, cb] = consts;
              const right = RIGHT_ID[d.op];
              const left = LEFT_ID[d.op];
              if (cb !== undefined && right !== undefined && right === asBig(cb)) {
                replaceWith(i, d.args[0]!);
                again = true;
              } else if (ca !== undefined && left !== undefined && left === asBig(ca)) {
                replaceWith(i, d.args[1]!);
                again = true;
              }
            }
            continue;
          }

          if (info.kind === 'check') {
            const outcome = evalCheck(d.op, consts);
            if (outcome === 'pass') {
              remove(i);
            } else if (outcome !== undefined) {
              truncateWithTrap(f, i, outcome);
              changed = cfgChanged = true;
              break;
            }
            continue;
          }

          if (d.op === Op.select) {
            const [x, y] = d.args;
            const cond = consts[2];
            if (x === y) replaceWith(i, x!);
            else if (cond !== undefined) replaceWith(i, cond !== 0 ? x! : y!);
            continue;
          }

          if (d.op === Op.br_if && consts[0] !== undefined) {
            const t = d.targets[consts[0] !== 0 ? 0 : 1]!;
            f.rewriteInst(i, Op.br, [], [], [t]);
            changed = cfgChanged = true;
          } else if (d.op === Op.br_table && consts[0] !== undefined) {
            const index = (consts[0] as number) >>> 0;
            const t = d.targets[Math.min(index, d.targets.length - 1)]!;
            f.rewriteInst(i, Op.br, [], [], [t]);
            changed = cfgChanged = true;
          }
        }
      }
      f.removeInsts(gone);
      gone.clear();
    }
    f.replaceUses(subst);
    if (cfgChanged) removeUnreachableBlocks(f);
    return changed;
  },
};

