/** `kiln inspect`: a readable (or JSON) summary of a module's sections and declarations. */
import type { CommandModule } from 'yargs';
import { decodeModule } from '../frontend/decode.js';
import { formatWasmError } from '../frontend/errors.js';
import { formatInspect, inspectModule } from '../frontend/inspect.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit.js';
import { readInputFile } from './input.js';

interface InspectArgs {
  file: string;
  json: boolean;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <file>',
  describe: 'Summarise a module: sections, types, imports, exports, memories, tables, globals, segments, names',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .wasm file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as one JSON object' }),
  handler: (args) => {
    const input = readInputFile(args.file);
    if (!input.ok) {
      process.stderr.write(`${input.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    const m = decodeModule(input.bytes);
    if (!m.ok) {
      process.stderr.write(formatWasmError(args.file, m.error) + '\n');
      process.exitCode = EXIT_FAILURE;
      return;
    }
    const report = inspectModule(m.value, input.bytes);
    process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatInspect(report));
    process.exitCode = EXIT_OK;
  },
};
