/**
 * The engines a fuzz case runs on. Each turns a batch of cases into one outcome string per
 * step (outcome.ts). Native engines compile every case of the batch into one executable
 * with the runtime's spec driver (one link per batch) and drive it with a command file;
 * V8 runs the batch in one child node process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadModule } from '../src/frontend/validate.js';
import { translateModule } from '../src/frontend/translate.js';
import { CompileError, compileModule, type BoundsMode } from '../src/backend/compile.js';
import { Store, Trap, LinkError, globalValue, instantiate, invoke, type Instance, type Val } from '../src/ir/interp.js';
import type { IrModule } from '../src/ir/module.js';
import type { Type } from '../src/ir/types.js';
import type { KilnTarget } from '../toolchain/cc.js';
import { linkExecutable } from '../toolchain/link.js';
import { buildRuntime } from '../toolchain/runtime.js';
import { runExecutable } from '../qemu/run.js';
import { HELPER_MODULE } from './helper.js';
import { STATE_FN, V8_TRAPS, driverArg, formatValue, stateHash, type FuzzCase, type Step } from './outcome.js';

/** Milliseconds spent per phase (engine name and phase: `x64-O2-guard compile`, `v8`, …), for `--profile`. */
export const clock = new Map<string, number>();
export const wallClock = new Map<string, number>();
/** In-process work: CPU time of this process (the machine is shared, wall time would mislead). */
export function timed<T>(key: string, f: () => T): T {
  const t0 = process.cpuUsage();
  try {
    return f();
  } finally {
    const d = process.cpuUsage(t0);
    clock.set(key, (clock.get(key) ?? 0) + (d.user + d.system) / 1000);
  }
}
/** CPU seconds of this process's waited-for children (/proc: utime+stime of children, in ticks of 10 ms). */
function childCpuMs(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[13]) + Number(rest[14])) * 10;
  } catch {
    return 0;
  }
}

/** Child processes (link, run, V8): the children's CPU time (key) and wall time (key + " wall"). */
export async function timedAsync<T>(key: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const c0 = childCpuMs();
  try {
    return await f();
  } finally {
    clock.set(key, (clock.get(key) ?? 0) + childCpuMs() - c0);
    wallClock.set(key, (wallClock.get(key) ?? 0) + performance.now() - t0);
  }
}

export interface Engine {
  name: string;
  /** Compare trap classes only (V8 merges some of the spec's traps). */
  coarseTraps: boolean;
  run(cases: FuzzCase[]): Promise<string[][]>;
}

// ---------------------------------------------------------------- interpreter (the oracle)

/** Decode + validate once per module bytes, shared by every engine of a batch (translation is per use: passes mutate the IR). */
const validatedCache = new WeakMap<Uint8Array, ReturnType<typeof loadModule>>();
function validated(bytes: Uint8Array): ReturnType<typeof loadModule> {
  let v = validatedCache.get(bytes);
  if (!v) {
    v = loadModule(bytes);
    validatedCache.set(bytes, v);
  }
  return v;
}

function loadIr(bytes: Uint8Array): IrModule {
  const v = validated(bytes);
  if (!v.ok) throw new Error(`invalid module: ${v.error.message}`);
  const t = translateModule(v.value);
  if (!t.ok) throw new Error(`translation failed: ${t.error.message}`);
  return t.value;
}

function toVal(type: Type, bits: bigint): Val {
  switch (type) {
    case 'i32': return Number(BigInt.asIntN(32, bits));
    case 'i64': return BigInt.asIntN(64, bits);
    case 'f32': return Number(BigInt.asUintN(32, bits));
    case 'f64': return BigInt.asUintN(64, bits);
    default: return null;
  }
}

function fromVal(type: Type, v: Val): string {
  switch (type) {
    case 'i32':
    case 'f32':
      return formatValue(type, BigInt(v as number));
    case 'i64':
    case 'f64':
      return formatValue(type, v as bigint);
    case 'funcref':
    case 'externref':
      return formatValue(type, v === null ? 0n : 1n);
    default:
      return `${type}:?`;
  }
}

function interpError(e: unknown): string {
  if (e instanceof Trap) return `trap:${e.message}`;
  if (e instanceof LinkError) return `linkerror`;
  if (e instanceof RangeError) return 'exhausted';
  return `crash:${e instanceof Error ? e.message : String(e)}`;
}

/** Run `__fuzz_state` in the interpreter instead of hashing in JS (tests of the probe). */
let interpStateFn = false;
export function setInterpStateFn(on: boolean): void {
  interpStateFn = on;
}

export function runCaseInterp(c: FuzzCase): string[] {
  const out: string[] = [];
  // 5000 frames: above the shapes generator's bounded recursion (< 4096), and exhaustion is cheap to reach.
  const store = new Store({ stackWords: 1 << 20, maxDepth: 5000 });
  let inst: Instance | undefined;
  let helper: Instance | undefined;
  for (const step of c.steps) {
    if (step.kind === 'inst') {
      try {
        if (c.helper) helper = instantiate(store, loadIr(c.helper), () => undefined);
        const h = helper;
        inst = instantiate(store, loadIr(c.wasm), (mod, name) => (mod === HELPER_MODULE && h ? h.exports.get(name) : undefined));
        out.push('ok');
      } catch (e) {
        out.push(interpError(e));
      }
      continue;
    }
    if (!inst) {
      out.push('noinst');
      continue;
    }
    try {
      if (step.kind === 'call') {
        const e = inst.exports.get(step.name);
        if (!e || e.kind !== 'func') throw new Error(`no export ${step.name}`);
        const sig = c.sigs[step.name]!;
        const r = invoke(store, e.value, step.args.map((a) => toVal(a.type, a.bits)));
        out.push(r.length ? r.map((v, k) => fromVal(sig.results[k]!, v)).join(' ') : 'ok');
      } else {
        const parts: string[] = [];
        if (c.hasStateFn) {
          const e = inst.exports.get(STATE_FN);
          if (!e || e.kind !== 'func') throw new Error('no state function');
          // The probe's hash computed here over the interpreter's memory (the same function as
          // the module's __fuzz_state, which the other engines run; test/fuzz checks they agree).
          const mem = inst.memories[0];
          parts.push(fromVal('i64', interpStateFn || !mem ? invoke(store, e.value, [])[0]! : BigInt.asIntN(64, stateHash(mem.u8))));
        }
        for (const g of c.globals) {
          const e = inst.exports.get(g.name);
          if (!e || e.kind !== 'global') throw new Error(`no global ${g.name}`);
          parts.push(fromVal(g.type, globalValue(store, e.value)));
        }
        if (helper) {
          const e = helper.exports.get('hash');
          if (e?.kind === 'global') parts.push(fromVal('i64', globalValue(store, e.value)));
        }
        out.push(`state ${parts.join(' ')}`);
      }
    } catch (e) {
      out.push(interpError(e));
    }
  }
  return out;
}

export const interpEngine: Engine = {
  name: 'interp',
  coarseTraps: false,
  run: async (cases) => timed('interp', () => cases.map(runCaseInterp)),
};

// ---------------------------------------------------------------- kiln native (spec driver)

export interface NativeConfig {
  target: KilnTarget;
  optLevel: 0 | 1 | 2;
  bounds: BoundsMode;
}

export function nativeName(c: NativeConfig): string {
  return `${c.target === 'x86_64' ? 'x64' : 'a64'}-O${c.optLevel}-${c.bounds}`;
}

function quote(s: string): string {
  let out = '"';
  for (const b of new TextEncoder().encode(s)) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** Driver lines for one step, and how to fold the driver's answers into the step's outcome. */
function stepLines(c: FuzzCase, step: Step, label: string, helperLabel: string | undefined): string[] {
  if (step.kind === 'call') return [`invoke ${label} ${quote(step.name)}${step.args.length ? ' ' + step.args.map(driverArg).join(' ') : ''}`];
  if (step.kind === 'state') {
    const lines: string[] = [];
    if (c.hasStateFn) lines.push(`invoke ${label} ${quote(STATE_FN)}`);
    for (const g of c.globals) lines.push(`get ${label} ${quote(g.name)}`);
    if (helperLabel) lines.push(`get ${helperLabel} "hash"`);
    return lines;
  }
  return [];
}

function driverOutcome(status: string, rest: string): string {
  if (status === 'result') return rest === '' ? 'ok' : rest;
  if (status === 'pass') return 'ok';
  let m = /^trap: (.*)$/.exec(rest);
  if (m) return `trap:${m[1]}`;
  m = /^instantiation trapped: (.*)$/.exec(rest);
  if (m) return `trap:${m[1]}`;
  if (rest.startsWith('instantiation failed')) return 'linkerror';
  if (rest.startsWith('unknown instance')) return 'noinst';
  return `driver-fail:${rest}`;
}

export function nativeEngine(cfg: NativeConfig): Engine {
  const name = nativeName(cfg);
  return {
    name,
    coarseTraps: false,
    async run(cases) {
      const work = mkdtempSync(join(tmpdir(), 'kiln-fuzz-'));
      try {
        const outcomes: string[][] = cases.map((c) => c.steps.map(() => 'not-run'));
        const objects: string[] = [];
        const symbols: string[] = [];
        const add = (bytes: Uint8Array): number => {
          const v = validated(bytes);
          if (!v.ok) throw new CompileError(`invalid: ${v.error.message}`);
          const k = symbols.length;
          const symbol = `kiln_module_${k}`;
          const { object } = timed(`${name} compile`, () => compileModule(v.value, { target: cfg.target, optLevel: cfg.optLevel, bounds: cfg.bounds, moduleSymbol: symbol }));
          const p = join(work, `m${k}.o`);
          writeFileSync(p, object);
          objects.push(p);
          symbols.push(symbol);
          return k;
        };
        // Per case: its command lines, each tagged with the step it answers.
        const plans: { lines: string[]; steps: number[] }[] = [];
        cases.forEach((c, ci) => {
          const plan = { lines: [] as string[], steps: [] as number[] };
          plans.push(plan);
          let k: number, hk: number | undefined;
          try {
            hk = c.helper ? add(c.helper) : undefined;
            k = add(c.wasm);
          } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            outcomes[ci] = c.steps.map((_, i) => (i === 0 ? `compile-error:${msg.slice(0, 200)}` : 'noinst'));
            return;
          }
          const label = `$c${ci}`;
          const hl = hk !== undefined ? `$h${ci}` : undefined;
          if (hk !== undefined) {
            plan.lines.push(`module ${hk} ${hl}`, `register "${HELPER_MODULE}" ${hl}`);
            plan.steps.push(-1, -1);
          }
          c.steps.forEach((s, si) => {
            if (s.kind === 'inst') {
              plan.lines.push(`module ${k} ${label}`);
              plan.steps.push(si);
            } else {
              for (const l of stepLines(c, s, label, hl)) {
                plan.lines.push(l);
                plan.steps.push(si);
              }
            }
          });
        });
        if (symbols.length === 0) return outcomes;
        const exe = join(work, 'fuzz.exe');
        await timedAsync(`${name} link`, async () => linkExecutable({ target: cfg.target, objects, output: exe, entry: 'spec', modules: symbols, runtime: await buildRuntime(cfg.target) }));
        // Run; if the process dies, the case it died in is a crash and the rest run again.
        let from = 0;
        while (from < cases.length) {
          const lines: string[] = [];
          const where: { ci: number; si: number }[] = [];
          for (let ci = from; ci < cases.length; ci++) {
            plans[ci]!.lines.forEach((l, j) => {
              lines.push(l);
              where.push({ ci, si: plans[ci]!.steps[j]! });
            });
          }
          if (lines.length === 0) break;
          const file = join(work, `cmds${from}.txt`);
          writeFileSync(file, lines.join('\n') + '\n');
          const r = await timedAsync(`${name} run`, () => runExecutable(cfg.target, exe, [file], { timeoutMs: cfg.target === 'x86_64' ? 60_000 : 180_000 }));
          const answers = new Map<number, string>();
          const parts = new Map<string, string[]>();
          for (const l of r.stdout.split('\n')) {
            const m = /^(\d+) (pass|fail|result)(?: (.*))?$/.exec(l);
            if (m) answers.set(Number(m[1]) - 1, driverOutcome(m[2]!, m[3] ?? ''));
          }
          let died = -1;
          for (let j = 0; j < where.length; j++) {
            const w = where[j]!;
            const a = answers.get(j);
            if (a === undefined) {
              died = j;
              break;
            }
            if (w.si < 0) continue;
            const key = `${w.ci}:${w.si}`;
            (parts.get(key) ?? parts.set(key, []).get(key)!).push(a);
          }
          for (const [key, vals] of parts) {
            const [ci, si] = key.split(':').map(Number) as [number, number];
            const c = cases[ci]!;
            const s = c.steps[si]!;
            const bad = vals.find((v) => v === 'noinst' || v.startsWith('trap:') || v.startsWith('driver-fail'));
            outcomes[ci]![si] = s.kind === 'state' ? (bad ?? `state ${vals.join(' ')}`) : vals[0]!;
          }
          if (died < 0) break;
          const dead = where[died]!;
          const why = r.timedOut ? 'timeout' : r.signal ? r.signal : `exit ${r.exitCode}`;
          const c = cases[dead.ci]!;
          for (let si = Math.max(dead.si, 0); si < c.steps.length; si++) outcomes[dead.ci]![si] = `crash:${why} ${r.stderr.trim().split('\n').slice(-1)[0]?.slice(0, 160) ?? ''}`;
          from = dead.ci + 1;
        }
        return outcomes;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------- V8 (a child node process)

const V8_CHILD = `
const traps = ${JSON.stringify(V8_TRAPS.map(([re, c]) => [re.source, c]))}.map(([s, c]) => [new RegExp(s), c]);
const fmt = (t, v) => {
  const hx = (b, w) => '0x' + BigInt.asUintN(w, b).toString(16).padStart(w / 4, '0');
  if (t === 'i32') return 'i32:' + hx(BigInt(v), 32);
  if (t === 'i64') return 'i64:' + hx(v, 64);
  if (t === 'f32') { if (Number.isNaN(v)) return 'f32:nan'; const d = new DataView(new ArrayBuffer(4)); d.setFloat32(0, v, true); return 'f32:' + hx(BigInt(d.getUint32(0, true)), 32); }
  if (t === 'f64') { if (Number.isNaN(v)) return 'f64:nan'; const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, v, true); return 'f64:' + hx(d.getBigUint64(0, true), 64); }
  return t + ':?';
};
const arg = (t, s) => {
  const b = BigInt(s);
  if (t === 'i32') return Number(BigInt.asIntN(32, b));
  if (t === 'i64') return BigInt.asIntN(64, b);
  if (t === 'f32') { const d = new DataView(new ArrayBuffer(4)); d.setUint32(0, Number(BigInt.asUintN(32, b)), true); return d.getFloat32(0, true); }
  if (t === 'f64') { const d = new DataView(new ArrayBuffer(8)); d.setBigUint64(0, BigInt.asUintN(64, b), true); return d.getFloat64(0, true); }
  return null;
};
const err = (e) => {
  if (e instanceof RangeError) return 'exhausted';
  if (e instanceof WebAssembly.LinkError) return 'linkerror';
  if (e instanceof WebAssembly.RuntimeError) { for (const [re, c] of traps) if (re.test(e.message)) return 'trap:' + c; return 'trap:?' + e.message; }
  return 'crash:' + (e && e.message);
};
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const job = JSON.parse(input);
  const all = [];
  for (const c of job) {
    const out = [];
    let inst, helper;
    for (const s of c.steps) {
      if (s.kind === 'inst') {
        try {
          const imports = {};
          if (c.helper) { helper = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(c.helper, 'base64')), {}); imports['fuzzing-support'] = helper.exports; }
          inst = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(c.wasm, 'base64')), imports);
          out.push('ok');
        } catch (e) { out.push(err(e)); }
        continue;
      }
      if (!inst) { out.push('noinst'); continue; }
      try {
        if (s.kind === 'call') {
          const sig = c.sigs[s.name];
          if (s.args.some(([t, b]) => (t === 'f32' || t === 'f64') && Number.isNaN(arg(t, b)))) { out.push('skip'); continue; }
          let r = inst.exports[s.name](...s.args.map(([t, b]) => arg(t, b)));
          if (sig.results.length === 0) out.push('ok');
          else { if (sig.results.length === 1) r = [r]; out.push(sig.results.map((t, k) => fmt(t, r[k])).join(' ')); }
        } else {
          const parts = [];
          if (c.hasStateFn) parts.push(fmt('i64', inst.exports.${STATE_FN}()));
          for (const g of c.globals) parts.push(fmt(g.type, inst.exports[g.name].value));
          if (helper) parts.push(fmt('i64', helper.exports.hash.value));
          out.push('state ' + parts.join(' '));
        }
      } catch (e) { out.push(err(e)); }
    }
    all.push(out);
  }
  process.stdout.write(JSON.stringify(all));
});
`;

export const v8Engine: Engine = v8EngineWithTimeout(120_000);

/** V8 with a time limit for the whole batch (the reducer's candidates may loop forever). */
export function v8EngineWithTimeout(timeoutMs: number): Engine {
  return {
  name: 'v8',
  coarseTraps: true,
  async run(cases) {
    const job = cases.map((c) => ({
      wasm: Buffer.from(c.wasm).toString('base64'),
      helper: c.helper ? Buffer.from(c.helper).toString('base64') : undefined,
      sigs: c.sigs,
      globals: c.globals,
      hasStateFn: c.hasStateFn,
      steps: c.steps.map((s) => (s.kind === 'call' ? { kind: 'call', name: s.name, args: s.args.map((a) => [a.type, a.bits.toString()]) } : s)),
    }));
    const r = await timedAsync('v8', () => execa(process.execPath, ['--stack-size=900', '-e', V8_CHILD], { input: JSON.stringify(job), reject: false, timeout: timeoutMs, maxBuffer: 1 << 28 }));
    if (r.exitCode !== 0 || !r.stdout) {
      const why = `crash:v8 child ${r.timedOut ? 'timed out' : `exit ${r.exitCode}`} ${String(r.stderr).slice(0, 200)}`;
      return cases.map((c) => c.steps.map(() => why));
    }
    return JSON.parse(r.stdout) as string[][];
  },
  };
}
