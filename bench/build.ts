/**
 * Building the benchmark programs: C → native executable (clang-14 -O2, the baseline),
 * C → wasm32-wasi (clang-14 -O2), C → static AArch64 (aarch64-linux-gnu-gcc -O2, for the
 * emulated comparison), and wasm → kiln executable (timed in-process, then linked).
 * C builds are cached under <kiln cache>/bench/ by a hash of the command line and the
 * source; a build is written to a temporary name and renamed, so a cache entry is whole.
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileModule } from '../src/backend/compile.js';
import { compileModuleParallel } from '../src/backend/parallel.js';
import { loadModule } from '../src/frontend/validate.js';
import type { OptLevel } from '../src/ir/pipeline.js';
import type { KilnTarget } from '../toolchain/cc.js';
import { linkWithGrants, NO_GRANTS } from '../src/cli/grants.js';
import { kilnCacheDir } from '../toolchain/runtime.js';
import { packageRoot } from '../toolchain/tools.js';
import { compilerFingerprint } from '../src/cli/fingerprint.js';
import type { ColdCompileReport } from './compile-once.js';

export type CBuildKind = 'native' | 'native-static' | 'wasm' | 'aarch64';

/** The compiler and flags per kind (the output and source are appended). */
export const C_BUILDS: Record<CBuildKind, { cc: string; flags: string[]; libs: string[]; describe: string }> = {
  native: { cc: 'clang-14', flags: ['-O2'], libs: ['-lm'], describe: 'clang-14 -O2 (x86-64, dynamic glibc)' },
  'native-static': { cc: 'clang-14', flags: ['-O2', '-static'], libs: ['-lm'], describe: 'clang-14 -O2 -static' },
  wasm: { cc: 'clang-14', flags: ['--target=wasm32-wasi', '--sysroot=/usr', '-O2'], libs: ['-lm'], describe: 'clang-14 --target=wasm32-wasi -O2' },
  // No fused multiply-add: wasm has none, so contracting a*b+c would change the float
  // checksums (GCC contracts by default on AArch64).
  aarch64: {
    cc: 'aarch64-linux-gnu-gcc',
    flags: ['-O2', '-static', '-ffp-contract=off'],
    libs: ['-lm'],
    describe: 'aarch64-linux-gnu-gcc -O2 -static -ffp-contract=off',
  },
};

export class BuildError extends Error {
  override name = 'BuildError';
}

export function programsDir(): string {
  return join(packageRoot(), 'bench', 'programs');
}

export function benchCacheDir(): string {
  return join(kilnCacheDir(), 'bench');
}

function sha(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 20);
}

/** Writes via a temporary sibling and a rename, so readers never see half a file. */
function atomicOutput(path: string, produce: (tmp: string) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    produce(tmp);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Builds bench/programs/<name>.c as `kind` (cached) and returns the output's path. */
export function buildC(name: string, kind: CBuildKind): string {
  const src = join(programsDir(), `${name}.c`);
  const text = readFileSync(src);
  const b = C_BUILDS[kind];
  const key = sha(kind, b.cc, ...b.flags, ...b.libs, text);
  const out = join(benchCacheDir(), key, kind === 'wasm' ? `${name}.wasm` : name);
  if (existsSync(out)) return out;
  atomicOutput(out, (tmp) => {
    const r = spawnSync(b.cc, [...b.flags, src, '-o', tmp, ...b.libs], { encoding: 'utf8' });
    if (r.error) throw new BuildError(`${b.cc}: ${r.error.message}`);
    if (r.status !== 0) throw new BuildError(`${b.cc} ${b.flags.join(' ')} ${name}.c failed:\n${r.stderr}`);
  });
  return out;
}

export interface KilnBuild {
  exe: string;
  /** Decode + validate + translate + optimise + code generation, in seconds (no linking). */
  compileSeconds: number;
  objectBytes: number;
}

/**
 * Compiles `wasmPath` with kiln in this process (timed: the median of `timings` compiles,
 * which are deterministic) and links it (cached by the object's hash). Throws whatever
 * the compiler throws: the caller reports it as that engine's failure.
 */
export async function buildKiln(wasmPath: string, target: KilnTarget, optLevel: OptLevel, timings = 1): Promise<KilnBuild> {
  const bytes = readFileSync(wasmPath);
  const times: number[] = [];
  let object: Uint8Array | undefined;
  for (let i = 0; i < Math.max(1, timings); i++) {
    const t0 = process.hrtime.bigint();
    const loaded = loadModule(bytes);
    if (!loaded.ok) throw new BuildError(`${wasmPath}: ${loaded.error.kind} module: ${loaded.error.message}`);
    object = compileModule(loaded.value, { target, optLevel }).object;
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const name = wasmPath.replace(/^.*\//, '').replace(/\.wasm$/, '');
  const exe = join(benchCacheDir(), 'kiln', sha(compilerFingerprint(), target, String(optLevel), object!), name);
  if (!existsSync(exe)) await linkWithGrants(object!, target, exe, NO_GRANTS);
  return { exe, compileSeconds: median(times), objectBytes: object!.length };
}

/** One compile configuration measured for the throughput report (decode and validate included, no link). */
export interface TimedCompile {
  /** Median wall-clock seconds of the compile itself. */
  seconds: number;
  /** Median CPU seconds of the whole process (all threads) during the compile: unlike wall time, not inflated by other load. */
  cpuSeconds: number;
  /** Threads that compiled functions (the most over the runs). */
  jobs: number;
  /** Untimed compiles of the same module before the timed ones (in-process only). */
  warmup: number;
  /** Fresh process per compile: median seconds from spawn to exit (Node start-up and loading kiln included). */
  processSeconds?: number;
}

/**
 * Times `runs` compiles of `wasmPath` with `jobs` threads (1: in-process, no workers) in
 * this process, after `warmup` untimed compiles of the same module, so V8 has compiled
 * kiln's own code by then: the steady state of a long-lived compiler process. Each
 * parallel compile starts its own workers, as `kiln compile` does.
 */
export async function timeCompile(wasmPath: string, target: KilnTarget, optLevel: OptLevel, jobs: number, runs: number, warmup: number): Promise<TimedCompile> {
  const bytes = readFileSync(wasmPath);
  const times: number[] = [];
  const cpu: number[] = [];
  let used = 1;
  for (let i = 0; i < warmup + Math.max(1, runs); i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const loaded = loadModule(bytes);
    if (!loaded.ok) throw new BuildError(`${wasmPath}: ${loaded.error.kind} module: ${loaded.error.message}`);
    const r = await compileModuleParallel(loaded.value, bytes, { target, optLevel, jobs });
    if (i < warmup) continue;
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    used = Math.max(used, r.stats.jobs);
  }
  return { seconds: median(times), cpuSeconds: median(cpu), jobs: used, warmup };
}

/**
 * Times `runs` cold compiles: each in a fresh Node process (bench/compile-once.ts), the
 * first `kiln compile` a user runs, with V8 still interpreting and optimising kiln itself.
 */
export async function timeColdCompile(wasmPath: string, target: KilnTarget, optLevel: OptLevel, jobs: number, runs: number): Promise<TimedCompile> {
  const script = join(packageRoot(), 'dist', 'bench', 'compile-once.js');
  const times: number[] = [];
  const cpu: number[] = [];
  const whole: number[] = [];
  let used = 1;
  for (let i = 0; i < Math.max(1, runs); i++) {
    const t0 = process.hrtime.bigint();
    // The Node flags this process runs with (the `kiln` command's, see bin/kiln.js), so the
    // cold compile runs as a first `kiln compile` would.
    const r = await execa(process.execPath, [...process.execArgv, script, wasmPath, target, String(optLevel), String(jobs)], { reject: false });
    whole.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.exitCode !== 0) throw new BuildError(`cold compile of ${wasmPath} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    const rep = JSON.parse(r.stdout.trim().split('\n').pop()!) as ColdCompileReport;
    times.push(rep.seconds);
    cpu.push(rep.cpuSeconds);
    used = Math.max(used, rep.jobs);
  }
  return { seconds: median(times), cpuSeconds: median(cpu), jobs: used, warmup: 0, processSeconds: median(whole) };
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

export { codeSectionBytes } from '../src/frontend/reader.js';
