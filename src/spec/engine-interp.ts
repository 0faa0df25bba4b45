/**
 * The `interp` spec engine: every command of a script on kiln's IR interpreter
 * (decode → validate → translate → interpret). Modules are instantiated in one store
 * per script, so `register` and cross-module imports share functions, tables,
 * memories and globals by reference, as the spec's linking tests require.
 *
 * Floats are compared by bits; `nan:canonical` / `nan:arithmetic` follow the spec
 * (per lane for v128). assert_trap and assert_exhaustion require the spec's message
 * (prefix match); assert_malformed / assert_invalid are decided as the validate
 * engine decides them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule } from '../frontend/validate.js';
import { translateModule } from '../frontend/translate.js';
import { FuncInst, LinkError, Store, Trap, globalValue, instantiate, invoke, type ExternVal, type Instance, type Val } from '../ir/interp.js';
import type { IrModule } from '../ir/module.js';
import type { CommandOutcome, ScriptContext, SpecEngine } from './engine.js';
import { messageMatches } from './engine.js';
import type { SpecAction, SpecCommand, SpecValue } from './script.js';
import { spectestExports } from './spectest-host.js';

const LANE_BYTES: Record<string, number> = { i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };

/** A spec argument as an interpreter API value. */
export function specArg(v: SpecValue): Val {
  const val = v.value;
  switch (v.type) {
    case 'i32':
      return Number(val) | 0;
    case 'f32':
      return Number(val) >>> 0;
    case 'i64':
      return BigInt.asIntN(64, BigInt(val as string));
    case 'f64':
      return BigInt.asUintN(64, BigInt(val as string));
    case 'v128': {
      const lanes = val as string[];
      const width = LANE_BYTES[v.lane_type!]!;
      const bytes = new Uint8Array(16);
      const dv = new DataView(bytes.buffer);
      lanes.forEach((s, k) => {
        if (width === 8) dv.setBigUint64(k * 8, BigInt.asUintN(64, BigInt(s)), true);
        else if (width === 4) dv.setUint32(k * 4, Number(BigInt.asUintN(32, BigInt(s))), true);
        else if (width === 2) dv.setUint16(k * 2, Number(BigInt.asUintN(16, BigInt(s))), true);
        else dv.setUint8(k, Number(BigInt.asUintN(8, BigInt(s))));
      });
      return bytes;
    }
    case 'funcref':
      if (val === 'null') return null;
      throw new Error('a non-null funcref argument cannot be expressed');
    case 'externref':
      return val === 'null' ? null : hostRef(Number(val));
  }
  throw new Error(`unknown value type ${v.type}`);
}

/** A host reference `ref.extern N` (an object, so it is never confused with null). */
class HostRef {
  constructor(readonly n: number) {}
}
const hostRefs = new Map<number, HostRef>();
function hostRef(n: number): HostRef {
  let r = hostRefs.get(n);
  if (!r) hostRefs.set(n, (r = new HostRef(n)));
  return r;
}

function f32Matches(bits: number, want: string): boolean {
  if (want === 'nan:canonical') return (bits & 0x7fffffff) === 0x7fc00000;
  if (want === 'nan:arithmetic') return (bits & 0x7fc00000) === 0x7fc00000;
  return bits >>> 0 === Number(want) >>> 0;
}
function f64Matches(bits: bigint, want: string): boolean {
  const mag = bits & 0x7fffffffffffffffn;
  if (want === 'nan:canonical') return mag === 0x7ff8000000000000n;
  if (want === 'nan:arithmetic') return (mag & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  return bits === BigInt.asUintN(64, BigInt(want));
}

function show(v: Val): string {
  if (v instanceof Uint8Array) return `v128:${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (v instanceof FuncInst) return `funcref:${v.name}`;
  if (v instanceof HostRef) return `ref.extern ${v.n}`;
  if (v === null) return 'null';
  return String(v);
}

/** Does result `got` match expectation `e`? */
export function resultMatches(got: Val, e: SpecValue): boolean {
  const want = e.value;
  switch (e.type) {
    case 'i32':
      return typeof got === 'number' && got === (Number(want) | 0);
    case 'i64':
      return typeof got === 'bigint' && got === BigInt.asIntN(64, BigInt(want as string));
    case 'f32':
      return typeof got === 'number' && f32Matches(got, want as string);
    case 'f64':
      return typeof got === 'bigint' && f64Matches(got, want as string);
    case 'v128': {
      if (!(got instanceof Uint8Array)) return false;
      const dv = new DataView(got.buffer, got.byteOffset, 16);
      const lanes = want as string[];
      const lt = e.lane_type!;
      return lanes.every((w, k) => {
        switch (lt) {
          case 'f32':
            return f32Matches(dv.getUint32(k * 4, true), w);
          case 'f64':
            return f64Matches(dv.getBigUint64(k * 8, true), w);
          case 'i64':
            return dv.getBigUint64(k * 8, true) === BigInt.asUintN(64, BigInt(w));
          case 'i32':
            return dv.getUint32(k * 4, true) === Number(BigInt.asUintN(32, BigInt(w)));
          case 'i16':
            return dv.getUint16(k * 2, true) === Number(BigInt.asUintN(16, BigInt(w)));
          default:
            return dv.getUint8(k) === Number(BigInt.asUintN(8, BigInt(w)));
        }
      });
    }
    case 'funcref':
      if (want === 'null') return got === null;
      return got instanceof FuncInst;
    case 'externref':
      if (want === 'null') return got === null;
      if (want === undefined) return got !== null;
      return got instanceof HostRef && got.n === Number(want);
  }
  return false;
}

type Loaded = { ok: true; module: IrModule } | { ok: false; why: string };

function loadIr(path: string): Loaded {
  const r = loadModule(readFileSync(path));
  if (!r.ok) return { ok: false, why: `module does not validate: ${r.error.message}` };
  const t = translateModule(r.value);
  if (!t.ok) return { ok: false, why: `translation failed: ${t.error.message}` };
  return { ok: true, module: t.value };
}

class ScriptState {
  readonly store = new Store({ stackWords: 1 << 20, maxDepth: 20_000 });
  readonly registered = new Map<string, Map<string, ExternVal>>();
  readonly named = new Map<string, Instance | undefined>();
  current: Instance | undefined;

  constructor() {
    this.registered.set('spectest', spectestExports(this.store));
  }

  instantiate(m: IrModule): Instance {
    return instantiate(this.store, m, (mod, name) => this.registered.get(mod)?.get(name));
  }

  instanceFor(a: SpecAction): Instance {
    const inst = a.module !== undefined ? this.named.get(a.module) : this.current;
    if (!inst) throw new Error(a.module !== undefined ? `no instance named ${a.module}` : 'no current module instance');
    return inst;
  }

  /** Runs an action; returns its results (a Trap propagates). */
  act(a: SpecAction): Val[] {
    const inst = this.instanceFor(a);
    const e = inst.exports.get(a.field);
    if (a.type === 'get') {
      if (!e || e.kind !== 'global') throw new Error(`no exported global ${a.field}`);
      return [globalValue(this.store, e.value)];
    }
    if (!e || e.kind !== 'func') throw new Error(`no exported function ${a.field}`);
    const args = (a.args ?? []).map(specArg);
    return invoke(this.store, e.value, args);
  }
}

export const interpEngine: SpecEngine = {
  name: 'interp',
  description: "run every command on kiln's IR interpreter (decode, validate, translate, interpret)",
  async run(ctx: ScriptContext): Promise<CommandOutcome[]> {
    const st = new ScriptState();
    const out: CommandOutcome[] = [];
    for (const cmd of ctx.script.commands) {
      const reason = ctx.skipReason(cmd);
      if (reason !== undefined) {
        out.push({ line: cmd.line, type: cmd.type, status: 'skipped', detail: reason });
        if (cmd.type === 'module') {
          st.current = undefined;
          if (cmd.name) st.named.set(cmd.name, undefined);
        }
        continue;
      }
      try {
        out.push(runCommand(st, ctx, cmd));
      } catch (e) {
        out.push({ line: cmd.line, type: cmd.type, status: 'failed', detail: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
      }
    }
    return out;
  },
};

function runCommand(st: ScriptState, ctx: ScriptContext, cmd: SpecCommand): CommandOutcome {
  const base = { line: cmd.line, type: cmd.type };
  const pass = (extra: Partial<CommandOutcome> = {}): CommandOutcome => ({ ...base, status: 'passed', ...extra });
  const fail = (detail: string): CommandOutcome => ({ ...base, status: 'failed', detail });
  switch (cmd.type) {
    case 'module': {
      st.current = undefined;
      if (cmd.name) st.named.set(cmd.name, undefined);
      const l = loadIr(join(ctx.dir, cmd.filename!));
      if (!l.ok) return fail(l.why);
      let inst: Instance;
      try {
        inst = st.instantiate(l.module);
      } catch (e) {
        return fail(`instantiation failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      st.current = inst;
      if (cmd.name) st.named.set(cmd.name, inst);
      return pass();
    }
    case 'register': {
      const inst = cmd.name !== undefined ? st.named.get(cmd.name) : st.current;
      if (!inst) return fail('no module instance to register');
      st.registered.set(cmd.as!, inst.exports);
      return pass();
    }
    case 'assert_malformed':
    case 'assert_invalid': {
      const r = loadModule(readFileSync(join(ctx.dir, cmd.filename!)));
      if (r.ok) return fail(`expected ${cmd.type === 'assert_malformed' ? 'malformed' : 'invalid'} module ("${cmd.text}"), but it was accepted`);
      return pass({ messageMatched: messageMatches(r.error.message, cmd.text) });
    }
    case 'assert_unlinkable':
    case 'assert_uninstantiable': {
      const l = loadIr(join(ctx.dir, cmd.filename!));
      if (!l.ok) return fail(l.why);
      const want = cmd.type === 'assert_unlinkable' ? LinkError : Trap;
      try {
        st.instantiate(l.module);
      } catch (e) {
        if (e instanceof want) return pass({ messageMatched: messageMatches(e.message, cmd.text) });
        return fail(`expected ${cmd.type === 'assert_unlinkable' ? 'a link error' : 'a trap'} ("${cmd.text}"), got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      return fail(`expected ${cmd.type === 'assert_unlinkable' ? 'a link error' : 'a trap'} ("${cmd.text}"), but instantiation succeeded`);
    }
    case 'action':
      st.act(cmd.action!);
      return pass();
    case 'assert_return': {
      let got: Val[];
      try {
        got = st.act(cmd.action!);
      } catch (e) {
        if (e instanceof Trap) return fail(`trapped: ${e.message}`);
        throw e;
      }
      const exp = cmd.expected ?? [];
      if (got.length !== exp.length || !exp.every((e, k) => resultMatches(got[k] as Val, e))) {
        return fail(`got [${got.map(show).join(', ')}], expected [${exp.map((e) => `${e.type}:${Array.isArray(e.value) ? e.value.join(' ') : e.value}`).join(', ')}]`);
      }
      return pass();
    }
    case 'assert_trap':
    case 'assert_exhaustion': {
      let got: Val[];
      try {
        got = st.act(cmd.action!);
      } catch (e) {
        if (e instanceof Trap) {
          return messageMatches(e.message, cmd.text) ? pass({ messageMatched: true }) : fail(`trapped with "${e.message}", expected "${cmd.text}"`);
        }
        throw e;
      }
      return fail(`expected trap "${cmd.text}", got [${got.map(show).join(', ')}]`);
    }
  }
  return fail(`unknown command ${String(cmd.type)}`);
}
