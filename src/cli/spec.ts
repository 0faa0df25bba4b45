/** `kiln spec`: runs official .wast spec scripts on an engine and tallies the outcome of every command. */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import chalk from 'chalk';
import type { CommandModule } from 'yargs';
import { createEngine, describeEngines, ENGINE_NAMES } from '../spec/engines.js';
import { collectWastFiles, formatTotals, runSpecFiles } from '../spec/runner.js';
import type { FileReport } from '../spec/runner.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit.js';

interface SpecArgs {
  paths: string[];
  engine: string;
  json: boolean;
  jobs: number;
  verbose: boolean;
  opt: number;
  bounds: 'guard' | 'explicit';
}

function describeFile(r: FileReport, verbose: boolean): string {
  const name = relative(process.cwd(), r.file) || r.file;
  const counts = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
  const status = r.failed > 0 ? chalk.red('FAIL') : chalk.green('ok  ');
  const lines = [`${status} ${name.padEnd(40)} ${counts}`];
  if (r.error) lines.push(`     ${r.error}`);
  for (const f of r.failures.slice(0, verbose ? Infinity : 5)) lines.push(`     line ${f.line}: ${f.type}: ${f.detail ?? ''}`);
  if (!verbose && r.failures.length > 5) lines.push(`     … ${r.failures.length - 5} more failures (--verbose lists all)`);
  if (verbose) for (const s of r.skips) lines.push(`     line ${s.line}: skipped ${s.type}: ${s.detail ?? ''}`);
  return lines.join('\n');
}

export const specCommand: CommandModule<object, SpecArgs> = {
  command: 'spec <paths..>',
  describe: 'Run official WebAssembly spec scripts (.wast files or directories of them)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: '.wast files, or directories whose .wast files to run' })
      .option('engine', {
        alias: 'e',
        type: 'string',
        default: 'validate',
        describe: `Engine: ${describeEngines()}`,
      })
      .option('opt', { alias: 'O', type: 'number', choices: [0, 1, 2], default: 2, describe: 'Optimisation level for the native engines' })
      .option('bounds', { type: 'string', choices: ['guard', 'explicit'] as const, default: 'guard' as const, describe: 'Memory bounds for the native engines' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object per file, then one with the totals' })
      .option('jobs', { alias: 'j', type: 'number', default: Math.max(1, availableParallelism()), describe: 'Files to run at once' })
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'List every failure and every skipped command' })
      .epilog(
        'Each script is converted with wast2json (cached by content hash). Skipped commands come from the checked-in skip list ' +
          'src/spec/skip.json, each with a reason. The last line is always "N passed, N failed, N skipped"; exit status 1 if anything failed.',
      ),
  handler: async (args) => {
    const engine = createEngine(args.engine, { optLevel: args.opt as 0 | 1 | 2, bounds: args.bounds });
    if (!engine) {
      process.stderr.write(`kiln spec: unknown engine '${args.engine}' (engines: ${ENGINE_NAMES.join(', ')})\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    let files: string[];
    try {
      files = collectWastFiles(args.paths);
    } catch (e) {
      process.stderr.write(`kiln spec: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    const { totals } = await runSpecFiles(engine, files, {
      jobs: args.jobs,
      onFile: (r) => {
        if (args.json) process.stdout.write(JSON.stringify({ ...r, failures: r.failures, skips: r.skips.length }) + '\n');
        else process.stdout.write(describeFile(r, args.verbose) + '\n');
      },
    });
    if (args.json) {
      process.stdout.write(JSON.stringify({ engine: engine.name, files: files.length, ...totals }) + '\n');
    } else {
      if (totals.notApplicable > 0) process.stdout.write(`${totals.notApplicable} commands need execution and are not run by engine '${engine.name}'\n`);
      if (totals.messagesChecked > 0) process.stdout.write(`rejection messages matching the spec's text: ${totals.messagesMatched}/${totals.messagesChecked}\n`);
      process.stdout.write(`engine ${engine.name}, ${files.length} files\n`);
      process.stdout.write(formatTotals(totals) + '\n');
    }
    process.exitCode = totals.failed > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};
