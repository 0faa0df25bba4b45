/**
 * Running the suite: build every program for every engine, run each engine `repeat` times
 * (engines interleaved round by round, so load from other processes hits all of them alike),
 * check every run printed the line the native build prints at the same size, and take the
 * median. Results are plain data (see BenchResults) for report.ts, plot.ts and --json.
 *
 * Every time is the wall clock of a whole child process, as a user would see it: process
 * start-up, and for V8 its own compilation, are inside the measurement.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OptLevel } from '../src/ir/pipeline.js';
import type { KilnTarget } from '../toolchain/cc.js';
import { packageRoot } from '../toolchain/tools.js';
import { runnerFor } from '../qemu/run.js';
import { defaultJobs } from '../src/backend/parallel.js';
import { buildC, buildKiln, C_BUILDS, codeSectionBytes, fileSize, geomean, median, timeColdCompile, timeCompile, type CBuildKind, type TimedCompile } from './build.js';
import { EMULATED_DIVISOR, INTERP_DIVISOR, interpSize, STARTUP_PROGRAM, type Benchmark } from './suite.js';

export type EngineId = 'native' | 'kiln-O2' | 'kiln-O0' | 'v8' | 'turbofan' | 'liftoff' | 'interp' | 'native-aarch64' | 'kiln-O2-aarch64';

export interface EngineInfo {
  id: EngineId;
  label: string;
  /** Runs under qemu user-mode emulation. */
  emulated: boolean;
  describe: string;
}

export const ENGINES: Record<EngineId, EngineInfo> = {
  native: { id: 'native', label: 'native', emulated: false, describe: C_BUILDS.native.describe },
  'kiln-O2': { id: 'kiln-O2', label: 'kiln -O2', emulated: false, describe: 'kiln -O2, x86-64' },
  'kiln-O0': { id: 'kiln-O0', label: 'kiln -O0', emulated: false, describe: 'kiln -O0, x86-64' },
  // Default tiering replaces a hot function's Liftoff code with TurboFan code for its *next*
  // call (wasm has no on-stack replacement), so a loop that runs long inside one call stays
  // on Liftoff code: that is why `TurboFan` (every function optimised up front) is shown too.
  v8: { id: 'v8', label: 'V8', emulated: false, describe: `node ${process.version}, default tiering (Liftoff, hot functions to TurboFan from their next call)` },
  turbofan: { id: 'turbofan', label: 'TurboFan', emulated: false, describe: 'node --no-liftoff (every function compiled by TurboFan before it runs)' },
  liftoff: { id: 'liftoff', label: 'Liftoff', emulated: false, describe: 'node --liftoff --no-wasm-tier-up (V8 baseline compiler only)' },
  interp: { id: 'interp', label: 'interp', emulated: false, describe: "kiln's IR interpreter + Node WASI (reduced size, scaled)" },
  'native-aarch64': { id: 'native-aarch64', label: 'gcc a64 (qemu)', emulated: true, describe: `${C_BUILDS.aarch64.describe}, under qemu-aarch64` },
  'kiln-O2-aarch64': { id: 'kiln-O2-aarch64', label: 'kiln a64 (qemu)', emulated: true, describe: 'kiln -O2 --target aarch64-linux, under qemu-aarch64' },
};

/** Untimed compiles before the warm compile-throughput measurement (V8 optimises kiln's own code meanwhile). */
export const COMPILE_WARMUP = 30;

export const HOST_ENGINES: readonly EngineId[] = ['native', 'kiln-O2', 'kiln-O0', 'v8', 'turbofan', 'liftoff', 'interp'];
export const AARCH64_ENGINES: readonly EngineId[] = ['native-aarch64', 'kiln-O2-aarch64'];

export interface BenchOptions {
  benchmarks: Benchmark[];
  repeat: number;
  quick: boolean;
  /** 'x86_64': the host engines; 'aarch64': the emulated pair. */
  target: KilnTarget;
  /** Restrict to these engines (the baseline is always run). */
  engines?: EngineId[];
  /** One line per finished benchmark/engine. */
  progress?: (line: string) => void;
}

export interface EngineResult {
  engine: EngineId;
  /** Ran every time, exit status 0, and printed the expected line every time. */
  ok: boolean;
  /** argv[1] given to the program. */
  size: number;
  /** Measured wall-clock seconds per run. */
  times: number[];
  /** Median seconds at the benchmark's size (for interp: scaled up, see `scaling`). */
  seconds: number | null;
  /** seconds / baseline seconds. */
  ratio: number | null;
  /** The line this engine printed (last run). */
  output: string | null;
  /** The line the native build prints at `size`. */
  expected: string | null;
  checksumOk: boolean;
  error?: string;
  /** Interpreter only: t = startup + (measured - startup) * factor. */
  scaling?: { factor: number; startupSeconds: number; measuredSeconds: number };
}

export interface CompileResult {
  optLevel: OptLevel;
  target: KilnTarget;
  ok: boolean;
  seconds: number | null;
  /** Module bytes (all sections) per second, in MB. */
  mbPerSecond: number | null;
  /** Code-section bytes per second, in MB. */
  codeMbPerSecond: number | null;
  objectBytes: number | null;
  error?: string;
}

export interface BenchmarkResult {
  name: string;
  category: string;
  size: number;
  wasmBytes: number;
  /** Bytes of the module's code section (the rest is mostly debug-info custom sections). */
  codeBytes: number;
  /** The baseline's output line at `size`. */
  checksum: string | null;
  engines: EngineResult[];
  compile: CompileResult[];
  /** Executable/module sizes in bytes by engine (wasm: the module). */
  fileBytes: Partial<Record<EngineId | 'wasm', number>>;
}

export interface StartupResult {
  runs: number;
  emulated: boolean;
  /** Median and minimum milliseconds per program. */
  programs: { name: string; describe: string; bytes: number; medianMs: number; minMs: number }[];
  error?: string;
}

/** One compile configuration of the throughput measurement; rates derive from bytes / seconds. */
export interface CompileRun extends TimedCompile {
  /** --jobs asked for (`jobs` is how many threads took part). */
  requestedJobs: number;
  mbPerSecond: number;
  codeMbPerSecond: number;
  /** mbPerSecond / jobs. */
  mbPerSecondPerCore: number;
  codeMbPerSecondPerCore: number;
  /** Module bytes per CPU second (all threads). */
  mbPerCpuSecond: number;
}

/** Compile speed on the largest benchmark: warm in-process, and cold in fresh processes. */
export interface CompileSpeedResult {
  engine: EngineId;
  optLevel: OptLevel;
  target: KilnTarget;
  benchmark: string;
  wasmBytes: number;
  codeBytes: number;
  runs: number;
  /** In this process, one thread, after warm-up compiles: a long-lived compiler's steady state. */
  warm: CompileRun | null;
  /** A fresh process per compile, one thread: a first `kiln compile`. */
  cold: CompileRun | null;
  /** A fresh process per compile with worker threads (--jobs = cores, up to 8). */
  coldParallel: CompileRun | null;
  error?: string;
}

export interface BenchResults {
  schema: 'kiln-bench/1';
  date: string;
  host: { arch: string; cpus: number; cpuModel: string; node: string; /** Node/V8 flags kiln itself runs with (the `kiln` command's shebang). */ nodeFlags: string[]; loadavgStart: number[]; loadavgEnd: number[] };
  config: { repeat: number; quick: boolean; target: string; interpDivisor: number; emulatedDivisor: number | null };
  baseline: EngineId;
  engines: EngineInfo[];
  benchmarks: BenchmarkResult[];
  /** Geometric mean of ratios per engine over the benchmarks where it succeeded. */
  geomean: Partial<Record<EngineId, { ratio: number | null; over: number; of: number }>>;
  /** Total wasm bytes / total compile seconds per kiln configuration. */
  compileThroughput: { optLevel: OptLevel; target: KilnTarget; mbPerSecond: number | null; codeMbPerSecond: number | null; bytes: number; codeBytes: number; seconds: number }[];
  /** Compile throughput at -O2 on the largest benchmark, warm and cold, per kiln -O2 engine. */
  compileSpeed: CompileSpeedResult[];
  startup: StartupResult | null;
  /** Every failure, one line each (also inside the per-engine results). */
  failures: string[];
}

/** A compiled helper script next to this file (dist/bench/*.js after the build). */
function helperScript(name: string): string {
  const here = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  if (existsSync(here)) return here;
  const built = join(packageRoot(), 'dist', 'bench', `${name}.js`);
  if (existsSync(built)) return built;
  throw new Error(`cannot find ${name}.js: run npm run build`);
}

interface TimedRun {
  seconds: number;
  stdout: string;
  stderr: string;
  status: number | null;
  signal: string | null;
  error?: string;
}

function timedRun(argv: string[], timeoutMs: number): TimedRun {
  const [cmd, ...args] = argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 16 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, signal: r.signal, error: r.error?.message };
}

function describeFailure(r: TimedRun): string | undefined {
  if (r.error) return r.error;
  if (r.signal) return `killed by ${r.signal}${r.stderr ? `: ${lastLine(r.stderr)}` : ''}`;
  if (r.status !== 0) return `exit status ${r.status}${r.stderr ? `: ${lastLine(r.stderr)}` : ''}`;
  return undefined;
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 300);
}

/** What one engine needs to run a benchmark: the command prefix (size is appended). */
interface Prepared {
  engine: EngineId;
  argv?: string[];
  size: number;
  expected?: string;
  error?: string;
  fileBytes?: number;
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return msg.split('\n').slice(0, 6).join('\n');
}

export async function runBenchmarks(opts: BenchOptions): Promise<BenchResults> {
  const progress = opts.progress ?? (() => {});
  const loadavgStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const host = opts.target !== 'aarch64';
  const baseline: EngineId = host ? 'native' : 'native-aarch64';
  const all = host ? HOST_ENGINES : AARCH64_ENGINES;
  const engines = all.filter((e) => e === baseline || !opts.engines || opts.engines.includes(e));
  const repeat = opts.quick ? 1 : Math.max(1, opts.repeat);
  const timeoutMs = opts.quick ? 120_000 : 600_000;
  const failures: string[] = [];
  const results: BenchmarkResult[] = [];
  const emulatedPrefix = host ? [] : runnerFor('aarch64');

  // One untimed compile of the hello-world module at each level first: otherwise the first
  // benchmark's compile time would include V8 warming up kiln's own code.
  if (engines.some((e) => e.startsWith('kiln'))) {
    try {
      const hello = buildC(STARTUP_PROGRAM, 'wasm');
      for (const optLevel of [0, 2] as OptLevel[]) await buildKiln(hello, host ? 'x86_64' : 'aarch64', optLevel);
    } catch {
      // reported where it matters: per benchmark and by the start-up measurement
    }
  }
  const nameWidth = Math.max(...opts.benchmarks.map((b) => b.name.length));
  for (const [bi, b] of opts.benchmarks.entries()) {
    const tag = `[${bi + 1}/${opts.benchmarks.length}] ${b.name.padEnd(nameWidth)}`;
    const size = opts.quick ? b.quickSize : host ? b.size : Math.max(1, Math.round(b.size / EMULATED_DIVISOR));
    const result: BenchmarkResult = { name: b.name, category: b.category, size, wasmBytes: 0, codeBytes: 0, checksum: null, engines: [], compile: [], fileBytes: {} };
    results.push(result);
    progress(`${tag}: building`);

    // Build everything first, so compile failures are known before timing starts.
    let wasm: string;
    let nativeExe: string;
    try {
      wasm = buildC(b.name, 'wasm');
      nativeExe = buildC(b.name, host ? 'native' : 'aarch64');
    } catch (e) {
      const msg = `${b.name}: build failed: ${errorText(e)}`;
      failures.push(msg);
      progress(`${tag}: ${msg}`);
      continue;
    }
    result.wasmBytes = fileSize(wasm);
    result.codeBytes = codeSectionBytes(readFileSync(wasm));
    result.fileBytes.wasm = result.wasmBytes;
    const baseCmd = [...emulatedPrefix, nativeExe];
    const reference = new Map<number, string | undefined>();
    const expectedAt = (n: number): string | undefined => {
      if (!reference.has(n)) {
        const r = timedRun([...baseCmd, String(n)], timeoutMs);
        reference.set(n, describeFailure(r) ? undefined : r.stdout.trim());
      }
      return reference.get(n);
    };

    const prepared: Prepared[] = [];
    for (const engine of engines) {
      const p: Prepared = { engine, size };
      prepared.push(p);
      try {
        switch (engine) {
          case 'native':
          case 'native-aarch64':
            p.argv = baseCmd;
            p.fileBytes = fileSize(nativeExe);
            break;
          case 'kiln-O2':
          case 'kiln-O0':
          case 'kiln-O2-aarch64': {
            const optLevel: OptLevel = engine === 'kiln-O0' ? 0 : 2;
            const target: KilnTarget = engine === 'kiln-O2-aarch64' ? 'aarch64' : 'x86_64';
            const c: CompileResult = { optLevel, target, ok: false, seconds: null, mbPerSecond: null, codeMbPerSecond: null, objectBytes: null };
            result.compile.push(c);
            try {
              const k = await buildKiln(wasm, target, optLevel);
              Object.assign(c, {
                ok: true,
                seconds: k.compileSeconds,
                mbPerSecond: result.wasmBytes / 1e6 / k.compileSeconds,
                codeMbPerSecond: result.codeBytes / 1e6 / k.compileSeconds,
                objectBytes: k.objectBytes,
              });
              p.argv = [...(target === 'aarch64' ? emulatedPrefix : []), k.exe];
              p.fileBytes = fileSize(k.exe);
            } catch (e) {
              c.error = errorText(e);
              throw e;
            }
            break;
          }
          case 'v8':
            p.argv = [process.execPath, '--no-warnings', helperScript('wasi-node'), wasm];
            break;
          case 'turbofan':
            p.argv = [process.execPath, '--no-warnings', '--no-liftoff', helperScript('wasi-node'), wasm];
            break;
          case 'liftoff':
            p.argv = [process.execPath, '--no-warnings', '--liftoff', '--no-wasm-tier-up', helperScript('wasi-node'), wasm];
            break;
          case 'interp':
            p.argv = [process.execPath, '--no-warnings', helperScript('interp-node'), wasm];
            p.size = opts.quick ? size : interpSize(b);
            break;
        }
        p.expected = expectedAt(p.size);
        if (p.expected === undefined) throw new Error(`the ${ENGINES[baseline].label} build failed at size ${p.size}`);
      } catch (e) {
        p.error = `cannot ${engine === 'native' || engine === 'native-aarch64' ? 'run' : 'compile'}: ${errorText(e)}`;
      }
      if (p.fileBytes !== undefined) result.fileBytes[engine] = p.fileBytes;
    }
    result.checksum = reference.get(size) ?? null;

    // Interleaved rounds. The interpreter also gets a size-0 run per round: its fixed cost
    // (Node start-up, translation, warm-up) is measured, not multiplied by the scale factor.
    const scaled = !opts.quick;
    const times = new Map<EngineId, number[]>(prepared.map((p) => [p.engine, []]));
    const startupTimes: number[] = [];
    const outputs = new Map<EngineId, string>();
    for (let round = 0; round < repeat; round++) {
      for (const p of prepared) {
        if (p.error || !p.argv) continue;
        const r = timedRun([...p.argv, String(p.size)], timeoutMs);
        const out = r.stdout.trim();
        outputs.set(p.engine, out);
        const bad = describeFailure(r) ?? (out !== p.expected ? 'checksum mismatch' : undefined);
        if (bad) {
          p.error = bad;
          continue;
        }
        times.get(p.engine)!.push(r.seconds);
        if (p.engine === 'interp' && scaled) {
          const z = timedRun([...p.argv, '0'], timeoutMs);
          if (describeFailure(z)) p.error = `size-0 run: ${describeFailure(z)}`;
          else startupTimes.push(z.seconds);
        }
      }
    }

    const baseTimes = times.get(baseline) ?? [];
    const baseSeconds = prepared.find((p) => p.engine === baseline)?.error || baseTimes.length === 0 ? null : median(baseTimes);
    for (const p of prepared) {
      const t = times.get(p.engine)!;
      const er: EngineResult = {
        engine: p.engine,
        ok: !p.error,
        size: p.size,
        times: t.map((x) => Math.round(x * 1e6) / 1e6),
        seconds: null,
        ratio: null,
        output: outputs.get(p.engine) ?? null,
        expected: p.expected ?? null,
        checksumOk: !p.error && outputs.get(p.engine) === p.expected,
      };
      if (p.error) er.error = p.error;
      else if (p.engine === 'interp' && scaled) {
        const measured = median(t);
        const startup = Math.min(median(startupTimes), measured);
        const factor = b.size / p.size;
        er.scaling = { factor, startupSeconds: startup, measuredSeconds: measured };
        er.seconds = startup + (measured - startup) * factor;
      } else er.seconds = median(t);
      if (er.seconds !== null && baseSeconds !== null) er.ratio = er.seconds / baseSeconds;
      result.engines.push(er);
      if (p.error) {
        const detail = p.error === 'checksum mismatch' ? `checksum mismatch at size ${p.size}: printed ${JSON.stringify(er.output)}, native printed ${JSON.stringify(er.expected)}` : p.error;
        failures.push(`${b.name} on ${ENGINES[p.engine].label}: ${detail}`);
      }
      progress(formatProgress(tag, er, ENGINES[baseline].label));
    }
  }

  const geo: BenchResults['geomean'] = {};
  for (const e of engines) {
    const ratios = results.map((r) => r.engines.find((x) => x.engine === e)?.ratio).filter((x): x is number => typeof x === 'number' && x > 0);
    geo[e] = { ratio: ratios.length ? geomean(ratios) : null, over: ratios.length, of: results.length };
  }
  const throughput: BenchResults['compileThroughput'] = [];
  for (const e of engines) {
    if (!e.startsWith('kiln')) continue;
    const optLevel: OptLevel = e === 'kiln-O0' ? 0 : 2;
    const target: KilnTarget = e === 'kiln-O2-aarch64' ? 'aarch64' : 'x86_64';
    let bytes = 0;
    let codeBytes = 0;
    let seconds = 0;
    for (const r of results) {
      const c = r.compile.find((x) => x.optLevel === optLevel && x.target === target);
      if (c?.ok && c.seconds) {
        bytes += r.wasmBytes;
        codeBytes += r.codeBytes;
        seconds += c.seconds;
      }
    }
    throughput.push({
      optLevel,
      target,
      bytes,
      codeBytes,
      seconds,
      mbPerSecond: seconds > 0 ? bytes / 1e6 / seconds : null,
      codeMbPerSecond: seconds > 0 ? codeBytes / 1e6 / seconds : null,
    });
  }

  const compileSpeed: CompileSpeedResult[] = [];
  for (const e of engines) {
    if (e !== 'kiln-O2' && e !== 'kiln-O2-aarch64') continue;
    const target: KilnTarget = e === 'kiln-O2-aarch64' ? 'aarch64' : 'x86_64';
    const compiled = results.filter((r) => r.compile.some((c) => c.optLevel === 2 && c.target === target && c.ok));
    if (compiled.length === 0) continue;
    const largest = compiled.reduce((a, b) => (b.codeBytes > a.codeBytes ? b : a));
    const jobs = defaultJobs();
    const cs: CompileSpeedResult = {
      engine: e, optLevel: 2, target, benchmark: largest.name, wasmBytes: largest.wasmBytes, codeBytes: largest.codeBytes, runs: repeat,
      warm: null, cold: null, coldParallel: null,
    };
    compileSpeed.push(cs);
    const rates = (t: TimedCompile, requestedJobs: number): CompileRun => {
      const mb = largest.wasmBytes / 1e6 / t.seconds;
      const code = largest.codeBytes / 1e6 / t.seconds;
      return { ...t, requestedJobs, mbPerSecond: mb, codeMbPerSecond: code, mbPerSecondPerCore: mb / t.jobs, codeMbPerSecondPerCore: code / t.jobs, mbPerCpuSecond: largest.wasmBytes / 1e6 / t.cpuSeconds };
    };
    try {
      const wasm = buildC(largest.name, 'wasm');
      const warmup = opts.quick ? 1 : COMPILE_WARMUP;
      progress(`compile throughput: ${largest.name} -O2 ${target}, in-process after ${warmup} warm-up compiles, 1 thread`);
      cs.warm = rates(await timeCompile(wasm, target, 2, 1, repeat, warmup), 1);
      progress(`compile throughput: ${largest.name} -O2 ${target}, fresh process, 1 thread`);
      cs.cold = rates(await timeColdCompile(wasm, target, 2, 1, repeat), 1);
      progress(`compile throughput: ${largest.name} -O2 ${target}, fresh process, --jobs ${jobs}`);
      cs.coldParallel = rates(await timeColdCompile(wasm, target, 2, jobs, repeat), jobs);
    } catch (err) {
      cs.error = errorText(err);
      failures.push(`compile throughput (${ENGINES[e].label}, ${largest.name}): ${cs.error}`);
    }
  }

  progress('start-up: hello world');
  const startup = await measureStartup(host, opts.quick ? 5 : 200, emulatedPrefix);
  if (startup.error) failures.push(`start-up: ${startup.error}`);

  return {
    schema: 'kiln-bench/1',
    date: new Date().toISOString(),
    host: {
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      nodeFlags: process.execArgv,
      loadavgStart,
      loadavgEnd: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    config: {
      repeat,
      quick: opts.quick,
      target: `${opts.target}-linux`,
      interpDivisor: opts.quick ? 1 : INTERP_DIVISOR,
      emulatedDivisor: host ? null : EMULATED_DIVISOR,
    },
    baseline,
    engines: engines.map((e) => ENGINES[e]),
    benchmarks: results,
    geomean: geo,
    compileThroughput: throughput,
    compileSpeed,
    startup,
    failures,
  };
}

function formatProgress(tag: string, er: EngineResult, baseLabel: string): string {
  const label = ENGINES[er.engine].label.padEnd(16);
  if (!er.ok) return `${tag} ${label} FAILED: ${er.error?.split('\n')[0]}`;
  const secs = er.seconds!.toFixed(3).padStart(8);
  const ratio = er.ratio === null ? '' : ` (${er.ratio.toFixed(2)}x ${baseLabel})`;
  const sc = er.scaling ? ` [measured ${er.scaling.measuredSeconds.toFixed(2)} s at size ${er.size}, x${er.scaling.factor} after ${er.scaling.startupSeconds.toFixed(2)} s start-up]` : '';
  return `${tag} ${label} ${secs} s${ratio} checksum ok${sc}`;
}

/** Median start-up of a hello world: kiln -O2 executable vs a static C build, interleaved. */
async function measureStartup(host: boolean, runs: number, prefix: string[]): Promise<StartupResult> {
  const target: KilnTarget = host ? 'x86_64' : 'aarch64';
  try {
    const wasm = buildC(STARTUP_PROGRAM, 'wasm');
    const kiln = await buildKiln(wasm, target, 2);
    const cKind: CBuildKind = host ? 'native-static' : 'aarch64';
    const c = buildC(STARTUP_PROGRAM, cKind);
    const programs = [
      { name: 'kiln -O2 hello', describe: `kiln -O2${host ? '' : ' --target aarch64-linux'} (static, with the kiln runtime)`, path: kiln.exe },
      { name: 'C hello', describe: C_BUILDS[cKind].describe, path: c },
    ];
    const times = programs.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      programs.forEach((p, j) => {
        const r = timedRun([...prefix, p.path], 30_000);
        const bad = describeFailure(r) ?? (r.stdout.trim() !== 'hello, world' ? `printed ${JSON.stringify(r.stdout)}` : undefined);
        if (bad) throw new Error(`${p.name}: ${bad}`);
        times[j]!.push(r.seconds * 1000);
      });
    }
    return {
      runs,
      emulated: !host,
      programs: programs.map((p, j) => ({ name: p.name, describe: p.describe, bytes: fileSize(p.path), medianMs: median(times[j]!), minMs: Math.min(...times[j]!) })),
    };
  } catch (e) {
    return { runs, emulated: !host, programs: [], error: errorText(e) };
  }
}
