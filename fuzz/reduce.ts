/**
 * The module-level reducer: shrinks a mismatching case while the same mismatch persists.
 *
 * "The same mismatch": the disagreeing engine still differs from the oracle at the case's last
 * step, with the same kinds of outcome on both sides (value / trap:<message> / crash / …; the
 * values themselves may change). Candidates are tried in groups, one executable per group for a
 * native engine, and the first candidate of a group that still fails is kept (greedy).
 *
 * Steps, in rounds until nothing shrinks or the time budget is spent:
 *   plan      — drop steps after the failing one, then chunks of the other calls;
 *   exports   — remove exports (and the calls to them);
 *   passes    — binaryen passes (remove-unused-module-elements, dce+vacuum, simplify-locals, …);
 *   bodies    — replace a function's body with `unreachable`;
 *   data      — empty a data segment (byte level; indices stay valid);
 *   exprs     — per expression: replace with a zero constant / nop, hoist a same-typed operand,
 *               remove a block's statement.
 * Binaryen is used to edit, kiln's validator to accept a candidate (binaryen's own validator prints).
 */
import binaryen from 'binaryen';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule } from '../src/frontend/validate.js';
import { translateDecls } from '../src/frontend/translate.js';
import { interpEngine, v8EngineWithTimeout, type Engine } from './engines.js';

const QUICK_V8 = v8EngineWithTimeout(15_000);
import { buildHelper } from './helper.js';
import { STATE_FN, driverArg, firstMismatch, isExhaustion, type FuzzCase, type Mismatch, type Step } from './outcome.js';

const FEATURES =
  binaryen.Features.MVP | binaryen.Features.SignExt | binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt | binaryen.Features.CallIndirectOverlong | binaryen.Features.Multivalue | binaryen.Features.MutableGlobals;

/** The kind of an outcome string: values compare by kind only, traps by message. */
export function outcomeKind(o: string): string {
  if (o.startsWith('trap:')) return o;
  for (const k of ['crash', 'compile-error', 'driver-fail', 'state', 'linkerror', 'noinst', 'exhausted']) if (o.startsWith(k)) return k;
  return o === 'ok' ? 'ok' : 'value';
}

export function mismatchSignature(m: Pick<Mismatch, 'expected' | 'got'>): string {
  return `${outcomeKind(m.expected)} vs ${outcomeKind(m.got)}`;
}

// ---------------------------------------------------------------- building candidate cases

/** `wasm` with `steps` as a case like `base` (helper, sigs and observed globals re-derived), or undefined if unusable. */
export function deriveCase(base: FuzzCase, wasm: Uint8Array, steps: Step[]): FuzzCase | undefined {
  const v = loadModule(wasm);
  if (!v.ok) return undefined;
  const decls = translateDecls(v.value);
  const helper = buildHelper(decls);
  if (helper && 'unsupported' in helper) return undefined;
  const funcs = new Set(decls.exports.filter((e) => e.kind === 'func').map((e) => e.name));
  const globals = new Set(decls.exports.filter((e) => e.kind === 'global').map((e) => e.name));
  const last = steps[steps.length - 1]!;
  if (last.kind === 'call' && !funcs.has(last.name)) return undefined;
  const kept = steps.filter((s) => s.kind !== 'call' || funcs.has(s.name));
  const sigs: FuzzCase['sigs'] = {};
  for (const [name, sig] of Object.entries(base.sigs)) if (funcs.has(name)) sigs[name] = sig;
  return {
    id: base.id,
    wasm,
    steps: kept,
    sigs,
    globals: base.globals.filter((g) => globals.has(g.name)),
    hasStateFn: base.hasStateFn && funcs.has(STATE_FN),
    helper: helper?.wasm,
  };
}

// ---------------------------------------------------------------- module edits (binaryen)

function withModule(wasm: Uint8Array, edit: (m: binaryen.Module) => boolean): Uint8Array | undefined {
  let m: binaryen.Module | undefined;
  try {
    m = binaryen.readBinary(wasm);
    m.setFeatures(FEATURES);
    if (!edit(m)) return undefined;
    const out = m.emitBinary();
    return out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  } finally {
    m?.dispose();
  }
}

type Ref = number;
/** A child position of an expression: read it, write it. */
interface Slot {
  get(): Ref;
  set(r: Ref): void;
  /** Remove instead of replace (block statements). */
  remove?: () => void;
}

// binaryen.js exposes per-kind accessors as static objects (Block.getChildAt, Binary.setLeft, …).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const B = binaryen as any;

function slotsOf(e: Ref): Slot[] {
  const id = binaryen.getExpressionId(e);
  const one = (kind: string, name: string): Slot[] => {
    const k = B[kind];
    const r = k[`get${name}`](e) as Ref;
    return r ? [{ get: () => k[`get${name}`](e), set: (x) => k[`set${name}`](e, x) }] : [];
  };
  const list = (kind: string, what: string, removable: boolean): Slot[] => {
    const k = B[kind];
    const n = k[`getNum${what === 'Child' ? 'Children' : what + 's'}`](e) as number;
    return Array.from({ length: n }, (_, i) => ({
      get: () => k[`get${what}At`](e, i),
      set: (x: Ref) => k[`set${what}At`](e, i, x),
      remove: removable ? () => k[`remove${what}At`](e, i) : undefined,
    }));
  };
  switch (id) {
    case binaryen.BlockId: return list('Block', 'Child', true);
    case binaryen.IfId: return [...one('If', 'Condition'), ...one('If', 'IfTrue'), ...one('If', 'IfFalse')];
    case binaryen.LoopId: return one('Loop', 'Body');
    case binaryen.BreakId: return [...one('Break', 'Condition'), ...one('Break', 'Value')];
    case binaryen.SwitchId: return [...one('Switch', 'Condition'), ...one('Switch', 'Value')];
    case binaryen.CallId: return list('Call', 'Operand', false);
    case binaryen.CallIndirectId: return [...one('CallIndirect', 'Target'), ...list('CallIndirect', 'Operand', false)];
    case binaryen.LocalSetId: return one('LocalSet', 'Value');
    case binaryen.GlobalSetId: return one('GlobalSet', 'Value');
    case binaryen.LoadId: return one('Load', 'Ptr');
    case binaryen.StoreId: return [...one('Store', 'Ptr'), ...one('Store', 'Value')];
    case binaryen.UnaryId: return one('Unary', 'Value');
    case binaryen.BinaryId: return [...one('Binary', 'Left'), ...one('Binary', 'Right')];
    case binaryen.SelectId: return [...one('Select', 'IfTrue'), ...one('Select', 'IfFalse'), ...one('Select', 'Condition')];
    case binaryen.DropId: return one('Drop', 'Value');
    case binaryen.ReturnId: return one('Return', 'Value');
    case binaryen.MemoryGrowId: return one('MemoryGrow', 'Delta');
    default: return [];
  }
}

const NUM_TYPES = (): Map<number, 'i32' | 'i64' | 'f32' | 'f64'> =>
  new Map([[binaryen.i32, 'i32'], [binaryen.i64, 'i64'], [binaryen.f32, 'f32'], [binaryen.f64, 'f64']]);

function zeroOf(m: binaryen.Module, t: 'i32' | 'i64' | 'f32' | 'f64'): Ref {
  switch (t) {
    case 'i32': return m.i32.const(0);
    case 'i64': return (m.i64.const as unknown as (v: bigint) => Ref)(0n);
    case 'f32': return m.f32.const(0);
    case 'f64': return m.f64.const(0);
  }
}

/** Edits at expression sites, in a fixed walk order: `count` sites, `apply(m, k, variant)`. */
const VARIANTS = 3; // 0: zero constant / nop / remove statement, 1: hoist the first same-typed operand, 2: hoist the second
function forEachSite(m: binaryen.Module, visit: (slot: Slot, child: Ref) => boolean): void {
  const walk = (e: Ref): boolean => {
    for (const s of slotsOf(e)) {
      const c = s.get();
      if (!c) continue;
      if (visit(s, c)) return true;
      if (walk(c)) return true;
    }
    return false;
  };
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const f = m.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(f);
    if (info.module) continue; // imported
    if (walk(info.body)) return;
  }
}

function countSites(wasm: Uint8Array): number {
  let n = 0;
  withModule(wasm, (m) => {
    forEachSite(m, () => (n++, false));
    return false;
  });
  return n;
}

function editSite(wasm: Uint8Array, k: number, variant: number): Uint8Array | undefined {
  return withModule(wasm, (m) => {
    const types = NUM_TYPES();
    let i = 0;
    let done = false;
    forEachSite(m, (slot, child) => {
      if (i++ !== k) return false;
      const t = binaryen.getExpressionType(child);
      const nt = types.get(t);
      if (variant === 0) {
        if (nt) {
          if (binaryen.getExpressionId(child) === binaryen.ConstId) return true; // already a constant
          slot.set(zeroOf(m, nt));
          done = true;
        } else if (t === binaryen.none) {
          if (binaryen.getExpressionId(child) === binaryen.NopId) return true;
          if (slot.remove) slot.remove();
          else slot.set(m.nop());
          done = true;
        }
        return true;
      }
      // Hoist: replace the child with one of its own operands of the same (concrete) type.
      if (!nt && t !== binaryen.none) return true;
      const same = slotsOf(child).map((s) => s.get()).filter((g) => g && binaryen.getExpressionType(g) === t);
      const pick = same[variant - 1];
      if (pick) {
        slot.set(pick);
        done = true;
      }
      return true;
    });
    return done;
  });
}

function functionCount(wasm: Uint8Array): number {
  let n = 0;
  withModule(wasm, (m) => {
    n = m.getNumFunctions();
    return false;
  });
  return n;
}

function bodyToUnreachable(wasm: Uint8Array, k: number): Uint8Array | undefined {
  return withModule(wasm, (m) => {
    const f = m.getFunctionByIndex(k);
    const info = binaryen.getFunctionInfo(f);
    if (info.module || binaryen.getExpressionId(info.body) === binaryen.UnreachableId) return false;
    if (info.name === STATE_FN) return false;
    B.Function.setBody(f, m.unreachable());
    return true;
  });
}

function exportNames(wasm: Uint8Array): string[] {
  const names: string[] = [];
  withModule(wasm, (m) => {
    for (let i = 0; i < m.getNumExports(); i++) names.push(binaryen.getExportInfo(m.getExportByIndex(i)).name);
    return false;
  });
  return names;
}

function removeExport(wasm: Uint8Array, name: string): Uint8Array | undefined {
  return withModule(wasm, (m) => (m.removeExport(name), true));
}

const PASSES: string[][] = [
  ['remove-unused-module-elements'],
  ['dce', 'vacuum'],
  ['simplify-locals', 'vacuum'],
  ['merge-blocks', 'remove-unused-brs'],
  ['precompute', 'vacuum'],
  ['inlining-optimizing'],
  ['O1'],
  ['O3'],
  ['remove-unused-names', 'reorder-locals', 'coalesce-locals'],
];

function runPasses(wasm: Uint8Array, passes: string[]): Uint8Array | undefined {
  return withModule(wasm, (m) => (m.runPasses(passes), true));
}

// ---------------------------------------------------------------- data segments (byte level)

function leb(bytes: Uint8Array, p: number): [number, number] {
  let v = 0, shift = 0, b: number;
  do {
    b = bytes[p++]!;
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [v, p];
}
function encLeb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** Each data segment's payload [start, end) in the module bytes, and the data section's extent. */
function dataSegments(wasm: Uint8Array): { section: [number, number, number]; payloads: [number, number][] } | undefined {
  let p = 8;
  while (p < wasm.length) {
    const id = wasm[p]!;
    const [size, body] = leb(wasm, p + 1);
    if (id === 11) {
      let q = body;
      const [n, q1] = leb(wasm, q);
      q = q1;
      const payloads: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const [flag, q2] = leb(wasm, q);
        q = q2;
        if (flag === 2) q = leb(wasm, q)[1];
        if (flag !== 1) {
          // The offset: one i32.const / i64.const / global.get, then end.
          const op = wasm[q++]!;
          if (op !== 0x41 && op !== 0x42 && op !== 0x23) return undefined;
          q = leb(wasm, q)[1];
          if (wasm[q++] !== 0x0b) return undefined;
        }
        const [len, q3] = leb(wasm, q);
        payloads.push([q3, q3 + len]);
        q = q3 + len;
      }
      return { section: [p, body, body + size], payloads };
    }
    p = body + size;
  }
  return undefined;
}

/** Segment k's payload cut to `keep` bytes (0 = empty). */
function shrinkData(wasm: Uint8Array, k: number, keep: number): Uint8Array | undefined {
  const d = dataSegments(wasm);
  if (!d || k >= d.payloads.length) return undefined;
  const [start, end] = d.payloads[k]!;
  if (end - start <= keep) return undefined;
  // The length prefix sits right before `start`: rebuild the section with the new length.
  let lenStart = start - 1;
  while (lenStart > 0 && wasm[lenStart - 1]! & 0x80) lenStart--;
  const before = Array.from(wasm.subarray(d.section[1], lenStart));
  const after = Array.from(wasm.subarray(end, d.section[2]));
  const body = [...before, ...encLeb(keep), ...Array.from(wasm.subarray(start, start + keep)), ...after];
  const out = [...Array.from(wasm.subarray(0, d.section[0])), 11, ...encLeb(body.length), ...body, ...Array.from(wasm.subarray(d.section[2]))];
  return new Uint8Array(out);
}

// ---------------------------------------------------------------- the search

export interface ReduceOptions {
  /** Stop after this long (ms); the best case so far is returned. */
  budgetMs?: number;
  /** Candidates per engine run (one executable per group for native engines). */
  group?: number;
  log?: (s: string) => void;
}

export interface ReduceResult {
  c: FuzzCase;
  /** The oracle's outcomes for the reduced case. */
  expected: string[];
  mismatch: Mismatch;
  signature: string;
  tries: number;
  bytesBefore: number;
}

export async function reduceCase(c0: FuzzCase, engine: Engine, m0: Mismatch, opts: ReduceOptions = {}): Promise<ReduceResult> {
  const log = opts.log ?? (() => {});
  const deadline = Date.now() + (opts.budgetMs ?? 300_000);
  const group = opts.group ?? 16;
  const want = mismatchSignature(m0);
  let tries = 0;
  /** Oracle outcomes and mismatch of every candidate that still failed. */
  const failing = new WeakMap<FuzzCase, { expected: string[]; m: Mismatch }>();

  /** Index of the first candidate that still shows the mismatch at its last step. */
  const firstFailing = async (cands: FuzzCase[]): Promise<number> => {
    tries += cands.length;
    // The interpreter has no fuel and an edit can remove a loop's exit: only candidates that
    // finish quickly under V8 go on to the oracle (a group that times out is dropped as a whole).
    let quick = await QUICK_V8.run(cands);
    if (cands.length > 1 && quick.every((o) => o.some((x) => x.startsWith('crash:v8 child')))) {
      quick = [];
      for (const c of cands) quick.push((await QUICK_V8.run([c]))[0]!); // one of them hangs: find which
    }
    const done = cands.filter((_, i) => !quick[i]!.some((x) => x.startsWith('crash:')));
    if (done.length === 0) return -1;
    const oracleDone = await interpEngine.run(done);
    const oracle = cands.map((c) => {
      const k = done.indexOf(c);
      return k >= 0 ? oracleDone[k]! : ['crash:timeout'];
    });
    const sane = cands.map((c, i) => {
      const o = oracle[i]!;
      return o[0] === 'ok' && !o.some((x) => isExhaustion(x) || x.startsWith('crash:'));
    });
    const run = cands.filter((_, i) => sane[i]);
    if (run.length === 0) return -1;
    const got = await engine.run(run);
    let j = 0;
    for (let i = 0; i < cands.length; i++) {
      if (!sane[i]) continue;
      const g = got[j++]!;
      const c = cands[i]!;
      const m = firstMismatch(c, engine.name, oracle[i]!, g, engine.coarseTraps);
      if (m && m.step === c.steps.length - 1 && mismatchSignature(m) === want) {
        failing.set(c, { expected: oracle[i]!, m });
        return i;
      }
    }
    return -1;
  };

  /** Try candidates (produced lazily) in groups; returns the first that fails, or undefined. */
  const tryAll = async (gen: Iterable<FuzzCase | undefined>): Promise<FuzzCase | undefined> => {
    let batch: FuzzCase[] = [];
    for (const c of gen) {
      if (Date.now() > deadline) return undefined;
      if (c) batch.push(c);
      if (batch.length >= group) {
        const k = await firstFailing(batch);
        if (k >= 0) return batch[k];
        batch = [];
      }
    }
    if (batch.length) {
      const k = await firstFailing(batch);
      if (k >= 0) return batch[k];
    }
    return undefined;
  };

  // The failing step last; nothing after it.
  let cur = deriveCase(c0, c0.wasm, c0.steps.slice(0, m0.step + 1)) ?? { ...c0, steps: c0.steps.slice(0, m0.step + 1) };
  if ((await firstFailing([cur])) < 0) {
    cur = c0; // the truncated plan no longer fails: keep the whole case as it is
    failing.set(c0, { expected: (await interpEngine.run([c0]))[0]!, m: m0 });
  }
  const bytesBefore = c0.wasm.length;
  const size = (c: FuzzCase): number => c.wasm.length + 16 * c.steps.length;

  const families: [string, (c: FuzzCase) => Iterable<FuzzCase | undefined>][] = [
    ['plan', function* (c) {
      for (let chunk = Math.max(1, (c.steps.length - 2) >> 1); chunk >= 1; chunk >>= 1)
        for (let i = 1; i + chunk < c.steps.length; i += chunk) yield { ...c, steps: [...c.steps.slice(0, i), ...c.steps.slice(i + chunk)] };
    }],
    ['exports', function* (c) {
      const last = c.steps[c.steps.length - 1]!;
      // First all at once (all but the failing call's export and the state probe), then one by one.
      if (last.kind === 'call') {
        let w: Uint8Array | undefined = c.wasm;
        for (const name of exportNames(c.wasm)) if (w && name !== last.name && name !== STATE_FN) w = removeExport(w, name);
        if (w) yield deriveCase(c, w, c.steps);
      }
      for (const name of exportNames(c.wasm)) {
        if (last.kind === 'call' && last.name === name) continue;
        const w = removeExport(c.wasm, name);
        if (w) yield deriveCase(c, w, c.steps);
      }
    }],
    ['passes', function* (c) {
      for (const p of PASSES) {
        const w = runPasses(c.wasm, p);
        if (w && w.length < c.wasm.length) yield deriveCase(c, w, c.steps);
      }
    }],
    ['bodies', function* (c) {
      const n = functionCount(c.wasm);
      for (let k = 0; k < n; k++) {
        const w = bodyToUnreachable(c.wasm, k);
        if (w) yield deriveCase(c, w, c.steps);
      }
    }],
    ['data', function* (c) {
      const d = dataSegments(c.wasm);
      for (let k = 0; k < (d?.payloads.length ?? 0); k++) {
        const [s, e] = d!.payloads[k]!;
        for (const keep of [0, (e - s) >> 1]) {
          const w = shrinkData(c.wasm, k, keep);
          if (w) yield deriveCase(c, w, c.steps);
        }
      }
    }],
    ['exprs', function* (c) {
      const n = countSites(c.wasm);
      for (let k = 0; k < n; k++)
        for (let v = 0; v < VARIANTS; v++) {
          const w = editSite(c.wasm, k, v);
          if (w && w.length <= c.wasm.length) yield deriveCase(c, w, c.steps);
        }
    }],
  ];

  let progress = true;
  for (let round = 0; progress && Date.now() < deadline; round++) {
    progress = false;
    for (const [name, gen] of families) {
      // Within a family: keep taking the first failing candidate until none fails.
      for (;;) {
        const next = await tryAll(gen(cur));
        if (!next || size(next) >= size(cur)) break;
        log(`reduce ${c0.id} ${engine.name}: ${name} → ${next.wasm.length} bytes, ${next.steps.length} steps`);
        cur = next;
        progress = true;
      }
    }
  }
  const f = failing.get(cur)!;
  return { c: cur, expected: f.expected, mismatch: f.m, signature: want, tries, bytesBefore };
}

/** Writes a reduced case as <dir>/<name>.wasm (+ .helper.wasm) and <name>.json (the regression format). */
export function writeRegression(dir: string, name: string, r: ReduceResult, engines: string[], note?: string): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, name);
  writeFileSync(`${base}.wasm`, r.c.wasm);
  if (r.c.helper) writeFileSync(`${base}.helper.wasm`, r.c.helper);
  const last = r.c.steps[r.c.steps.length - 1]!;
  const json = {
    note,
    engines,
    found: { engine: r.mismatch.engine, step: r.mismatch.step, expected: r.mismatch.expected, got: r.mismatch.got, signature: r.signature },
    export: last.kind === 'call' ? last.name : undefined,
    args: last.kind === 'call' ? last.args.map(driverArg) : undefined,
    sigs: r.c.sigs,
    globals: r.c.globals,
    hasStateFn: r.c.hasStateFn,
    helper: r.c.helper !== undefined,
    steps: r.c.steps.map((s) => (s.kind === 'call' ? { kind: 'call', name: s.name, args: s.args.map(driverArg) } : s)),
    expected: r.expected,
  };
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 1) + '\n');
  return `${base}.wasm`;
}

/** Every binary operator `from` turned into `to` (tests inject a "miscompile" with it), with how many were changed. */
export function rewriteBinaryOps(wasm: Uint8Array, from: number, to: number): { wasm: Uint8Array; changed: number } {
  let changed = 0;
  const out = withModule(wasm, (m) => {
    const walk = (e: Ref): void => {
      if (binaryen.getExpressionId(e) === binaryen.BinaryId && B.Binary.getOp(e) === from) {
        B.Binary.setOp(e, to);
        changed++;
      }
      for (const s of slotsOf(e)) {
        const c = s.get();
        if (c) walk(c);
      }
    };
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (!info.module) walk(info.body);
    }
    return true;
  });
  return { wasm: out ?? wasm, changed };
}
