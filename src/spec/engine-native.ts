/**
 * Native spec engines (`x86_64-linux`, `aarch64-linux`, made by engines.ts with
 * `nativeEngine`): every module of a script is compiled by kiln to an object
 * (`kiln_module_K`), all of them are linked ONCE with the runtime's spec-driver entry, the
 * script's commands are translated to the driver's command language
 * (src/runtime-c/spec_driver.c), the executable is run (natively or under qemu,
 * qemu/run.ts) and each driver result line is mapped back to its command.
 *
 *   script ─ compile modules ─▶ K.o… ─ linkExecutable(spec) ─▶ exe ─ run(cmds) ─▶ "<line> pass|fail|result"
 *
 * Decided without running: assert_malformed / assert_invalid (the module must be rejected
 * by the decoder / validator, as in the validate engine). A module kiln cannot compile
 * fails its command, and so do the commands that need its instance; modules the backend
 * does not support yet (SIMD) are skipped by src/spec/skip.json before they get here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule } from '../frontend/validate.js';
import { compileModule } from '../backend/compile.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { runExecutable } from '../../qemu/run.js';
import { TRAP_MESSAGES } from '../ir/traps.js';
import type { CommandOutcome, ScriptContext, SpecEngine } from './engine.js';
import { messageMatches } from './engine.js';
import type { SpecAction, SpecValue } from './script.js';

/** A driver string literal: printable ASCII as is, everything else as \hh bytes. */
function quote(s: string): string {
  let out = '"';
  for (const b of new TextEncoder().encode(s)) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/**
 * The spec's expected trap text may extend kiln's message ("uninitialized element 2"); the
 * reference interpreter's messages are prefixes of it (engine.ts messageMatches), so the
 * driver is given the known message the text starts with.
 */
function trapPrefix(text: string): string {
  return TRAP_MESSAGES.find((m, code) => code > 0 && text.startsWith(m)) ?? text;
}

const LANE_SHAPE: Record<string, string> = { i8: 'i8x16', i16: 'i16x8', i32: 'i32x4', i64: 'i64x2', f32: 'f32x4', f64: 'f64x2' };

/** One spec value in the driver's syntax, or undefined when the driver cannot express it. */
export function driverValue(v: SpecValue): string | undefined {
  const val = v.value;
  switch (v.type) {
    case 'i32':
    case 'i64':
    case 'f32':
    case 'f64':
      return typeof val === 'string' ? `${v.type}:${val}` : undefined;
    case 'funcref':
      return val === 'null' ? 'ref.null:func' : 'ref.func';
    case 'externref':
      return val === 'null' ? 'ref.null:extern' : typeof val === 'string' ? `ref.extern:${val}` : undefined;
    case 'v128': {
      const shape = v.lane_type && LANE_SHAPE[v.lane_type];
      if (!shape || !Array.isArray(val)) return undefined;
      return `v128:${shape}:${val.join(':')}`;
    }
  }
  return undefined;
}

/** Stay below the runtime's limit of 256 modules (and named instances) per process. */
const MODULES_PER_EXECUTABLE = 200;

interface Batch {
  objects: string[];
  symbols: string[];
  lines: string[];
  pending: Pending[];
}

interface Pending {
  index: number;
  /** For action commands: a trap or result line counts as pass. */
  line: number;
}

export interface NativeEngineOptions {
  target: KilnTarget;
  name: string;
  optLevel?: 0 | 1 | 2;
  /** Memory bounds strategy (default guard). */
  bounds?: 'guard' | 'explicit';
  /** Per-script run timeout (default 120 s). */
  timeoutMs?: number;
}

export function nativeEngine(opts: NativeEngineOptions): SpecEngine {
  return {
    name: opts.name,
    description: `compile with kiln for ${opts.target}, link with the runtime's spec driver, run`,
    run: (ctx) => runScript(ctx, opts),
  };
}

async function runScript(ctx: ScriptContext, opts: NativeEngineOptions): Promise<CommandOutcome[]> {
  const cmds = ctx.script.commands;
  const outcomes: (CommandOutcome | undefined)[] = new Array(cmds.length);
  const work = mkdtempSync(join(tmpdir(), 'kiln-spec-'));
  try {
    const batches: Batch[] = [{ objects: [], symbols: [], lines: [], pending: [] }];
    let batch = batches[0]!;
    let nextLabel = 0;
    /** Registrations so far, replayed at the start of a new batch (the instance is re-created there). */
    const registrations: { file: string; label: string; as: string }[] = [];
    const moduleFile = new Map<string, string>();
    /** wast module name → driver label of its latest instance; undefined when that instance is unusable. */
    const labels = new Map<string, { label: string; broken?: CommandOutcome['status']; why?: string }>();
    let current: { label: string; broken?: CommandOutcome['status']; why?: string } | undefined;

    const set = (i: number, status: CommandOutcome['status'], detail?: string, extra: Partial<CommandOutcome> = {}): void => {
      outcomes[i] = { line: cmds[i]!.line, type: cmds[i]!.type, status, ...(detail !== undefined ? { detail } : {}), ...extra };
    };
    const send = (i: number, text: string): void => {
      batch.lines.push(text);
      if (i >= 0) batch.pending.push({ index: i, line: batch.lines.length });
    };
    /** Compiles a module file into the current batch; returns its module number there, or a failure. */
    const compileInto = (file: string): { k: number } | { status: 'failed'; why: string } => {
      const r = loadModule(readFileSync(join(ctx.dir, file)));
      if (!r.ok) return { status: 'failed', why: `module does not validate: ${r.error.message}` };
      const k = batch.symbols.length;
      const symbol = `kiln_module_${k}`;
      try {
        const { object } = compileModule(r.value, { target: opts.target, optLevel: opts.optLevel ?? 0, bounds: opts.bounds, moduleSymbol: symbol });
        const path = join(work, `b${batches.length - 1}m${k}.o`);
        writeFileSync(path, object);
        batch.objects.push(path);
        batch.symbols.push(symbol);
        return { k };
      } catch (e) {
        return { status: 'failed', why: `compile error: ${e instanceof Error ? e.message : String(e)}` };
      }
    };
    /**
     * The runtime holds at most 256 modules per process: long scripts (const.wast has 400)
     * run as several executables. A new one first re-creates and re-registers the
     * registered instances, which is all a later module can still reach.
     */
    const compile = (file: string): ReturnType<typeof compileInto> => {
      if (batch.symbols.length >= MODULES_PER_EXECUTABLE) {
        batch = { objects: [], symbols: [], lines: [], pending: [] };
        batches.push(batch);
        for (const reg of registrations) {
          const c = compileInto(reg.file);
          if ('k' in c) {
            send(-1, `module ${c.k} ${reg.label}`);
            send(-1, `register ${quote(reg.as)} ${reg.label}`);
          }
        }
      }
      return compileInto(file);
    };
    const instanceOf = (a: SpecAction | undefined): { label: string; broken?: CommandOutcome['status']; why?: string } | undefined =>
      a?.module !== undefined ? labels.get(a.module) : current;

    cmds.forEach((cmd, i) => {
      const reason = ctx.skipReason(cmd);
      if (reason !== undefined) {
        set(i, 'skipped', reason);
        if (cmd.type === 'module') {
          current = { label: '', broken: 'skipped', why: reason };
          if (cmd.name) labels.set(cmd.name, current);
        }
        return;
      }
      switch (cmd.type) {
        case 'module': {
          const c = compile(cmd.filename!);
          if ('k' in c) {
            const label = `$m${nextLabel++}`;
            moduleFile.set(label, cmd.filename!);
            current = { label };
            if (cmd.name) labels.set(cmd.name, current);
            send(i, `module ${c.k} ${label}`);
          } else {
            set(i, c.status, c.why);
            current = { label: '', broken: c.status, why: c.why };
            if (cmd.name) labels.set(cmd.name, current);
          }
          return;
        }
        case 'assert_malformed':
        case 'assert_invalid': {
          const r = loadModule(readFileSync(join(ctx.dir, cmd.filename!)));
          if (r.ok) set(i, 'failed', `expected ${cmd.type === 'assert_malformed' ? 'malformed' : 'invalid'} module ("${cmd.text}"), but it was accepted`);
          else set(i, 'passed', undefined, { messageMatched: messageMatches(r.error.message, cmd.text) });
          return;
        }
        case 'assert_unlinkable':
        case 'assert_uninstantiable': {
          const c = compile(cmd.filename!);
          if ('k' in c) send(i, `${cmd.type} ${c.k}${cmd.text !== undefined ? ' ' + quote(cmd.text) : ''}`);
          else set(i, c.status, c.why);
          return;
        }
        case 'register': {
          const inst = cmd.name !== undefined ? labels.get(cmd.name) : current;
          if (!inst || inst.broken) {
            set(i, inst?.broken ?? 'failed', inst?.why ?? 'no module to register');
            return;
          }
          send(i, `register ${quote(cmd.as!)} ${inst.label}`);
          registrations.push({ file: moduleFile.get(inst.label)!, label: inst.label, as: cmd.as! });
          return;
        }
        default: {
          const a = cmd.action;
          const inst = instanceOf(a);
          if (!a || !inst || inst.broken) {
            set(i, inst?.broken ?? 'failed', inst?.why ?? 'no module instance for this command');
            return;
          }
          const args = (a.args ?? []).map(driverValue);
          // assert_trap / assert_exhaustion list result types without values: nothing to compare.
          const exp = cmd.type === 'assert_return' || cmd.type === 'action' ? (cmd.expected ?? []).map(driverValue) : [];
          if (args.some((x) => x === undefined) || exp.some((x) => x === undefined)) {
            set(i, 'failed', 'a value the spec driver cannot express');
            return;
          }
          const target = `${inst.label} ${quote(a.field)}`;
          if (a.type === 'get') {
            send(i, cmd.type === 'action' ? `get ${target}` : `assert_get ${target} -> ${exp.join(' ')}`);
            return;
          }
          const call = `${target}${args.length ? ' ' + args.join(' ') : ''}`;
          switch (cmd.type) {
            case 'action':
              return send(i, `invoke ${call}`);
            case 'assert_return':
              return send(i, `assert_return ${call} -> ${exp.join(' ')}`.trimEnd());
            case 'assert_trap':
            case 'assert_exhaustion':
              return send(i, `${cmd.type} ${call} -> ${quote(trapPrefix(cmd.text ?? ''))}`);
          }
          set(i, 'failed', `unsupported command ${cmd.type}`);
        }
      }
    });

    const runtime = batches.some((b) => b.pending.length > 0) ? await buildRuntime(opts.target) : undefined;
    for (const [bi, b] of batches.entries()) {
      if (b.pending.length === 0) continue;
      const exe = join(work, `spec${bi}.exe`);
      await linkExecutable({ target: opts.target, objects: b.objects, output: exe, entry: 'spec', modules: b.symbols, runtime });
      const cmdFile = join(work, `commands${bi}.txt`);
      writeFileSync(cmdFile, b.lines.join('\n') + '\n');
      const r = await runExecutable(opts.target, exe, [cmdFile], { timeoutMs: opts.timeoutMs ?? 120_000 });
      const results = new Map<number, { status: string; rest: string }>();
      for (const l of r.stdout.split('\n')) {
        const m = /^(\d+) (pass|fail|result)(?: (.*))?$/.exec(l);
        if (m) results.set(Number(m[1]), { status: m[2]!, rest: m[3] ?? '' });
      }
      const died = r.timedOut ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exited with ${r.exitCode}`;
      for (const p of b.pending) {
        const res = results.get(p.line);
        if (!res) set(p.index, 'failed', `no result from the spec driver (${died}; stderr: ${r.stderr.trim().slice(0, 300)})`);
        else if (res.status === 'fail') set(p.index, 'failed', res.rest);
        else set(p.index, 'passed');
      }
    }
    return outcomes.map((o, i) => o ?? { line: cmds[i]!.line, type: cmds[i]!.type, status: 'failed', detail: 'not run' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
