/**
 * Wasm → IR translation (DESIGN §1): a validated module becomes an ir.IrModule whose
 * index spaces, declarations and segments mirror the Wasm module one to one, and
 * whose function bodies are SSA ir.Funcs (translate-func.ts; the per-instruction
 * mapping is derived from the two op tables in translate-ops.ts).
 *
 *   translateModule(vm)              every declaration and every body
 *   translateDecls(vm)               declarations only (bodies absent), for callers
 *                                    that translate functions in parallel
 *   translateFunction(vm, index)     one body (function index space, imports first)
 *   translateAndOptimise(vm, level)  the printed module after the -O pipeline
 *                                    (what `kiln compile --emit ir` prints)
 */
import { err, ok, type Result, type WasmError } from './errors.js';
import type { ConstExpr as WasmConstExpr, Limits as WasmLimits } from './module.js';
import { irRefType, irType } from './translate-ops.js';
import { translateBody, type ModuleInfo } from './translate-func.js';
import { validateFunction, type ValidatedFunc, type ValidatedModule } from './validate.js';
import type { Func } from '../ir/func.js';
import type { ConstExpr, DataSegment, ElemSegment, FuncDecl, GlobalDecl, IrModule, Limits, MemoryDecl, TableDecl } from '../ir/module.js';
import { optimizeModule, type OptLevel } from '../ir/pipeline.js';
import { explicitBoundsChecks } from '../ir/passes/check-elim.js';
import { printModule } from '../ir/print.js';
import { formatVerifyError, verifyModule } from '../ir/verify.js';

export type { ModuleInfo } from './translate-func.js';

const infoCache = new WeakMap<ValidatedModule, ModuleInfo>();

/** Module facts the body translator needs, computed once per module. */
export function moduleInfo(vm: ValidatedModule): ModuleInfo {
  let info = infoCache.get(vm);
  if (info) return info;
  const m = vm.module;
  const names = m.names?.functions;
  info = {
    m,
    types: m.types.map((t) => ({ params: t.params.map(irType), results: t.results.map(irType) })),
    funcTypes: m.funcTypes,
    globals: m.globalSpace.map((g) => irType(g.type)),
    tables: m.tableSpace.map((t) => irRefType(t.elem)),
    funcNames: m.funcTypes.map((_, i) => names?.get(i) ?? `f${i}`),
  };
  infoCache.set(vm, info);
  return info;
}

function constExpr(e: WasmConstExpr): ConstExpr {
  // Wasm 2.0 constant expressions are a single instruction (the validator checked it).
  const i = e.instrs[0];
  if (!i || e.instrs.length !== 1) throw new Error('translate: constant expression is not a single instruction');
  switch (i.op) {
    case 'i32.const':
      return { kind: 'i32', value: i.value | 0 };
    case 'i64.const':
      return { kind: 'i64', value: BigInt.asIntN(64, i.value) };
    case 'f32.const':
      return { kind: 'f32', bits: i.bits >>> 0 };
    case 'f64.const':
      return { kind: 'f64', bits: BigInt.asUintN(64, i.bits) };
    case 'v128.const':
      return { kind: 'v128', bytes: i.bytes.slice() };
    case 'ref.null':
      return { kind: 'ref.null', type: irRefType(i.type) };
    case 'ref.func':
      return { kind: 'ref.func', func: i.func };
    case 'global.get':
      return { kind: 'global.get', global: i.global };
    case 'other':
      throw new Error(`translate: non-constant instruction ${i.name} in a constant expression`);
  }
}

const limits = (l: WasmLimits): Limits => (l.max === null ? { min: BigInt(l.min) } : { min: BigInt(l.min), max: BigInt(l.max) });

/** Every module-level declaration; defined functions have no body yet. */
export function translateDecls(vm: ValidatedModule): IrModule {
  const m = vm.module;
  const info = moduleInfo(vm);
  const funcs: FuncDecl[] = [];
  const globals: GlobalDecl[] = [];
  const memories: MemoryDecl[] = [];
  const tables: TableDecl[] = [];
  for (const imp of m.imports) {
    const name = { module: imp.module, name: imp.name };
    const d = imp.desc;
    switch (d.kind) {
      case 'func':
        funcs.push({ typeIndex: d.type, name: info.funcNames[funcs.length]!, import: name });
        break;
      case 'global':
        globals.push({ type: irType(d.global.type), mutable: d.global.mutable, import: name });
        break;
      case 'memory':
        memories.push({ limits: limits(d.memory.limits), import: name });
        break;
      case 'table':
        tables.push({ elemType: irRefType(d.table.elem), limits: limits(d.table.limits), import: name });
        break;
    }
  }
  for (const f of m.funcs) funcs.push({ typeIndex: f.type, name: info.funcNames[funcs.length]! });
  for (const g of m.globals) globals.push({ type: irType(g.type.type), mutable: g.type.mutable, init: constExpr(g.init) });
  for (const mem of m.memories) memories.push({ limits: limits(mem.limits) });
  for (const t of m.tables) tables.push({ elemType: irRefType(t.elem), limits: limits(t.limits) });

  const data: DataSegment[] = m.datas.map((d) => ({
    mode: d.mode === 'active' ? { kind: 'active', memory: d.memory, offset: constExpr(d.offsetExpr!) } : { kind: 'passive' },
    bytes: m.bytes.slice(d.start, d.end),
  }));
  const elems: ElemSegment[] = m.elems.map((s) => ({
    type: irRefType(s.type),
    mode:
      s.mode === 'active'
        ? { kind: 'active', table: s.table, offset: constExpr(s.offsetExpr!) }
        : s.mode === 'passive'
          ? { kind: 'passive' }
          : { kind: 'declarative' },
    items: s.funcs ? s.funcs.map((func): ConstExpr => ({ kind: 'ref.func', func })) : s.exprs!.map(constExpr),
  }));

  const out: IrModule = {
    types: info.types.map((t) => ({ params: t.params, results: t.results })),
    funcs,
    globals,
    memories,
    tables,
    data,
    elems,
    exports: m.exports.map((e) => ({ name: e.name, kind: e.kind, index: e.index })),
  };
  if (m.start !== null) out.start = m.start;
  if (m.names?.module != null) out.name = m.names.module;
  return out;
}

/** Translate an already validated body (its ValidatedFunc from validateFunction). */
export function translateValidated(vm: ValidatedModule, vf: ValidatedFunc): Func {
  return translateBody(moduleInfo(vm), vf);
}

/**
 * Translate defined function `funcIndex` (function index space, imports first).
 * Throws if the body does not validate (validateModule has normally checked it).
 */
export function translateFunction(vm: ValidatedModule, funcIndex: number): Func {
  const r = validateFunction(vm, funcIndex);
  if (!r.ok) throw new Error(`function ${funcIndex}: ${r.error.message} at 0x${r.error.offset.toString(16)}`);
  return translateValidated(vm, r.value);
}

function internal(e: unknown, offset: number): WasmError {
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: 'invalid', offset, message: `internal error: ${msg}` };
}

/** The whole module, every body translated. */
export function translateModule(vm: ValidatedModule): Result<IrModule> {
  const m = vm.module;
  let decls: IrModule;
  try {
    decls = translateDecls(vm);
  } catch (e) {
    return err(internal(e, 0));
  }
  for (let k = 0; k < m.funcs.length; k++) {
    const index = m.numImportedFuncs + k;
    const r = validateFunction(vm, index);
    if (!r.ok) return r;
    try {
      decls.funcs[index]!.body = translateValidated(vm, r.value);
    } catch (e) {
      return err(internal(e, m.funcs[k]!.bodyStart));
    }
  }
  return ok(decls);
}

export interface EmitIrOptions {
  /** Run the IR verifier on the translation and after every pass (default true). */
  verify?: boolean;
  /**
   * 'explicit': print each function as the backend selects it in that mode, with the
   * memory.check_bounds ops (and, when optimising, without the redundant ones).
   */
  bounds?: 'guard' | 'explicit';
}

/**
 * Translate, optimise at `level` and print the module in the IR text format. A
 * verifier failure is an internal error (reported, not thrown).
 */
export function translateAndOptimise(vm: ValidatedModule, level: OptLevel, opts: EmitIrOptions = {}): Result<string> {
  const r = translateModule(vm);
  if (!r.ok) return r;
  const verify = opts.verify ?? true;
  const errors = optimizeModule(r.value, level, { verify });
  if (opts.bounds === 'explicit') {
    for (const f of r.value.funcs) if (f.body) explicitBoundsChecks(f.body, level > 0);
  }
  if (verify) errors.push(...verifyModule(r.value).filter((e) => e.func === '<module>'));
  if (errors.length > 0) {
    return err({ kind: 'invalid', offset: 0, message: `internal error: IR verification failed: ${errors.slice(0, 5).map(formatVerifyError).join('; ')}` });
  }
  return ok(printModule(r.value));
}
