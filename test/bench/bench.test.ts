/**
 * `kiln bench` as a user runs it (the built bin/kiln.js), in --quick mode on three
 * benchmarks: the JSON shape, checksum agreement between engines, progress and report.
 * No timing assertions: speed is measured by kiln bench, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSvg } from '../../bench/plot.js';
import { formatReport } from '../../bench/report.js';
import type { BenchResults } from '../../bench/runner.js';
import { BENCHMARKS, selectBenchmarks, STARTUP_PROGRAM } from '../../bench/suite.js';

const haveClang = spawnSync('clang-14', ['--version']).status === 0;
const PICK = ['crc32', 'nbody', 'vm'];

describe('benchmark suite definition', () => {
  it('lists every program in bench/programs, at least 12, covering every category', () => {
    const files = readdirSync('bench/programs')
      .filter((f) => f.endsWith('.c'))
      .map((f) => f.slice(0, -2))
      .filter((f) => f !== STARTUP_PROGRAM)
      .sort();
    expect(BENCHMARKS.map((b) => b.name).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(new Set(BENCHMARKS.map((b) => b.category))).toEqual(new Set(['integer', 'float', 'memory', 'control', 'string']));
    for (const b of BENCHMARKS) expect(b.quickSize).toBeLessThan(b.size);
  });

  it('--filter: exact names select only themselves, other words match substrings', () => {
    expect(selectBenchmarks('hash').map((b) => b.name)).toEqual(['hash']);
    expect(selectBenchmarks('has').map((b) => b.name)).toEqual(['hash', 'hashtable']);
    expect(selectBenchmarks('nbody, LZ').map((b) => b.name)).toEqual(['nbody', 'lz']);
    expect(selectBenchmarks(undefined)).toHaveLength(BENCHMARKS.length);
    expect(selectBenchmarks('nothing-like-this')).toEqual([]);
  });
});

describe.skipIf(!haveClang)('kiln bench --quick', () => {
  let results: BenchResults;
  let stdout: string;
  let stderr: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
    const json = join(dir, 'out.json');
    const r = await execa('node', ['bin/kiln.js', 'bench', '--quick', '--filter', PICK.join(','), '--json', json, '--plot', join(dir, 'out.svg')], {
      reject: false,
      env: { FORCE_COLOR: '0' },
      timeout: 900_000,
    });
    stdout = r.stdout;
    stderr = r.stderr;
    exitCode = r.exitCode;
    results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  }, 900_000);

  it('writes results for the chosen benchmarks on every engine', () => {
    expect(results.schema).toBe('kiln-bench/1');
    expect(results.config).toMatchObject({ quick: true, repeat: 1, target: 'x86_64-linux' });
    expect(results.baseline).toBe('native');
    expect(results.engines.map((e) => e.id)).toEqual(['native', 'kiln-O2', 'kiln-O0', 'v8', 'turbofan', 'liftoff', 'interp']);
    expect(results.benchmarks.map((b) => b.name)).toEqual(PICK);
    for (const b of results.benchmarks) {
      expect(b.wasmBytes).toBeGreaterThan(0);
      expect(b.engines.map((e) => e.engine)).toEqual(results.engines.map((e) => e.id));
      expect(b.fileBytes.wasm).toBe(b.wasmBytes);
      expect(b.codeBytes).toBeGreaterThan(0);
      expect(b.codeBytes).toBeLessThan(b.wasmBytes);
      for (const e of b.engines) {
        expect(e.times).toHaveLength(e.ok ? 1 : e.times.length);
        if (e.ok) {
          expect(e.seconds).toBeGreaterThan(0);
          expect(e.ratio).toBeGreaterThan(0);
        } else expect(typeof e.error).toBe('string');
      }
      expect(b.compile.map((c) => c.optLevel).sort()).toEqual([0, 2]);
    }
    expect(Object.keys(results.geomean).sort()).toEqual(results.engines.map((e) => e.id).sort());
    expect(results.compileThroughput.map((c) => c.optLevel).sort()).toEqual([0, 2]);
    // Compile throughput at -O2 on the largest of the chosen benchmarks (by code section): warm in-process, cold in fresh processes.
    expect(results.compileSpeed).toHaveLength(1);
    const cs = results.compileSpeed[0]!;
    const largest = results.benchmarks.reduce((a, b) => (b.codeBytes > a.codeBytes ? b : a));
    expect(cs).toMatchObject({ engine: 'kiln-O2', optLevel: 2, target: 'x86_64', benchmark: largest.name, wasmBytes: largest.wasmBytes, codeBytes: largest.codeBytes });
    expect(cs.warm).toMatchObject({ requestedJobs: 1, jobs: 1, warmup: 1 });
    expect(cs.warm!.processSeconds).toBeUndefined();
    expect(cs.cold).toMatchObject({ requestedJobs: 1, jobs: 1, warmup: 0 });
    expect(cs.coldParallel!.requestedJobs).toBeGreaterThanOrEqual(1);
    for (const run of [cs.cold!, cs.coldParallel!]) {
      // The fresh process's compile is part of its life from spawn to exit.
      expect(run.processSeconds).toBeGreaterThan(run.seconds);
    }
    for (const run of [cs.warm!, cs.cold!, cs.coldParallel!]) {
      expect(run.jobs).toBeLessThanOrEqual(run.requestedJobs);
      expect(run.mbPerSecond).toBeCloseTo(cs.wasmBytes / 1e6 / run.seconds, 6);
      expect(run.mbPerSecondPerCore).toBeCloseTo(run.mbPerSecond / run.jobs, 6);
      expect(run.codeMbPerSecondPerCore).toBeCloseTo(cs.codeBytes / 1e6 / run.seconds / run.jobs, 6);
    }
    expect(results.startup?.programs.map((p) => p.name)).toEqual(['kiln -O2 hello', 'C hello']);
    expect(results.host.loadavgStart).toHaveLength(3);
  });

  it('every engine printed the native checksum line at the same size', () => {
    for (const b of results.benchmarks) {
      expect(b.checksum).toMatch(new RegExp(`^${b.name} .*checksum=[0-9a-f]+$`));
      for (const e of b.engines) {
        // A failure (say a known -O2 bug) must be reported, never hidden: then the
        // error names it and the command exits 1; a success must agree exactly.
        if (!e.ok) {
          expect(results.failures.some((f) => f.startsWith(`${b.name} on `))).toBe(true);
          continue;
        }
        expect(e.checksumOk).toBe(true);
        expect(e.output).toBe(e.expected);
        expect(e.size).toBe(b.size); // quick mode: the interpreter runs the same size
        expect(e.output).toBe(b.checksum);
      }
    }
    expect(exitCode).toBe(results.failures.length === 0 ? 0 : 1);
  });

  it('reports progress per benchmark/engine on stderr and the tables on stdout', () => {
    for (const b of PICK) for (const e of ['native', 'kiln -O2', 'kiln -O0', 'V8', 'Liftoff', 'interp']) expect(stderr).toMatch(new RegExp(`\\] ${b} +${e} `));
    expect(stdout).toMatch(/^geomean/m);
    expect(stdout).toContain('MB/s');
    expect(stdout).toContain('not measurable the same way');
    expect(stdout).toContain('Process start-up');
    expect(stdout).toMatch(/compile throughput at -O2 on the largest benchmark/);
    expect(stdout).toMatch(/^kiln -O2 +warm, --jobs 1 +1 /m);
    expect(stdout).toMatch(/^kiln -O2 +cold, --jobs 1 +1 /m);
    expect(stdout).toContain('MB/s per core');
    expect(stdout).toMatch(/load average/);
  });

  it('the report and the plot show a failure as a failure', () => {
    const broken = structuredClone(results);
    const e = broken.benchmarks[0]!.engines.find((x) => x.engine === 'kiln-O2')!;
    Object.assign(e, { ok: false, ratio: null, seconds: null, checksumOk: false, error: 'cannot compile: boom' });
    broken.failures.push(`${broken.benchmarks[0]!.name} on kiln -O2: cannot compile: boom`);
    expect(formatReport(broken)).toMatch(/FAIL/);
    expect(formatReport(broken)).toContain('cannot compile: boom');
    const svg = renderSvg(broken);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('failed');
    expect(svg).toContain('geomean');
  });
});
