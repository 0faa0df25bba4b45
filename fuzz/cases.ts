/** Building fuzz cases (module + plan) from a seeded generator. */
import { loadModule } from '../src/frontend/validate.js';
import { translateDecls } from '../src/frontend/translate.js';
import type { FuncType, Type } from '../src/ir/types.js';
import { addStateProbe, translateToFuzz } from './binaryen.js';
import { timed } from './engines.js';
import { buildHelper } from './helper.js';
import { STATE_FN, type Arg, type FuzzCase, type Step } from './outcome.js';
import { Rng } from './rng.js';
import { EDGES, generateShapes } from './shapes.js';

const NUM = new Set<Type>(['i32', 'i64', 'f32', 'f64']);

function randomArg(rng: Rng, t: Type): Arg {
  if (!NUM.has(t)) return { type: t, bits: 0n };
  const edges = EDGES[t as 'i32'];
  if (rng.bool(0.6)) return { type: t, bits: rng.pick(edges) };
  const wide = t === 'i64' || t === 'f64';
  let bits = wide ? rng.u64() : BigInt(rng.u32());
  if (rng.bool(0.3)) bits = BigInt(rng.int(1 << rng.int(20))); // small values
  return { type: t, bits };
}

/** The plan: instantiate; per export, `calls` argument vectors then a state observation. */
export function makePlan(rng: Rng, sigs: Record<string, FuncType>, calls: number, statePerExport: boolean): Step[] {
  const steps: Step[] = [{ kind: 'inst' }];
  for (const [name, sig] of Object.entries(sigs)) {
    if (name === STATE_FN) continue;
    for (let k = 0; k < calls; k++) steps.push({ kind: 'call', name, args: sig.params.map((t) => randomArg(rng, t)) });
    if (statePerExport) steps.push({ kind: 'state' });
  }
  if (!statePerExport) steps.push({ kind: 'state' });
  return steps;
}

function callable(t: FuncType): boolean {
  return t.params.every((p) => NUM.has(p)) && t.results.every((r) => NUM.has(r)) && t.params.length <= 60 && t.results.length <= 60;
}

export async function binaryenCase(rng: Rng, id: string): Promise<FuzzCase | { skip: string }> {
  // Mostly mid-sized modules (below ~400 input bytes -ttf makes little more than wrappers; compile and
  // link cost grow with size), sometimes large ones.
  const raw = await translateToFuzz(rng.bytes(rng.bool(0.8) ? rng.range(400, 3000) : rng.range(3000, 8000)));
  return timed('generate', () => binaryenCaseFrom(rng, id, raw));
}

function binaryenCaseFrom(rng: Rng, id: string, raw: Uint8Array): FuzzCase | { skip: string } {
  const probed = addStateProbe(raw);
  const v = loadModule(probed.wasm);
  if (!v.ok) return { skip: `kiln rejects the module: ${v.error.message}` };
  const decls = translateDecls(v.value);
  const helper = buildHelper(decls);
  if (helper && 'unsupported' in helper) return { skip: helper.unsupported };
  const sigs: Record<string, FuncType> = {};
  for (const e of decls.exports) {
    if (e.kind !== 'func') continue;
    const t = decls.types[decls.funcs[e.index]!.typeIndex]!;
    if (callable(t)) sigs[e.name] = t;
  }
  return { id, wasm: probed.wasm, steps: makePlan(rng, sigs, 3, false), sigs, globals: probed.globals, hasStateFn: probed.hasStateFn, helper: helper?.wasm };
}

export function shapesCase(rng: Rng, id: string): FuzzCase {
  const s = generateShapes(rng);
  const sigs = { ...s.sigs, [STATE_FN]: { params: [], results: ['i64'] } as FuncType };
  const steps = makePlan(rng, s.sigs, 6, true);
  return { id, wasm: s.wasm, steps, sigs, globals: s.globals, hasStateFn: true };
}
