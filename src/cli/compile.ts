/** `kiln compile`: .wasm → native executable (default), relocatable object, assembly listing, or IR. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import type { CommandModule } from 'yargs';
import { translateAndOptimise } from '../frontend/translate.js';
import type { OptLevel } from '../ir/pipeline.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { findInPath } from '../../toolchain/cc.js';
import type { StageTimes } from '../backend/compile.js';
import { codeSectionBytes } from '../frontend/reader.js';
import { compileToObject, JOBS_OPTION, loadWasm, parseJobs, writeFileAtomic } from './build.js';
import { EXIT_OK, UserError } from './exit.js';
import { hasGrants, linkWithGrants, parseGrants, withGrantOptions, type GrantArgs } from './grants.js';
import { resolveTarget, TARGET_CHOICES, targetName } from './target.js';

type Emit = 'exe' | 'obj' | 'asm' | 'ir';

interface CompileArgs extends GrantArgs {
  file: string;
  output?: string;
  target?: string;
  opt: number;
  emit: Emit;
  bounds: 'guard' | 'explicit';
  stats: boolean;
  jobs?: number;
}

function defaultOutput(file: string, emit: Emit): string | undefined {
  const stem = basename(file).replace(/\.wasm$/, '');
  if (emit === 'exe') return stem === basename(file) ? `${stem}.out` : stem;
  if (emit === 'obj') return `${stem}.o`;
  return undefined; // asm and ir go to stdout
}

/** A readable listing of the object: the system disassembler for the target, with kiln's symbol names. */
async function disassemble(object: Uint8Array, target: KilnTarget): Promise<string> {
  const tool = target === 'aarch64' ? 'aarch64-linux-gnu-objdump' : 'objdump';
  const path = findInPath(tool);
  if (!path) throw new UserError(`--emit asm needs ${tool} (Debian package ${target === 'aarch64' ? 'binutils-aarch64-linux-gnu' : 'binutils'})`, 1);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-asm-'));
  try {
    const obj = join(dir, 'module.o');
    writeFileSync(obj, object);
    const args = target === 'x86_64' ? ['-d', '-r', '-M', 'intel', '--no-show-raw-insn', obj] : ['-d', '-r', '--no-show-raw-insn', obj];
    const r = await execa(path, args, { reject: false });
    if (r.exitCode !== 0) throw new UserError(`disassembly failed: ${r.stderr}`, 1);
    return r.stdout.split('\n').slice(2).join('\n') + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The `--stats` per-stage breakdown: milliseconds and MB/s of wasm (whole module and code
 * section). With several compile threads the per-function stages are sums over threads.
 */
function stageLines(bytes: Uint8Array, loadMs: number, t: StageTimes, totalMs: number, jobs: number): string {
  const code = codeSectionBytes(bytes);
  const stages: [string, number][] = [
    ['decode+validate', loadMs],
    ['translate', t.translate],
    ['passes', t.passes],
    ['isel', t.isel],
    ['regalloc', t.regalloc],
    ['emit', t.emit],
    ['trampolines', t.trampolines],
    ['object', t.object],
  ];
  const rate = (n: number, ms: number): string => (ms > 0 ? (n / 1e6 / (ms / 1000)).toFixed(2) : '∞');
  const rows = stages.map(([name, ms]) => `kiln:   ${name.padEnd(16)} ${ms.toFixed(1).padStart(9)} ms  ${rate(bytes.length, ms).padStart(8)} MB/s  ${rate(code, ms).padStart(8)} MB/s code\n`);
  const summed = jobs > 1 ? `; translate…emit are sums over ${jobs} threads` : '';
  return `kiln: stages (wasm ${bytes.length} bytes, code section ${code} bytes; total ${rate(code, totalMs)} MB/s of code${summed}):\n` + rows.join('');
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile <file>',
  describe: 'Compile a .wasm module to a native executable (or object, assembly, IR)',
  builder: (y) =>
    withGrantOptions(y, { compile: true })
      .positional('file', { type: 'string', demandOption: true, describe: 'the .wasm module' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output path (default: FILE without .wasm; .o for obj; stdout for asm and ir)' })
      .option('target', { alias: 't', type: 'string', choices: TARGET_CHOICES, describe: 'Target machine (default: this host)' })
      .option('opt', { alias: 'O', type: 'number', choices: [0, 1, 2], default: 2, describe: 'Optimisation level' })
      .option('emit', { type: 'string', choices: ['exe', 'obj', 'asm', 'ir'] as const, default: 'exe' as Emit, describe: 'What to produce' })
      .option('bounds', {
        type: 'string',
        choices: ['guard', 'explicit'] as const,
        default: 'guard' as const,
        describe: 'Memory bounds: guard pages (no checks in code) or explicit compare-per-access',
      })
      .option('jobs', JOBS_OPTION)
      .option('stats', { type: 'boolean', default: false, describe: 'Print compile statistics and throughput on stderr' })
      .example('$0 compile app.wasm -o app', 'native executable for this machine')
      .example('$0 compile app.wasm -o app --target aarch64-linux', 'cross-compile for 64-bit ARM Linux')
      .example('$0 compile app.wasm --emit ir -O2', 'print the optimised IR')
      .example('$0 compile app.wasm -o app --dir-ro /srv/www::/www --env LANG', 'embed WASI grants (default: stdio and argv only)')
      .epilog('Exit status: 0 compiled; 1 malformed/invalid wasm or unsupported feature; 2 usage error or unreadable input. No partial output is left on failure.'),
  handler: async (args) => {
    const target = resolveTarget(args.target);
    const optLevel = args.opt as OptLevel;
    const jobs = parseJobs(args.jobs);
    const started = performance.now();
    const { bytes, vm } = loadWasm(args.file);
    const loaded = performance.now();
    const output = args.output ?? defaultOutput(args.file, args.emit);
    const grants = parseGrants(args);
    if (args.emit !== 'exe' && (hasGrants(grants) || grants.allowRuntimeGrants))
      throw new UserError('grants (--dir, --dir-ro, --env, --inherit-env, --allow-runtime-grants) need --emit exe', 2);

    if (args.emit === 'ir') {
      const r = translateAndOptimise(vm, optLevel, { bounds: args.bounds });
      if (!r.ok) throw new UserError(`${args.file}: ${r.error.message}`, 1);
      if (output) writeFileAtomic(output, r.value);
      else process.stdout.write(r.value);
      process.exitCode = EXIT_OK;
      return;
    }

    const { object, stats } = await compileToObject(args.file, bytes, vm, { target, optLevel, bounds: args.bounds, jobs });
    const compiled = performance.now();
    if (args.emit === 'obj') writeFileAtomic(output!, object);
    else if (args.emit === 'asm') {
      const text = await disassemble(object, target);
      if (output) writeFileAtomic(output, text);
      else process.stdout.write(text);
    } else await linkWithGrants(object, target, output!, grants);

    if (args.stats) {
      const ms = compiled - started;
      const mbps = bytes.length / 1e6 / (ms / 1000);
      process.stderr.write(
        `kiln: ${args.file} → ${targetName(target)} -O${optLevel}: ${stats.functions} functions, ${stats.trampolines} trampolines, ` +
          `${bytes.length} wasm bytes → ${stats.codeBytes} code bytes; ${stats.spills} spills, ${stats.reloads} reloads\n` +
          `kiln: compile ${ms.toFixed(1)} ms on ${stats.jobs} thread${stats.jobs === 1 ? '' : 's'} (--jobs ${jobs}): ` +
          `${mbps.toFixed(2)} MB/s of wasm, ${(mbps / stats.jobs).toFixed(2)} MB/s per thread` +
          (args.emit === 'exe' ? `, link ${(performance.now() - compiled).toFixed(1)} ms` : '') +
          '\n' +
          stageLines(bytes, loaded - started, stats.times, ms, stats.jobs),
      );
    }
    process.exitCode = EXIT_OK;
  },
};
