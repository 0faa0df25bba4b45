/**
 * `kiln run`: compile (cached by the module's content hash, the flags and the compiler's
 * own fingerprint) and execute, natively or under qemu for a foreign target. The
 * program's exit status becomes kiln's; a trap exits 134 as the runtime reports it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { constants } from 'node:os';
import type { CommandModule } from 'yargs';
import type { OptLevel } from '../ir/pipeline.js';
import { kilnCacheDir } from '../../toolchain/runtime.js';
import { runExecutable } from '../../qemu/run.js';
import { compileToObject, JOBS_OPTION, loadWasm, parseJobs } from './build.js';
import { EXIT_FAILURE, EXIT_USAGE, UserError } from './exit.js';
import { compilerFingerprint } from './fingerprint.js';
import { encodeRuntimeGrants, guestEnvironment, linkWithGrants, NO_GRANTS, parseGrants, withGrantOptions, type GrantArgs } from './grants.js';
import { readInputFile } from './input.js';
import { runWasiInterp } from './run-interp.js';
import { resolveTarget, TARGET_CHOICES } from './target.js';

interface RunArgs extends GrantArgs {
  file: string;
  args: string[];
  /** Everything after `--`, verbatim (so program flags are never parsed as kiln's). */
  '--'?: string[];
  target?: string;
  opt: number;
  bounds: 'guard' | 'explicit';
  engine: 'native' | 'interp';
  jobs?: number;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <file> [args..]',
  describe: 'Compile a .wasm program (cached) and run it; arguments after -- go to the program',
  builder: (y) =>
    withGrantOptions(y, { compile: false })
      .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
      .positional('file', { type: 'string', demandOption: true, describe: 'the .wasm program (a WASI command)' })
      .positional('args', { type: 'string', array: true, default: [], describe: 'arguments for the program' })
      .option('target', { alias: 't', type: 'string', choices: TARGET_CHOICES, describe: 'Target machine (default: this host; others run under qemu)' })
      .option('opt', { alias: 'O', type: 'number', choices: [0, 1, 2], default: 2, describe: 'Optimisation level' })
      .option('bounds', { type: 'string', choices: ['guard', 'explicit'] as const, default: 'guard' as const, describe: 'Memory bounds strategy' })
      .option('jobs', JOBS_OPTION)
      .option('engine', {
        type: 'string',
        choices: ['native', 'interp'] as const,
        default: 'native' as const,
        describe: "native: compile and run machine code; interp: kiln's IR interpreter with Node's WASI (no compilation; a baseline)",
      })
      .example('$0 run app.wasm -- input.txt', 'run with one argument')
      .example('$0 run app.wasm --dir ./data::/data --env HOME -- /data/in.txt', 'grant a directory and one variable')
      .epilog(
        'Compiled executables are cached under ~/.cache/kiln/exe ($KILN_CACHE_DIR). The exit status is the program\'s ' +
          '(134 after a wasm trap, 128+N when killed by signal N); 1 or 2 when kiln itself fails.',
      ),
  handler: async (args) => {
    const programArgs = [...args.args, ...(args['--'] ?? [])].map(String);
    const grants = parseGrants(args);
    if (args.engine === 'interp') {
      if (grants.dirs.some((d) => d.readonly)) throw new UserError('--dir-ro is not supported with --engine interp (Node\'s WASI has no read-only preopens)', EXIT_USAGE);
      const preopens = Object.fromEntries(grants.dirs.map((d) => [d.guest, d.host]));
      const input = readInputFile(args.file);
      if (!input.ok) throw new UserError(input.message, EXIT_USAGE);
      try {
        process.exitCode = await runWasiInterp(input.bytes, [args.file, ...programArgs], guestEnvironment(grants), preopens);
      } catch (e) {
        throw new UserError(`${args.file}: ${e instanceof Error ? e.message : String(e)}`, EXIT_FAILURE);
      }
      return;
    }
    const target = resolveTarget(args.target);
    const optLevel = args.opt as OptLevel;
    const jobs = parseJobs(args.jobs);
    const { bytes, vm } = loadWasm(args.file);
    const key = createHash('sha256')
      .update(`${compilerFingerprint()}\0${target}\0${optLevel}\0${args.bounds}\0runtime-grants\0`)
      .update(bytes)
      .digest('hex')
      .slice(0, 24);
    const exe = join(kilnCacheDir(), 'exe', key, basename(args.file).replace(/\.wasm$/, '') || 'program');
    if (!existsSync(exe)) {
      const { object } = await compileToObject(args.file, bytes, vm, { target, optLevel, bounds: args.bounds, jobs });
      // Grants come from KILN_GRANTS below, so one cached executable serves every grant set.
      await linkWithGrants(object, target, exe, { ...NO_GRANTS, allowRuntimeGrants: true });
    }
    const env = { ...process.env, KILN_GRANTS: encodeRuntimeGrants(grants) } as Record<string, string>;
    const r = await runExecutable(target, exe, programArgs, { argv0: args.file, inheritStdio: true, timeoutMs: 0, env });
    if (r.signal) {
      const signo = (constants.signals as Record<string, number>)[r.signal] ?? 0;
      process.exitCode = 128 + signo;
    } else process.exitCode = r.exitCode ?? 1;
  },
};
