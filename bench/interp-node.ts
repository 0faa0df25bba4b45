/**
 * The "interpreted" engine of `kiln bench`: kiln's IR interpreter with Node's WASI, run as
 * its own process (`node dist/bench/interp-node.js program.wasm args…`) like the other
 * engines. Exit status is the guest's (134 after a trap).
 */
import { readFileSync } from 'node:fs';
import { runWasiInterp } from '../src/cli/run-interp.js';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: interp-node.js program.wasm [args...]\n');
  process.exitCode = 2;
} else {
  process.exitCode = await runWasiInterp(readFileSync(file), [file, ...args], {}, {});
}
