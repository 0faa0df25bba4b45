/**
 * The IR verifier. Run after every pass in tests (pipeline `verify: true`). It never
 * throws: every broken rule is an error value naming the function, block and
 * instruction.
 *
 * Rules:
 * - layout: a non-empty list of distinct live blocks; the entry's params are the
 *   function's params; no branch targets the entry;
 * - each block ends with exactly one terminator and has none elsewhere; every
 *   instruction's `block` field names the block listing it;
 * - per instruction, from the op table: immediate count and kinds (lane and shuffle
 *   bounds, alignment ≤ natural, valid trap code), operand count and types, result
 *   count and types (module-dependent ones checked when a module is given, along with
 *   index ranges);
 * - branches: target count per terminator kind; argument count and types match the
 *   target's params; `return` values match the function's results;
 * - SSA: every used value is defined (a live param or the result of a placed
 *   instruction) and its definition dominates the use: earlier in the same block, or
 *   in a strictly dominating block. Unreachable blocks are allowed (they are type
 *   checked, and a value they define must not be used by reachable code).
 */
import { computeDominators } from './dom.js';
import type { Block, Func, Inst, Value } from './func.js';
import { moduleTypeEnv, type ConstExpr, type IrModule } from './module.js';
import { OPS, resolveSignature, typeMatches, type ImmSpec, type OpInfo } from './opcodes.js';
import { isTrapCode } from './traps.js';
import { formatFuncType, isType, type Imm, type Type } from './types.js';

export interface VerifyError {
  func: string;
  block?: Block;
  inst?: Inst;
  message: string;
}

export function formatVerifyError(e: VerifyError): string {
  const where = [e.func, e.block !== undefined ? `block${e.block}` : undefined, e.inst !== undefined ? `inst ${e.inst}` : undefined];
  return `${where.filter((x) => x !== undefined).join(': ')}: ${e.message}`;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

export function verifyFunc(f: Func, module?: IrModule): VerifyError[] {
  const errors: VerifyError[] = [];
  const fail = (message: string, block?: Block, inst?: Inst): void => {
    errors.push({ func: f.name, block, inst, message });
  };
  const env = module ? moduleTypeEnv(module) : undefined;

  // --- layout and block shape -------------------------------------------------------
  if (f.layout.length === 0) {
    fail('function has no blocks');
    return errors;
  }
  const seenBlock = new Set<Block>();
  for (const b of f.layout) {
    if (seenBlock.has(b)) fail('block appears twice in the layout', b);
    seenBlock.add(b);
    if (!f.blocks[b]?.live) fail('layout lists a dead or unknown block', b);
  }
  if (errors.length > 0) return errors;

  const entry = f.entry;
  const entryParams = f.block(entry).params.map((p) => f.valueType(p));
  if (entryParams.join() !== f.params.join()) {
    fail(`entry block params (${entryParams.join(', ')}) differ from the function params (${f.params.join(', ')})`, entry);
  }

  // Position of each placed instruction within its block, for same-block dominance.
  const pos = new Int32Array(f.insts.length).fill(-1);
  const placed = new Uint8Array(f.insts.length);
  for (const b of f.layout) {
    const bd = f.block(b);
    bd.params.forEach((p, k) => {
      const v = f.values[p];
      if (!v || v.kind !== 'param' || v.owner !== b || v.index !== k) fail(`param ${k} (v${p}) is not recorded as this block's param`, b);
    });
    if (bd.insts.length === 0) fail('block is empty (needs a terminator)', b);
    bd.insts.forEach((i, k) => {
      const d = f.insts[i];
      if (!d) {
        fail(`unknown instruction ${i}`, b);
        return;
      }
      if (placed[i]) fail('instruction is listed twice', b, i);
      placed[i] = 1;
      pos[i] = k;
      if (d.block !== b) fail(`instruction records block${d.block} as its block`, b, i);
      const info = OPS[d.op];
      if (!info) return;
      const last = k === bd.insts.length - 1;
      if (info.terminator && !last) fail(`terminator ${info.name} is not the last instruction`, b, i);
      if (!info.terminator && last) fail(`block does not end with a terminator (last is ${info.name})`, b, i);
    });
  }
  if (errors.length > 0) return errors;

  const dom = computeDominators(f);
  if (dom.cfg.preds[entry]!.length > 0) fail('the entry block has predecessors', entry);

  const checkUse = (v: Value, b: Block, i: Inst, what: string): Type | undefined => {
    const vd = f.values[v];
    if (vd === undefined || vd.kind === 'none') {
      fail(`${what} uses undefined value v${v}`, b, i);
      return undefined;
    }
    let defBlock: Block;
    if (vd.kind === 'param') {
      defBlock = vd.owner;
      if (!f.isLive(defBlock) || f.block(defBlock).params[vd.index] !== v) {
        fail(`${what} uses v${v}, a param of a removed block`, b, i);
        return undefined;
      }
    } else {
      const di = vd.owner;
      if (!placed[di] || f.insts[di]!.results[vd.index] !== v) {
        fail(`${what} uses v${v}, defined by an instruction that is not placed`, b, i);
        return undefined;
      }
      defBlock = f.insts[di]!.block;
      if (defBlock === b && pos[di]! >= pos[i]!) {
        fail(`${what} uses v${v} before its definition`, b, i);
        return vd.type;
      }
    }
    if (defBlock !== b && dom.isReachable(b) && !dom.dominates(defBlock, b)) {
      fail(`${what} uses v${v}, whose definition in block${defBlock} does not dominate the use`, b, i);
    }
    return vd.type;
  };

  // --- instructions --------------------------------------------------------------
  for (const b of f.layout) {
    for (const i of f.block(b).insts) {
      const d = f.insts[i]!;
      const info = OPS[d.op];
      if (!info) {
        fail(`unknown opcode ${d.op}`, b, i);
        continue;
      }
      const name = info.name;

      // Immediates.
      if (d.imms.length !== info.imms.length) {
        fail(`${name} has ${d.imms.length} immediates, expects ${info.imms.length}`, b, i);
      } else {
        info.imms.forEach((spec, k) => {
          const problem = checkImm(spec, d.imms[k]!, info, module);
          if (problem) fail(`${name} immediate ${spec.key}: ${problem}`, b, i);
        });
      }

      // Operands.
      const argTypes: (Type | undefined)[] = d.args.map((v, k) => checkUse(v, b, i, `${name} operand ${k}`));
      const known = argTypes.every((t) => t !== undefined) ? (argTypes as Type[]) : undefined;
      const sig = known && d.imms.length === info.imms.length ? resolveSignature(d.op, d.imms, known, env, f.results) : undefined;
      if (typeof sig === 'string') {
        fail(`${name}: ${sig}`, b, i);
      } else if (sig !== undefined && known) {
        if (known.length !== sig.params.length) {
          fail(`${name} has ${known.length} operands, expects ${sig.params.length}`, b, i);
        } else {
          sig.params.forEach((p, k) => {
            if (!typeMatches(p, known[k]!)) fail(`${name} operand ${k} (v${d.args[k]}) has type ${known[k]}, expects ${p}`, b, i);
          });
        }
        const rt = d.results.map((r) => f.values[r]?.type);
        if (rt.join() !== sig.results.join()) fail(`${name} results (${rt.join(', ')}) should be (${sig.results.join(', ')})`, b, i);
      } else if (known) {
        // Module-dependent op verified without a module: check what the row fixes.
        if (info.params !== null) {
          if (known.length !== info.params.length) fail(`${name} has ${known.length} operands, expects ${info.params.length}`, b, i);
          else info.params.forEach((p, k) => {
            if (!typeMatches(p, known[k]!)) fail(`${name} operand ${k} has type ${known[k]}, expects ${p}`, b, i);
          });
        }
        if (info.results !== null) {
          const rt = d.results.map((r) => f.values[r]?.type);
          if (rt.join() !== info.results.join()) fail(`${name} results (${rt.join(', ')}) should be (${info.results.join(', ')})`, b, i);
        }
      }
      d.results.forEach((r, k) => {
        const vd = f.values[r];
        if (!vd || vd.kind !== 'result' || vd.owner !== i || vd.index !== k) fail(`result ${k} (v${r}) is not recorded as this instruction's result`, b, i);
      });

      // Successors.
      const expectedTargets =
        name === 'br' ? 'one' : name === 'br_if' ? 'two' : name === 'br_table' ? 'some' : 'none';
      const n = d.targets.length;
      if (
        (expectedTargets === 'one' && n !== 1) ||
        (expectedTargets === 'two' && n !== 2) ||
        (expectedTargets === 'some' && n < 1) ||
        (expectedTargets === 'none' && n !== 0)
      ) {
        fail(`${name} has ${n} branch targets`, b, i);
      }
      d.targets.forEach((c, k) => {
        if (!f.isLive(c.block)) {
          fail(`${name} target ${k} is block${c.block}, which is not in the layout`, b, i);
          return;
        }
        if (c.block === entry) fail(`${name} branches to the entry block`, b, i);
        const params = f.block(c.block).params;
        const types = c.args.map((v) => checkUse(v, b, i, `${name} argument to block${c.block}`));
        if (types.length !== params.length) {
          fail(`${name} passes ${types.length} arguments to block${c.block}, which takes ${params.length}`, b, i);
          return;
        }
        types.forEach((t, k2) => {
          const pt = f.valueType(params[k2]!);
          if (t !== undefined && t !== pt) fail(`${name} argument ${k2} to block${c.block} has type ${t}, expects ${pt}`, b, i);
        });
      });
    }
  }
  return errors;
}

function checkImm(spec: ImmSpec, v: Imm, info: OpInfo, module: IrModule | undefined): string | undefined {
  const isU32 = (x: Imm): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
  switch (spec.kind) {
    case 'i32':
      return typeof v === 'number' && Number.isInteger(v) && (v | 0) === v ? undefined : 'expects a signed 32-bit integer';
    case 'i64':
      return typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX ? undefined : 'expects a signed 64-bit bigint';
    case 'f32':
      return isU32(v) ? undefined : 'expects f32 bits (u32 number)';
    case 'f64':
      return typeof v === 'bigint' && v >= 0n && v <= U64_MAX ? undefined : 'expects f64 bits (u64 bigint)';
    case 'v128':
      return v instanceof Uint8Array && v.length === 16 ? undefined : 'expects 16 bytes';
    case 'shuffle':
      return v instanceof Uint8Array && v.length === 16 && v.every((x) => x < 32) ? undefined : 'expects 16 lane indices < 32';
    case 'lane':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < info.lanes ? undefined : `expects a lane index < ${info.lanes}`;
    case 'offset':
      return typeof v === 'bigint' && v >= 0n && v <= U64_MAX ? undefined : 'expects a u64 bigint';
    case 'align': {
      const natural = Math.log2(info.access?.bytes ?? 1);
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= natural ? undefined : `alignment must not be larger than natural (2^${natural})`;
    }
    case 'trap':
      return typeof v === 'number' && isTrapCode(v) ? undefined : 'expects a trap code';
    case 'reftype':
      return v === 'funcref' || v === 'externref' ? undefined : 'expects funcref or externref';
    case 'index': {
      if (!isU32(v)) return 'expects an index';
      if (!module) return undefined;
      const n = v as number;
      const count = {
        func: module.funcs.length,
        type: module.types.length,
        global: module.globals.length,
        mem: module.memories.length,
        table: module.tables.length,
        data: module.data.length,
        elem: module.elems.length,
      }[spec.space ?? 'func'];
      return n < count ? undefined : `${spec.space} index ${n} out of range (${count} defined)`;
    }
  }
}

/** Verify every function body and the module's declarations. */
export function verifyModule(m: IrModule): VerifyError[] {
  const errors: VerifyError[] = [];
  const fail = (message: string): void => void errors.push({ func: '<module>', message });
  const checkImportsFirst = (what: string, list: readonly { import?: unknown }[]): void => {
    let seenDefined = false;
    list.forEach((x, k) => {
      if (!x.import) seenDefined = true;
      else if (seenDefined) fail(`${what} ${k} is an import after a defined ${what}`);
    });
  };
  checkImportsFirst('func', m.funcs);
  checkImportsFirst('global', m.globals);
  checkImportsFirst('memory', m.memories);
  checkImportsFirst('table', m.tables);
  m.types.forEach((t, k) => {
    if (![...t.params, ...t.results].every((x) => isType(x))) fail(`type ${k} has a bad value type`);
  });
  m.funcs.forEach((fd, k) => {
    const ft = m.types[fd.typeIndex];
    if (!ft) return fail(`func ${k} has unknown type ${fd.typeIndex}`);
    if (fd.import && fd.body) fail(`func ${k} is an import with a body`);
    if (fd.body) {
      const sig = fd.body.sig;
      if (formatFuncType(sig) !== formatFuncType(ft)) fail(`func ${k} body has signature ${formatFuncType(sig)}, declared ${formatFuncType(ft)}`);
      errors.push(...verifyFunc(fd.body, m));
    }
  });
  const constType = (e: ConstExpr, what: string): Type | undefined => {
    switch (e.kind) {
      case 'ref.null': return e.type;
      case 'ref.func':
        if (e.func >= m.funcs.length) fail(`${what}: ref.func ${e.func} does not exist`);
        return 'funcref';
      case 'global.get': {
        const g = m.globals[e.global];
        if (!g) return void fail(`${what}: global.get ${e.global} does not exist`);
        if (!g.import || g.mutable) fail(`${what}: global.get ${e.global} must name an immutable imported global`);
        return g.type;
      }
      default: return e.kind;
    }
  };
  const expectConst = (e: ConstExpr, t: Type, what: string): void => {
    const actual = constType(e, what);
    if (actual !== undefined && actual !== t) fail(`${what} has type ${actual}, expects ${t}`);
  };
  m.globals.forEach((g, k) => {
    if (!g.import && !g.init) fail(`global ${k} has no initialiser`);
    if (g.init) expectConst(g.init, g.type, `global ${k} initialiser`);
  });
  m.data.forEach((d, k) => {
    if (d.mode.kind !== 'active') return;
    if (d.mode.memory >= m.memories.length) fail(`data ${k} names memory ${d.mode.memory}, which does not exist`);
    expectConst(d.mode.offset, 'i32', `data ${k} offset`);
  });
  m.elems.forEach((e, k) => {
    if (e.mode.kind === 'active') {
      const table = m.tables[e.mode.table];
      if (!table) fail(`elem ${k} names table ${e.mode.table}, which does not exist`);
      else if (table.elemType !== e.type) fail(`elem ${k} has type ${e.type}, table ${e.mode.table} holds ${table.elemType}`);
      expectConst(e.mode.offset, 'i32', `elem ${k} offset`);
    }
    e.items.forEach((item, j) => expectConst(item, e.type, `elem ${k} item ${j}`));
  });
  m.exports.forEach((e) => {
    const count = { func: m.funcs.length, table: m.tables.length, memory: m.memories.length, global: m.globals.length }[e.kind];
    if (e.index >= count) fail(`export "${e.name}" names ${e.kind} ${e.index}, which does not exist`);
  });
  if (m.start !== undefined && m.start >= m.funcs.length) fail(`start function ${m.start} does not exist`);
  return errors;
}

/** Convenience for tests: the errors as lines. */
export function verifyReport(f: Func, module?: IrModule): string {
  return verifyFunc(f, module).map(formatVerifyError).join('\n');
}

