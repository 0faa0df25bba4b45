#!/usr/bin/env node
// Entry point installed as `kiln`: runs the compiled CLI from dist/ (built by `npm run build`).

// `kiln run --engine interp` uses node:wasi, which warns on every start that it is
// experimental; that line would mix into the guest program's stderr.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith('WASI is an experimental feature')) return;
  emitWarning(warning, ...rest);
};

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
