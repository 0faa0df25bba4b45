/**
 * The `kiln` command line. Each command lives in its own file and exports a yargs
 * CommandModule; this file only assembles them and maps failures to exit codes.
 */
import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { EXIT_USAGE, UserError } from './exit.js';
import { compileCommand } from './compile.js';
import { runCommand } from './run.js';
import { ToolchainError } from '../../toolchain/cc.js';
import { ToolMissingError } from '../../toolchain/tools.js';
import { doctorCommand } from './doctor.js';
import { inspectCommand } from './inspect.js';
import { specCommand } from './spec.js';
import { validateCommand } from './validate.js';
import { benchCommand } from './bench.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: CommandModule<any, any>[] = [compileCommand, runCommand, validateCommand, inspectCommand, specCommand, doctorCommand, benchCommand];

/** Runs the CLI and returns the process exit code (commands store theirs in `process.exitCode`). */
export async function main(argv: string[]): Promise<number> {
  let usageError = false;
  const parser: Argv = yargs(argv)
    .scriptName('kiln')
    .usage('$0 <command> [options]\n\nAhead-of-time WebAssembly compiler: .wasm in, native x86-64/AArch64 Linux executable out.')
    .strict()
    .demandCommand(1, 'Name a command: see the list above.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    // Wrap to the terminal; unwrapped when piped, so lines are never cut mid-word.
    .wrap(process.stdout.isTTY ? Math.min(110, process.stdout.columns) : null)
    .fail((msg, error) => {
      if (error) throw error;
      usageError = true;
      process.stderr.write(`${chalk.red('kiln:')} ${msg}\nRun 'kiln --help' for usage.\n`);
    });
  for (const c of commands) parser.command(c);
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`${chalk.red('kiln:')} ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof ToolchainError || e instanceof ToolMissingError) {
      process.stderr.write(`${chalk.red('kiln:')} ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`${chalk.red('kiln: internal error:')} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
  if (usageError) return EXIT_USAGE;
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
