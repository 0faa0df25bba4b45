/**
 * WASI test support: the C test areas (test/wasi/programs/*.c) are built into ONE wasm
 * (main.c dispatches on argv[1]) and compiled once per target, so the suite costs one
 * kiln compile per target. Programs run on kiln (natively or under qemu, grants through
 * KILN_GRANTS: the executables are linked with --allow-runtime-grants) and on Node's WASI
 * in a child process as the reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { compileModule, CompileError } from '../../src/backend/compile.js';
import { loadModule } from '../../src/frontend/validate.js';
import { encodeRuntimeGrants, linkWithGrants, NO_GRANTS, type Grants } from '../../src/cli/grants.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { runExecutable, type RunResult } from '../../qemu/run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PROGRAMS = join(HERE, 'programs');
export const NODE_RUNNER = join(HERE, 'node-wasi.mjs');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kiln-wasi-${prefix}-`));
}

/** clang-14 → wasm32-wasi of every .c in programs/ (one module). */
export function buildSuiteWasm(dir: string): string {
  const out = join(dir, 'suite.wasm');
  const sources = readdirSync(PROGRAMS).filter((f) => f.endsWith('.c')).map((f) => join(PROGRAMS, f));
  execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...sources, '-o', out]);
  return out;
}

export interface TargetBuild {
  exe?: string;
  /** Why this target is skipped (no backend yet). */
  skip?: string;
}

/** Compiles the wasm for `target` and links it with runtime grants allowed. */
export async function buildFor(target: KilnTarget, wasm: string, dir: string): Promise<TargetBuild> {
  const loaded = loadModule(readFileSync(wasm));
  if (!loaded.ok) throw new Error(`suite.wasm does not load: ${loaded.error.message}`);
  let object: Uint8Array;
  try {
    object = compileModule(loaded.value, { target, optLevel: 2, bounds: 'guard' }).object;
  } catch (e) {
    if (e instanceof CompileError && /no backend/i.test(e.message)) return { skip: `${target}: ${e.message}` };
    throw e;
  }
  const exe = join(dir, `suite-${target}`);
  await linkWithGrants(object, target, exe, { ...NO_GRANTS, allowRuntimeGrants: true });
  return { exe };
}

export interface RunSpec {
  grants?: Partial<Grants>;
  input?: string;
  /** Extra environment of the executable (besides KILN_GRANTS). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function runKiln(target: KilnTarget, exe: string, args: string[], spec: RunSpec = {}): Promise<RunResult> {
  const grants: Grants = { ...NO_GRANTS, ...spec.grants };
  const env: Record<string, string> = { ...spec.env };
  const g = encodeRuntimeGrants(grants);
  if (g) env.KILN_GRANTS = g;
  return runExecutable(target, exe, args, { argv0: 'prog', input: spec.input ?? '', env, timeoutMs: spec.timeoutMs ?? 60_000 });
}

export async function runNode(
  wasm: string,
  args: string[],
  opts: { preopens?: Record<string, string>; env?: Record<string, string>; input?: string } = {},
): Promise<{ stdout: string; exitCode: number | undefined }> {
  const r = await execa('node', ['--no-warnings', NODE_RUNNER, wasm, JSON.stringify({ preopens: opts.preopens ?? {}, env: opts.env ?? {} }), ...args], {
    reject: false,
    input: opts.input ?? '',
    stripFinalNewline: false,
    timeout: 20_000,
  });
  return { stdout: String(r.stdout), exitCode: r.exitCode };
}

/** A fresh tree: sandbox/ (the preopen), outside/ (must stay untouched), ro/ (read-only preopen). */
export function makeTree(root: string, withEscapeLinks = false): void {
  mkdirSync(join(root, 'sandbox', 'sub'), { recursive: true });
  mkdirSync(join(root, 'outside'), { recursive: true });
  mkdirSync(join(root, 'ro'), { recursive: true });
  writeFileSync(join(root, 'sandbox', 'hello.txt'), 'hello world\n');
  writeFileSync(join(root, 'sandbox', 'sub', 'inner.txt'), 'inner\n');
  writeFileSync(join(root, 'outside', 'secret.txt'), 'TOP SECRET\n');
  writeFileSync(join(root, 'ro', 'data.txt'), 'read only data\n');
  if (!withEscapeLinks) return;
  const s = (target: string, name: string): void => symlinkSync(target, join(root, 'sandbox', name));
  s(join(root, 'outside', 'secret.txt'), 'abs_link');
  s('../outside/secret.txt', 'rel_link');
  s('../outside', 'dir_link');
  s('../../outside/secret.txt', 'sub/deep_rel');
  s('loop2', 'loop1');
  s('loop1', 'loop2');
  s('self', 'self');
  s('sub/inner.txt', 'in_link');
  s('sub/../hello.txt', 'up_ok');
  s(join(root, 'outside', 'created-through-link.txt'), 'dangling_abs');
  s('hello.txt', 'c1');
  for (let k = 2; k <= 41; k++) s(`c${k - 1}`, `c${k}`);
}

/** Everything under `dir` (names, types, sizes, contents, link targets, mtimes) as text. */
export function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) lines.push(`${rel}${name} -> ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        lines.push(`${rel}${name}/ ${statSync(p).mtimeMs}`);
        walk(p, `${rel}${name}/`);
      } else lines.push(`${rel}${name} ${st.size} ${st.mtimeMs} ${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir, '');
  return lines.join('\n');
}
