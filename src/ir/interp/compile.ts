/**
 * Pre-decoding an IR function for the dispatch loop (exec.ts).
 *
 * Every SSA value gets its own slot in the function's frame (2 words, 4 for v128,
 * 8-byte aligned so f64 views line up); the entry block's params come first, so a
 * caller knows where to put arguments from the signature alone (`paramOffsets`).
 * Branches become jumps to code indices; block arguments become moves, sequenced as a
 * parallel copy (through scratch slots when a destination is also a source).
 * Module-level references (globals, tables, shuffle masks) go into `objs`, and
 * functions and types are resolved to store-wide ids, so the loop never looks at the
 * module.
 */
import type { BlockCall, Func } from '../func.js';
import { opInfo, type OpInfo } from '../opcodes.js';
import { TrapCode } from '../traps.js';
import type { FuncType, Type } from '../types.js';
import { SCALAR_OPS, X } from './exec.js';
import type { FuncInst, Instance } from './runtime.js';

export interface Code {
  code: Int32Array;
  /** Frame size in 32-bit words (even). */
  frameWords: number;
  objs: unknown[];
}

/** Words of a value slot: every slot is 8-byte aligned. */
export function slotWords(t: Type): number {
  return t === 'v128' ? 4 : 2;
}

/** Words a value occupies (how much a move copies). */
function valueWords(t: Type): number {
  switch (t) {
    case 'i64':
    case 'f64':
      return 2;
    case 'v128':
      return 4;
    default:
      return 1;
  }
}

/** Word offsets of a signature's parameters in the callee frame. */
export function paramOffsets(params: readonly Type[]): number[] {
  const out: number[] = [];
  let w = 0;
  for (const t of params) {
    out.push(w);
    w += slotWords(t);
  }
  return out;
}

const SIMD_SHAPE = /^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;

/** Compile (once) the body of a Wasm function instance. */
export function compileFuncInst(fi: FuncInst): Code {
  if (fi.code) return fi.code;
  if (!fi.body || !fi.instance) throw new Error(`interp: function ${fi.name} has no body`);
  fi.code = compileFunc(fi.body, fi.instance);
  return fi.code;
}

export function compileFunc(f: Func, inst: Instance): Code {
  const slot = new Int32Array(f.values.length).fill(-1);
  let top = 0;
  const alloc = (v: number): void => {
    slot[v] = top;
    top += slotWords(f.values[v]!.type);
  };
  for (const b of f.layout) {
    for (const p of f.block(b).params) alloc(p);
    for (const i of f.block(b).insts) for (const r of f.inst(i).results) alloc(r);
  }
  const S = (v: number): number => {
    const s = slot[v];
    if (s === undefined || s < 0) throw new Error(`interp: ${f.name}: value v${v} has no definition`);
    return s;
  };
  const W = (v: number): number => valueWords(f.values[v]!.type);

  const plan = planSuperinstructions(f);

  const code: number[] = [];
  const objs: unknown[] = [];
  const objIndex = new Map<unknown, number>();
  const obj = (o: unknown): number => {
    let k = objIndex.get(o);
    if (k === undefined) {
      k = objs.length;
      objs.push(o);
      objIndex.set(o, k);
    }
    return k;
  };
  const blockStart = new Map<number, number>();
  /** Code positions holding a block number, to patch with the block's start. */
  const blockFixups: number[] = [];
  let scratchWords = 0;
  const scratchBase = (): number => top; // scratch lives above all value slots

  const emitJumpTo = (block: number): void => {
    blockFixups.push(code.length);
    code.push(block);
  };
  /** Moves of a block call, excluding self-moves: [dst, src, words]. */
  const copiesOf = (call: BlockCall): [number, number, number][] => {
    const params = f.block(call.block).params;
    const out: [number, number, number][] = [];
    call.args.forEach((a, k) => {
      const d = S(params[k]!);
      const s = S(a);
      if (d !== s) out.push([d, s, W(a)]);
    });
    return out;
  };
  const mov = (d: number, s: number, w: number): void => {
    code.push(w === 1 ? X.MOV1 : w === 2 ? X.MOV2 : X.MOV4, d, s);
  };
  const emitCopies = (copies: [number, number, number][]): void => {
    const srcs = new Set(copies.map((c) => c[1]));
    const hazard = copies.some(([d]) => srcs.has(d));
    if (!hazard) {
      for (const [d, s, w] of copies) mov(d, s, w);
      return;
    }
    let off = 0;
    const tmp: number[] = [];
    for (const [, s, w] of copies) {
      tmp.push(scratchBase() + off);
      mov(scratchBase() + off, s, w);
      off += w === 4 ? 4 : 2;
    }
    scratchWords = Math.max(scratchWords, off);
    copies.forEach(([d, , w], k) => mov(d, tmp[k]!, w));
  };

  const layout = f.layout;
  for (let bi = 0; bi < layout.length; bi++) {
    const b = layout[bi]!;
    const next = layout[bi + 1];
    blockStart.set(b, code.length);
    for (const i of f.block(b).insts) {
      const d = f.inst(i);
      const info = opInfo(d.op);
      const name = info.name;
      const res = d.results;
      const args = d.args;
      const imms = d.imms;

      if (info.terminator) {
        switch (name) {
          case 'br': {
            const t = d.targets[0]!;
            emitCopies(copiesOf(t));
            if (t.block !== next) {
              code.push(X.JMP);
              emitJumpTo(t.block);
            }
            break;
          }
          case 'br_if': {
            const [tnz, tz] = d.targets as [BlockCall, BlockCall];
            const cnz = copiesOf(tnz);
            const cz = copiesOf(tz);
            const c = S(args[0]!);
            const fused = plan.branches.get(i);
            /** Conditional jump (target patched by the caller): taken when cond != 0, or == 0 if `negate`. */
            const condJump = (negate: boolean): void => {
              if (!fused) {
                code.push(negate ? X.BR_UNLESS : X.BR_IF, c);
                return;
              }
              const cmp = negate ? INVERSE[fused.cmp]! : fused.cmp;
              if (fused.k !== undefined) code.push(BR_K[cmp]!, S(fused.a), fused.k);
              else code.push(BR[cmp]!, S(fused.a), S(fused.b!));
            };
            if (cnz.length === 0) {
              condJump(false);
              emitJumpTo(tnz.block);
              emitCopies(cz);
              if (tz.block !== next) {
                code.push(X.JMP);
                emitJumpTo(tz.block);
              }
            } else if (cz.length === 0) {
              condJump(true);
              emitJumpTo(tz.block);
              emitCopies(cnz);
              if (tnz.block !== next) {
                code.push(X.JMP);
                emitJumpTo(tnz.block);
              }
            } else {
              condJump(true);
              code.push(-1);
              const patch = code.length - 1;
              emitCopies(cnz);
              code.push(X.JMP);
              emitJumpTo(tnz.block);
              code[patch] = code.length;
              emitCopies(cz);
              if (tz.block !== next) {
                code.push(X.JMP);
                emitJumpTo(tz.block);
              }
            }
            break;
          }
          case 'br_table': {
            const n = d.targets.length - 1;
            code.push(X.BR_TABLE, S(args[0]!), n);
            const slots: number[] = [];
            const stubs: { pos: number; call: BlockCall }[] = [];
            for (const t of d.targets) {
              slots.push(code.length);
              const copies = copiesOf(t);
              if (copies.length === 0) emitJumpTo(t.block);
              else {
                stubs.push({ pos: code.length, call: t });
                code.push(-1);
              }
            }
            for (const s of stubs) {
              code[s.pos] = code.length;
              emitCopies(copiesOf(s.call));
              code.push(X.JMP);
              emitJumpTo(s.call.block);
            }
            break;
          }
          case 'return':
            code.push(X.RET, args.length);
            for (const a of args) code.push(S(a), W(a));
            break;
          case 'trap':
            code.push(X.TRAP, imms[0] as number);
            break;
          default:
            throw new Error(`interp: unknown terminator ${name}`);
        }
        continue;
      }

      if (plan.skip.has(i)) continue;
      const kform = plan.kforms.get(i);
      if (kform) {
        code.push(kform.x, S(res[0]!), S(kform.a), kform.k);
        continue;
      }

      const scalar = SCALAR_OPS[name];
      if (scalar !== undefined && !(info.access && info.access.type === 'v128')) {
        if (info.kind === 'load' || info.kind === 'store') {
          checkMem(imms[0] as number);
          const off = imms[1] as bigint;
          if (off > 0xffffffffn) {
            code.push(X.TRAP, TrapCode.OutOfBoundsMemoryAccess);
            continue;
          }
          if (info.kind === 'load') code.push(scalar, S(res[0]!), S(args[0]!), Number(off) | 0);
          else code.push(scalar, S(args[0]!), S(args[1]!), Number(off) | 0);
        } else {
          code.push(scalar);
          for (const r of res) code.push(S(r));
          for (const a of args) code.push(S(a));
        }
        continue;
      }

      if (info.access) {
        // SIMD loads/stores: [SIMD_MEM, irop, d, addr, vec, offset, lane]
        checkMem(imms[0] as number);
        const off = imms[1] as bigint;
        if (off > 0xffffffffn) {
          code.push(X.TRAP, TrapCode.OutOfBoundsMemoryAccess);
          continue;
        }
        const lane = (imms[3] as number | undefined) ?? 0;
        const dst = res.length > 0 ? S(res[0]!) : 0;
        const vec = info.kind === 'store' ? S(args[1]!) : args.length > 1 ? S(args[1]!) : 0;
        code.push(X.SIMD_MEM, d.op, dst, S(args[0]!), vec, Number(off) | 0, lane);
        continue;
      }

      switch (name) {
        case 'i32.const':
          code.push(X.K1, S(res[0]!), imms[0] as number);
          continue;
        case 'f32.const':
          code.push(X.K1, S(res[0]!), (imms[0] as number) | 0);
          continue;
        case 'i64.const':
        case 'f64.const': {
          const v = BigInt.asUintN(64, imms[0] as bigint);
          code.push(X.K2, S(res[0]!), Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
          continue;
        }
        case 'v128.const': {
          const by = imms[0] as Uint8Array;
          code.push(X.K4, S(res[0]!));
          for (let k = 0; k < 4; k++) code.push(by[4 * k]! | (by[4 * k + 1]! << 8) | (by[4 * k + 2]! << 16) | (by[4 * k + 3]! << 24));
          continue;
        }
        case 'select': {
          const w = W(res[0]!);
          code.push(w === 1 ? X.SEL1 : w === 2 ? X.SEL2 : X.SEL4, S(res[0]!), S(args[0]!), S(args[1]!), S(args[2]!));
          continue;
        }
        case 'ref.null':
          code.push(X.K1, S(res[0]!), -1);
          continue;
        case 'ref.is_null':
          code.push(X.REF_IS_NULL, S(res[0]!), S(args[0]!));
          continue;
        case 'ref.func':
          code.push(X.K1, S(res[0]!), funcAt(inst, imms[0] as number).id);
          continue;
        case 'global.get': {
          const g = inst.globals[imms[0] as number]!;
          const w = valueWords(g.type);
          code.push(w === 1 ? X.GGET1 : w === 2 ? X.GGET2 : X.GGET4, S(res[0]!), obj(g));
          continue;
        }
        case 'global.set': {
          const g = inst.globals[imms[0] as number]!;
          const w = valueWords(g.type);
          code.push(w === 1 ? X.GSET1 : w === 2 ? X.GSET2 : X.GSET4, S(args[0]!), obj(g));
          continue;
        }
        case 'memory.size':
          checkMem(imms[0] as number);
          code.push(X.MEM_SIZE, S(res[0]!));
          continue;
        case 'memory.grow':
          checkMem(imms[0] as number);
          code.push(X.MEM_GROW, S(res[0]!), S(args[0]!));
          continue;
        case 'memory.fill':
          checkMem(imms[0] as number);
          code.push(X.MEM_FILL, S(args[0]!), S(args[1]!), S(args[2]!));
          continue;
        case 'memory.copy':
          checkMem(imms[0] as number);
          checkMem(imms[1] as number);
          code.push(X.MEM_COPY, S(args[0]!), S(args[1]!), S(args[2]!));
          continue;
        case 'memory.init':
          checkMem(imms[1] as number);
          code.push(X.MEM_INIT, S(args[0]!), S(args[1]!), S(args[2]!), imms[0] as number);
          continue;
        case 'data.drop':
          code.push(X.DATA_DROP, imms[0] as number);
          continue;
        case 'memory.check_bounds': {
          checkMem(imms[0] as number);
          // Clamped: any end past 2^32 fails like 2^33 does (a memory is at most 2^32 bytes).
          const end = (imms[1] as bigint) > 0x2_0000_0000n ? 0x2_0000_0000n : (imms[1] as bigint);
          code.push(X.MEM_CHECK, S(args[0]!), Number(end & 0xffffffffn) | 0, Number(end >> 32n));
          continue;
        }
        case 'table.get':
          code.push(X.TABLE_GET, S(res[0]!), S(args[0]!), obj(tableAt(inst, imms[0] as number)));
          continue;
        case 'table.set':
          code.push(X.TABLE_SET, S(args[0]!), S(args[1]!), obj(tableAt(inst, imms[0] as number)));
          continue;
        case 'table.size':
          code.push(X.TABLE_SIZE, S(res[0]!), obj(tableAt(inst, imms[0] as number)));
          continue;
        case 'table.grow':
          code.push(X.TABLE_GROW, S(res[0]!), S(args[0]!), S(args[1]!), obj(tableAt(inst, imms[0] as number)));
          continue;
        case 'table.fill':
          code.push(X.TABLE_FILL, S(args[0]!), S(args[1]!), S(args[2]!), obj(tableAt(inst, imms[0] as number)));
          continue;
        case 'table.copy':
          code.push(X.TABLE_COPY, S(args[0]!), S(args[1]!), S(args[2]!), obj(tableAt(inst, imms[0] as number)), obj(tableAt(inst, imms[1] as number)));
          continue;
        case 'table.init':
          code.push(X.TABLE_INIT, S(args[0]!), S(args[1]!), S(args[2]!), imms[0] as number, obj(tableAt(inst, imms[1] as number)));
          continue;
        case 'elem.drop':
          code.push(X.ELEM_DROP, imms[0] as number);
          continue;
        case 'table.check_call':
          code.push(X.CHECK_CALL, S(res[0]!), S(args[0]!), obj(tableAt(inst, imms[0] as number)), typeIdAt(inst, imms[1] as number));
          continue;
        case 'call': {
          const callee = funcAt(inst, imms[0] as number);
          code.push(X.CALL, callee.id, 0);
          emitCallOperands(callee.type, args, res);
          continue;
        }
        case 'call_ref': {
          const ti = imms[0] as number;
          const ft = inst.module.types[ti];
          if (!ft) throw new Error(`interp: ${f.name}: unknown type ${ti}`);
          code.push(X.CALL_REF, S(args[0]!), typeIdAt(inst, ti));
          emitCallOperands(ft, args.slice(1), res);
          continue;
        }
      }

      if (SIMD_SHAPE.test(name)) {
        // [SIMD, irop, d, a, b, c, imm]; the imm is a lane index or an objs index (shuffle mask).
        code.push(X.SIMD, d.op, res.length ? S(res[0]!) : 0, args.length > 0 ? S(args[0]!) : 0, args.length > 1 ? S(args[1]!) : 0, args.length > 2 ? S(args[2]!) : 0, simdImm(info, imms, obj));
        continue;
      }
      throw new Error(`interp: ${f.name}: unsupported op ${name}`);
    }
  }

  function emitCallOperands(ft: FuncType, args: readonly number[], res: readonly number[]): void {
    const offs = paramOffsets(ft.params);
    code.push(args.length);
    args.forEach((a, k) => code.push(S(a), offs[k]!, W(a)));
    code.push(res.length);
    for (const r of res) code.push(S(r), W(r));
  }

  for (const pos of blockFixups) {
    const start = blockStart.get(code[pos]!);
    if (start === undefined) throw new Error(`interp: ${f.name}: branch to a block not in the layout (block${code[pos]})`);
    code[pos] = start;
  }
  let frameWords = top + scratchWords;
  frameWords += frameWords & 1;
  return { code: Int32Array.from(code), frameWords, objs };

  function checkMem(m: number): void {
    if (m !== 0) throw new Error(`interp: ${f.name}: memory ${m}: only memory 0 is supported`);
  }
}

// ---- superinstruction planning -------------------------------------------------------------

const INT_CMPS = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const;
type Cmp = (typeof INT_CMPS)[number];
const INVERSE: Record<string, Cmp> = { eq: 'ne', ne: 'eq', lt_s: 'ge_s', lt_u: 'ge_u', gt_s: 'le_s', gt_u: 'le_u', le_s: 'gt_s', le_u: 'gt_u', ge_s: 'lt_s', ge_u: 'lt_u' };
/** cmp(k, a) == SWAPPED[cmp](a, k) */
const SWAPPED: Record<string, Cmp> = { eq: 'eq', ne: 'ne', lt_s: 'gt_s', lt_u: 'gt_u', gt_s: 'lt_s', gt_u: 'lt_u', le_s: 'ge_s', le_u: 'ge_u', ge_s: 'le_s', ge_u: 'le_u' };
const BR: Record<string, X> = {
  eq: X.BR_EQ, ne: X.BR_NE, lt_s: X.BR_LT_S, lt_u: X.BR_LT_U, gt_s: X.BR_GT_S, gt_u: X.BR_GT_U, le_s: X.BR_LE_S, le_u: X.BR_LE_U, ge_s: X.BR_GE_S, ge_u: X.BR_GE_U,
};
const BR_K: Record<string, X> = {
  eq: X.BR_EQ_K, ne: X.BR_NE_K, lt_s: X.BR_LT_S_K, lt_u: X.BR_LT_U_K, gt_s: X.BR_GT_S_K, gt_u: X.BR_GT_U_K, le_s: X.BR_LE_S_K, le_u: X.BR_LE_U_K, ge_s: X.BR_GE_S_K, ge_u: X.BR_GE_U_K,
};
const K_OPS: Record<string, X> = {
  add: X.I32_ADD_K, mul: X.I32_MUL_K, and: X.I32_AND_K, or: X.I32_OR_K, xor: X.I32_XOR_K, shl: X.I32_SHL_K, shr_s: X.I32_SHR_S_K, shr_u: X.I32_SHR_U_K,
  eq: X.I32_EQ_K, ne: X.I32_NE_K, lt_s: X.I32_LT_S_K, lt_u: X.I32_LT_U_K, gt_s: X.I32_GT_S_K, gt_u: X.I32_GT_U_K, le_s: X.I32_LE_S_K, le_u: X.I32_LE_U_K, ge_s: X.I32_GE_S_K, ge_u: X.I32_GE_U_K,
};
const COMMUTATIVE = new Set(['add', 'mul', 'and', 'or', 'xor']);

interface Plan {
  /** Instructions not emitted: compares fused into their br_if, constants all of whose uses were folded. */
  skip: Set<number>;
  /** i32 ops with a constant operand: [x, d, a, k]. */
  kforms: Map<number, { x: X; a: number; k: number }>;
  /** br_if whose condition is a fused i32 compare. */
  branches: Map<number, { cmp: Cmp; a: number; b?: number; k?: number }>;
}

/**
 * Fewer dispatches for the common shapes of translated code: an i32 op whose right
 * operand is a constant takes it as an immediate, an i32 compare used only by the
 * br_if after it becomes a compare-and-branch, and constants left without uses are
 * not materialised.
 */
function planSuperinstructions(f: Func): Plan {
  const plan: Plan = { skip: new Set(), kforms: new Map(), branches: new Map() };
  const uses = f.useCounts();
  const konst = new Map<number, number>();
  const constInst = new Map<number, number>();
  for (const i of f.allInsts()) {
    const d = f.insts[i]!;
    if (opInfo(d.op).name === 'i32.const') {
      konst.set(d.results[0]!, d.imms[0] as number);
      constInst.set(d.results[0]!, i);
    }
  }
  const folded = new Map<number, number>();
  const fold = (v: number): void => {
    if (konst.has(v)) folded.set(v, (folded.get(v) ?? 0) + 1);
  };
  /** [op, a, k] with the constant on the right, or undefined. */
  const withConst = (op: string, a: number, b: number): { op: string; a: number; k: number; kv: number } | undefined => {
    const kb = konst.get(b);
    if (kb !== undefined) return { op, a, k: kb, kv: b };
    const ka = konst.get(a);
    if (ka === undefined) return undefined;
    if (COMMUTATIVE.has(op)) return { op, a: b, k: ka, kv: a };
    if (SWAPPED[op]) return { op: SWAPPED[op]!, a: b, k: ka, kv: a };
    return undefined;
  };
  for (const b of f.layout) {
    const insts = f.block(b).insts;
    const term = insts[insts.length - 1];
    // Compare-and-branch.
    if (term !== undefined && opInfo(f.insts[term]!.op).name === 'br_if') {
      const c = f.insts[term]!.args[0]!;
      const ci = f.defInst(c);
      if (ci !== undefined && f.insts[ci]!.block === b && uses[c] === 1) {
        const cd = f.insts[ci]!;
        const name = opInfo(cd.op).name;
        const op = name.slice(4);
        if (name === 'i32.eqz') {
          plan.branches.set(term, { cmp: 'eq', a: cd.args[0]!, k: 0 });
          plan.skip.add(ci);
        } else if (name.startsWith('i32.') && (INT_CMPS as readonly string[]).includes(op)) {
          const wk = withConst(op, cd.args[0]!, cd.args[1]!);
          if (wk) {
            plan.branches.set(term, { cmp: wk.op as Cmp, a: wk.a, k: wk.k });
            fold(wk.kv);
          } else plan.branches.set(term, { cmp: op as Cmp, a: cd.args[0]!, b: cd.args[1]! });
          plan.skip.add(ci);
        }
      }
    }
    // Constant right operands.
    for (const i of insts) {
      if (plan.skip.has(i)) continue;
      const d = f.insts[i]!;
      const name = opInfo(d.op).name;
      if (!name.startsWith('i32.') || d.args.length !== 2) continue;
      let op = name.slice(4);
      let x = K_OPS[op];
      if (op === 'sub' && konst.has(d.args[1]!)) {
        plan.kforms.set(i, { x: X.I32_ADD_K, a: d.args[0]!, k: -konst.get(d.args[1]!)! | 0 });
        fold(d.args[1]!);
        continue;
      }
      if (x === undefined) continue;
      const wk = withConst(op, d.args[0]!, d.args[1]!);
      if (!wk) continue;
      op = wk.op;
      x = K_OPS[op]!;
      plan.kforms.set(i, { x, a: wk.a, k: wk.k });
      fold(wk.kv);
    }
  }
  for (const [v, n] of folded) if (n === uses[v]) plan.skip.add(constInst.get(v)!);
  return plan;
}

function simdImm(info: OpInfo, imms: readonly unknown[], obj: (o: unknown) => number): number {
  if (info.name === 'i8x16.shuffle') return obj(imms[0]);
  return info.lanes > 0 ? (imms[0] as number) : 0;
}

function funcAt(inst: Instance, i: number): FuncInst {
  const f = inst.funcs[i];
  if (!f) throw new Error(`interp: unknown function ${i}`);
  return f;
}

function tableAt(inst: Instance, i: number) {
  const t = inst.tables[i];
  if (!t) throw new Error(`interp: unknown table ${i}`);
  return t;
}

function typeIdAt(inst: Instance, i: number): number {
  const t = inst.typeIds[i];
  if (t === undefined) throw new Error(`interp: unknown type ${i}`);
  return t;
}
