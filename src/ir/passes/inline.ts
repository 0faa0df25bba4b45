/**
 * inline: replace direct calls to small, non-recursive functions by a copy of their body.
 *
 * Determinism (functions are optimised in parallel, in any order): what gets inlined and
 * what is copied depend only on the callee's IR *as translated*, put through a fixed cheap
 * pipeline (fold, simplify-cfg, dce) by `InlineCallees` — never on a body another
 * worker may be optimising, or has optimised already. The driver provides the translated
 * bodies (`InlineCallees`'s fetch); the pass reads them and never changes them.
 *
 * Which calls: `call func=k` where k is a defined function other than the caller, whose
 * prepared body has at most MAX_CALLEE_SIZE instructions (constants and branches not
 * counted) and does not call itself. Calls inside inlined code are considered too, up to
 * MAX_DEPTH levels and never back into a function already on the inlining chain, so
 * mutual recursion unrolls a bounded number of times at most. A small self-recursive
 * function is inlined into itself only, one level (fib's calls halve; the copy's own
 * self-calls stay calls). Each caller may grow by BUDGET_BASE + half its own size; call
 * sites are taken in layout order.
 *
 * The copy: the call's block is split after the call (the rest moves to a new block whose
 * params are the call's results); the callee's entry block reads the call's arguments
 * directly; each `return vals` becomes `br rest(vals)`. Traps inside the copy are the
 * same ops with the same codes, so a trap reports what it reported before; the only
 * visible difference is stack depth (an inlined call has no frame and no stack check).
 */
import type { Block, Func, Value } from '../func.js';
import type { IrModule } from '../module.js';
import { Op, OPS } from '../opcodes.js';
import type { Imm, Type } from '../types.js';
import { dce } from './dce.js';
import { fold } from './fold.js';
import { AnalysisCache, type Pass, type PassContext } from './pass.js';
import { simplifyCfg } from './simplify-cfg.js';

/** Largest callee inlined, in instructions (constants and branches not counted). */
export const MAX_CALLEE_SIZE = 30;
/** A translated body larger than this is not even prepared (the cheap pipeline rarely shrinks it enough). */
const MAX_PREPARED_SIZE = 4 * MAX_CALLEE_SIZE;
/** Drivers need not translate a Wasm body longer than this to find it too big (bytes). */
export const MAX_INLINE_BODY_BYTES = 400;
/** Inlining inside inlined code, at most this deep. */
const MAX_DEPTH = 3;
/** Growth allowed per caller: this many instructions plus half the caller's size. */
const BUDGET_BASE = 120;

const I32_CONST_KIND = 'const';

/** 1 for the ops inlineSize counts. */
const COSTS: Uint8Array = Uint8Array.from(OPS, (info) => (info.kind === I32_CONST_KIND || info.code === Op.br ? 0 : 1));

/** Instructions that cost code: not constants (rematerialised) and not plain branches. */
export function inlineSize(f: Func): number {
  let n = 0;
  for (const b of f.layout) {
    const insts = f.blocks[b]!.insts;
    for (let k = 0; k < insts.length; k++) n += COSTS[f.insts[insts[k]!]!.op]!;
  }
  return n;
}

export interface InlineCandidate {
  readonly body: Func;
  readonly size: number;
  /** The body calls its own function: only ever inlined into itself, one level deep. */
  readonly recursive: boolean;
}

/**
 * Prepared callees, cached by function index. `fetch(k)` returns function k's body as
 * translated (a fresh or untouched one: it is cloned before anything changes it), or
 * undefined for imports and functions that must not be inlined.
 */
export class InlineCallees {
  private readonly cache = new Map<number, InlineCandidate | null>();
  constructor(private readonly fetch: (funcIndex: number) => Func | undefined) {}

  /**
   * A source over the bodies `m` holds now. Small bodies are copied at once, so later
   * in-place optimisation of `m` (in any order) does not change what gets inlined.
   */
  static snapshot(m: IrModule): InlineCallees {
    const copies = new Map<number, Func>();
    m.funcs.forEach((d, k) => {
      if (d.body && !d.import && inlineSize(d.body) <= MAX_PREPARED_SIZE) copies.set(k, d.body.clone());
    });
    return new InlineCallees((k) => copies.get(k));
  }

  get(funcIndex: number): InlineCandidate | undefined {
    let c = this.cache.get(funcIndex);
    if (c === undefined) {
      c = prepare(funcIndex, this.fetch(funcIndex)) ?? null;
      this.cache.set(funcIndex, c);
    }
    return c ?? undefined;
  }
}

function prepare(funcIndex: number, translated: Func | undefined): InlineCandidate | undefined {
  if (!translated || inlineSize(translated) > MAX_PREPARED_SIZE) return undefined;
  const body = translated.clone();
  const ctx = new AnalysisCache();
  for (const p of [fold, simplifyCfg, dce]) if (p.run(body, ctx)) ctx.invalidate(body, p);
  const size = inlineSize(body);
  if (size > MAX_CALLEE_SIZE) return undefined;
  let recursive = false;
  for (const i of body.allInsts()) {
    const d = body.inst(i);
    if (d.op === Op.call && d.imms[0] === funcIndex) recursive = true;
  }
  return { body, size, recursive };
}

const copyImm = (x: Imm): Imm => (x instanceof Uint8Array ? x.slice() : x);
const NO_TYPES: readonly Type[] = [];

/**
 * Inline eligible calls of `f` (function `self` of the module) from `callees`. Returns
 * whether anything was inlined.
 */
export function inlineCalls(f: Func, self: number | undefined, callees: InlineCallees): boolean {
  let budget = BUDGET_BASE + (inlineSize(f) >> 1);
  // The inlining chain that produced each block (absent: the caller's own code).
  const chain = new Map<Block, readonly number[]>();
  const subst = new Map<Value, Value>();
  const resolve = (v: Value): Value => {
    let r = v;
    for (let x = subst.get(r); x !== undefined; x = subst.get(r)) r = x;
    return r;
  };
  let changed = false;
  // Blocks still to scan; inlined blocks and split-off remainders are appended.
  const work = [...f.layout];
  for (let w = 0; w < work.length; w++) {
    const b = work[w]!;
    const from = chain.get(b) ?? [];
    const insts = f.block(b).insts;
    for (let p = 0; p < insts.length; p++) {
      const i = insts[p]!;
      const d = f.inst(i);
      if (d.op !== Op.call) continue;
      const k = d.imms[0] as number;
      if (from.includes(k) || from.length >= MAX_DEPTH) continue;
      const c = callees.get(k);
      if (!c || c.size > budget) continue;
      // A recursive function is inlined only into itself (one level: the copy's own
      // self-calls have it on their chain), halving the calls of fib-like recursion.
      if (c.recursive !== (k === self)) continue;
      budget -= c.size;
      changed = true;
      const rest = inlineAt(f, b, p, c.body, resolve, subst);
      const inner = [...from, k];
      for (const nb of rest.inlined) {
        chain.set(nb, inner);
        work.push(nb);
      }
      if (from.length > 0) chain.set(rest.after, from);
      work.push(rest.after);
      break; // the rest of `b` moved to `rest.after`, scanned later
    }
  }
  if (changed) f.replaceUses(subst);
  return changed;
}

/**
 * Inline `callee` at instruction position `p` of block `b`. Returns the copied blocks and
 * the block holding what followed the call.
 */
function inlineAt(f: Func, b: Block, p: number, callee: Func, resolve: (v: Value) => Value, subst: Map<Value, Value>): { inlined: Block[]; after: Block } {
  const bd = f.block(b);
  const call = bd.insts[p]!;
  const cd = f.inst(call);
  const args = cd.args.map(resolve);
  const firstNew = f.blocks.length;

  // The continuation: params are the call's results; the instructions after the call move.
  const after = f.createBlock(cd.results.map((r) => f.valueType(r)));
  cd.results.forEach((r, k) => subst.set(r, f.block(after).params[k]!));
  const tail = bd.insts.slice(p + 1);
  bd.insts = bd.insts.slice(0, p + 1);
  f.block(after).insts = tail;
  for (const i of tail) f.inst(i).block = after;
  f.removeInst(call);

  // Blocks and params of the copy; the callee's entry params are the call's arguments.
  const vmap = new Int32Array(callee.values.length).fill(-1);
  const bmap = new Map<Block, Block>();
  const inlined: Block[] = [];
  for (const cb of callee.layout) {
    const nb = f.createBlock();
    bmap.set(cb, nb);
    inlined.push(nb);
    callee.block(cb).params.forEach((v, k) => {
      vmap[v] = cb === callee.entry ? args[k]! : f.addBlockParam(nb, callee.valueType(v));
    });
  }
  // Instructions, then their operands (a use may come before its definition in layout order).
  const copies: [number, number][] = [];
  for (const cb of callee.layout) {
    const nb = bmap.get(cb)!;
    for (const ci of callee.block(cb).insts) {
      const s = callee.inst(ci);
      let ni: number;
      if (s.op === Op.return) ni = f.createOwned(Op.br, [], [], NO_TYPES, []);
      else {
        const types: Type[] = [];
        for (const r of s.results) types.push(callee.valueType(r));
        ni = f.createOwned(s.op, [], s.imms.map(copyImm), types, []);
      }
      f.inst(ni).results.forEach((r, k) => (vmap[s.results[k]!] = r));
      f.appendInst(nb, ni);
      copies.push([ci, ni]);
    }
  }
  const mapV = (v: Value): Value => {
    const m = vmap[v]!;
    if (m < 0) throw new Error(`inline: ${callee.name}: value v${v} has no definition`);
    return m;
  };
  for (const [ci, ni] of copies) {
    const s = callee.inst(ci);
    const nd = f.inst(ni);
    if (s.op === Op.return) {
      nd.targets = [{ block: after, args: s.args.map(mapV) }];
      continue;
    }
    nd.args = s.args.map(mapV);
    nd.targets = s.targets.map((t) => ({ block: bmap.get(t.block)!, args: t.args.map(mapV) }));
  }
  f.appendInst(b, f.createInst(Op.br, [], [], [], [{ block: bmap.get(callee.entry)!, args: [] }]));

  // Layout: the copy right after `b`, then the continuation.
  const fresh = new Set<Block>();
  for (let x = firstNew; x < f.blocks.length; x++) fresh.add(x);
  const order = f.layout.filter((x) => !fresh.has(x));
  order.splice(order.indexOf(b) + 1, 0, ...inlined, after);
  f.layout = order;
  return { inlined, after };
}

export const inline: Pass = {
  name: 'inline',
  description: 'inline direct calls to small non-recursive functions (bodies as translated)',
  needs: [],
  preserves: [],
  run(f: Func, ctx: PassContext): boolean {
    if (!ctx.callees) return false;
    return inlineCalls(f, ctx.funcIndex, ctx.callees);
  },
};
