/**
 * `kiln bench`: the benchmark suite (bench/programs) on native clang -O2, kiln -O2/-O0,
 * V8 (default tiering and Liftoff only) and kiln's interpreter; or, with --target
 * aarch64-linux, kiln vs GCC AArch64 builds under qemu. Progress goes to stderr, the
 * report to stdout. Exit status 1 when any build, run or checksum failed (after reporting).
 */
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { formatReport } from '../../bench/report.js';
import { renderSvg } from '../../bench/plot.js';
import { ENGINES, runBenchmarks, type EngineId } from '../../bench/runner.js';
import { BENCHMARKS, selectBenchmarks } from '../../bench/suite.js';
import { EXIT_FAILURE, EXIT_USAGE, UserError } from './exit.js';
import { resolveTarget } from './target.js';

interface BenchArgs {
  filter?: string;
  repeat: number;
  json?: string;
  plot?: string;
  target?: string;
  quick: boolean;
  engines?: string;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'Run the benchmark suite: kiln vs native clang, V8 and the interpreter',
  builder: (y) =>
    y
      .option('filter', { type: 'string', describe: 'only benchmarks whose name contains one of these comma-separated words' })
      .option('repeat', { alias: 'n', type: 'number', default: 3, describe: 'runs per benchmark and engine (the median is reported)' })
      .option('json', { type: 'string', describe: 'also write machine-readable results to this file' })
      .option('plot', { type: 'string', describe: 'also draw the ratios as a bar chart into this .svg file' })
      .option('target', { type: 'string', choices: ['x86_64-linux', 'aarch64-linux'], describe: 'aarch64-linux: kiln vs GCC AArch64 builds, both under qemu (emulated)' })
      .option('engines', { type: 'string', describe: `comma-separated subset of engines (${Object.keys(ENGINES).join(', ')}); the baseline always runs` })
      .option('quick', { type: 'boolean', default: false, describe: 'tiny sizes, one run each (a smoke test; times are meaningless)' })
      .example('$0 bench --filter nbody,lz --repeat 5', 'two benchmarks, five runs each')
      .example('$0 bench --json out.json --plot out.svg', 'the whole suite, with machine-readable results and a chart')
      .epilog(`Benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}. Builds are cached under ~/.cache/kiln/bench ($KILN_CACHE_DIR).`),
  handler: async (args) => {
    const benchmarks = selectBenchmarks(args.filter);
    if (benchmarks.length === 0) throw new UserError(`no benchmark matches '${args.filter}' (benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')})`, EXIT_USAGE);
    if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new UserError('--repeat takes a positive whole number', EXIT_USAGE);
    let engines: EngineId[] | undefined;
    if (args.engines !== undefined) {
      const names = args.engines.split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const n of names) if (!(n in ENGINES)) throw new UserError(`unknown engine '${n}' (engines: ${Object.keys(ENGINES).join(', ')})`, EXIT_USAGE);
      engines = names as EngineId[];
    }
    const target = resolveTarget(args.target);
    if (target === 'x86_64' && process.arch !== 'x64') throw new UserError('the host engines need an x86-64 host', EXIT_USAGE);
    const results = await runBenchmarks({
      benchmarks,
      repeat: args.repeat,
      quick: args.quick,
      target,
      engines,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(formatReport(results));
    if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2) + '\n');
    if (args.plot) writeFileSync(args.plot, renderSvg(results));
    if (results.failures.length > 0) process.exitCode = EXIT_FAILURE;
  },
};
