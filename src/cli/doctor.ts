/** `kiln doctor`: which external tools are present, with versions, and which package brings each missing one. */
import chalk from 'chalk';
import type { CommandModule } from 'yargs';
import { checkTool, loadToolSpecs } from '../../toolchain/tools.js';
import { EXIT_FAILURE, EXIT_OK } from './exit.js';

interface DoctorArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check that the external tools kiln uses are installed',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object per tool' })
      .epilog('Every tool comes from a Debian 12 package; toolchain/setup.sh installs them all.'),
  handler: async (args) => {
    const statuses = await Promise.all(loadToolSpecs().map(checkTool));
    for (const s of statuses) {
      if (args.json) {
        const { name, package: pkg, purpose } = s.spec;
        process.stdout.write(JSON.stringify({ name, package: pkg, purpose, found: s.found, location: s.location, version: s.version }) + '\n');
      } else if (s.found) {
        process.stdout.write(`${chalk.green('found  ')} ${s.spec.name.padEnd(20)} ${s.version ?? s.location ?? ''}\n`);
      } else {
        process.stdout.write(`${chalk.red('missing')} ${s.spec.name.padEnd(20)} install Debian package ${chalk.bold(s.spec.package)} (${s.spec.purpose})\n`);
      }
    }
    const missing = statuses.filter((s) => !s.found).length;
    if (!args.json) process.stdout.write(missing === 0 ? 'all tools found\n' : `${missing} missing\n`);
    process.exitCode = missing === 0 ? EXIT_OK : EXIT_FAILURE;
  },
};
