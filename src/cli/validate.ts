/** `kiln validate`: decode and validate modules; one line per bad file naming the offset and the rule. */
import chalk from 'chalk';
import type { CommandModule } from 'yargs';
import { formatWasmError } from '../frontend/errors.js';
import { loadModule } from '../frontend/validate.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit.js';
import { readInputFile } from './input.js';

interface ValidateArgs {
  files: string[];
  json: boolean;
  verbose: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Check that .wasm files are well-formed and valid WebAssembly 2.0',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: '.wasm files' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object per file: {file, valid, kind, offset, message}' })
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Also print a line for each valid file' })
      .epilog('Prints nothing for valid files. Exit status: 0 all valid, 1 some file malformed or invalid, 2 usage error or unreadable file.'),
  handler: (args) => {
    let status = EXIT_OK;
    for (const file of args.files) {
      const input = readInputFile(file);
      if (!input.ok) {
        process.stderr.write(`${input.message}\n`);
        status = EXIT_USAGE;
        continue;
      }
      const r = loadModule(input.bytes);
      if (args.json) {
        process.stdout.write(
          JSON.stringify(r.ok ? { file, valid: true } : { file, valid: false, kind: r.error.kind, offset: r.error.offset, message: r.error.message }) + '\n',
        );
      } else if (!r.ok) {
        process.stdout.write(formatWasmError(file, r.error) + '\n');
      } else if (args.verbose) {
        process.stdout.write(`${file}: ${chalk.green('valid')}\n`);
      }
      if (!r.ok && status === EXIT_OK) status = EXIT_FAILURE;
    }
    process.exitCode = status;
  },
};
