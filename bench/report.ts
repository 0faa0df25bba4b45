/** The text report of `kiln bench`: plain-text tables from BenchResults (no colour, so it pastes anywhere). */
import { ENGINES, type BenchResults, type CompileRun, type EngineId } from './runner.js';

function table(head: string[], rows: string[][], alignLeft = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

const kb = (n: number | undefined) => (n === undefined ? '-' : (n / 1024).toFixed(1));

export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  const engines = r.engines.map((e) => e.id);
  const others = engines.filter((e) => e !== r.baseline);
  const emulated = r.engines.some((e) => e.emulated);
  const base = ENGINES[r.baseline];

  out.push(
    `kiln bench: ${r.benchmarks.length} benchmarks, ${r.config.target}${emulated ? ' (EMULATED under qemu-aarch64: ratios only, absolute times are not hardware times)' : ''}, ` +
      `median of ${r.config.repeat} run${r.config.repeat === 1 ? '' : 's'}${r.config.quick ? ' (--quick: tiny sizes, times meaningless)' : ''}`,
  );
  out.push(`host: ${r.host.cpus} x ${r.host.cpuModel}, node ${r.host.node}${r.host.nodeFlags.length > 0 ? ` ${r.host.nodeFlags.join(' ')}` : ''}; load average ${r.host.loadavgStart.join(' ')} at start, ${r.host.loadavgEnd.join(' ')} at end`);
  out.push('');
  out.push(`Engines (ratio = engine time / ${base.label} time; lower is better; whole-process wall clock, start-up included):`);
  for (const e of r.engines) out.push(`  ${e.label.padEnd(16)} ${e.describe}`);
  if (engines.includes('interp') && r.config.interpDivisor > 1) {
    out.push(
      `  * interp runs at size/${r.config.interpDivisor}; reported time = t0 + (t - t0) x ${r.config.interpDivisor}, ` +
        `where t0 is its time at size 0 (Node start-up + translation, not scaled).`,
    );
  }
  if (r.config.emulatedDivisor) out.push(`  emulated runs use size/${r.config.emulatedDivisor} for both builds.`);
  out.push('');

  const head = ['benchmark', 'size', `${base.label} s`, ...others.map((e) => ENGINES[e].label + (e === 'interp' && r.config.interpDivisor > 1 ? '*' : ''))];
  const rows = r.benchmarks.map((b) => {
    const cell = (id: EngineId) => {
      const e = b.engines.find((x) => x.engine === id);
      if (!e) return '-';
      if (!e.ok) return e.error === 'checksum mismatch' ? 'BAD SUM' : 'FAIL';
      return e.ratio === null ? '-' : `${e.ratio.toFixed(2)}x`;
    };
    const baseE = b.engines.find((x) => x.engine === r.baseline);
    const baseCell = !baseE ? 'FAIL' : baseE.ok && baseE.seconds !== null ? baseE.seconds.toFixed(3) : 'FAIL';
    return [b.name, String(b.size), baseCell, ...others.map(cell)];
  });
  rows.push([
    'geomean',
    '',
    '',
    ...others.map((e) => {
      const g = r.geomean[e];
      if (!g || g.ratio === null) return '-';
      return `${g.ratio.toFixed(2)}x${g.over < g.of ? ` (${g.over}/${g.of})` : ''}`;
    }),
  ]);
  out.push(table(head, rows, 1));
  const mismatches = r.benchmarks.flatMap((b) => b.engines.filter((e) => e.error === 'checksum mismatch').map((e) => `${b.name}/${e.engine}`));
  const ran = r.benchmarks.reduce((n, b) => n + b.engines.filter((e) => e.ok).length, 0);
  out.push(
    mismatches.length === 0
      ? `checksums: all ${ran} successful benchmark/engine results printed the same line as ${base.label} at the same size`
      : `checksums: MISMATCH in ${mismatches.join(', ')}`,
  );
  out.push('');

  if (r.compileThroughput.length > 0) {
    const cfgs = r.compileThroughput;
    const name = (c: (typeof cfgs)[number]) => `-O${c.optLevel}${c.target === 'x86_64' ? '' : ` ${c.target}`}`;
    out.push('kiln compile time (one thread, in-process: decode, validate, translate, optimise, generate code; no link; one compile each):');
    out.push('MB/s is module bytes per second; "code MB/s" counts only the code section (the modules are ~80% debug-info custom sections from wasi-libc).');
    const chead = ['benchmark', 'wasm KB', 'code KB', ...cfgs.flatMap((c) => [`${name(c)} s`, `${name(c)} MB/s`, `code MB/s`])];
    const crows = r.benchmarks.map((b) => [
      b.name,
      kb(b.wasmBytes),
      kb(b.codeBytes),
      ...cfgs.flatMap((c) => {
        const x = b.compile.find((y) => y.optLevel === c.optLevel && y.target === c.target);
        if (!x) return ['-', '-', '-'];
        if (!x.ok) return ['FAIL', '-', '-'];
        return [x.seconds!.toFixed(3), x.mbPerSecond!.toFixed(3), x.codeMbPerSecond!.toFixed(3)];
      }),
    ]);
    const f3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));
    crows.push(['total', kb(cfgs[0]!.bytes), kb(cfgs[0]!.codeBytes), ...cfgs.flatMap((c) => [c.seconds.toFixed(2), f3(c.mbPerSecond), f3(c.codeMbPerSecond)])]);
    out.push(table(chead, crows, 1));
    if (engines.some((e) => e === 'v8' || e === 'turbofan' || e === 'liftoff')) {
      out.push(
        'V8 compile time (all three V8 engines) is not measurable the same way: V8 compiles lazily and in tiers inside the timed process ' +
          '(TurboFan in background threads while the program runs), so it is part of their run times above.',
      );
    }
    out.push('');
  }

  if (r.compileSpeed.length > 0) {
    const p0 = r.compileSpeed[0]!;
    out.push(
      `kiln compile throughput at -O2 on the largest benchmark (${p0.benchmark}: ${kb(p0.wasmBytes)} KB wasm, ${kb(p0.codeBytes)} KB of it the code section), ` +
        `decode to object, median of ${p0.runs}. warm: in this process after ${p0.warm?.warmup ?? '?'} untimed compiles of the module (V8 has optimised kiln by then); ` +
        'cold: a fresh Node process per compile, as a first `kiln compile` (compile time inside it; "process s" is spawn to exit). ' +
        'Per core = MB/s / threads used; per CPU s = bytes / CPU time of all threads (not inflated by other load, but including V8\'s own compiler threads):',
    );
    const f = (x: number) => x.toFixed(3);
    const prow = (label: string, run: CompileRun | null, how: string): string[] =>
      run === null
        ? [label, how, 'FAIL', '-', '-', '-', '-', '-', '-', '-', '-']
        : [
            label, how, String(run.jobs), run.seconds.toFixed(3), run.cpuSeconds.toFixed(3),
            f(run.mbPerSecond), f(run.codeMbPerSecond), f(run.mbPerSecondPerCore), f(run.codeMbPerSecondPerCore), f(run.mbPerCpuSecond),
            run.processSeconds === undefined ? '-' : run.processSeconds.toFixed(3),
          ];
    const prows = r.compileSpeed.flatMap((p) => [
      prow(ENGINES[p.engine].label, p.warm, 'warm, --jobs 1'),
      prow(ENGINES[p.engine].label, p.cold, 'cold, --jobs 1'),
      prow(ENGINES[p.engine].label, p.coldParallel, `cold, --jobs ${p.coldParallel?.requestedJobs ?? '?'}`),
    ]);
    out.push(table(['engine', 'how', 'threads', 'wall s', 'CPU s', 'MB/s', 'code MB/s', 'MB/s per core', 'code MB/s per core', 'MB/s per CPU s', 'process s'], prows, 2));
    out.push('');
  }

  const sizeCols: (EngineId | 'wasm')[] = ['wasm', ...engines.filter((e) => e !== 'v8' && e !== 'turbofan' && e !== 'liftoff' && e !== 'interp')];
  out.push(
    `File sizes (KB): wasm module and executables (${emulated ? 'both static' : 'native is dynamically linked to glibc'}; kiln executables include the kiln runtime):`,
  );
  out.push(
    table(
      ['benchmark', ...sizeCols.map((c) => (c === 'wasm' ? 'wasm' : ENGINES[c].label))],
      r.benchmarks.map((b) => [b.name, ...sizeCols.map((c) => kb(b.fileBytes[c]))]),
      1,
    ),
  );
  out.push('');

  if (r.startup) {
    const s = r.startup;
    out.push(`Process start-up, hello world, ${s.runs} runs each, interleaved (spawn to exit, from Node)${s.emulated ? ' - EMULATED under qemu' : ''}:`);
    if (s.error) out.push(`  FAILED: ${s.error}`);
    for (const p of s.programs) out.push(`  ${p.name.padEnd(16)} median ${p.medianMs.toFixed(2)} ms, min ${p.minMs.toFixed(2)} ms, ${kb(p.bytes)} KB  (${p.describe})`);
    out.push('');
  }

  if (r.failures.length > 0) {
    out.push(`FAILURES (${r.failures.length}):`);
    for (const f of r.failures) out.push(`  ${f.replace(/\n/g, '\n    ')}`);
  } else out.push('No failures.');
  return out.join('\n') + '\n';
}
